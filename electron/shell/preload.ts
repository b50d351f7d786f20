/**
 * The window's preload (bundled as CommonJS: a sandboxed preload gets `require` for 'electron' only). It
 * exposes exactly the methods the IPC door offers (ipcMethods.ts, the one list) as `window.auditExplorer`,
 * each a thin `ipcRenderer.invoke` answering with the envelope; never ipcRenderer itself, nor a generic
 * "send anything" function, so a compromised page can reach nothing else.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL, type AuditBridge } from '../../shared/bridge.ts';
import type { Result, ServiceEvent } from '../../shared/contract.ts';
import { CALL_CHANNEL, EVENT_CHANNEL, IPC_METHODS, SUBSCRIBE_CHANNEL } from './ipcMethods.ts';

const bridge: Record<string, unknown> = {};
for (const method of IPC_METHODS)
  bridge[method] = (input: unknown): Promise<Result<unknown>> =>
    ipcRenderer.invoke(CALL_CHANNEL, method, input ?? {});

// One IPC stream for all listeners: opened with the first, closed after the last.
const listeners = new Set<(event: ServiceEvent) => void>();
const forward = (_event: unknown, payload: ServiceEvent) => {
  for (const listener of listeners) listener(payload);
};
bridge.subscribe = (listener: (event: ServiceEvent) => void) => {
  if (typeof listener !== 'function') throw new TypeError('subscribe(listener): listener must be a function');
  listeners.add(listener);
  if (listeners.size === 1) {
    ipcRenderer.on(EVENT_CHANNEL, forward);
    ipcRenderer.send(SUBSCRIBE_CHANNEL, true);
  }
  return () => {
    if (!listeners.delete(listener) || listeners.size > 0) return;
    ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    ipcRenderer.send(SUBSCRIBE_CHANNEL, false);
  };
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge as AuditBridge);
