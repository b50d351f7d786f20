import {
  DEFAULT_FACETS,
  type Facet,
  type FacetName,
  type Histogram,
  type SearchResult,
} from '../../../shared/contract.ts';
import type { AuditEvent, Outcome } from '../../../shared/event.ts';
import { parseQuery } from '../../../shared/query/index.ts';
import { DEFAULT_SEARCH_LIMITS, SearchBudget, type SearchLimits } from './budget.ts';
import { ColumnStore, compileScan, lowerBound, markKeys, type ScanAccumulator } from './columnStore.ts';
import { DICT_FIELDS, DictReader, fold } from './dict.ts';
import {
  isKeyableTime,
  keyAtOrAfter,
  keyTime,
  MIN_TIMED_KEY,
  SLOTS_PER_MS,
  UNTIMED_BASE,
} from './eventKey.ts';
import { prefixVocabulary, type PrefixVocabulary } from './fullText.ts';
import { matchingKeysAscending } from './exportScan.ts';
import type { Db } from './open.ts';
import { planQuery, type Plan } from './plan.ts';
import { ObjectNames } from './objects.ts';
import { RawReader } from './rawBlocks.ts';
import { retentionHorizon } from './retention.ts';
import type { Segment, SegmentColumn } from './segments.ts';

export interface SearchOptions {
  /** The query, in the query language (DESIGN §7); empty = everything. */
  readonly query: string;
  /** Events per page, newest first; default 100. */
  readonly limit?: number;
  /** Continue after this cursor (from a previous page's `nextCursor`). */
  readonly cursor?: string | null;
  /** Which facets to count (false: none, for "next page" requests). */
  readonly facets?: readonly FacetName[] | false;
  /** Values per facet; default 10. */
  readonly facetLimit?: number;
  /** Count events per time bucket; default true. */
  readonly histogram?: boolean;
  /** Include each event's raw JSON; default true. */
  readonly raw?: boolean;
  /** "Now" for `last:`; default the clock. */
  readonly now?: number;
  /**
   * Page direction: `desc` (default) pages newest first below the cursor; `asc` pages oldest first above
   * it (the events that follow one in time).
   */
  readonly order?: 'asc' | 'desc';
  /** Polled between scan steps; when it returns true the search stops with a {@link CancelledError}. */
  readonly cancelled?: () => boolean;
}

/** A search stopped because its caller no longer wants it (a newer search from the same client). */
export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor() {
    super('A newer search from the same client replaced this one.');
  }
}

/** How a {@link SearchEngine} is set up. */
export interface SearchEngineOptions {
  /** What one search may cost before it stops with a QueryTooCostlyError; default DEFAULT_SEARCH_LIMITS. */
  readonly limits?: Partial<SearchLimits>;
  /** The clock the time limit is measured with, in ms (tests pass one that jumps). */
  readonly clock?: () => number;
  /** Decompressed raw blocks to keep, in bytes (an export reading in time order needs few). */
  readonly rawCacheBytes?: number;
}

/** A bad cursor (not one this engine handed out). */
export class CursorError extends Error {
  override name = 'CursorError';
}

const BUCKETS_MS = [
  1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4, 12e4, 3e5, 6e5, 9e5, 18e5, 36e5, 72e5, 108e5, 216e5, 432e5, 864e5,
  1728e5, 6048e5, 12096e5, 2592e6, 7776e6, 31536e6,
];
/** The histogram aims at no more than this many buckets. */
const MAX_BUCKETS = 100;

const FACET_COLUMN: Record<FacetName, SegmentColumn> = {
  user: 'user',
  entity: 'entity',
  action: 'action',
  opType: 'opType',
  outcome: 'outcome',
  source: 'object',
  format: 'format',
  status: 'status',
  org: 'org',
};
const OUTCOME_NAMES: readonly Outcome[] = ['success', 'failure', 'unknown'];

/**
 * Answers searches on a reading connection: the whole response (page, exact count, facets, histogram) in
 * one read transaction, so every part describes the same snapshot while the writer keeps committing.
 */
export class SearchEngine {
  readonly db: Db;
  readonly dict: DictReader;
  readonly raw: RawReader;
  private readonly columns: ColumnStore;
  private readonly objects: ObjectNames;
  private readonly stmts;
  private readonly limits: SearchLimits;
  private readonly clock: (() => number) | undefined;
  private readonly vocabulary: PrefixVocabulary;

  constructor(db: Db, options: SearchEngineOptions = {}) {
    this.db = db;
    this.limits = { ...DEFAULT_SEARCH_LIMITS, ...options.limits };
    this.clock = options.clock;
    this.vocabulary = prefixVocabulary(db);
    this.dict = new DictReader(db);
    this.raw = new RawReader(db, options.rawCacheBytes);
    this.columns = new ColumnStore(db);
    this.objects = new ObjectNames(db);
    this.stmts = {
      event: db.prepare(
        `SELECT pos, ts, id, object, line, format, user, entity, action, op, outcome, status, org, target, ip, ua,
                txn, latency, blk, bi
         FROM events WHERE pos = ?`,
      ),
      dictMax: db.prepare('SELECT coalesce(max(id), 0) FROM dict WHERE field = ?').pluck(),
      maxObject: db.prepare('SELECT coalesce(max(id), 0) FROM objects').pluck(),
      keyInRange: db.prepare('SELECT pos FROM events WHERE id = ? AND pos >= ? AND pos < ?').pluck(),
    };
  }

  /**
   * Does what the first search would otherwise pay for: loads the column segments, counts the default
   * facets' values and compiles the opening view's scan (what a UI asks first).
   */
  warm(): void {
    this.search({ query: '', limit: 0 });
  }

  search(options: SearchOptions): SearchResult {
    return this.db.transaction(() => this.searchInSnapshot(options))();
  }

  /** The exact number of events matching a query. */
  /**
   * Lets go of what searching loaded (the column segments, cached raw blocks): for a long task that has
   * finished searching and goes on with the dictionary only, such as an export packing its bundle.
   */
  releaseColumns(): void {
    this.columns.release();
    this.raw.clear();
  }

  count(query: string, now?: number): number {
    return this.search({ query, limit: 0, facets: false, histogram: false, now }).total;
  }

  /**
   * The keys of every event matching a query, oldest first, in bounded chunks (exports). Call inside a read
   * transaction held for the whole walk, so it describes one snapshot.
   */
  keysAscending(query: string, now: number, chunkRows?: number): Generator<Float64Array> {
    // The plan's look-ups spend a search's budget (terms, prefixes, the keys they hold, its time); the
    // walk that follows reads chunk by chunk and is as long as the export, so it is not timed.
    const plan = planQuery(parseQuery(query), {
      db: this.db,
      dict: this.dict,
      raw: this.raw,
      now,
      horizon: retentionHorizon(this.db),
      budget: new SearchBudget(this.limits, this.clock),
      vocabulary: this.vocabulary,
    });
    return matchingKeysAscending(this.columns, plan, chunkRows);
  }

  private searchInSnapshot(options: SearchOptions): SearchResult {
    const t0 = performance.now();
    const limit = options.limit ?? 100;
    const now = options.now ?? Date.now();
    const budget = new SearchBudget(this.limits, this.clock);
    const plan = planQuery(parseQuery(options.query), {
      db: this.db,
      dict: this.dict,
      raw: this.raw,
      now,
      horizon: retentionHorizon(this.db),
      budget,
      vocabulary: this.vocabulary,
    });
    const facetNames = options.facets === false ? [] : (options.facets ?? DEFAULT_FACETS);
    const facetColumns = [...new Set(facetNames.map((f) => FACET_COLUMN[f]))];
    const segments = this.columns.segments();
    const pred = this.columns.order(plan.pred);
    // Everything matches (the opening view): the facets are the store's value counts, and the scan is left
    // with the histogram and the page.
    const everything =
      pred.kind === 'const' &&
      pred.value &&
      plan.lo <= -Number.MAX_SAFE_INTEGER &&
      plan.hi >= Number.MAX_SAFE_INTEGER;
    const scan = compileScan(pred, everything ? [] : facetColumns);
    const t1 = performance.now();
    const ascending = options.order === 'asc';
    const cursor = parseCursor(options.cursor, ascending);
    if (options.cancelled?.()) throw new CancelledError();

    const acc: ScanAccumulator = {
      count: 0,
      facets: new Map(everything ? [] : facetColumns.map((c) => [c, new Uint32Array(this.idSpace(c))])),
      hist: null,
      histBuckets: 0,
      histStart: 0,
      histWidth: 1,
      // One more than a page tells whether a next page exists.
      ring: new Float64Array(limit > 0 ? limit + 1 : 0),
      ringCount: 0,
      pageHi: ascending ? plan.hi : Math.min(plan.hi, cursor),
      pageLo: ascending ? cursor : -Infinity,
      ascending,
      selection: new Uint32Array(0),
    };
    const histogram = options.histogram === false ? null : this.histogramAxis(plan, segments);
    if (histogram) {
      acc.hist = new Float64Array(histogram.buckets * OUTCOME_NAMES.length);
      acc.histBuckets = histogram.buckets;
      acc.histStart = keyAtOrAfter(histogram.from);
      acc.histWidth = histogram.bucketMs * SLOTS_PER_MS;
    }
    const candidates: number[] = [];
    let largest = 0;
    for (const segment of segments) largest = Math.max(largest, segment.n);
    budget.reserveMarks(largest);
    const marks = scan.sets.map(() => new Uint8Array(largest));
    acc.selection = new Uint32Array(largest);
    for (const segment of segments) {
      if (segment.maxPos < plan.lo || segment.minPos >= plan.hi) continue;
      // A superseded search stops here, between segments (a segment's scan is at most a few ms).
      if (options.cancelled?.()) throw new CancelledError();
      budget.check();
      const start = lowerBound(segment.pos, plan.lo);
      const end = lowerBound(segment.pos, plan.hi, start);
      if (start >= end) continue;
      scan.sets.forEach((keys, k) => markKeys(segment, start, end, keys, marks[k]!));
      scan.scan(segment, start, end, marks, acc);
      for (let k = 0; k < acc.ringCount; k++) candidates.push(acc.ring[k]!);
    }
    candidates.sort(ascending ? (a, b) => a - b : (a, b) => b - a);
    const pageKeys = candidates.slice(0, limit);
    const t2 = performance.now();

    const events = this.events(pageKeys, options.raw ?? true);
    const facets: Partial<Record<FacetName, Facet>> = {};
    for (const name of facetNames) {
      const column = FACET_COLUMN[name];
      const counts = everything ? this.columns.valueCounts(column) : acc.facets.get(column)!;
      facets[name] = this.facet(name, counts, acc.count, options.facetLimit ?? 10);
    }
    const t3 = performance.now();
    const last = pageKeys[pageKeys.length - 1];
    return {
      total: acc.count,
      events,
      nextCursor: limit > 0 && candidates.length > limit && last !== undefined ? String(last) : null,
      facets,
      histogram: histogram && stackedHistogram(histogram, acc.hist!),
      timing: { plan: t1 - t0, scan: t2 - t1, fetch: t3 - t2, total: t3 - t0 },
    };
  }

  /**
   * An event by id and time (its `ts` as a search result gives it; null for an untimed event), with its raw
   * line; null when there is none. Ids have no index (every insert would pay for one): the time narrows
   * the look-up to a key range.
   */
  findEvent(idHex: string, ts: number | null): AuditEvent | null {
    return this.db.transaction(() => {
      const key = this.keyOf(idHex, ts);
      return key === null ? null : this.event(key);
    })();
  }

  /**
   * An event and its neighbours in time (Kibana's "surrounding documents"): up to `before` older and
   * `after` newer events matching `query`, newest first like a search page, without raw lines.
   */
  surrounding(
    idHex: string,
    ts: number | null,
    options: { before: number; after: number; query: string; now: number; cancelled?: () => boolean },
  ): { events: AuditEvent[]; anchorIndex: number | null } {
    return this.db.transaction(() => {
      const key = this.keyOf(idHex, ts);
      if (key === null) return { events: [], anchorIndex: null };
      const page = (order: 'asc' | 'desc', limit: number) =>
        limit === 0
          ? []
          : this.searchInSnapshot({
              query: options.query,
              limit,
              cursor: String(key),
              order,
              facets: false,
              histogram: false,
              raw: false,
              now: options.now,
              cancelled: options.cancelled,
            }).events;
      const newer = page('asc', options.after).reverse();
      const older = page('desc', options.before);
      const anchor = this.events([key], false);
      return { events: [...newer, ...anchor, ...older], anchorIndex: newer.length };
    })();
  }

  /** Distinct values of a field over the whole database with their event counts, most frequent first. */
  values(
    field: FacetName,
    prefix: string,
    limit: number,
  ): { values: { value: string; count: number }[]; distinct: number } {
    return this.db.transaction(() => {
      this.columns.segments();
      const counts = this.columns.valueCounts(FACET_COLUMN[field]);
      const wanted = fold(prefix);
      const matching: { value: string; count: number }[] = [];
      for (const v of this.facet(field, counts, 0, Infinity).values) {
        if (v.value !== null && fold(v.value).startsWith(wanted))
          matching.push({ value: v.value, count: v.count });
      }
      return { values: matching.slice(0, limit), distinct: matching.length };
    })();
  }

  /** The key of an event by id and time (inside the caller's transaction), or null. */
  private keyOf(idHex: string, ts: number | null): number | null {
    const id = Buffer.from(idHex, 'hex');
    // An event's key is within its millisecond unless 2,048 events of that millisecond spilled it into
    // the next ones (see eventKey.ts): a second's margin covers that. Untimed events have a region below.
    const [lo, hi] =
      ts !== null && isKeyableTime(ts)
        ? [keyAtOrAfter(Math.floor(ts)), keyAtOrAfter(Math.floor(ts) + 1000)]
        : [UNTIMED_BASE, MIN_TIMED_KEY];
    const key = this.stmts.keyInRange.get(id, lo, hi) as number | undefined;
    if (key === undefined) return null;
    // Below an unfinished retention run's horizon an event counts as deleted already (as in searches).
    const horizon = retentionHorizon(this.db);
    if (horizon !== null && key >= MIN_TIMED_KEY && key < horizon) return null;
    return key;
  }

  /** Stored events by key (in the given order), with names resolved and, if asked, their raw lines. */
  events(keys: readonly number[], raw: boolean): AuditEvent[] {
    return this.materialize(
      keys.map((key) => this.stmts.event.get(key) as EventRow | undefined),
      raw,
    );
  }

  private materialize(rows: readonly (EventRow | undefined)[], raw: boolean): AuditEvent[] {
    const lines = new Map<EventRow, string | null>();
    if (raw) {
      // Block by block, so each compressed block is read once however many of the events it holds.
      const byBlock = rows
        .filter((r): r is EventRow => r !== undefined)
        .sort((a, b) => a.blk - b.blk || a.bi - b.bi);
      for (const row of byBlock) lines.set(row, this.raw.line(row.blk, row.bi));
    }
    const events: AuditEvent[] = [];
    for (const row of rows) {
      if (row === undefined) continue;
      const event = this.toEvent(row);
      if (raw) event.raw = lines.get(row) ?? '';
      events.push(event);
    }
    return events;
  }

  /** One stored event by key, with its raw line. */
  event(key: number): AuditEvent | null {
    return this.events([key], true)[0] ?? null;
  }

  private toEvent(row: EventRow): AuditEvent {
    const { dict } = this;
    const object = this.objects.get(row.object);
    return {
      id: Buffer.from(row.id).toString('hex'),
      ts: row.ts,
      user: dict.value(DICT_FIELDS.user, row.user),
      entity: dict.value(DICT_FIELDS.entity, row.entity),
      action: dict.value(DICT_FIELDS.action, row.action),
      opType: dict.value(DICT_FIELDS.opType, row.op),
      outcome: OUTCOME_NAMES[row.outcome] ?? 'unknown',
      status: dict.value(DICT_FIELDS.status, row.status),
      org: dict.value(DICT_FIELDS.org, row.org),
      target: row.target,
      ip: row.ip,
      userAgent: dict.value(DICT_FIELDS.userAgent, row.ua),
      latencyMs: row.latency,
      txn: row.txn,
      format: dict.value(DICT_FIELDS.format, row.format) ?? 'unknown',
      source: object.source,
      object: object.key,
      line: row.line,
    };
  }

  /** How large a per-id counting array for a column must be. */
  private idSpace(column: SegmentColumn): number {
    if (column === 'outcome') return 3;
    if (column === 'object') return (this.stmts.maxObject.get() as number) + 1;
    // The primary key (field, id) answers this with one seek.
    return (this.stmts.dictMax.get(DICT_FIELDS[column as keyof typeof DICT_FIELDS]) as number) + 1;
  }

  private facet(name: FacetName, counts: ArrayLike<number>, total: number, limit: number): Facet {
    let tally: Map<string | null, number>;
    if (name === 'source') {
      tally = new Map();
      for (let id = 0; id < counts.length; id++) {
        if (counts[id] === 0) continue;
        const source = this.objects.get(id).source;
        tally.set(source, (tally.get(source) ?? 0) + counts[id]!);
      }
    } else {
      tally = new Map();
      for (let id = 0; id < counts.length; id++) {
        if (counts[id] === 0) continue;
        const value =
          name === 'outcome'
            ? (OUTCOME_NAMES[id] ?? null)
            : this.dict.value(DICT_FIELDS[name as keyof typeof DICT_FIELDS], id);
        tally.set(value, (tally.get(value) ?? 0) + counts[id]!);
      }
    }
    const sorted = [...tally].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
    const values = sorted.slice(0, limit).map(([value, count]) => ({ value, count }));
    const shown = values.reduce((sum, v) => sum + v.count, 0);
    return { values, other: total - shown, distinct: tally.size };
  }

  /** The histogram's axis: the query's time bounds, else the span of the matching data. */
  private histogramAxis(
    plan: Plan,
    segments: readonly Segment[],
  ): { from: number; bucketMs: number; buckets: number } | null {
    let lo = plan.from;
    let hi = plan.to;
    if (lo === null || hi === null) {
      let minKey = Infinity;
      let maxKey = -Infinity;
      const floor = Math.max(plan.lo, MIN_TIMED_KEY);
      for (const s of segments) {
        const start = lowerBound(s.pos, floor);
        const end = lowerBound(s.pos, plan.hi, start);
        if (start >= end) continue;
        minKey = Math.min(minKey, s.pos[start]!);
        maxKey = Math.max(maxKey, s.pos[end - 1]!);
      }
      if (minKey === Infinity) return null;
      lo ??= keyTime(minKey);
      hi ??= keyTime(maxKey) + 1;
    }
    if (!(hi > lo)) return null;
    const span = hi - lo;
    const bucketMs = BUCKETS_MS.find((b) => span / b <= MAX_BUCKETS) ?? BUCKETS_MS[BUCKETS_MS.length - 1]!;
    const from = Math.floor(lo / bucketMs) * bucketMs;
    const buckets = Math.max(1, Math.ceil((hi - from) / bucketMs));
    return { from, bucketMs, buckets };
  }
}

interface EventRow {
  pos: number;
  ts: number | null;
  id: Uint8Array;
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

/** The histogram's series from the scan's per-outcome counts (`hist[outcome * buckets + bucket]`). */
function stackedHistogram(
  axis: { from: number; bucketMs: number; buckets: number },
  hist: Float64Array,
): Histogram {
  const n = axis.buckets;
  const series = (outcome: number) => Array.from(hist.subarray(outcome * n, (outcome + 1) * n));
  const byOutcome = { success: series(0), failure: series(1), unknown: series(2) };
  const counts = byOutcome.success.map((s, b) => s + byOutcome.failure[b]! + byOutcome.unknown[b]!);
  return { from: axis.from, bucketMs: axis.bucketMs, counts, byOutcome };
}

function parseCursor(cursor: string | null | undefined, ascending = false): number {
  if (cursor == null || cursor === '') return ascending ? -Infinity : Number.MAX_SAFE_INTEGER;
  const key = Number(cursor);
  if (!Number.isSafeInteger(key))
    throw new CursorError(`"${cursor}" is not a page cursor from a previous search.`);
  return key;
}

export type { Facet, FacetName, Histogram, SearchResult };
