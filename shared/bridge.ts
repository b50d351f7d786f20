/**
 * What the desktop's preload puts on `window.auditExplorer`: the contract's methods the IPC door offers,
 * each answering with the envelope as data. Envelopes, not values and thrown errors, because an error
 * crossing contextBridge keeps only its message: the code, the query column and the field would be lost.
 * The renderer's IPC client (renderer/api/ipc.ts) turns this into the same `AuditClient` the HTTP client is.
 */
import type { MethodInput, MethodName, MethodOutput, Result, ServiceEvent } from './contract.ts';

/** The global name the preload exposes the bridge under. */
export const BRIDGE_GLOBAL = 'auditExplorer';

export type BridgeMethods = {
  [M in MethodName]?: (input: MethodInput<M>) => Promise<Result<MethodOutput<M>>>;
};

export type AuditBridge = BridgeMethods & {
  /** Listens to the engine's events; returns the way to stop. */
  subscribe(listener: (event: ServiceEvent) => void): () => void;
};
