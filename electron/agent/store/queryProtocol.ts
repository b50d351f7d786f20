import type { MethodArgs, MethodOutput } from '../../../shared/contract.ts';
import type { SearchLimits } from './budget.ts';
import type { ReadMethod } from './queries.ts';
import type { RetentionPreview } from './retention.ts';

/**
 * A search's place in the shared cancellation flags: the worker stops the search (between scan steps)
 * once `flags[slot]` no longer equals `generation`, i.e. once a newer call from the same client bumped it.
 */
export interface CancelTicket {
  slot: number;
  generation: number;
}

/** The query worker's methods (over the engine's RPC helper): the contract's read methods, and upkeep. */
export type QueryMethods = {
  [M in ReadMethod]: [{ input: MethodArgs<M>; now: number; ticket: CancelTicket | null }, MethodOutput<M>];
} & {
  /** Forget cached raw blocks (after retention freed some). */
  invalidate: [undefined, void];
  /** What a retention run with this cut-off (epoch ms) would delete. */
  retentionPreview: [{ before: number }, RetentionPreview];
};

export interface QueryData {
  file: string;
  /** Int32Array of cancellation generations, one per slot (see {@link CancelTicket}). */
  flags: SharedArrayBuffer;
  /** What one search may cost before it stops with `query_too_costly` (ServiceOptions.searchLimits). */
  limits?: Partial<SearchLimits>;
  /** Tests only: see ServiceOptions.testGate. */
  gate?: SharedArrayBuffer;
}
