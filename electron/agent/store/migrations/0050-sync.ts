// 0050-sync: the sync agent's run history (sync_runs) and per-object retry backoff, so a failing object
// is retried on later passes at growing intervals instead of on every pass.
import type { Migration } from './types.ts';

export const migration0050: Migration = {
  version: 50,
  title: 'sync run history and per-object retry backoff',
  up(db) {
    db.exec(`
      -- One row per sync pass of a configured source. A row left 'running' belongs to a process that died
      -- mid-pass: the next pass of the source marks it 'interrupted' (its committed work stays).
      CREATE TABLE sync_runs (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        source_id   INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
        trigger     TEXT NOT NULL,                  -- schedule, manual, catch-up
        started_at  INTEGER NOT NULL,
        finished_at INTEGER,
        status      TEXT NOT NULL DEFAULT 'running'
                    CHECK (status IN ('running', 'ok', 'partial', 'failed', 'stopped', 'interrupted')),
        listed      INTEGER NOT NULL DEFAULT 0,
        new_objects INTEGER NOT NULL DEFAULT 0,
        changed     INTEGER NOT NULL DEFAULT 0,
        skipped     INTEGER NOT NULL DEFAULT 0,
        failed      INTEGER NOT NULL DEFAULT 0,
        bytes       INTEGER NOT NULL DEFAULT 0,
        events      INTEGER NOT NULL DEFAULT 0,
        duplicates  INTEGER NOT NULL DEFAULT 0,
        quarantined INTEGER NOT NULL DEFAULT 0,
        errors      TEXT NOT NULL DEFAULT '[]'      -- JSON [{object|null, error}], capped (syncRuns.ts)
      );
      CREATE INDEX sync_runs_by_source ON sync_runs (source_id, started_at);

      -- A failed object waits until next_attempt (epoch ms) before it is read again; attempts counts the
      -- failures in a row (the backoff doubles with each). Both reset when the object is read to the end.
      ALTER TABLE objects ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE objects ADD COLUMN next_attempt INTEGER;
    `);
  },
};
