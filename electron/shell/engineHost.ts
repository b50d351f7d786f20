/**
 * The engine's side of the utility process: runs `createService` (with the query worker, like `serve`)
 * and answers the main process's calls with envelopes. Plain Node: the entry (engineProcess.ts) hands it
 * Electron's `process.parentPort`; tests hand it a fake port.
 */
import type { MethodName } from '../../shared/contract.ts';
import { describeError } from '../agent/errors.ts';
import type { SecretStore } from '../agent/sources/secrets/secretStore.ts';
import { createService, type AuditService, type ServiceOptions } from '../agent/service.ts';
import type { FromEngine, Port, ToEngine } from './engineProtocol.ts';

export interface EngineHostOptions {
  readonly dbFile: string;
  /** Service options for tests (a pinned clock, the query worker's test gate). */
  readonly service?: Pick<ServiceOptions, 'now' | 'testGate'>;
}

export interface EngineHost {
  readonly service: AuditService;
  /** True while syncing is paused from the tray. */
  readonly paused: boolean;
  /** Resolves once the service is closed (after a `stop` message or a failed start). */
  readonly stopped: Promise<void>;
  /** The desktop's secret store (safeStorage, in the main process), for the sync API to resolve credentials. */
  readonly secrets: SecretStore;
}

/** Starts the service and serves `port`; posts `ready` (or `failed`) when the database is open. */
export async function runEngineHost(
  port: Port<ToEngine, FromEngine>,
  options: EngineHostOptions,
): Promise<EngineHost | null> {
  let service: AuditService;
  try {
    service = await createService({ dbFile: options.dbFile, queryWorker: true, ...options.service });
  } catch (error) {
    port.post({ type: 'failed', message: describeError(error).message });
    return null;
  }
  let paused = false;
  let finish!: () => void;
  const stopped = new Promise<void>((resolve) => (finish = resolve));
  const unsubscribe = service.subscribe((event) => port.post({ type: 'event', event }));
  const inFlight = new Set<Promise<void>>();
  let nextSecret = 1;
  const secretReplies = new Map<
    number,
    { resolve(value: string | null): void; reject(error: Error): void }
  >();
  const askSecret = (op: 'get' | 'set' | 'delete', name: string, value?: string) =>
    new Promise<string | null>((resolve, reject) => {
      const id = nextSecret++;
      secretReplies.set(id, { resolve, reject });
      port.post({ type: 'secret', id, op, name, ...(value !== undefined ? { value } : {}) });
    });
  const secrets: SecretStore = {
    get: (name) => askSecret('get', name),
    set: async (name, value) => void (await askSecret('set', name, value)),
    delete: async (name) => void (await askSecret('delete', name)),
  };
  port.onMessage((message) => {
    switch (message.type) {
      case 'secretResult': {
        const reply = secretReplies.get(message.id);
        secretReplies.delete(message.id);
        if (message.ok) reply?.resolve(message.value);
        else reply?.reject(new Error(message.message));
        return;
      }
      case 'call': {
        const method = service[message.method as MethodName] as (
          input: unknown,
          call: { supersede?: string },
        ) => Promise<unknown>;
        const call = method(
          message.input,
          message.supersede === undefined ? {} : { supersede: message.supersede },
        ).then(
          (value) => port.post({ type: 'result', id: message.id, result: { ok: true, value } }),
          (error: unknown) =>
            port.post({ type: 'result', id: message.id, result: { ok: false, error: describeError(error) } }),
        );
        inFlight.add(call);
        void call.finally(() => inFlight.delete(call));
        return;
      }
      case 'pause':
        paused = message.paused;
        return;
      case 'stop':
        // Calls in flight are answered first; the service then drains its writer and closes the database.
        void Promise.allSettled([...inFlight])
          .then(() => {
            unsubscribe();
            return service.close();
          })
          .finally(() => {
            port.post({ type: 'stopped' });
            finish();
          });
        return;
    }
  });
  port.post({ type: 'ready', dbFile: service.dbFile });
  return {
    service,
    get paused() {
      return paused;
    },
    stopped,
    secrets,
  };
}
