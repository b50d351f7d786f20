/**
 * What the doors to the UI (HTTP for `serve`, IPC for the desktop window) force on an input after it
 * passed the contract's schema, whatever the page asked: the one place a door narrows a method instead
 * of turning it off. Both door registrars call {@link doorInput}; the CLI calls the service directly.
 */
import type { MethodArgs, MethodName } from './contract.ts';

export function doorInput<M extends MethodName>(method: M, input: MethodArgs<M>): MethodArgs<M> {
  if (method === 'quarantine.list') {
    // A source can point at any local folder (sources.add is on both doors), so a page must not be able
    // to read files that are not audit logs through the quarantine: an object without a single event
    // shows its bad lines by number and reason only (the user opens their own file to see more).
    return { ...(input as MethodArgs<'quarantine.list'>), excerpts: 'auditObjects' } as MethodArgs<M>;
  }
  return input;
}
