import { compileScan, lowerBound, markKeys, type ColumnStore, type ScanAccumulator } from './columnStore.ts';
import type { Plan } from './plan.ts';

/**
 * The keys of every event a plan matches, ascending (time order), in chunks of at most `chunkRows` rows'
 * worth: what an export streams. A search pages newest first and keeps one page; an export wants
 * everything oldest first without holding every key, so it walks the key space in windows sized to hold
 * about `chunkRows` stored rows (counted by binary search in each segment, before scanning), scans each
 * window with the query's compiled predicate and yields its matches sorted. Memory stays at one window
 * whatever the number of matches. Call inside one read transaction, so every window sees one snapshot.
 */
export function* matchingKeysAscending(
  columns: ColumnStore,
  plan: Plan,
  chunkRows = 65_536,
): Generator<Float64Array> {
  const segments = columns.segments();
  const pred = columns.order(plan.pred);
  if (pred.kind === 'const' && !pred.value) return;
  // A constant-true predicate compiles to a scan that leaves `selection` unfilled: every row matches.
  const all = pred.kind === 'const' && pred.value;
  const scan = compileScan(pred, []);
  let largest = 0;
  for (const s of segments) largest = Math.max(largest, s.n);
  const marks = scan.sets.map(() => new Uint8Array(largest));
  const acc: ScanAccumulator = {
    count: 0,
    facets: new Map(),
    hist: null,
    histBuckets: 0,
    histStart: 0,
    histWidth: 1,
    // No page: the matches are read from `selection`.
    ring: new Float64Array(0),
    ringCount: 0,
    pageHi: Number.MAX_SAFE_INTEGER,
    pageLo: -Infinity,
    ascending: false,
    selection: new Uint32Array(largest),
  };
  const rowsIn = (lo: number, hi: number) => {
    let n = 0;
    for (const s of segments) n += lowerBound(s.pos, hi) - lowerBound(s.pos, lo);
    return n;
  };
  /** The smallest stored key ≥ `from` below the plan's end, or null. */
  const nextKey = (from: number) => {
    let next = Infinity;
    for (const s of segments) {
      const i = lowerBound(s.pos, from);
      if (i < s.n && s.pos[i]! < next) next = s.pos[i]!;
    }
    return next < plan.hi ? next : null;
  };
  let width = 1 << 20;
  let lo = nextKey(plan.lo);
  const out = new Float64Array(chunkRows + segments.length);
  while (lo !== null) {
    let hi = Math.min(plan.hi, lo + width);
    // Shrink the window until it holds at most chunkRows rows (one key holds at most one row per segment).
    while (rowsIn(lo, hi) > chunkRows && hi - lo > 1) {
      width = Math.max(1, Math.floor(width / 2));
      hi = Math.min(plan.hi, lo + width);
    }
    let found = 0;
    for (const segment of segments) {
      if (segment.maxPos < lo || segment.minPos >= hi) continue;
      const start = lowerBound(segment.pos, lo);
      const end = lowerBound(segment.pos, hi, start);
      if (start >= end) continue;
      scan.sets.forEach((keys, k) => markKeys(segment, start, end, keys, marks[k]!));
      const before = acc.count;
      scan.scan(segment, start, end, marks, acc);
      const m = acc.count - before;
      for (let j = 0; j < m; j++) out[found++] = segment.pos[all ? start + j : acc.selection[j]!]!;
    }
    if (found > 0) yield out.slice(0, found).sort();
    if (rowsIn(lo, hi) < chunkRows / 4 && width < Number.MAX_SAFE_INTEGER / 4) width *= 2;
    lo = hi >= plan.hi ? null : nextKey(hi);
  }
}
