// 0060-case-changes: when a case itself last changed (its description, its saved searches, an unpin, a
// reopening), so its "last change" counts those too and not only pins, notes, creation and closing.
import type { Migration } from './types.ts';

export const migration0060: Migration = {
  version: 60,
  title: "investigations' own last change",
  up(db) {
    db.exec(`
      -- Epoch ms; null until the case is first changed after it was created.
      ALTER TABLE investigations ADD COLUMN changed_at INTEGER;
    `);
  },
};
