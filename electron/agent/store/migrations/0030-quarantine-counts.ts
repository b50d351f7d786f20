// 0030-quarantine-counts: bad lines past the first ones of an object are counted per reason instead of
// stored one row each (a file of a million bad lines made an 84 MB database and 628 MB of memory).
import type { Migration } from './types.ts';

export const migration0030: Migration = {
  version: 30,
  title: 'quarantine counts per object and reason',
  up(db) {
    db.exec(`
      -- Bad lines of an object beyond the ones kept with excerpts in quarantine (quarantine.ts): how many,
      -- per kind of reason, and the first such line.
      CREATE TABLE quarantine_counts (
        object_id  INTEGER NOT NULL REFERENCES objects (id) ON DELETE CASCADE,
        reason     TEXT NOT NULL,
        lines      INTEGER NOT NULL,
        first_line INTEGER NOT NULL,
        PRIMARY KEY (object_id, reason)
      ) WITHOUT ROWID;
    `);
  },
};
