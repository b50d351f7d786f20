import { StoreCorruptError } from './errors.ts';
import type { Db } from './open.ts';

/**
 * Column segments: the events' filterable dimensions as sorted, dictionary-encoded columns, so that a
 * count, five facets and a histogram over millions of events are one tight loop over typed arrays instead
 * of five GROUP BYs (which take seconds at 1M events in SQLite).
 *
 * Each ingest batch writes one level-0 segment in the same transaction as its events; when a level holds
 * {@link FANOUT} segments they are merged into one of the next level (an LSM-style, size-tiered layout),
 * so a database holds a few dozen segments at most. Within a segment rows are sorted by `pos` (the
 * time-ordered event key), so time ranges are binary searches.
 */

/**
 * The dimension columns, besides `pos`: dictionary ids (0 = none), except `outcome` (0/1/2) and `object`
 * (objects.id, which also gives the source).
 */
export const SEGMENT_COLUMNS = [
  'user',
  'entity',
  'action',
  'opType',
  'outcome',
  'status',
  'org',
  'format',
  'object',
  'userAgent',
] as const;
export type SegmentColumn = (typeof SEGMENT_COLUMNS)[number];

export type IdArray = Uint8Array | Uint16Array | Uint32Array;

/** A segment in memory. */
export interface Segment {
  readonly id: number;
  readonly level: number;
  readonly n: number;
  readonly minPos: number;
  readonly maxPos: number;
  readonly pos: Float64Array;
  readonly cols: Readonly<Record<SegmentColumn, IdArray>>;
}

/** Rows being collected for a segment, in any order (sorted on encode). */
export interface SegmentRows {
  pos: number[];
  cols: Record<SegmentColumn, number[]>;
}

/** Segments merged per level. */
export const FANOUT = 8;
/**
 * Levels at or above this are never merged further. It bounds the memory a merge needs (a level-2 merge of
 * 800k rows added ~60 MB to ingest's peak) at the cost of more segments to visit per query (~100 at 10M
 * events, microseconds each).
 */
export const MAX_MERGE_LEVEL = 1;

const MAGIC = 0x31474553; // 'SEG1'

export function emptyRows(): SegmentRows {
  const cols = {} as Record<SegmentColumn, number[]>;
  for (const c of SEGMENT_COLUMNS) cols[c] = [];
  return { pos: [], cols };
}

function widthFor(max: number): 1 | 2 | 4 {
  return max < 0x100 ? 1 : max < 0x10000 ? 2 : 4;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

function arrayOf(width: number, buffer: ArrayBuffer, offset: number, n: number): IdArray {
  return width === 1
    ? new Uint8Array(buffer, offset, n)
    : width === 2
      ? new Uint16Array(buffer, offset, n)
      : new Uint32Array(buffer, offset, n);
}

/**
 * Serialises sorted columns. `order` gives the row order (indexes into the inputs) when the inputs are
 * not sorted by pos yet.
 */
export function encodeSegment(
  pos: ArrayLike<number>,
  cols: Readonly<Record<SegmentColumn, ArrayLike<number>>>,
  order?: ArrayLike<number>,
): Uint8Array {
  const n = pos.length;
  const widths = SEGMENT_COLUMNS.map((c) => {
    let max = 0;
    const col = cols[c];
    for (let i = 0; i < n; i++) if (col[i]! > max) max = col[i]!;
    return widthFor(max);
  });
  const headerBytes = align8(4 + 4 + 1 + SEGMENT_COLUMNS.length);
  let total = headerBytes + n * 8;
  for (const w of widths) total += align8(n * w);
  const buffer = new ArrayBuffer(total);
  const view = new DataView(buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, n, true);
  view.setUint8(8, SEGMENT_COLUMNS.length);
  widths.forEach((w, i) => view.setUint8(9 + i, w));
  let offset = headerBytes;
  const posOut = new Float64Array(buffer, offset, n);
  for (let i = 0; i < n; i++) posOut[i] = pos[order ? order[i]! : i]!;
  offset += n * 8;
  SEGMENT_COLUMNS.forEach((c, ci) => {
    const out = arrayOf(widths[ci]!, buffer, offset, n);
    const col = cols[c];
    for (let i = 0; i < n; i++) out[i] = col[order ? order[i]! : i]!;
    offset += align8(n * widths[ci]!);
  });
  return new Uint8Array(buffer);
}

/**
 * Reads a segment blob (copied into an aligned buffer, so the typed arrays can view it directly). A blob
 * that does not agree with itself or with its row (`meta.n`, the key range) is damage SQLite cannot see —
 * it checks pages, not values — and throws {@link StoreCorruptError} rather than answering wrong counts.
 * The checks cost one pass over the keys when a segment is first loaded.
 */
export function decodeSegment(
  meta: { id: number; level: number; minPos: number; maxPos: number; n?: number },
  blob: Uint8Array,
): Segment {
  const corrupt = (what: string) => new StoreCorruptError(`column segment ${meta.id} ${what}`);
  if (blob.byteLength < 16) throw corrupt('is cut short');
  const buffer = new ArrayBuffer(blob.byteLength);
  new Uint8Array(buffer).set(blob);
  const view = new DataView(buffer);
  if (view.getUint32(0, true) !== MAGIC) throw corrupt('has a bad header');
  const n = view.getUint32(4, true);
  const ncols = view.getUint8(8);
  if (ncols !== SEGMENT_COLUMNS.length)
    throw corrupt(`has ${ncols} columns, expected ${SEGMENT_COLUMNS.length}`);
  if (meta.n !== undefined && n !== meta.n) throw corrupt(`holds ${n} rows where its record says ${meta.n}`);
  const widths = SEGMENT_COLUMNS.map((_, ci) => view.getUint8(9 + ci));
  let size = align8(4 + 4 + 1 + ncols) + n * 8;
  for (const w of widths) {
    if (w !== 1 && w !== 2 && w !== 4) throw corrupt(`has a column of width ${w}`);
    size += align8(n * w);
  }
  if (size !== blob.byteLength) throw corrupt(`is ${blob.byteLength} bytes where ${size} are expected`);
  let offset = align8(4 + 4 + 1 + ncols);
  const pos = new Float64Array(buffer, offset, n);
  offset += n * 8;
  let previous = -Infinity;
  for (let i = 0; i < n; i++) {
    const p = pos[i]!;
    if (!(p > previous) || p < meta.minPos || p > meta.maxPos)
      throw corrupt(`has keys out of order or range`);
    previous = p;
  }
  const cols = {} as Record<SegmentColumn, IdArray>;
  SEGMENT_COLUMNS.forEach((c, ci) => {
    const w = widths[ci]!;
    cols[c] = arrayOf(w, buffer, offset, n);
    offset += align8(n * w);
  });
  return { id: meta.id, level: meta.level, minPos: meta.minPos, maxPos: meta.maxPos, n, pos, cols };
}

/** Writes a level-0 segment for a batch's new events (any order) and merges levels that are full. */
export function appendSegment(db: Db, rows: SegmentRows): void {
  const n = rows.pos.length;
  if (n === 0) return;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => rows.pos[a]! - rows.pos[b]!);
  insertSegment(
    db,
    0,
    rows.pos[order[0]!]!,
    rows.pos[order[n - 1]!]!,
    encodeSegment(rows.pos, rows.cols, order),
  );
  for (let level = 0; level < MAX_MERGE_LEVEL; level++) {
    const ids = db
      .prepare('SELECT id FROM segments WHERE level = ? ORDER BY id')
      .pluck()
      .all(level) as number[];
    if (ids.length < FANOUT) break;
    mergeSegments(db, ids, level + 1);
  }
}

function insertSegment(db: Db, level: number, minPos: number, maxPos: number, data: Uint8Array): void {
  db.prepare('INSERT INTO segments (level, n, min_pos, max_pos, data) VALUES (?, ?, ?, ?, ?)').run(
    level,
    new DataView(data.buffer, data.byteOffset).getUint32(4, true),
    minPos,
    maxPos,
    data,
  );
}

/** Replaces the given segments by one sorted segment at `level` (inside the caller's transaction). */
export function mergeSegments(db: Db, ids: readonly number[], level: number): void {
  const segments = ids.map((id) => loadSegment(db, id));
  const merged = mergeSorted(segments);
  const del = db.prepare('DELETE FROM segments WHERE id = ?');
  for (const id of ids) del.run(id);
  if (merged.pos.length > 0) {
    insertSegment(
      db,
      level,
      merged.pos[0]!,
      merged.pos[merged.pos.length - 1]!,
      encodeSegment(merged.pos, merged.cols),
    );
  }
}

/** Rewrites a segment with only the rows whose key passes `keep`; an emptied segment is deleted. */
export function rewriteSegment(db: Db, segment: Segment, keep: (pos: number) => boolean): void {
  const kept = mergeSorted([segment], keep);
  db.prepare('DELETE FROM segments WHERE id = ?').run(segment.id);
  if (kept.pos.length > 0) {
    insertSegment(
      db,
      segment.level,
      kept.pos[0]!,
      kept.pos[kept.pos.length - 1]!,
      encodeSegment(kept.pos, kept.cols),
    );
  }
}

/** Loads one segment by id. */
export function loadSegment(db: Db, id: number): Segment {
  const row = db.prepare('SELECT id, level, n, min_pos, max_pos, data FROM segments WHERE id = ?').get(id) as
    { id: number; level: number; n: number; min_pos: number; max_pos: number; data: Uint8Array } | undefined;
  if (!row) throw new Error(`Segment ${id} does not exist.`);
  return decodeSegment(
    { id: row.id, level: row.level, n: row.n, minPos: row.min_pos, maxPos: row.max_pos },
    row.data,
  );
}

/** K-way merge of sorted segments into plain sorted columns, optionally dropping rows. */
export function mergeSorted(
  segments: readonly Segment[],
  keep: (pos: number) => boolean = () => true,
): { pos: Float64Array; cols: Record<SegmentColumn, IdArray> } {
  let total = 0;
  for (const s of segments) total += s.n;
  const pos = new Float64Array(total);
  const cols = {} as Record<SegmentColumn, IdArray>;
  for (const c of SEGMENT_COLUMNS) {
    // The widest input decides the width, so a merge needs no more memory than its inputs.
    let width = 1;
    for (const s of segments) width = Math.max(width, s.cols[c].BYTES_PER_ELEMENT);
    cols[c] = arrayOf(width, new ArrayBuffer(total * width), 0, total);
  }
  const cursor = segments.map(() => 0);
  let out = 0;
  for (;;) {
    let best = -1;
    let bestPos = Infinity;
    for (let s = 0; s < segments.length; s++) {
      const seg = segments[s]!;
      const i = cursor[s]!;
      if (i < seg.n && seg.pos[i]! < bestPos) {
        bestPos = seg.pos[i]!;
        best = s;
      }
    }
    if (best < 0) break;
    const seg = segments[best]!;
    const i = cursor[best]!++;
    if (!keep(bestPos)) continue;
    pos[out] = bestPos;
    for (const c of SEGMENT_COLUMNS) cols[c][out] = seg.cols[c][i]!;
    out++;
  }
  const trimmed = {} as Record<SegmentColumn, IdArray>;
  for (const c of SEGMENT_COLUMNS) trimmed[c] = cols[c].subarray(0, out);
  return { pos: pos.subarray(0, out), cols: trimmed };
}
