/**
 * The main process's side of the engine's utility process: calls by id, answers as envelopes, events to
 * listeners. Plain functions over a {@link Port}, so tests connect it to an in-process engine host.
 */
import type { MethodName, Result, ServiceEvent } from '../../shared/contract.ts';
import type { SecretStore } from '../agent/sources/secrets/secretStore.ts';
import type { AgentState, FromEngine, Port, ToEngine } from './engineProtocol.ts';

export interface EngineClient {
  /** Resolves once the engine has its database open; rejects with the reason it could not. */
  readonly ready: Promise<string>;
  call(method: MethodName, input: unknown, supersede?: string): Promise<Result<unknown>>;
  subscribe(listener: (event: ServiceEvent) => void): () => void;
  pause(paused: boolean): void;
  /** The tray's "Sync now": every enabled source through the scheduler's run-now. */
  syncNow(): void;
  /** Listens to the agent's state (paused, syncing, failing); returns the way to stop. */
  onAgent(listener: (state: AgentState) => void): () => void;
  /** Asks the engine to finish in-flight work and close the database; resolves when it has. */
  stop(): Promise<void>;
  /** The process ended (crashed or stopped): every pending call is answered with `internal`. */
  exited(reason: string): void;
}

/**
 * `secrets` answers the engine's credential requests (the desktop passes its safeStorage store; without
 * one every request fails with a message saying so).
 */
export function createEngineClient(port: Port<FromEngine, ToEngine>, secrets?: SecretStore): EngineClient {
  let nextId = 1;
  let gone: string | null = null;
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const listeners = new Set<(event: ServiceEvent) => void>();
  const agentListeners = new Set<(state: AgentState) => void>();
  let onReady!: (dbFile: string) => void;
  let onFailed!: (error: Error) => void;
  const ready = new Promise<string>((resolve, reject) => {
    onReady = resolve;
    onFailed = reject;
  });
  // Nobody may be waiting yet; the rejection is still seen by whoever awaits `ready` later.
  ready.catch(() => {});
  let onStopped: (() => void) | null = null;
  const stopped = new Promise<void>((resolve) => (onStopped = resolve));

  port.onMessage((message) => {
    switch (message.type) {
      case 'ready':
        onReady(message.dbFile);
        return;
      case 'failed':
        onFailed(new Error(message.message));
        return;
      case 'result':
        pending.get(message.id)?.(message.result);
        pending.delete(message.id);
        return;
      case 'event':
        for (const listener of listeners) listener(message.event);
        return;
      case 'stopped':
        onStopped?.();
        return;
      case 'agent':
        for (const listener of agentListeners) listener(message.state);
        return;
      case 'secret':
        void answerSecret(message);
        return;
    }
  });

  const answerSecret = async (request: Extract<FromEngine, { type: 'secret' }>) => {
    try {
      if (secrets === undefined) throw new Error('This app has no secret store.');
      let value: string | null = null;
      if (request.op === 'get') value = await secrets.get(request.name);
      else if (request.op === 'set') await secrets.set(request.name, request.value ?? '');
      else await secrets.delete(request.name);
      port.post({ type: 'secretResult', id: request.id, ok: true, value });
    } catch (error) {
      port.post({
        type: 'secretResult',
        id: request.id,
        ok: false,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  };

  const client: EngineClient = {
    ready,
    call(method, input, supersede) {
      if (gone !== null) return Promise.resolve(engineGone(gone));
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        port.post({ type: 'call', id, method, input, ...(supersede !== undefined ? { supersede } : {}) });
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    pause(paused) {
      if (gone === null) port.post({ type: 'pause', paused });
    },
    syncNow() {
      if (gone === null) port.post({ type: 'syncNow' });
    },
    onAgent(listener) {
      agentListeners.add(listener);
      return () => agentListeners.delete(listener);
    },
    stop() {
      if (gone === null) port.post({ type: 'stop' });
      else onStopped?.();
      return stopped;
    },
    exited(reason) {
      gone = reason;
      onFailed(new Error(reason));
      for (const resolve of pending.values()) resolve(engineGone(reason));
      pending.clear();
      onStopped?.();
    },
  };
  return client;
}

function engineGone(reason: string): Result<never> {
  return {
    ok: false,
    error: { code: 'internal', message: `The engine is not running (${reason}). Restart Audit Explorer.` },
  };
}
