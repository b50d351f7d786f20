import type { MethodArgs, MethodOutput } from '../../../shared/contract.ts';
import { getInvestigation } from './casework.ts';
import { listQuarantine } from './quarantine.ts';
import type { SearchEngine } from './search.ts';

/**
 * The contract's read methods, answered by a {@link SearchEngine}: the same functions run on the calling
 * thread (the CLI) or in the query worker (every service that answers requests while others wait).
 */
export const READ_METHODS = [
  'events.search',
  'events.count',
  'events.facet',
  'events.get',
  'events.surrounding',
  'values.list',
  'quarantine.list',
  'investigations.get',
] as const;
export type ReadMethod = (typeof READ_METHODS)[number];

export interface ReadContext {
  /** "Now" for `last:` (epoch ms). */
  readonly now: number;
  /** Polled between scan steps: true stops the call with a CancelledError. */
  readonly cancelled?: () => boolean;
}

export type ReadHandlers = {
  [M in ReadMethod]: (input: MethodArgs<M>, ctx: ReadContext) => MethodOutput<M>;
};

export function readHandlers(engine: SearchEngine): ReadHandlers {
  return {
    'events.search': (input, { now, cancelled }) => engine.search({ ...input, now, cancelled }),
    'events.count': ({ query }, { now, cancelled }) => ({
      total: engine.search({ query, limit: 0, facets: false, histogram: false, now, cancelled }).total,
    }),
    'events.facet': ({ query, field, limit }, { now, cancelled }) => {
      const result = engine.search({
        query,
        limit: 0,
        facets: [field],
        facetLimit: limit,
        histogram: false,
        now,
        cancelled,
      });
      return { ...result.facets[field]!, total: result.total };
    },
    'events.get': ({ id, ts }) => ({ event: engine.findEvent(id, ts) }),
    'events.surrounding': ({ id, ts, before, after, query }, { now, cancelled }) =>
      engine.surrounding(id, ts, { before, after, query, now, cancelled }),
    'values.list': ({ field, prefix, limit }) => engine.values(field, prefix, limit),
    'quarantine.list': ({ limit, source, excerpts }) =>
      listQuarantine(engine.db, limit, { source, excerpts }),
    'investigations.get': ({ name }) => {
      const detail = getInvestigation(engine.db, name);
      const events = engine.events(
        detail.pins.map((p) => p.pos),
        true,
      );
      const byId = new Map(events.map((e) => [e.id, e]));
      return {
        ...detail,
        pins: detail.pins.map((p) => ({
          eventId: p.eventId,
          pinnedAt: p.pinnedAt,
          event: byId.get(p.eventId) ?? null,
        })),
      };
    },
  };
}
