import { parentPort, type MessagePort } from 'node:worker_threads';
import type { ErrorCode } from '../../../shared/contract.ts';
import {
  STOP_WAITING,
  type RpcCancel,
  type RpcErrorData,
  type RpcMethods,
  type RpcNotice,
  type RpcProgress,
  type RpcReply,
  type RpcRequest,
} from './protocol.ts';

/** What a handler gets besides its arguments, for a long call. */
export interface CallContext {
  /** Aborted when the caller asks the call to wind up ({@link RpcCancel}). */
  readonly signal: AbortSignal;
  /** Tells the caller how the call is going, before its reply ({@link RpcProgress}). */
  progress(value: unknown): void;
}

export type RpcHandlers<M extends RpcMethods> = {
  [K in keyof M]: (args: M[K][0], call: CallContext) => M[K][1] | Promise<M[K][1]>;
};

export interface ServeOptions {
  /**
   * Turns an error into the one that should cross (e.g. a SQLite storage error into the domain error that
   * says what to do); its name, and what {@link describe} makes of it, are what the caller sees.
   */
  readonly mapError?: (error: unknown) => unknown;
  /** Maps an error to its stable code (and a query column); anything it does not know is `internal`. */
  readonly describe?: (error: unknown) => { code: ErrorCode; message: string; column?: number };
  /** Shutdown work for the built-in `close` (checkpoint, close the database). */
  readonly onClose?: () => void;
}

/** What a thread's setup gets while it starts. */
export interface SetupContext {
  /** Tells the starting side something before "ready" (an {@link RpcNotice}; e.g. "waiting for a lock"). */
  notify(notice: unknown): void;
  /** Aborted when the starting side gives up the start ({@link STOP_WAITING}). */
  readonly signal: AbortSignal;
}

export interface Served<M extends RpcMethods> {
  handlers: RpcHandlers<M>;
  options?: ServeOptions;
}

/**
 * The worker side of the RPC: serves `handlers` on the parent port (and any port attached later), one
 * request at a time in arrival order, then says "ready". `setup` runs first (it may wait, telling the
 * starting side through `notify`, and give up when `signal` aborts); if it throws, the error is sent
 * instead of "ready" — described by `failure` when given — and {@link RpcClient.start} rejects with it.
 */
export async function serveRpc<M extends RpcMethods>(
  setup: (context: SetupContext) => Served<M> | Promise<Served<M>>,
  failure?: Pick<ServeOptions, 'mapError' | 'describe'>,
): Promise<void> {
  const main = parentPort!;
  let served: Served<M>;
  const stopping = new AbortController();
  const onControl = (message: unknown) => {
    if (message === STOP_WAITING) stopping.abort();
  };
  main.on('message', onControl);
  try {
    served = await setup({
      notify: (notice) => main.postMessage({ notice } satisfies RpcNotice),
      signal: stopping.signal,
    });
  } catch (error) {
    main.postMessage({ seq: 0, ok: false, error: toData(error, failure ?? {}) } satisfies RpcReply);
    main.close();
    return;
  } finally {
    main.off('message', onControl);
  }
  const { handlers, options = {} } = served;
  const attached: MessagePort[] = [];
  let closed = false;
  // One request at a time, even when a handler is async: a queue keeps the order the callers see.
  let queue: Promise<void> = Promise.resolve();

  const handle = async (request: RpcRequest, call: CallContext): Promise<unknown> => {
    if (closed) throw new Error('This thread was closed.');
    if (request.method === 'attach') {
      const port = (request.args as { port: MessagePort }).port;
      attached.push(port);
      listen(port);
      return undefined;
    }
    if (request.method === 'close') {
      closed = true;
      options.onClose?.();
      return undefined;
    }
    const handler = (handlers as Record<string, ((args: unknown, call: CallContext) => unknown) | undefined>)[
      request.method
    ];
    if (handler === undefined) throw new Error(`Unknown method ${request.method}.`);
    return handler(request.args, call);
  };

  const listen = (port: MessagePort | typeof main) => {
    // Calls of this port not yet replied to: a cancel may arrive while one waits in the queue.
    const open = new Map<number, AbortController>();
    port.on('message', (request: RpcRequest | RpcCancel | typeof STOP_WAITING) => {
      // A stop that arrived just after the setup finished: there is no wait left to stop.
      if (request === STOP_WAITING) return;
      if ('cancel' in request) {
        open.get(request.cancel)?.abort();
        return;
      }
      const cancel = new AbortController();
      open.set(request.seq, cancel);
      const call: CallContext = {
        signal: cancel.signal,
        progress: (progress) => port.postMessage({ seq: request.seq, progress } satisfies RpcProgress),
      };
      queue = queue.then(async () => {
        let reply: RpcReply;
        try {
          reply = { seq: request.seq, ok: true, value: await handle(request, call) };
        } catch (error) {
          reply = { seq: request.seq, ok: false, error: toData(error, options) };
        }
        open.delete(request.seq);
        port.postMessage(reply);
        if (request.method === 'close' && reply.ok) {
          for (const other of attached) other.close();
          main.close();
        }
      });
    });
  };

  listen(main);
  main.postMessage({ seq: 0, ok: true, value: 'ready' } satisfies RpcReply);
}

function toData(error: unknown, options: Pick<ServeOptions, 'mapError' | 'describe'>): RpcErrorData {
  const mapped = options.mapError ? options.mapError(error) : error;
  const e = mapped instanceof Error ? mapped : new Error(String(mapped));
  const info = options.describe
    ? options.describe(mapped)
    : { code: 'internal' as const, message: e.message };
  return {
    name: e.name,
    code: info.code,
    message: info.message,
    ...(info.column !== undefined ? { column: info.column } : {}),
  };
}
