// 0010-initial: settings, sources, objects (per-object checkpoints), quarantine, the value dictionary,
// the events table keyed by time (see eventKey.ts), compressed raw blocks, column segments and FTS5.
import type { Migration } from './types.ts';

export const migration0010: Migration = {
  version: 10,
  title: 'initial schema',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;

      -- AUTOINCREMENT on ids that readers cache (sources, objects, raw blocks, segments): an id is never
      -- reused after a delete, so a cache entry can never describe another row.
      CREATE TABLE sources (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
        kind       TEXT NOT NULL CHECK (kind IN ('import', 'folder', 's3', 'azure', 'gcs')),
        config     TEXT NOT NULL DEFAULT '{}',
        format     TEXT,                              -- pinned format id; NULL = detect per line
        redact     INTEGER NOT NULL DEFAULT 1,
        created_at INTEGER NOT NULL
      );

      -- One row per object (file or blob) of a source: what was read of it, and how it went.
      CREATE TABLE objects (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        source_id   INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
        key         TEXT NOT NULL,
        etag        TEXT,
        size        INTEGER,
        modified    INTEGER,
        compressed  INTEGER NOT NULL DEFAULT 0,
        bytes_read  INTEGER NOT NULL DEFAULT 0,       -- source offset after the last committed line
        lines       INTEGER NOT NULL DEFAULT 0,       -- last committed line number
        events      INTEGER NOT NULL DEFAULT 0,       -- new events this object contributed
        duplicates  INTEGER NOT NULL DEFAULT 0,
        quarantined INTEGER NOT NULL DEFAULT 0,
        status      TEXT NOT NULL DEFAULT 'reading' CHECK (status IN ('reading', 'done', 'error')),
        error       TEXT,
        first_seen  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL,
        UNIQUE (source_id, key)
      );

      CREATE TABLE quarantine (
        object_id INTEGER NOT NULL REFERENCES objects (id) ON DELETE CASCADE,
        line      INTEGER NOT NULL,
        reason    TEXT NOT NULL,
        excerpt   TEXT NOT NULL,                      -- at most 1 KiB of the line
        at        INTEGER NOT NULL,
        PRIMARY KEY (object_id, line)
      ) WITHOUT ROWID;

      -- Low-cardinality text (user, action, entity, ...) is stored once here and referenced by id.
      -- folded = the value lower-cased, for case-insensitive exact and prefix matches.
      CREATE TABLE dict (
        field  INTEGER NOT NULL,
        id     INTEGER NOT NULL,
        value  TEXT NOT NULL,
        folded TEXT NOT NULL,
        PRIMARY KEY (field, id)
      ) WITHOUT ROWID;
      CREATE UNIQUE INDEX dict_by_value ON dict (field, value);
      CREATE INDEX dict_by_folded ON dict (field, folded);

      -- pos is the time-ordered key (eventKey.ts); an explicit INTEGER PRIMARY KEY so VACUUM keeps it.
      CREATE TABLE events (
        pos     INTEGER PRIMARY KEY,
        ts      INTEGER,
        id      BLOB NOT NULL,                        -- first 16 bytes of SHA-256 of the trimmed line
        object  INTEGER NOT NULL,
        line    INTEGER NOT NULL,
        format  INTEGER NOT NULL,
        user    INTEGER,
        entity  INTEGER,
        action  INTEGER,
        op      INTEGER,
        outcome INTEGER NOT NULL,                     -- 0 success, 1 failure, 2 unknown
        status  INTEGER,
        org     INTEGER,
        target  TEXT,
        ip      TEXT,
        ua      INTEGER,
        txn     TEXT,
        latency INTEGER,
        blk     INTEGER NOT NULL,                     -- raw_blocks.id holding the raw line
        bi      INTEGER NOT NULL                      -- index of the line inside the block
      );
      -- No secondary indexes: filters run on the column segments and the full-text index (an index per
      -- filter field would cost every insert a random b-tree write).

      -- The redacted raw lines, zstd-compressed in blocks (one block per ingest batch and object);
      -- live = how many events still point into the block.
      CREATE TABLE raw_blocks (
        id   INTEGER PRIMARY KEY AUTOINCREMENT,
        live INTEGER NOT NULL,
        data BLOB NOT NULL
      );

      -- The filterable and facetable dimensions of the events, as sorted columns (segments.ts), written
      -- in the same transaction as the events they describe.
      CREATE TABLE segments (
        id      INTEGER PRIMARY KEY AUTOINCREMENT,
        level   INTEGER NOT NULL,
        n       INTEGER NOT NULL,
        min_pos INTEGER NOT NULL,
        max_pos INTEGER NOT NULL,
        data    BLOB NOT NULL
      );

      -- Full text over the string values of the redacted event that are not dictionary values (those,
      -- 35-67% of an event's words, are found through dict_fts and the columns instead). Contentless (the
      -- text lives in the raw blocks), with positions so phrases are matched by the index. Merging is the
      -- writer's job once a run is done (ftsMaintenance.ts), not a cost of every insert; pending terms
      -- are flushed once per batch.
      CREATE VIRTUAL TABLE events_fts USING fts5 (
        text,
        content = '',
        contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2'
      );
      INSERT INTO events_fts (events_fts, rank) VALUES ('automerge', 0);
      INSERT INTO events_fts (events_fts, rank) VALUES ('crisismerge', 64);
      INSERT INTO events_fts (events_fts, rank) VALUES ('hashsize', 16777216);

      -- Full text over the dictionary's searchable values; rowid = field * 2^32 + id.
      CREATE VIRTUAL TABLE dict_fts USING fts5 (
        value,
        content = '',
        contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2'
      );
    `);
  },
};
