import { parentPort, type MessagePort } from 'node:worker_threads';
import type { ErrorCode } from '../../../shared/contract.ts';
import type { RpcErrorData, RpcMethods, RpcReply, RpcRequest } from './protocol.ts';

export type RpcHandlers<M extends RpcMethods> = {
  [K in keyof M]: (args: M[K][0]) => M[K][1] | Promise<M[K][1]>;
};

export interface ServeOptions {
  /** Maps an error to its stable code (and a query column); anything it does not know is `internal`. */
  readonly describe?: (error: unknown) => { code: ErrorCode; message: string; column?: number };
  /** Shutdown work for the built-in `close` (checkpoint, close the database). */
  readonly onClose?: () => void;
}

/**
 * The worker side of the RPC: serves `handlers` on the parent port (and any port attached later), one
 * request at a time in arrival order, then says "ready". `setup` runs first; if it throws, the error is
 * sent instead of "ready" and {@link RpcClient.start} rejects with it.
 */
export function serveRpc<M extends RpcMethods>(
  setup: () => { handlers: RpcHandlers<M>; options?: ServeOptions },
): void {
  const main = parentPort!;
  let served: { handlers: RpcHandlers<M>; options?: ServeOptions };
  try {
    served = setup();
  } catch (error) {
    main.postMessage({ seq: 0, ok: false, error: toData(error, undefined) } satisfies RpcReply);
    return;
  }
  const { handlers, options = {} } = served;
  const attached: MessagePort[] = [];
  let closed = false;
  // One request at a time, even when a handler is async: a queue keeps the order the callers see.
  let queue: Promise<void> = Promise.resolve();

  const handle = async (request: RpcRequest): Promise<unknown> => {
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
    const handler = (handlers as Record<string, ((args: unknown) => unknown) | undefined>)[request.method];
    if (handler === undefined) throw new Error(`Unknown method ${request.method}.`);
    return handler(request.args);
  };

  const listen = (port: MessagePort | typeof main) => {
    port.on('message', (request: RpcRequest) => {
      queue = queue.then(async () => {
        let reply: RpcReply;
        try {
          reply = { seq: request.seq, ok: true, value: await handle(request) };
        } catch (error) {
          reply = { seq: request.seq, ok: false, error: toData(error, options.describe) };
        }
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

function toData(error: unknown, describe: ServeOptions['describe']): RpcErrorData {
  const e = error instanceof Error ? error : new Error(String(error));
  const info = describe ? describe(error) : { code: 'internal' as const, message: e.message };
  return {
    name: e.name,
    code: info.code,
    message: info.message,
    ...(info.column !== undefined ? { column: info.column } : {}),
  };
}
