/**
 * What the UI needs from the engine, as types derived from shared/contract.ts. The contract is the one
 * source; this file only names the pieces the components pass around.
 *
 * Until the engine side lands (branch h-serve), the few shapes it adds are declared here in the same form
 * (PENDING below); the merge replaces them with the contract's own.
 */
import type {
  AuditApi,
  AuditEventOut,
  FacetName,
  MethodInput,
  MethodOutput,
  ServiceEvent,
} from '../../shared/contract.ts';

// PENDING(h-serve): histogram.byOutcome, events.get, values.list, events.changed, AuditClient.
export interface ByOutcome {
  success: number[];
  failure: number[];
  unknown: number[];
}
type BaseSearch = MethodOutput<'events.search'>;
export type SearchResult = Omit<BaseSearch, 'histogram'> & {
  histogram: (NonNullable<BaseSearch['histogram']> & { byOutcome?: ByOutcome }) | null;
};
export type ValuesResult = { values: { value: string; count: number }[] };
export type ClientEvent = ServiceEvent | { name: 'events.changed'; payload: { total: number; added: number } };
export type AuditClient = Omit<AuditApi, 'events.search'> & {
  'events.search': (input: MethodInput<'events.search'>) => Promise<SearchResult>;
  'events.get': (input: { id: string }) => Promise<AuditEventOut>;
  'values.list': (input: { field: FacetName; prefix?: string; limit?: number }) => Promise<ValuesResult>;
  subscribe(listener: (event: ClientEvent) => void): () => void;
};

export type SearchInput = MethodInput<'events.search'>;
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
