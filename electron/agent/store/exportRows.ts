import { OUTCOMES, type AuditEvent, type Outcome } from '../../../shared/event.ts';
import { DICT_FIELDS, type DictReader } from './dict.ts';
import { StoreCorruptError } from './errors.ts';
import type { Db } from './open.ts';
import { ObjectNames, type ObjectName } from './objects.ts';
import type { OpenBlock, RawReader } from './rawBlocks.ts';

/**
 * Stored events as an export reads them: a chunk of rows with their dictionary fields still ids (an
 * export resolves and formats each distinct value once, not once per event), and the chunk's raw lines
 * as one buffer of bytes (events.ndjson as written), never as strings. Making an event object and a
 * string per raw line, then encoding it again, was most of an export's time and garbage.
 */

/** Columns of a {@link StoredRow}, in order. */
export const ROW = {
  pos: 0,
  ts: 1,
  id: 2,
  object: 3,
  line: 4,
  format: 5,
  user: 6,
  entity: 7,
  action: 8,
  opType: 9,
  outcome: 10,
  status: 11,
  org: 12,
  target: 13,
  ip: 14,
  userAgent: 15,
  txn: 16,
  latencyMs: 17,
  blk: 18,
  bi: 19,
} as const;

/** One event as stored (SQLite's row in {@link ROW} order): dictionary fields and the object as ids. */
export type StoredRow = [
  pos: number,
  ts: number | null,
  /** Hex. */
  id: string,
  object: number,
  line: number,
  format: number | null,
  user: number | null,
  entity: number | null,
  action: number | null,
  opType: number | null,
  outcome: number,
  status: number | null,
  org: number | null,
  target: string | null,
  ip: string | null,
  userAgent: number | null,
  txn: string | null,
  latencyMs: number | null,
  blk: number,
  bi: number,
];

/** Lines of events, each followed by '\n': consecutive pieces (no line's text is split between two). */
export interface EventLines {
  pieces: Buffer[];
  /** Where each line ends, just past its '\n', counted over the pieces together (line i starts at ends[i - 1]). */
  ends: Uint32Array;
}

export interface StoredChunk extends EventLines {
  /** In the order of the keys asked for; `pieces` holds their raw lines in the same order. */
  rows: StoredRow[];
}

const NEWLINE = Buffer.from('\n');

const COLUMNS = `pos, ts, lower(hex(id)), object, line, format, user, entity, action, op, outcome, status, org,
  target, ip, ua, txn, latency, blk, bi`;

export class StoredEventReader {
  readonly dict: DictReader;
  private readonly raw: RawReader;
  private readonly objects: ObjectNames;
  private readonly stmts;

  constructor(db: Db, dict: DictReader, raw: RawReader) {
    this.dict = dict;
    this.raw = raw;
    this.stmts = {
      one: db.prepare(`SELECT ${COLUMNS} FROM events WHERE pos = ?`).raw(),
      range: db.prepare(`SELECT ${COLUMNS} FROM events WHERE pos >= ? AND pos <= ? ORDER BY pos`).raw(),
      rangeCount: db.prepare('SELECT count(*) FROM events WHERE pos >= ? AND pos <= ?').pluck(),
    };
    this.objects = new ObjectNames(db);
  }

  /** The events of ascending keys (missing keys are left out), with their raw lines. */
  read(keys: ArrayLike<number>): StoredChunk {
    const rows = this.rows(keys);
    return { rows, ...this.lines(rows) };
  }

  private rows(keys: ArrayLike<number>): StoredRow[] {
    const n = keys.length;
    if (n === 0) return [];
    const lo = keys[0]!;
    const hi = keys[n - 1]!;
    // When the keys are most of the rows of their range, one range scan replaces a look-up per key
    // (measured: the look-ups were 15% of an export of everything).
    if ((this.stmts.rangeCount.get(lo, hi) as number) > n * 2) {
      const rows: StoredRow[] = [];
      for (let i = 0; i < n; i++) {
        const row = this.stmts.one.get(keys[i]) as StoredRow | undefined;
        if (row !== undefined) rows.push(row);
      }
      return rows;
    }
    const all = this.stmts.range.all(lo, hi) as StoredRow[];
    const rows: StoredRow[] = [];
    let k = 0;
    for (const row of all) {
      while (k < n && keys[k]! < row[ROW.pos]) k++;
      if (k < n && keys[k] === row[ROW.pos]) {
        rows.push(row);
        k++;
      }
    }
    return rows;
  }

  /**
   * The rows' raw lines. Rows that follow each other in their block (an export of everything, mostly) are
   * views of the decompressed block, lines and line ends as stored: no copy, no new buffer. Rows in
   * another order are copied out in block order (each block opened once per chunk however they
   * interleave), then into row order.
   */
  private lines(rows: readonly StoredRow[]): EventLines {
    const n = rows.length;
    for (let i = 1; i < n; i++) {
      const a = rows[i - 1]!;
      const b = rows[i]!;
      if (a[ROW.blk] > b[ROW.blk] || (a[ROW.blk] === b[ROW.blk] && a[ROW.bi] > b[ROW.bi]))
        return this.copies(rows);
    }
    const pieces: Buffer[] = [];
    const ends = new Uint32Array(n);
    let bytes = 0;
    let block = -1;
    let open: OpenBlock | null = null;
    // The run of lines that follow each other in `open`: [runStart, runEnd) is their text.
    let runStart = -1;
    let runEnd = -1;
    let next = -1;
    const endRun = () => {
      if (runStart < 0) return;
      // The last line's '\n' is in the block unless it is the block's last line.
      if (runEnd < open!.bytes.length) pieces.push(open!.bytes.subarray(runStart, runEnd + 1));
      else pieces.push(open!.bytes.subarray(runStart, runEnd), NEWLINE);
    };
    for (let i = 0; i < n; i++) {
      const row = rows[i]!;
      const index = row[ROW.bi];
      if (row[ROW.blk] !== block || index !== next) {
        endRun();
        if (row[ROW.blk] !== block) {
          block = row[ROW.blk];
          open = this.raw.block(block);
        }
        runStart = open!.starts[index]!;
      }
      checkLine(open!, block, index);
      const start = open!.starts[index]!;
      const end = open!.starts[index + 1]! - 1;
      runEnd = end;
      next = index + 1;
      bytes += end - start + 1;
      ends[i] = bytes;
    }
    endRun();
    return { pieces, ends };
  }

  /** Lines out of block order: copied, in block order, then into row order. */
  private copies(rows: readonly StoredRow[]): EventLines {
    const n = rows.length;
    const order = Array.from({ length: n }, (_, j) => j).sort(
      (x, y) => rows[x]![ROW.blk] - rows[y]![ROW.blk] || rows[x]![ROW.bi] - rows[y]![ROW.bi],
    );
    let buf = Buffer.allocUnsafe(64 * 1024);
    let used = 0;
    // Where each row's line (with its '\n') starts and ends in `buf`.
    const at = new Uint32Array(n);
    const ends = new Uint32Array(n);
    let block = -1;
    let open: OpenBlock | null = null;
    for (const i of order) {
      const row = rows[i]!;
      if (row[ROW.blk] !== block) {
        block = row[ROW.blk];
        open = this.raw.block(block);
      }
      const index = row[ROW.bi];
      checkLine(open!, block, index);
      const start = open!.starts[index]!;
      const end = open!.starts[index + 1]! - 1;
      const need = used + end - start + 1;
      if (need > buf.length) {
        const bigger = Buffer.allocUnsafe(Math.max(need, buf.length * 2));
        buf.copy(bigger, 0, 0, used);
        buf = bigger;
      }
      at[i] = used;
      used += open!.bytes.copy(buf, used, start, end);
      buf[used++] = 0x0a;
      ends[i] = used;
    }
    const lines = Buffer.allocUnsafe(used);
    let out = 0;
    for (let i = 0; i < n; i++) {
      out += buf.copy(lines, out, at[i]!, ends[i]!);
      ends[i] = out;
    }
    return { pieces: [lines], ends };
  }

  /** The text of a dictionary field's id (null for none). */
  value(field: keyof typeof DICT_FIELDS, id: number | null): string | null {
    return this.dict.value(DICT_FIELDS[field], id);
  }

  outcome(code: number): Outcome {
    return OUTCOMES[code] ?? 'unknown';
  }

  /** The object an event came from: its key and its source's name. */
  object(id: number): ObjectName {
    return this.objects.get(id);
  }

  /** The event of a row, as searches return it (without its raw line). */
  event(row: StoredRow): AuditEvent {
    const object = this.object(row[ROW.object]);
    return {
      id: row[ROW.id],
      ts: row[ROW.ts],
      user: this.value('user', row[ROW.user]),
      entity: this.value('entity', row[ROW.entity]),
      action: this.value('action', row[ROW.action]),
      opType: this.value('opType', row[ROW.opType]),
      outcome: this.outcome(row[ROW.outcome]),
      status: this.value('status', row[ROW.status]),
      org: this.value('org', row[ROW.org]),
      target: row[ROW.target],
      ip: row[ROW.ip],
      userAgent: this.value('userAgent', row[ROW.userAgent]),
      latencyMs: row[ROW.latencyMs],
      txn: row[ROW.txn],
      format: this.value('format', row[ROW.format]) ?? 'unknown',
      source: object.source,
      object: object.key,
      line: row[ROW.line],
    };
  }
}

/** A row pointing past its block's lines is damage in the database. */
function checkLine(open: OpenBlock, block: number, index: number): void {
  if (index + 1 >= open.starts.length)
    throw new StoreCorruptError(`block ${block} of raw lines has no line ${index}`);
}
