import type { Db } from './open.ts';
import type { Pred } from './plan.ts';
import { decodeSegment, SEGMENT_COLUMNS, type Segment, type SegmentColumn } from './segments.ts';

/**
 * The column segments of a database, kept in memory on the reading side and synced with the `segments`
 * table before each query (segments are immutable: a query loads only the ones it has not seen and drops
 * the ones compaction or retention removed).
 */
export class ColumnStore {
  private readonly db: Db;
  private readonly loaded = new Map<number, Segment>();
  private readonly list;
  private readonly blob;

  constructor(db: Db) {
    this.db = db;
    this.list = db.prepare('SELECT id, level, min_pos AS minPos, max_pos AS maxPos FROM segments');
    this.blob = db.prepare('SELECT data FROM segments WHERE id = ?').pluck();
  }

  /** The current segments (call inside the query's read transaction, so they match its snapshot). */
  segments(): Segment[] {
    const metas = this.list.all() as { id: number; level: number; minPos: number; maxPos: number }[];
    const live = new Set<number>();
    const out: Segment[] = [];
    for (const meta of metas) {
      live.add(meta.id);
      let segment = this.loaded.get(meta.id);
      if (segment === undefined) {
        segment = decodeSegment(meta, this.blob.get(meta.id) as Uint8Array);
        this.loaded.set(meta.id, segment);
      }
      out.push(segment);
    }
    for (const id of this.loaded.keys()) if (!live.has(id)) this.loaded.delete(id);
    return out;
  }

  /** Events held in memory, and the bytes their columns take. */
  stats(): { events: number; bytes: number; segments: number } {
    let events = 0;
    let bytes = 0;
    for (const s of this.loaded.values()) {
      events += s.n;
      bytes += s.pos.byteLength;
      for (const c of SEGMENT_COLUMNS) bytes += s.cols[c].byteLength;
    }
    return { events, bytes, segments: this.loaded.size };
  }
}

/** First index in sorted `keys` whose value is ≥ `key`. */
export function lowerBound(keys: Float64Array, key: number, from = 0, to = keys.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** What one scan accumulates. */
export interface ScanAccumulator {
  count: number;
  /** Per facet column: counts indexed by dictionary id (0 = no value). */
  facets: Map<SegmentColumn, Uint32Array>;
  /** Histogram counts; bucket = floor((key - histStart) / histWidth), keys outside are not counted. */
  hist: Float64Array | null;
  histStart: number;
  histWidth: number;
}

/**
 * A query compiled to JavaScript: the predicate is emitted as one expression over the segment's typed
 * arrays, so V8 runs the scan as a tight loop. Only our own identifiers and numbers are emitted — user
 * text never reaches the generated code (values were resolved to dictionary-id masks and key sets).
 */
export interface CompiledScan {
  /** Counts matches in [start, end) of a segment into `acc`. */
  count(segment: Segment, start: number, end: number, marks: Uint8Array[], acc: ScanAccumulator): void;
  /** Appends up to `limit` matching keys of [start, end), newest first, to `out`. */
  page(segment: Segment, start: number, end: number, marks: Uint8Array[], limit: number, out: number[]): void;
  /** The key sets the predicate refers to, in mark order. */
  readonly sets: readonly Float64Array[];
}

export function compileScan(pred: Pred, facetColumns: readonly SegmentColumn[]): CompiledScan {
  const masks: Uint8Array[] = [];
  const sets: Float64Array[] = [];
  const used = new Set<SegmentColumn>(facetColumns);
  const expr = emit(pred, masks, sets, used);
  const columns = [...used];
  const prologue = [
    'const pos = seg.pos;',
    ...columns.map((c) => `const c_${c} = seg.cols.${c};`),
    ...masks.map((_, i) => `const M${i} = masks[${i}];`),
    ...sets.map((_, i) => `const S${i} = marks[${i}];`),
  ].join('\n');
  const facetDecl = facetColumns.map((c, i) => `const F${i} = acc.facets.get('${c}');`).join('\n');
  const facetInc = facetColumns.map((c, i) => `F${i}[c_${c}[i]]++;`).join(' ');
  const countBody = `${prologue}
${facetDecl}
const hist = acc.hist, h0 = acc.histStart, hw = acc.histWidth, hn = hist === null ? 0 : hist.length;
let n = 0;
for (let i = start; i < end; i++) {
  if (!(${expr})) continue;
  n++;
  ${facetInc}
  if (hn !== 0) { const b = Math.floor((pos[i] - h0) / hw); if (b >= 0 && b < hn) hist[b]++; }
}
acc.count += n;`;
  const pageBody = `${prologue}
let found = 0;
for (let i = end - 1; i >= start && found < limit; i--) {
  if (${expr}) { out.push(pos[i]); found++; }
}`;
  const countFn = new Function('masks', 'seg', 'start', 'end', 'marks', 'acc', countBody) as (
    masks: Uint8Array[],
    ...args: Parameters<CompiledScan['count']>
  ) => void;
  const pageFn = new Function('masks', 'seg', 'start', 'end', 'marks', 'limit', 'out', pageBody) as (
    masks: Uint8Array[],
    ...args: Parameters<CompiledScan['page']>
  ) => void;
  return {
    count: (seg, start, end, marks, acc) => countFn(masks, seg, start, end, marks, acc),
    page: (seg, start, end, marks, limit, out) => pageFn(masks, seg, start, end, marks, limit, out),
    sets,
  };
}

function emit(pred: Pred, masks: Uint8Array[], sets: Float64Array[], used: Set<SegmentColumn>): string {
  switch (pred.kind) {
    case 'const':
      return pred.value ? 'true' : 'false';
    case 'col': {
      used.add(pred.col);
      masks.push(pred.mask);
      // A mask is sized to the largest wanted id; larger ids read undefined, which is falsy.
      return `M${masks.length - 1}[c_${pred.col}[i]] === 1`;
    }
    case 'set':
      sets.push(pred.keys);
      return `S${sets.length - 1}[i - start] === 1`;
    case 'range':
      return `(pos[i] >= ${num(pred.lo)} && pos[i] < ${num(pred.hi)})`;
    case 'and':
      return `(${pred.preds.map((p) => emit(p, masks, sets, used)).join(' && ')})`;
    case 'or':
      return `(${pred.preds.map((p) => emit(p, masks, sets, used)).join(' || ')})`;
    case 'not':
      return `!(${emit(pred.pred, masks, sets, used)})`;
  }
}

function num(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite bound: ${value}`);
  return String(value);
}

/** Marks, for rows [start, end) of a segment, which ones have their key in the sorted `keys`. */
export function markKeys(segment: Segment, start: number, end: number, keys: Float64Array): Uint8Array {
  const marks = new Uint8Array(end - start);
  if (end <= start) return marks;
  const pos = segment.pos;
  const first = lowerBound(keys, pos[start]!);
  const last = lowerBound(keys, pos[end - 1]! + 1, first);
  if ((last - first) * 16 < end - start) {
    // Few keys for many rows (a rare word): find each key by binary search.
    let i = start;
    for (let k = first; k < last; k++) {
      i = lowerBound(pos, keys[k]!, i, end);
      if (i < end && pos[i] === keys[k]) marks[i - start] = 1;
    }
    return marks;
  }
  let i = start;
  let k = first;
  while (i < end && k < last) {
    const a = pos[i]!;
    const b = keys[k]!;
    if (a === b) {
      marks[i - start] = 1;
      i++;
      k++;
    } else if (a < b) i++;
    else k++;
  }
  return marks;
}
