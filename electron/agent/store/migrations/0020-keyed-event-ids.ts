// 0020-keyed-event-ids: event ids become an HMAC under a per-database secret (an unsalted SHA-256 of the
// line, exported beside the redacted line, let a dictionary attack confirm a redacted password); every
// stored event is re-keyed and moved to the key its new id picks, so dedupe stays exact across the step.
//
// The choice: the new id is HMAC(K, old id), where the old id is the first 16 bytes of SHA-256 of the line
// (eventId.ts). Every stored event can be re-keyed from what is stored — redacted events too, whose
// original line is gone — so all events, old and new, share one scheme: a line ingested again after the
// migration gets the id its stored copy was given here, and is a duplicate. The alternatives were worse:
// keeping old ids for old rows leaves those ids open to the attack and makes a re-ingested old line a new
// event; re-hashing stored raw lines is impossible where they were redacted.
//
// The event key (`pos`) takes its slot within the millisecond from the id (eventKey.ts) and is the page
// cursor, so it must move too: an old slot would keep 11 bits of the unkeyed hash visible, and dedupe
// probes from the new id's slot. The events table is copied to the new keys; the full-text index (rowid =
// pos, contentless) is rebuilt from the stored redacted raw lines with the same function ingest uses, and
// the column segments (sorted by pos) are rebuilt from the events table. A source's own generic mapping is
// not stored, so its `embeddedJson` keys are indexed as the JSON text they hold (their values stay
// searchable). Raw blocks, the dictionary, objects and quarantine are untouched.
import type Database from 'better-sqlite3';
import { BUILTIN_FORMATS } from '../../../../shared/formats/index.ts';
import { eventText, type TextFields } from '../../ingest/prepare.ts';
import { DICT_FIELDS } from '../dict.ts';
import { EVENT_ID_KEY_SETTING, EventIdHasher, newEventIdKey } from '../eventId.ts';
import { probeKey } from '../eventKey.ts';
import { RawReader } from '../rawBlocks.ts';
import { appendSegment, emptyRows } from '../segments.ts';
import type { Migration } from './types.ts';

/** Rows read per query while copying (better-sqlite3 runs no other statement while one iterates). */
const CHUNK = 10_000;
/** Rows per rebuilt level-0 segment. */
const SEGMENT_ROWS = 100_000;

interface EventRow {
  pos: number;
  ts: number | null;
  id: Buffer;
  object: number;
  line: number;
  format: number;
  user: number | null;
  entity: number | null;
  action: number | null;
  op: number | null;
  outcome: number;
  status: number | null;
  org: number | null;
  target: string | null;
  ip: string | null;
  ua: number | null;
  txn: string | null;
  latency: number | null;
  blk: number;
  bi: number;
}

const COLUMNS =
  'pos, ts, id, object, line, format, user, entity, action, op, outcome, status, org, target, ip, ua, txn, latency, blk, bi';

export const migration0020: Migration = {
  version: 20,
  title:
    'keyed event ids (HMAC under a per-database secret); events re-keyed, full text and segments rebuilt',
  up(db) {
    const key = newEventIdKey();
    db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run(EVENT_ID_KEY_SETTING, key);
    const ids = new EventIdHasher(key);

    db.exec(`
      CREATE TABLE events_new (
        pos     INTEGER PRIMARY KEY,
        ts      INTEGER,
        id      BLOB NOT NULL,                        -- keyed id of the trimmed line (eventId.ts)
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
    `);
    copyRekeyed(db, ids);
    db.exec('DROP TABLE events; ALTER TABLE events_new RENAME TO events;');
    db.exec("INSERT INTO events_fts (events_fts) VALUES ('delete-all'); DELETE FROM segments;");
    rebuildTextAndSegments(db);
  },
};

/** Copies every event into events_new under its keyed id, at the first free key its new id probes. */
function copyRekeyed(db: Database.Database, ids: EventIdHasher): void {
  const read = db.prepare(`SELECT ${COLUMNS} FROM events WHERE pos > ? ORDER BY pos LIMIT ${CHUNK}`);
  const insert = db.prepare(
    `INSERT INTO events_new (${COLUMNS}) VALUES (${COLUMNS.split(', ')
      .map((c) => '@' + c)
      .join(', ')}) ON CONFLICT (pos) DO NOTHING`,
  );
  let after = -Infinity;
  for (;;) {
    const rows = read.all(after) as EventRow[];
    if (rows.length === 0) break;
    for (const row of rows) {
      const id = Buffer.from(ids.ofDigest(row.id), 'latin1');
      const hash = id.readUInt32BE(0);
      // The writer's probe (writeBatch.ts): the first free key of the id's sequence, so that a later ingest
      // of the same line, probing the same sequence, meets this event before any free key.
      for (let attempt = 0; ; attempt++) {
        const pos = probeKey(row.ts, hash, attempt);
        if (insert.run({ ...row, pos, id }).changes > 0) break;
      }
    }
    after = rows[rows.length - 1]!.pos;
  }
}

/**
 * Refills the full-text index from the stored raw lines and the column segments from the events table,
 * both in key order (FTS5 writes a new segment whenever a rowid goes down).
 */
function rebuildTextAndSegments(db: Database.Database): void {
  const read = db.prepare(`SELECT ${COLUMNS} FROM events WHERE pos > ? ORDER BY pos LIMIT ${CHUNK}`);
  const insertText = db.prepare('INSERT INTO events_fts (rowid, text) VALUES (?, ?)');
  const dictValue = db.prepare('SELECT value FROM dict WHERE field = ? AND id = ?').pluck();
  const cache = new Map<number, string | null>();
  const value = (field: number, id: number | null): string | null => {
    if (id === null) return null;
    const k = field * 2 ** 32 + id;
    let v = cache.get(k);
    if (v === undefined) {
      v = (dictValue.get(field, id) as string | undefined) ?? null;
      cache.set(k, v);
    }
    return v;
  };
  const embedded = new Map(BUILTIN_FORMATS.map((f) => [f.id, f]));
  const raw = new RawReader(db);
  let rows = emptyRows();
  let after = -Infinity;
  for (;;) {
    const chunk = read.all(after) as EventRow[];
    if (chunk.length === 0) break;
    for (const e of chunk) {
      const line = raw.line(e.blk, e.bi);
      if (line !== null) {
        const fields: TextFields = {
          user: value(DICT_FIELDS.user, e.user),
          action: value(DICT_FIELDS.action, e.action),
          opType: value(DICT_FIELDS.opType, e.op),
          status: value(DICT_FIELDS.status, e.status),
          org: value(DICT_FIELDS.org, e.org),
          userAgent: value(DICT_FIELDS.userAgent, e.ua),
          target: e.target,
          ip: e.ip,
          txn: e.txn,
        };
        const spec = embedded.get(value(DICT_FIELDS.format, e.format) ?? '') ?? {};
        const parsed = parseStored(line);
        // A stored line that no longer parses is damage for `check` to report; the event stays findable by
        // its fields rather than failing the whole migration.
        if (parsed !== null) insertText.run(e.pos, eventText(parsed, spec, fields));
      }
      rows.pos.push(e.pos);
      rows.cols.user.push(e.user ?? 0);
      rows.cols.entity.push(e.entity ?? 0);
      rows.cols.action.push(e.action ?? 0);
      rows.cols.opType.push(e.op ?? 0);
      rows.cols.outcome.push(e.outcome);
      rows.cols.status.push(e.status ?? 0);
      rows.cols.org.push(e.org ?? 0);
      rows.cols.format.push(e.format);
      rows.cols.object.push(e.object);
      rows.cols.userAgent.push(e.ua ?? 0);
      if (rows.pos.length >= SEGMENT_ROWS) {
        appendSegment(db, rows);
        rows = emptyRows();
      }
    }
    after = chunk[chunk.length - 1]!.pos;
  }
  appendSegment(db, rows);
}

function parseStored(line: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
