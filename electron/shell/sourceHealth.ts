/**
 * When to tell the user, with an OS notification, that a source started failing or recovered: on the
 * transitions only, never on every failed run. Generic over the engine's events: any event whose payload
 * names a `source` and says whether it is failing (`status: 'failing' | 'error' | 'ok'…` or `ok: boolean`)
 * counts, so the sync API can announce source health without this file changing.
 */
import type { ServiceEvent } from '../../shared/contract.ts';
import type { AgentState } from './engineProtocol.ts';

export interface Notice {
  readonly title: string;
  readonly body: string;
}

interface Observation {
  readonly source: string;
  readonly failing: boolean;
  readonly message: string | null;
}

const FAILING = new Set(['failing', 'failed', 'error']);
const HEALTHY = new Set(['ok', 'idle', 'synced', 'success']);

/** Reads a source's health off an event, or null when the event says nothing about one. */
export function observe(event: ServiceEvent | { name: string; payload: unknown }): Observation | null {
  const payload = event.payload as Record<string, unknown> | null;
  if (payload === null || typeof payload !== 'object' || typeof payload.source !== 'string') return null;
  let failing: boolean;
  if (typeof payload.status === 'string' && FAILING.has(payload.status)) failing = true;
  else if (typeof payload.status === 'string' && HEALTHY.has(payload.status)) failing = false;
  else if (typeof payload.ok === 'boolean') failing = !payload.ok;
  else return null;
  const message =
    typeof payload.error === 'string'
      ? payload.error
      : typeof payload.message === 'string'
        ? payload.message
        : null;
  return { source: payload.source, failing, message };
}

/** Remembers each source's last health; `next(event)` is a notice on a change, else null. */
export function createHealthWatch(): {
  next(event: ServiceEvent | { name: string; payload: unknown }): Notice | null;
} {
  const failing = new Map<string, boolean>();
  return {
    next(event) {
      const seen = observe(event);
      if (seen === null) return null;
      // A source first seen healthy is not news; first seen failing is.
      const before = failing.get(seen.source) ?? false;
      failing.set(seen.source, seen.failing);
      if (seen.failing === before) return null;
      return seen.failing
        ? {
            title: `Source '${seen.source}' is failing`,
            body: seen.message ?? 'Its last sync failed. Open Audit Explorer to see the error.',
          }
        : { title: `Source '${seen.source}' recovered`, body: 'Its last sync succeeded.' };
    },
  };
}

/**
 * The agent's state as health observations for {@link createHealthWatch}: each failing source as failing,
 * and each source failing `before` but not now as recovered. Returns them with the new failing set.
 */
export function agentHealth(
  state: AgentState,
  before: ReadonlySet<string>,
): { events: { name: string; payload: unknown }[]; failing: Set<string> } {
  const failing = new Set(state.failing.map((f) => f.source));
  const events: { name: string; payload: unknown }[] = state.failing.map((f) => ({
    name: 'source.status',
    payload: { source: f.source, status: 'failing', ...(f.error !== null ? { error: f.error } : {}) },
  }));
  for (const source of before)
    if (!failing.has(source)) events.push({ name: 'source.status', payload: { source, status: 'ok' } });
  return { events, failing };
}
