import { DICT_FIELD_NAMES, DICT_FIELDS, DictWriter, type DictField } from './dict.ts';
import { MIN_TIMED_KEY, probeKey, SLOTS_PER_MS } from './eventKey.ts';
import { beginObject, type ObjectInfo } from './objects.ts';
import type { Db } from './open.ts';
import type { Statement } from 'better-sqlite3';
import { QUARANTINE_EXCERPTS_PER_OBJECT, reasonKind } from './quarantine.ts';
import { LINES_PER_BLOCK } from './rawBlocks.ts';
import { appendSegment, emptyRows } from './segments.ts';

/**
 * A column of dictionary-encoded text, local to one batch: `values` holds each distinct value once and
 * `refs[i]` is event i's value as a 1-based index into it (0 = no value). The writer then resolves each
 * distinct value to its database id once per batch instead of once per event.
 */
export interface BatchDictColumn {
  values: string[];
  refs: Uint32Array;
}

/**
 * A batch of prepared events, laid out in columns so it crosses to the writer thread cheaply (typed
 * arrays are transferred, not copied). Event i's raw line is line i of `block`.
 */
export interface EventBatch {
  n: number;
  /** n × 16 bytes: each event's id. */
  ids: Uint8Array;
  /** Epoch ms, NaN when the event has no time. */
  ts: Float64Array;
  /** NaN when absent. */
  latency: Float64Array;
  /** 0 success, 1 failure, 2 unknown. */
  outcome: Uint8Array;
  line: Float64Array;
  /** Index into `objects`. */
  object: Uint32Array;
  dims: Record<DictField, BatchDictColumn>;
  /** Nearly one value per event: stored as text, not in the dictionary. */
  target: (string | null)[];
  ip: (string | null)[];
  txn: (string | null)[];
  /**
   * Full text of each event (its string values but the dictionary ones), UTF-8 back to back: event i's is bytes[offsets[i], offsets[i+1]). It is
   * bound as a BLOB, which FTS5 reads as text, so no JS string is made for it on this thread.
   */
  text: { bytes: Uint8Array; offsets: Float64Array };
  /** The n raw lines as zstd blocks: event i is line i % LINES_PER_BLOCK of block ⌊i / LINES_PER_BLOCK⌋. */
  blocks: Uint8Array[];
  /**
   * The objects this batch's lines come from. The writer records them (and their checkpoints) in the
   * same transaction, so ingest never waits on a round trip to the writer thread.
   */
  objects: BatchObject[];
  /** Bad lines with their excerpt (the first ones of each object; see quarantine.ts). */
  quarantine: QuarantineEntry[];
  /** Bad lines past those, counted per object and kind of reason. */
  quarantineCounts: QuarantineCount[];
  /** Object progress to record with this batch: one per object that has events or lines in it. */
  checkpoints: Checkpoint[];
}

export interface BatchObject extends ObjectInfo {
  sourceId: number;
  /** First batch of a full read: reset the object's read position. */
  restart: boolean;
}

export interface QuarantineEntry {
  /** Index into the batch's `objects`. */
  object: number;
  line: number;
  reason: string;
  excerpt: string;
}

export interface QuarantineCount {
  /** Index into the batch's `objects`. */
  object: number;
  /** The kind of reason (reasonKind). */
  reason: string;
  lines: number;
  firstLine: number;
}

export interface Checkpoint {
  /** Index into the batch's `objects`. */
  object: number;
  /** Last line number read so far. */
  lines: number;
  /** Source offset after that line (for resuming plain objects). */
  bytesRead: number;
  /** Set when the object is finished (or failed) with this batch. */
  status?: 'done' | 'error';
  error?: string | null;
}

/** What a batch did. */
export interface BatchResult {
  inserted: number;
  duplicates: number;
  quarantined: number;
  /** Per batch object (in the order of `objects`): [inserted, duplicates]. */
  perObject: [number, number][];
  /** The batch objects' ids in the database (same order). */
  objectIds: number[];
}

export const OUTCOME_CODES = { success: 0, failure: 1, unknown: 2 } as const;

/** Columns of an events row, in INSERT order. */
const EVENT_COLUMNS = 20;
/**
 * Rows per multi-row INSERT for events whose key is known to be free: one statement per row costs ~1 µs
 * of call and binding overhead that 32 rows share (measured 3.4 → 2.7 µs per row).
 */
const ROWS_PER_INSERT = 32;

/** Queues rows for the multi-row INSERT; `flush` writes what is queued. */
class FastInsert {
  private readonly one: Statement;
  private readonly many: Statement;
  private readonly params: unknown[] = new Array(ROWS_PER_INSERT * EVENT_COLUMNS);
  private queued = 0;
  private readonly rest: unknown[][] = [];

  constructor(one: Statement, many: Statement) {
    this.one = one;
    this.many = many;
  }

  add(row: readonly unknown[]): void {
    const offset = this.queued * EVENT_COLUMNS;
    for (let c = 0; c < EVENT_COLUMNS; c++) this.params[offset + c] = row[c];
    this.rest.push(row as unknown[]);
    if (++this.queued === ROWS_PER_INSERT) {
      this.many.run(...this.params);
      this.queued = 0;
      this.rest.length = 0;
    }
  }

  flush(): void {
    for (const row of this.rest) this.one.run(...row);
    this.queued = 0;
    this.rest.length = 0;
  }
}

/** The keys taken around one crowded millisecond: [lo, hi) read from the database once per batch. */
interface Crowd {
  readonly lo: number;
  readonly hi: number;
  readonly keys: Map<number, Buffer>;
}

/** A crowd covers its millisecond's slots and room to spill into the next milliseconds. */
const CROWD_SPAN = SLOTS_PER_MS * 4;

/** Where the crowd holding `key` starts: its millisecond (or, for untimed keys, the key itself). */
function crowdStart(key: number): number {
  return key < MIN_TIMED_KEY ? key : Math.floor(key / SLOTS_PER_MS) * SLOTS_PER_MS;
}

/**
 * Writes batches on the single writer connection. Each batch is one transaction: its events, their
 * full-text entries, raw block, column segment, quarantined lines and the objects' checkpoints commit
 * together or not at all, so a crash at any point neither loses nor duplicates events.
 */
export class BatchWriter {
  private readonly db: Db;
  private readonly dict: DictWriter;
  private readonly stmts;

  constructor(db: Db) {
    this.db = db;
    this.dict = new DictWriter(db);
    this.stmts = {
      insertBlock: db.prepare('INSERT INTO raw_blocks (live, data) VALUES (0, ?)'),
      setLive: db.prepare('UPDATE raw_blocks SET live = ? WHERE id = ?'),
      dropBlock: db.prepare('DELETE FROM raw_blocks WHERE id = ?'),
      insertEvent: db.prepare(
        `INSERT INTO events (pos, ts, id, object, line, format, user, entity, action, op, outcome, status, org,
                             target, ip, ua, txn, latency, blk, bi)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (pos) DO NOTHING`,
      ),
      insertEvents: db.prepare(
        `INSERT INTO events (pos, ts, id, object, line, format, user, entity, action, op, outcome, status, org,
                             target, ip, ua, txn, latency, blk, bi)
         VALUES ${Array(ROWS_PER_INSERT)
           .fill(`(${Array(EVENT_COLUMNS).fill('?').join(', ')})`)
           .join(', ')}`,
      ),
      storedAmong: db
        .prepare('SELECT e.pos, e.id FROM json_each(?) AS k JOIN events AS e ON e.pos = k.value')
        .raw(),
      idAt: db.prepare('SELECT id FROM events WHERE pos = ?').pluck(),
      range: db.prepare('SELECT pos, id FROM events WHERE pos >= ? AND pos < ?').raw(),
      insertFts: db.prepare('INSERT INTO events_fts (rowid, text) VALUES (?, ?)'),
      quarantine: db.prepare(
        `INSERT INTO quarantine (object_id, line, reason, excerpt, at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (object_id, line) DO UPDATE SET reason = excluded.reason, excerpt = excluded.excerpt`,
      ),
      storedBad: db.prepare('SELECT count(*) FROM quarantine WHERE object_id = ?').pluck(),
      countBad: db.prepare(
        `INSERT INTO quarantine_counts (object_id, reason, lines, first_line) VALUES (?, ?, ?, ?)
         ON CONFLICT (object_id, reason) DO UPDATE SET lines = lines + excluded.lines,
           first_line = min(first_line, excluded.first_line)`,
      ),
      clearBad: db.prepare('DELETE FROM quarantine WHERE object_id = ?'),
      clearCounts: db.prepare('DELETE FROM quarantine_counts WHERE object_id = ?'),
      checkpoint: db.prepare(
        `UPDATE objects SET lines = max(lines, :lines), bytes_read = max(bytes_read, :bytesRead),
                events = events + :inserted, duplicates = duplicates + :duplicates,
                quarantined = (SELECT count(*) FROM quarantine WHERE object_id = objects.id) +
                  (SELECT coalesce(sum(lines), 0) FROM quarantine_counts WHERE object_id = objects.id),
                status = coalesce(:status, status),
                error = CASE WHEN :status IS NULL THEN error ELSE :error END,
                updated_at = :now
         WHERE id = :objectId`,
      ),
    };
  }

  /** Writes one batch in one transaction. */
  write(batch: EventBatch, now = Date.now()): BatchResult {
    try {
      return this.db.transaction(() => this.writeInTransaction(batch, now)).immediate();
    } catch (error) {
      // Ids handed out inside the rolled-back transaction do not exist: forget them.
      this.dict.reload();
      throw error;
    }
  }

  private writeInTransaction(batch: EventBatch, now: number): BatchResult {
    const { stmts } = this;
    const objectIds = batch.objects.map((o) =>
      beginObject(this.db, o.sourceId, o, { restart: o.restart }, now),
    );
    const result: BatchResult = {
      inserted: 0,
      duplicates: 0,
      quarantined: batch.quarantine.length + batch.quarantineCounts.reduce((n, c) => n + c.lines, 0),
      perObject: batch.objects.map(() => [0, 0]),
      objectIds,
    };
    const rows = emptyRows();
    const blockIds = batch.blocks.map((block) => Number(stmts.insertBlock.run(block).lastInsertRowid));
    const blockLive = new Uint32Array(blockIds.length);
    const ids = Buffer.from(batch.ids.buffer, batch.ids.byteOffset, batch.ids.byteLength);
    // Batch-local value index → database id, per dictionary field (index 0 = no value).
    const dims = {} as Record<DictField, Uint32Array>;
    const refs = {} as Record<DictField, Uint32Array>;
    for (const field of DICT_FIELD_NAMES) {
      const column = batch.dims[field];
      const ids = new Uint32Array(column.values.length + 1);
      column.values.forEach((value, k) => (ids[k + 1] = this.dict.encode(DICT_FIELDS[field], value) ?? 0));
      dims[field] = ids;
      refs[field] = column.refs;
    }
    const ftsKeys: number[] = [];
    const ftsEvents: number[] = [];
    const crowds = new Map<number, Crowd>();

    // Every event's preferred key, and which of those keys the database holds already (one query).
    const n = batch.n;
    const preferred = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const ts = batch.ts[i]!;
      preferred[i] = probeKey(Number.isNaN(ts) ? null : ts, ids.readUInt32BE(i * 16), 0);
    }
    const stored = new Map<number, Buffer>();
    if (n > 0) {
      for (const [pos, id] of stmts.storedAmong.iterate(JSON.stringify(Array.from(preferred))) as Iterable<
        [number, Buffer]
      >) {
        stored.set(pos, id);
      }
    }
    // Keys this batch took, with the event that took them.
    const taken = new Map<number, Buffer>();
    const fast = new FastInsert(stmts.insertEvent, stmts.insertEvents);
    // Key order keeps the events b-tree appending.
    const order = Array.from(preferred.keys()).sort((a, b) => preferred[a]! - preferred[b]!);

    for (const i of order) {
      const id = ids.subarray(i * 16, i * 16 + 16);
      const tsValue = batch.ts[i]!;
      const ts = Number.isNaN(tsValue) ? null : tsValue;
      const objectIndex = batch.object[i]!;
      const objectId = objectIds[objectIndex]!;
      const format = dims.format[refs.format[i]!]!;
      const user = dims.user[refs.user[i]!]!;
      const entity = dims.entity[refs.entity[i]!]!;
      const action = dims.action[refs.action[i]!]!;
      const op = dims.opType[refs.opType[i]!]!;
      const status = dims.status[refs.status[i]!]!;
      const org = dims.org[refs.org[i]!]!;
      const ua = dims.userAgent[refs.userAgent[i]!]!;
      const latencyValue = batch.latency[i]!;
      const outcome = batch.outcome[i]!;
      const row = [
        preferred[i]!,
        ts,
        id,
        objectId,
        batch.line[i]!,
        format,
        user || null,
        entity || null,
        action || null,
        op || null,
        outcome,
        status || null,
        org || null,
        batch.target[i],
        batch.ip[i],
        ua || null,
        batch.txn[i],
        Number.isNaN(latencyValue) ? null : latencyValue,
        blockIds[Math.floor(i / LINES_PER_BLOCK)],
        i % LINES_PER_BLOCK,
      ];

      let pos: number | null = preferred[i]!;
      const holder = taken.get(pos) ?? stored.get(pos);
      if (holder === undefined) {
        // The common case: the key is free, the row joins a multi-row INSERT.
        fast.add(row);
      } else if (id.equals(holder)) {
        pos = null;
      } else {
        // A collision: probe from here (the rows queued so far must be in the table for that).
        fast.flush();
        pos = this.place(ts, ids.readUInt32BE(i * 16), id, row, crowds);
      }
      const counts = result.perObject[objectIndex]!;
      if (pos === null) {
        result.duplicates++;
        counts[1]++;
        continue;
      }
      taken.set(pos, id);
      result.inserted++;
      counts[0]++;
      blockLive[Math.floor(i / LINES_PER_BLOCK)]!++;
      ftsKeys.push(pos);
      ftsEvents.push(i);
      rows.pos.push(pos);
      rows.cols.user.push(user);
      rows.cols.entity.push(entity);
      rows.cols.action.push(action);
      rows.cols.opType.push(op);
      rows.cols.outcome.push(outcome);
      rows.cols.status.push(status);
      rows.cols.org.push(org);
      rows.cols.format.push(format);
      rows.cols.object.push(objectId);
      rows.cols.userAgent.push(ua);
    }
    fast.flush();

    this.insertFullText(ftsKeys, ftsEvents, batch.text);
    blockIds.forEach((blockId, b) => {
      if (blockLive[b] === 0) stmts.dropBlock.run(blockId);
      else stmts.setLive.run(blockLive[b], blockId);
    });
    this.writeQuarantine(batch, objectIds, now);
    for (const c of batch.checkpoints) {
      const [inserted, duplicates] = result.perObject[c.object]!;
      stmts.checkpoint.run({
        lines: c.lines,
        bytesRead: c.bytesRead,
        inserted,
        duplicates,
        status: c.status ?? null,
        error: c.error ?? null,
        now,
        objectId: objectIds[c.object],
      });
    }
    appendSegment(this.db, rows);
    return result;
  }

  /**
   * Stores the batch's bad lines: with their excerpt up to QUARANTINE_EXCERPTS_PER_OBJECT per object
   * (enforced here too, so resumed reads stay within it), counted per reason past that. A full re-read of
   * an object (restart) starts its bad lines afresh: they all come again, and must not count twice.
   */
  private writeQuarantine(batch: EventBatch, objectIds: readonly number[], now: number): void {
    const { stmts } = this;
    batch.objects.forEach((o, k) => {
      if (!o.restart) return;
      stmts.clearBad.run(objectIds[k]);
      stmts.clearCounts.run(objectIds[k]);
    });
    const stored = new Map<number, number>();
    for (const q of batch.quarantine) {
      const objectId = objectIds[q.object]!;
      const n = stored.get(objectId) ?? (stmts.storedBad.get(objectId) as number);
      if (n < QUARANTINE_EXCERPTS_PER_OBJECT) {
        stmts.quarantine.run(objectId, q.line, q.reason, q.excerpt, now);
        stored.set(objectId, n + 1);
      } else stmts.countBad.run(objectId, reasonKind(q.reason), 1, q.line);
    }
    for (const c of batch.quarantineCounts)
      stmts.countBad.run(objectIds[c.object], c.reason, c.lines, c.firstLine);
  }

  /**
   * Stores an event whose preferred key is taken by another event: probes on from there and returns the
   * key it got, or null when the very same event (same id) is stored along the way. The neighbourhood of
   * the millisecond is read once and probed in memory (kept in `crowds` for the rest of the batch), so
   * thousands of events sharing a millisecond (second-resolution timestamps) cost one range scan instead
   * of an INSERT and a SELECT per slot tried.
   */
  private place(
    ts: number | null,
    hash: number,
    id: Buffer,
    row: unknown[],
    crowds: Map<number, Crowd>,
  ): number | null {
    const { stmts } = this;
    const first = probeKey(ts, hash, 0);
    const crowd = crowds.get(crowdStart(first)) ?? this.loadCrowd(crowds, first);
    for (let attempt = 0; ; attempt++) {
      const pos = probeKey(ts, hash, attempt);
      const inside = pos >= crowd.lo && pos < crowd.hi;
      const other = inside ? crowd.keys.get(pos) : (stmts.idAt.get(pos) as Buffer | undefined);
      if (other !== undefined) {
        if (id.equals(other)) return null;
        continue;
      }
      row[0] = pos;
      if (stmts.insertEvent.run(...row).changes > 0) {
        if (inside) crowd.keys.set(pos, id);
        return pos;
      }
    }
  }

  private loadCrowd(crowds: Map<number, Crowd>, key: number): Crowd {
    const lo = crowdStart(key);
    const crowd: Crowd = { lo, hi: lo + CROWD_SPAN, keys: new Map() };
    for (const [pos, id] of this.stmts.range.iterate(crowd.lo, crowd.hi) as Iterable<[number, Buffer]>) {
      crowd.keys.set(pos, id);
    }
    crowds.set(lo, crowd);
    return crowd;
  }

  /**
   * Adds the batch's new events to the full-text index, one row per statement and in key order. FTS5
   * flushes its pending terms to a new segment whenever a rowid is lower than the previous one (a batch
   * mixes several files) and at every statement savepoint (which a multi-row INSERT opens): both would
   * leave many tiny segments to merge.
   */
  private insertFullText(keys: readonly number[], events: readonly number[], text: EventBatch['text']): void {
    const bytes = Buffer.from(text.bytes.buffer, text.bytes.byteOffset, text.bytes.byteLength);
    const order = Array.from(keys.keys()).sort((a, b) => keys[a]! - keys[b]!);
    for (const k of order) {
      const i = events[k]!;
      this.stmts.insertFts.run(keys[k], bytes.subarray(text.offsets[i], text.offsets[i + 1]));
    }
  }
}
