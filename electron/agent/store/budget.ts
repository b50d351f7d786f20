import type { Span } from '../../../shared/query/index.ts';

/**
 * What one search may cost. A query is text anyone can paste, and one search of 1,665 one-letter
 * prefixes took 50 s and 1.7 GB before these limits: every search now stops, with a message saying what to
 * narrow, once it has spent its time or would hold more keys than its memory allows.
 */
export interface SearchLimits {
  /** Wall time one search may take, in ms; checked between steps (SQLite statements, segments). */
  readonly timeMs: number;
  /**
   * Memory one search may hold for the events its terms match, in MiB. Counted as 16 bytes per matching
   * event key (the key set, plus the array SQLite hands it over in) and, per key set, one mark byte per row
   * of the largest segment.
   */
  readonly memoryMiB: number;
}

export const DEFAULT_SEARCH_LIMITS: SearchLimits = { timeMs: 5_000, memoryMiB: 256 };

/** Bytes a matching key costs while a search holds it (see {@link SearchLimits.memoryMiB}). */
const BYTES_PER_KEY = 16;
/** A term matching fewer events than this is not what made a search slow: the message blames none. */
const HEAVY_TERM = 100_000;

/**
 * A query the engine will not run as written because it would cost more than a search may: more terms
 * than allowed, a prefix too short to look up, or a search past its time or memory budget. The message
 * says what to change; `column` points at the term to blame when there is one.
 */
export class QueryTooCostlyError extends Error {
  override name = 'QueryTooCostlyError';
  readonly span: Span | null;
  readonly column: number | undefined;
  constructor(message: string, span: Span | null = null) {
    super(message);
    this.span = span;
    this.column = span === null ? undefined : span.start + 1;
  }
}

/** `2.1M`, `58,380`: how a message says how many events a term matches. */
export function eventCount(n: number): string {
  return n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)}M` : n.toLocaleString('en-US');
}

/** The spending of one search against its {@link SearchLimits}. */
export class SearchBudget {
  private readonly limits: SearchLimits;
  private readonly clock: () => number;
  private readonly started: number;
  private readonly maxKeys: number;
  private keys = 0;
  private sets = 0;
  private heaviest: { label: string; matches: number } | null = null;

  /** `clock` in ms (tests pass one that jumps). */
  constructor(limits: SearchLimits, clock: () => number = () => performance.now()) {
    this.limits = limits;
    this.clock = clock;
    this.started = clock();
    this.maxKeys = Math.floor((limits.memoryMiB * 2 ** 20) / BYTES_PER_KEY);
  }

  /** How many more keys one lookup may return before the search is over its memory budget. */
  keysLeft(): number {
    return Math.max(0, this.maxKeys - this.keys);
  }

  /**
   * Records a lookup's result: `matches` keys held for `label` (how the message names the term, e.g. "the
   * free-text term 'pr*'"). Lookups ask for at most {@link keysLeft} + 1 rows, so this only checks the time.
   */
  took(label: string, matches: number): void {
    this.keys += matches;
    this.sets++;
    if (this.heaviest === null || matches > this.heaviest.matches) this.heaviest = { label, matches };
    this.check();
  }

  /** The error for a lookup that would hold more keys than are left: `label` matches more than `limit`. */
  overMemory(label: string, limit: number): QueryTooCostlyError {
    const others = this.keys > 0 ? ', on top of what the other terms matched' : '';
    return new QueryTooCostlyError(
      `This search would need more than its ${this.limits.memoryMiB} MiB of memory: ${label} matches more` +
        ` than ${eventCount(limit)} events${others}. Add a field or time filter, or search for something rarer.`,
    );
  }

  /**
   * Whether the per-set scratch the scan needs (one byte per row of the largest segment for each key set)
   * fits what is left of the memory budget; throws when it does not.
   */
  reserveMarks(largestSegment: number): void {
    const bytes = this.sets * largestSegment;
    const left = this.keysLeft() * BYTES_PER_KEY;
    if (bytes <= left) return;
    throw new QueryTooCostlyError(
      `This search would need more than its ${this.limits.memoryMiB} MiB of memory: its ${this.sets}` +
        ' free-text and value lookups each need a pass over the events. Use fewer terms, or add a field or' +
        ' time filter.',
    );
  }

  /** Throws when the search has used up its time. Call between steps: SQLite statements cannot be cut. */
  check(): void {
    const elapsed = this.clock() - this.started;
    if (elapsed < this.limits.timeMs) return;
    const seconds = `${(elapsed / 1000).toFixed(elapsed < 10_000 ? 1 : 0)} s`;
    const heavy = this.heaviest !== null && this.heaviest.matches >= HEAVY_TERM ? this.heaviest : null;
    throw new QueryTooCostlyError(
      heavy
        ? `This search stopped after ${seconds}, its time limit: ${heavy.label} matches` +
            ` ${eventCount(heavy.matches)} events. Add a field or time filter, or search for something rarer.`
        : `This search stopped after ${seconds}, its time limit, before it finished. Use fewer terms, or` +
            ' add a field or time filter to narrow it.',
    );
  }
}
