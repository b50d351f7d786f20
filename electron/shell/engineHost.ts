/**
 * The engine's side of the utility process: runs `createService` (with the query worker, like `serve`)
 * and answers the main process's calls with envelopes. Plain Node: the entry (engineProcess.ts) hands it
 * Electron's `process.parentPort`; tests hand it a fake port.
 */
import type { MethodName } from '../../shared/contract.ts';
import { describeError } from '../agent/errors.ts';
import type { SecretStore } from '../agent/sources/secrets/secretStore.ts';
import { Scheduler, type SchedulerOptions } from '../agent/scheduler.ts';
import { createService, type AuditService, type ServiceOptions } from '../agent/service.ts';
import type { AgentState, FromEngine, Port, ToEngine } from './engineProtocol.ts';

export interface EngineHostOptions {
  readonly dbFile: string;
  /** Service options for tests (a pinned clock, the query worker's test gate). */
  readonly service?: Pick<ServiceOptions, 'now' | 'testGate'>;
  /** The scheduler's clock and cron driver, for tests (node-cron and the real clock otherwise). */
  readonly scheduler?: Pick<SchedulerOptions, 'now' | 'cron' | 'heartbeatMs'>;
}

export interface EngineHost {
  readonly service: AuditService;
  /** True while syncing is paused from the tray. */
  readonly paused: boolean;
  /** Resolves once the service is closed (after a `stop` message or a failed start). */
  readonly stopped: Promise<void>;
  /** The desktop's secret store (safeStorage, in the main process), for the sync API to resolve credentials. */
  readonly secrets: SecretStore;
  /** The agent's schedules (a sync per source, retention), running in this process like `audit-explorer agent`. */
  readonly scheduler: Scheduler;
}

/** Calls after which the schedules are read again. */
const RESCHEDULES = new Set<MethodName>([
  'sources.add',
  'sources.update',
  'sources.remove',
  'sources.setSchedule',
  'retention.settings.set',
]);

/** Starts the service and serves `port`; posts `ready` (or `failed`) when the database is open. */
export async function runEngineHost(
  port: Port<ToEngine, FromEngine>,
  options: EngineHostOptions,
): Promise<EngineHost | null> {
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
  let service: AuditService;
  try {
    service = await createService({ dbFile: options.dbFile, queryWorker: true, secrets, ...options.service });
  } catch (error) {
    port.post({ type: 'failed', message: describeError(error).message });
    return null;
  }
  let paused = false;
  let finish!: () => void;
  const stopped = new Promise<void>((resolve) => (finish = resolve));
  const unsubscribe = service.subscribe((event) => port.post({ type: 'event', event }));
  // The desktop's agent: the schedules run here, beside the service, never on the window's thread.
  let stateQueued = false;
  const postState = () => {
    // Several changes in one turn (a run ends, the next starts) make one message.
    if (stateQueued) return;
    stateQueued = true;
    queueMicrotask(() => {
      stateQueued = false;
      void agentState(service, scheduler).then(
        (state) => port.post({ type: 'agent', state }),
        () => undefined,
      );
    });
  };
  const scheduler = new Scheduler({
    service,
    ...options.scheduler,
    onChange: postState,
    log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
  });
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
          (value) => {
            // A changed schedule or source applies at once, not at the next heartbeat; the answer is
            // sent once it does, so what the window shows next (sources.list's next run) already agrees.
            if (RESCHEDULES.has(message.method))
              return scheduler
                .reload()
                .catch(() => undefined)
                .then(() => port.post({ type: 'result', id: message.id, result: { ok: true, value } }));
            port.post({ type: 'result', id: message.id, result: { ok: true, value } });
          },
          (error: unknown) =>
            port.post({ type: 'result', id: message.id, result: { ok: false, error: describeError(error) } }),
        );
        inFlight.add(call);
        void call.finally(() => inFlight.delete(call));
        return;
      }
      case 'pause':
        paused = message.paused;
        void (paused ? scheduler.pause() : scheduler.resume()).catch(() => undefined);
        return;
      case 'syncNow':
        // Each source's failure is its own result (and shows as failing); the others still sync.
        void scheduler.runAllNow().then(postState, () => undefined);
        return;
      case 'stop':
        // No new scheduled run from here on; the passes and writes in flight stop after the line in hand
        // and commit what they read (quitting must not wait for a whole bucket). Calls in flight are
        // answered; the service then drains its writer and closes the database.
        void (() => {
          const schedulesStopped = scheduler.stop();
          service.stop();
          return schedulesStopped;
        })()
          .then(() => Promise.allSettled([...inFlight]))
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
  // Schedules every enabled source and catches up what was missed while the app was closed.
  void scheduler
    .start()
    .then(postState, (error: unknown) =>
      process.stderr.write(`The schedules did not start: ${describeError(error).message}\n`),
    );
  return {
    scheduler,
    service,
    get paused() {
      return paused;
    },
    stopped,
    secrets,
  };
}

/** The agent's state for the tray: paused, syncing (passes in flight), failing (last pass failed). */
export async function agentState(
  service: Pick<AuditService, 'sources.list'>,
  scheduler: Pick<Scheduler, 'paused' | 'running'>,
): Promise<AgentState> {
  const sources = await service['sources.list']({});
  const names = new Set(sources.map((s) => s.name));
  return {
    paused: scheduler.paused,
    syncing: scheduler.running.filter((name) => names.has(name)),
    failing: sources
      .filter((s) => s.enabled && (s.status === 'failed' || s.status === 'interrupted'))
      .map((s) => ({ source: s.name, error: s.lastError })),
  };
}
