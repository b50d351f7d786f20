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
  /**
   * Rows per value id, per column, over the loaded segments: what a filter on a value would match. Made
   * for a column the first time a query filters on it (counting all eleven columns of 10M events is ~0.2 s
   * of the first search), then kept up to date as segments come and go.
   */
  private readonly frequency = new Map<SegmentColumn, Float64Array>();
  private rows = 0;

  constructor(db: Db) {
    this.db = db;
    this.list = db.prepare('SELECT id, level, n, min_pos AS minPos, max_pos AS maxPos FROM segments');
    this.blob = db.prepare('SELECT data FROM segments WHERE id = ?').pluck();
  }

  /** Lets go of the loaded segments and counts (they load again when a query needs them). */
  release(): void {
    this.loaded.clear();
    this.frequency.clear();
    this.rows = 0;
  }

  /** The current segments (call inside the query's read transaction, so they match its snapshot). */
  segments(): Segment[] {
    const metas = this.list.all() as {
      id: number;
      level: number;
      n: number;
      minPos: number;
      maxPos: number;
    }[];
    const live = new Set<number>();
    const out: Segment[] = [];
    for (const meta of metas) {
      live.add(meta.id);
      let segment = this.loaded.get(meta.id);
      if (segment === undefined) {
        segment = decodeSegment(meta, this.blob.get(meta.id) as Uint8Array);
        this.loaded.set(meta.id, segment);
        this.rows += segment.n;
        for (const c of this.frequency.keys()) this.count(c, segment, 1);
      }
      out.push(segment);
    }
    for (const [id, segment] of this.loaded) {
      if (live.has(id)) continue;
      this.loaded.delete(id);
      this.rows -= segment.n;
      for (const c of this.frequency.keys()) this.count(c, segment, -1);
    }
    return out;
  }

  /**
   * The share of rows a predicate is expected to match, from the value counts (exact for column masks):
   * the scan tests the most selective part of an AND first, and the likeliest part of an OR.
   */
  selectivity(pred: Pred): number {
    switch (pred.kind) {
      case 'const':
        return pred.value ? 1 : 0;
      case 'col': {
        const counts = this.frequencyOf(pred.col);
        let n = 0;
        const end = Math.min(pred.mask.length, counts.length);
        for (let id = 0; id < end; id++) if (pred.mask[id] === 1) n += counts[id]!;
        return this.rows === 0 ? 0 : n / this.rows;
      }
      case 'set':
        return this.rows === 0 ? 0 : Math.min(1, pred.keys.length / this.rows);
      case 'range':
        return 0.5;
      case 'not':
        return 1 - this.selectivity(pred.pred);
      case 'and':
        return pred.preds.reduce((p, q) => p * this.selectivity(q), 1);
      case 'or':
        return 1 - pred.preds.reduce((p, q) => p * (1 - this.selectivity(q)), 1);
    }
  }

  /**
   * The predicate ready to scan: AND operands most selective first and OR operands likeliest first, and
   * every mask long enough for every id the column holds — a read past a typed array's end is undefined,
   * which is right, but V8 takes a slow path for it that made scans twice as slow.
   */
  order(pred: Pred): Pred {
    if (pred.kind === 'col') {
      const ids = this.frequencyOf(pred.col).length;
      if (pred.mask.length >= ids) return pred;
      const mask = new Uint8Array(ids);
      mask.set(pred.mask);
      return { kind: 'col', col: pred.col, mask };
    }
    if (pred.kind === 'not') return { kind: 'not', pred: this.order(pred.pred) };
    if (pred.kind !== 'and' && pred.kind !== 'or') return pred;
    const ranked = pred.preds.map((p) => ({ p: this.order(p), s: this.selectivity(p) }));
    ranked.sort((a, b) => (pred.kind === 'and' ? a.s - b.s : b.s - a.s));
    return { kind: pred.kind, preds: ranked.map((r) => r.p) };
  }

  /** Rows per value id of a column over the loaded segments (index = id). */
  valueCounts(column: SegmentColumn): Float64Array {
    return this.frequencyOf(column);
  }

  private frequencyOf(column: SegmentColumn): Float64Array {
    if (!this.frequency.has(column)) {
      this.frequency.set(column, new Float64Array(0));
      for (const segment of this.loaded.values()) this.count(column, segment, 1);
    }
    return this.frequency.get(column)!;
  }

  private count(column: SegmentColumn, segment: Segment, sign: 1 | -1): void {
    const col = segment.cols[column];
    let max = 0;
    for (let i = 0; i < segment.n; i++) if (col[i]! > max) max = col[i]!;
    let counts = this.frequency.get(column)!;
    if (counts.length <= max) {
      const grown = new Float64Array(Math.max(max + 1, counts.length * 2));
      grown.set(counts);
      this.frequency.set(column, (counts = grown));
    }
    for (let i = 0; i < segment.n; i++) counts[col[i]!]! += sign;
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
  /**
   * Histogram counts by outcome: `hist[outcome * histBuckets + bucket]`, bucket = floor((key - histStart) /
   * histWidth); keys outside are not counted. One increment per match gives the stacked series and their
   * sum alike.
   */
  hist: Float64Array | null;
  histBuckets: number;
  histStart: number;
  histWidth: number;
  /**
   * The page: the scan writes the segment's newest matches below `pageHi` to `ring`, newest first, and
   * their number to `ringCount`. Its length is the page size plus one (zero: no page wanted).
   */
  ring: Float64Array;
  ringCount: number;
  /** Scratch: row indexes of the segment's matches (as long as the largest segment). */
  selection: Uint32Array;
  /** Descending pages take matches below `pageHi`; ascending ones (`ascending`) the oldest above `pageLo`. */
  pageHi: number;
  pageLo: number;
  ascending: boolean;
}

/**
 * A query compiled to JavaScript: the predicate is emitted as one expression over the segment's typed
 * arrays, so V8 runs the scan as a tight loop. Only our own identifiers and numbers are emitted — user
 * text never reaches the generated code (values were resolved to dictionary-id masks and key sets).
 */
export interface CompiledScan {
  /**
   * One pass over rows [start, end) of a segment: counts, facets and histogram into `acc`, and the
   * newest matches for the page into its ring.
   */
  scan(segment: Segment, start: number, end: number, marks: Uint8Array[], acc: ScanAccumulator): void;
  /** The key sets the predicate refers to, in mark order. */
  readonly sets: readonly Float64Array[];
}

type ScanFunction = (masks: Uint8Array[], ...args: Parameters<CompiledScan['scan']>) => void;

/**
 * Compiled scans by source: queries of the same shape (`user:a` and `user:b`; masks and key sets are
 * arguments) reuse one function, which V8 has already optimised, instead of starting a new one cold.
 */
const compiled = new Map<string, ScanFunction>();
const COMPILED_LIMIT = 256;

export function compileScan(pred: Pred, facetColumns: readonly SegmentColumn[]): CompiledScan {
  const masks: Uint8Array[] = [];
  const sets: Float64Array[] = [];
  // The outcome column is always at hand: the histogram is stacked by it.
  const used = new Set<SegmentColumn>([...facetColumns, 'outcome']);
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
  // Two phases: a loop that only evaluates the predicate (V8 optimises a small loop far better: declaring
  // the facet columns in it halved its speed), then a loop over the matches for facets and histogram.
  const select =
    expr === 'true'
      ? 'const all = true; const m = end - start;'
      : `const all = false; let m = 0;
for (let i = start; i < end; i++) { if (${expr}) sel[m++] = i; }`;
  const body = `${prologue}
${facetDecl}
const sel = acc.selection;
${select}
const hist = acc.hist, h0 = acc.histStart, hw = acc.histWidth, hn = hist === null ? 0 : acc.histBuckets;
if (${facetColumns.length > 0 ? 'true' : 'false'} || hn !== 0) {
  for (let j = 0; j < m; j++) {
    const i = all ? start + j : sel[j];
    ${facetInc}
    if (hn !== 0) { const b = Math.floor((pos[i] - h0) / hw); if (b >= 0 && b < hn) hist[c_outcome[i] * hn + b]++; }
  }
}
// The page: the newest matches below the cursor, walking back from the last match (or, ascending, the
// oldest above it, walking forward from the first).
const ring = acc.ring, cap = ring.length, pageHi = acc.pageHi, pageLo = acc.pageLo;
let taken = 0;
if (acc.ascending) {
  for (let j = 0; j < m && taken < cap; j++) {
    const key = pos[all ? start + j : sel[j]];
    if (key > pageLo) ring[taken++] = key;
  }
} else {
  for (let j = m - 1; j >= 0 && taken < cap; j--) {
    const key = pos[all ? start + j : sel[j]];
    if (key < pageHi) ring[taken++] = key;
  }
}
acc.count += m;
acc.ringCount = taken;`;
  let fn = compiled.get(body);
  if (fn === undefined) {
    fn = new Function('masks', 'seg', 'start', 'end', 'marks', 'acc', body) as ScanFunction;
    if (compiled.size >= COMPILED_LIMIT) compiled.delete(compiled.keys().next().value!);
    compiled.set(body, fn);
  }
  const scanFn = fn;
  return { scan: (seg, start, end, marks, acc) => scanFn(masks, seg, start, end, marks, acc), sets };
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

/**
 * Marks, for rows [start, end) of a segment, which ones have their key in the sorted `keys`: sets
 * `marks[i - start]` to 1 or 0. `marks` is a scratch buffer reused from segment to segment (a query visits
 * ~100 segments at 10M events; a new array for each was garbage on every search).
 */
export function markKeys(
  segment: Segment,
  start: number,
  end: number,
  keys: Float64Array,
  marks: Uint8Array,
): void {
  marks.fill(0, 0, end - start);
  if (end <= start) return;
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
    return;
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
}
