import { DICT_FIELDS, DictWriter } from './dict.ts';
import { probeKey } from './eventKey.ts';
import type { Db } from './open.ts';
import { appendSegment, emptyRows } from './segments.ts';

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
  object: Float64Array;
  format: string[];
  user: (string | null)[];
  entity: (string | null)[];
  action: (string | null)[];
  opType: (string | null)[];
  status: (string | null)[];
  org: (string | null)[];
  target: (string | null)[];
  ip: (string | null)[];
  userAgent: (string | null)[];
  txn: (string | null)[];
  /** Full-text of each event. */
  text: string[];
  /** zstd block of the n raw lines (rawBlocks.ts); empty when n = 0. */
  block: Uint8Array;
  quarantine: QuarantineEntry[];
  /** Object progress to record with this batch: one per object that has events or lines in it. */
  checkpoints: Checkpoint[];
}

export interface QuarantineEntry {
  objectId: number;
  line: number;
  reason: string;
  excerpt: string;
}

export interface Checkpoint {
  objectId: number;
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
  /** Per object id: [inserted, duplicates]. */
  perObject: Record<number, [number, number]>;
}

export const OUTCOME_CODES = { success: 0, failure: 1, unknown: 2 } as const;

/**
 * Writes batches on the single writer connection. Each batch is one transaction: its events, their
 * full-text entries, raw block, column segment, quarantined lines and the objects' checkpoints commit
 * together or not at all, so a crash at any point neither loses nor duplicates events.
 */
export class BatchWriter {
  private readonly dict: DictWriter;
  private readonly stmts;
  private readonly db: Db;

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
      idAt: db.prepare('SELECT id FROM events WHERE pos = ?').pluck(),
      insertFts: db.prepare('INSERT INTO events_fts (rowid, text) VALUES (?, ?)'),
      quarantine: db.prepare(
        `INSERT INTO quarantine (object_id, line, reason, excerpt, at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (object_id, line) DO UPDATE SET reason = excluded.reason, excerpt = excluded.excerpt`,
      ),
      checkpoint: db.prepare(
        `UPDATE objects SET lines = max(lines, :lines), bytes_read = max(bytes_read, :bytesRead),
                events = events + :inserted, duplicates = duplicates + :duplicates,
                quarantined = (SELECT count(*) FROM quarantine WHERE object_id = objects.id),
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
    const { stmts, dict } = this;
    const result: BatchResult = {
      inserted: 0,
      duplicates: 0,
      quarantined: batch.quarantine.length,
      perObject: {},
    };
    const rows = emptyRows();
    let blockId = 0;
    if (batch.n > 0) blockId = Number(stmts.insertBlock.run(batch.block).lastInsertRowid);
    const ids = Buffer.from(batch.ids.buffer, batch.ids.byteOffset, batch.ids.byteLength);

    for (let i = 0; i < batch.n; i++) {
      const id = ids.subarray(i * 16, i * 16 + 16);
      const hash = id.readUInt32BE(0);
      const tsValue = batch.ts[i]!;
      const ts = Number.isNaN(tsValue) ? null : tsValue;
      const objectId = batch.object[i]!;
      const format = dict.encode(DICT_FIELDS.format, batch.format[i])!;
      const user = dict.encode(DICT_FIELDS.user, batch.user[i]);
      const entity = dict.encode(DICT_FIELDS.entity, batch.entity[i]);
      const action = dict.encode(DICT_FIELDS.action, batch.action[i]);
      const op = dict.encode(DICT_FIELDS.opType, batch.opType[i]);
      const status = dict.encode(DICT_FIELDS.status, batch.status[i]);
      const org = dict.encode(DICT_FIELDS.org, batch.org[i]);
      const target = dict.encode(DICT_FIELDS.target, batch.target[i]);
      const ip = dict.encode(DICT_FIELDS.ip, batch.ip[i]);
      const ua = dict.encode(DICT_FIELDS.userAgent, batch.userAgent[i]);
      const latency = Number.isNaN(batch.latency[i]!) ? null : batch.latency[i]!;
      const outcome = batch.outcome[i]!;

      let pos: number;
      let inserted = false;
      for (let attempt = 0; ; attempt++) {
        pos = probeKey(ts, hash, attempt);
        const info = stmts.insertEvent.run(
          pos,
          ts,
          id,
          objectId,
          batch.line[i]!,
          format,
          user,
          entity,
          action,
          op,
          outcome,
          status,
          org,
          target,
          ip,
          ua,
          batch.txn[i],
          latency,
          blockId,
          i,
        );
        if (info.changes > 0) {
          inserted = true;
          break;
        }
        const existing = stmts.idAt.get(pos) as Buffer | undefined;
        if (existing !== undefined && id.equals(existing)) break;
      }

      const counts = (result.perObject[objectId] ??= [0, 0]);
      if (!inserted) {
        result.duplicates++;
        counts[1]++;
        continue;
      }
      result.inserted++;
      counts[0]++;
      stmts.insertFts.run(pos, batch.text[i]);
      rows.pos.push(pos);
      rows.cols.user.push(user ?? 0);
      rows.cols.entity.push(entity ?? 0);
      rows.cols.action.push(action ?? 0);
      rows.cols.opType.push(op ?? 0);
      rows.cols.outcome.push(outcome);
      rows.cols.status.push(status ?? 0);
      rows.cols.org.push(org ?? 0);
      rows.cols.format.push(format);
      rows.cols.object.push(objectId);
    }

    if (blockId !== 0) {
      if (result.inserted === 0) stmts.dropBlock.run(blockId);
      else stmts.setLive.run(result.inserted, blockId);
    }
    for (const q of batch.quarantine) stmts.quarantine.run(q.objectId, q.line, q.reason, q.excerpt, now);
    for (const c of batch.checkpoints) {
      const [inserted, duplicates] = result.perObject[c.objectId] ?? [0, 0];
      stmts.checkpoint.run({
        lines: c.lines,
        bytesRead: c.bytesRead,
        inserted,
        duplicates,
        status: c.status ?? null,
        error: c.error ?? null,
        now,
        objectId: c.objectId,
      });
    }
    appendSegment(this.db, rows);
    return result;
  }
}
