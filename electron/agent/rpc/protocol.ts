import type { MessagePort } from 'node:worker_threads';
import type { ErrorCode } from '../../../shared/contract.ts';

/**
 * The one request/response protocol every thread boundary of the engine speaks (the writer thread, the
 * query worker, the ingest worker): numbered requests, replies that carry either a value or an error as
 * data with a stable code. Messages arrive in order on a channel, so a thread that handles them one at a
 * time serves them in the order they were sent. A long call may report progress before its reply
 * ({@link RpcProgress}) and be asked to wind up early ({@link RpcCancel}).
 */

/** A thread's methods: name → [arguments, result]. */
export type RpcMethods = Record<string, [unknown, unknown]>;

/** Methods every RPC thread has (served by the helper itself). */
export interface BuiltinMethods {
  /** Serve requests arriving on another port too (e.g. an ingest worker talking to the writer directly). */
  attach: [{ port: MessagePort }, void];
  /** Run the thread's shutdown, reply, and close every port so the thread ends. */
  close: [undefined, void];
}

export type WithBuiltins<M extends RpcMethods> = M & BuiltinMethods;

export interface RpcRequest {
  seq: number;
  method: string;
  args: unknown;
}

/** An error as it crosses a thread: its class name (for messages and logs), a stable code, a message. */
export interface RpcErrorData {
  name: string;
  code: ErrorCode;
  message: string;
  /** 1-based column in a query, for query errors. */
  column?: number;
}

/**
 * What a thread says while it starts, before its ready (or failed) reply with seq 0 — e.g. the writer
 * thread waiting for another process's writer lock. {@link StartOptions.onNotice} hears it.
 */
export interface RpcNotice {
  notice: unknown;
}

/**
 * Sent to a thread that is still starting: give up whatever its setup waits for (its `signal` aborts; the
 * start then fails with the error the setup throws). Ignored once the thread is ready.
 */
export const STOP_WAITING = 'stop-waiting';

/**
 * Caller → thread, outside the queue: the call `seq` should wind up (its handler's signal aborts). What
 * winding up means is the method's: an ingest commits what it read and replies with its summary.
 */
export interface RpcCancel {
  cancel: number;
}

/** Thread → caller, before the reply to call `seq`: how it is going (an ingest's counts so far). */
export interface RpcProgress {
  seq: number;
  progress: unknown;
}

/** Replies; seq 0 is the thread's "ready" (or the error that kept it from starting). */
export type RpcReply =
  { seq: number; ok: true; value: unknown } | { seq: number; ok: false; error: RpcErrorData };
