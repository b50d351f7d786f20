// 0040-casework: saved searches, the query history, investigations with their saved searches, pinned
// events (on legal hold: retention keeps them) and Markdown notes. Numbered 40, not 20: migrations 20 and
// 30 are being written on other branches, and the runner accepts gaps (each step runs once, in order).
import type { Migration } from './types.ts';

export const migration0040: Migration = {
  version: 40,
  title: 'saved searches, query history, investigations, pinned events on legal hold, notes',
  up(db) {
    db.exec(`
      CREATE TABLE saved_searches (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
        query      TEXT NOT NULL,
        time_from  INTEGER,                           -- epoch ms, inclusive; NULL = open
        time_to    INTEGER,                           -- epoch ms, exclusive; NULL = open
        columns    TEXT NOT NULL DEFAULT '[]',        -- JSON array of event field names
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );

      -- Searches run by the user (the CLI's search, the UI's query bar), newest last.
      CREATE TABLE query_history (
        id    INTEGER PRIMARY KEY AUTOINCREMENT,
        query TEXT NOT NULL,
        total INTEGER,
        at    INTEGER NOT NULL
      );

      CREATE TABLE investigations (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
        description TEXT NOT NULL DEFAULT '',
        status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        created_at  INTEGER NOT NULL,
        closed_at   INTEGER
      );

      CREATE TABLE investigation_searches (
        investigation_id INTEGER NOT NULL REFERENCES investigations (id) ON DELETE CASCADE,
        saved_search_id  INTEGER NOT NULL REFERENCES saved_searches (id) ON DELETE CASCADE,
        PRIMARY KEY (investigation_id, saved_search_id)
      ) WITHOUT ROWID;
      -- Removing a saved search cascades here: found by index, not by a scan.
      CREATE INDEX investigation_searches_by_search ON investigation_searches (saved_search_id);

      -- A pinned event is on legal hold: retention never deletes an event whose key is here. The event id
      -- is kept beside the key so the pin still names the event should the key ever change.
      CREATE TABLE pinned_events (
        investigation_id INTEGER NOT NULL REFERENCES investigations (id) ON DELETE CASCADE,
        pos              INTEGER NOT NULL,
        event_id         BLOB NOT NULL,
        pinned_at        INTEGER NOT NULL,
        PRIMARY KEY (investigation_id, pos)
      ) WITHOUT ROWID;
      CREATE INDEX pinned_events_by_pos ON pinned_events (pos);

      -- Markdown notes on the case (event_id NULL) or on one of its events.
      CREATE TABLE investigation_notes (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        investigation_id INTEGER NOT NULL REFERENCES investigations (id) ON DELETE CASCADE,
        event_id         BLOB,
        body             TEXT NOT NULL,
        at               INTEGER NOT NULL
      );
      CREATE INDEX investigation_notes_by_case ON investigation_notes (investigation_id, id);
    `);
  },
};
