/**
 * What the UI needs from the engine, as types derived from shared/contract.ts (the one source): this file
 * only names the pieces the components pass around.
 */
import type { AuditClient, AuditEventOut, MethodInput, MethodOutput } from '../../shared/contract.ts';

export type { AuditClient };
export type SearchInput = MethodInput<'events.search'>;
export type SearchResult = MethodOutput<'events.search'>;
export type ByOutcome = NonNullable<SearchResult['histogram']>['byOutcome'];
export type AuditEvent = AuditEventOut;
export type FacetResult = MethodOutput<'events.facet'>;
export type Stats = MethodOutput<'stats.get'>;

/** An API failure as the transports report it: a stable code, a message, and for query errors a column. */
export interface ApiErrorShape {
  code?: string;
  message: string;
  column?: number;
}

/** Reads code/message/column off whatever a transport threw. */
export function describeError(error: unknown): ApiErrorShape {
  if (error && typeof error === 'object') {
    const e = error as { code?: unknown; message?: unknown; column?: unknown };
    return {
      code: typeof e.code === 'string' ? e.code : undefined,
      message: typeof e.message === 'string' ? e.message : String(error),
      column: typeof e.column === 'number' ? e.column : undefined,
    };
  }
  return { message: String(error) };
}
