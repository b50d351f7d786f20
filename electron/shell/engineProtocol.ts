/**
 * The messages between the Electron main process and the engine's utility process. The engine (database,
 * writer and query threads, later the scheduler) never runs on the main process, whose thread draws the
 * window and answers the OS: a long import or a merge of the full-text index cannot freeze the app.
 */
import type { MethodName, Result, ServiceEvent } from '../../shared/contract.ts';

export type ToEngine =
  /** `supersede`: see CallOptions in service.ts (a newer read with the same key cancels this one). */
  | { type: 'call'; id: number; method: MethodName; input: unknown; supersede?: string }
  /** Syncing paused or resumed from the tray: the scheduler's jobs stop ticking, or start again. */
  | { type: 'pause'; paused: boolean }
  /** The tray's "Sync now": every enabled source through the scheduler's run-now. */
  | { type: 'syncNow' }
  /** Finish what is in flight, close the database, then answer `stopped`. */
  | { type: 'stop' }
  /** The answer to a `secret` request. */
  | { type: 'secretResult'; id: number; ok: true; value: string | null }
  | { type: 'secretResult'; id: number; ok: false; message: string };

export type FromEngine =
  | { type: 'ready'; dbFile: string }
  /** The engine could not start (a database from a newer version, a locked file); the message says why. */
  | { type: 'failed'; message: string }
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'event'; event: ServiceEvent }
  | { type: 'stopped' }
  /** The agent's state changed (a run started or ended, paused or resumed): the tray shows it. */
  | { type: 'agent'; state: AgentState }
  /**
   * The engine asks for a stored credential: only the main process can use Electron's safeStorage, so the
   * secret store lives there and the engine reaches it through this request.
   */
  | { type: 'secret'; id: number; op: 'get' | 'set' | 'delete'; name: string; value?: string };

/** Either end of the channel, as plain callbacks (Electron's ports in the app, a pair of fakes in tests). */
export interface Port<In, Out> {
  post(message: Out): void;
  onMessage(listener: (message: In) => void): void;
}

/** What the tray shows of the agent: whether it is paused, what is syncing, which sources are failing. */
export interface AgentState {
  readonly paused: boolean;
  /** Sources with a pass in flight. */
  readonly syncing: readonly string[];
  /** Enabled sources whose last pass failed, with its first error. */
  readonly failing: readonly { source: string; error: string | null }[];
}
