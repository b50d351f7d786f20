import { MessageChannel, Worker, type MessagePort, type ResourceLimits } from 'node:worker_threads';
import { toErrorCode, type ErrorCode } from '../../../shared/contract.ts';
import {
  STOP_WAITING,
  type RpcCancel,
  type RpcErrorData,
  type RpcMethods,
  type RpcNotice,
  type RpcProgress,
  type RpcReply,
  type RpcRequest,
  type WithBuiltins,
} from './protocol.ts';

/**
 * An error raised on another thread, with its original class name and its stable code (checked: a code
 * this version does not know is `internal`).
 */
export class RpcError extends Error {
  readonly code: ErrorCode;
  readonly column?: number;
  constructor(data: Omit<RpcErrorData, 'code'> & { code?: unknown }) {
    super(data.message);
    this.name = data.name;
    this.code = toErrorCode(data.code);
    if (data.column !== undefined) this.column = data.column;
  }
}

/** Either end that reaches the thread: its Worker, or a port attached to it. */
type Channel = Worker | MessagePort;

/** Per-call options of {@link RpcClient.call}. */
export interface CallOptions {
  /** Aborting it asks the thread to wind the call up ({@link RpcCancel}); the call still replies. */
  readonly signal?: AbortSignal;
  /** Hears the call's progress reports ({@link RpcProgress}). */
  readonly onProgress?: (progress: unknown) => void;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  onProgress?: (progress: unknown) => void;
}

export interface StartOptions {
  /** What the thread is, for error messages ("the writer thread"). */
  readonly label: string;
  readonly resourceLimits?: ResourceLimits;
  /** Hears what the thread says while it starts (its {@link RpcNotice}s), e.g. that it waits for a lock. */
  readonly onNotice?: (notice: unknown) => void;
  /** Aborting it while the thread starts gives up the start ({@link STOP_WAITING}; the start rejects). */
  readonly signal?: AbortSignal;
}

/**
 * A typed handle on a thread that serves {@link serveRpc}: calls are queued in order, transferables (a
 * batch's typed arrays, ports) are moved, not copied. The thread that starts the worker holds one over the
 * Worker; other threads get one over a port from {@link RpcClient.connect}.
 */
export class RpcClient<M extends RpcMethods> {
  private readonly channel: Channel;
  private readonly worker: Worker | null;
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private failure: Error | null = null;

  private constructor(channel: Channel, worker: Worker | null) {
    this.channel = channel;
    this.worker = worker;
    channel.on('message', (reply: RpcReply | RpcProgress) => this.settle(reply));
  }

  /** Starts a worker script that calls {@link serveRpc} and waits until it is ready. */
  static async start<M extends RpcMethods>(
    url: URL,
    workerData: unknown,
    options: StartOptions,
  ): Promise<RpcClient<M>> {
    const worker = new Worker(url, {
      workerData,
      ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
    });
    const stopWaiting = () => worker.postMessage(STOP_WAITING);
    options.signal?.addEventListener('abort', stopWaiting);
    if (options.signal?.aborted) stopWaiting();
    await new Promise<void>((resolve, reject) => {
      const onMessage = (message: RpcReply | RpcNotice) => {
        if ('notice' in message) {
          options.onNotice?.(message.notice);
          return;
        }
        worker.off('message', onMessage);
        worker.off('error', reject);
        if (message.ok) resolve();
        else reject(new RpcError(message.error));
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    }).finally(() => options.signal?.removeEventListener('abort', stopWaiting));
    const client = new RpcClient<M>(worker, worker);
    worker.on('error', (error) => client.fail(error));
    worker.on('exit', (code) => {
      if (code !== 0)
        client.fail(new Error(`The ${options.label} stopped unexpectedly (exit code ${code}).`));
    });
    return client;
  }

  /** A client over a port that {@link connect} handed out (used on another thread). */
  static over<M extends RpcMethods>(port: MessagePort): RpcClient<M> {
    return new RpcClient<M>(port, null);
  }

  /** A port to the same thread for another thread; give it to {@link RpcClient.over} there. */
  async connect(): Promise<MessagePort> {
    const { port1, port2 } = new MessageChannel();
    await this.call('attach', { port: port2 }, [port2]);
    return port1;
  }

  call<K extends keyof WithBuiltins<M> & string>(
    method: K,
    args: WithBuiltins<M>[K][0],
    transfer: (ArrayBuffer | MessagePort)[] = [],
    options: CallOptions = {},
  ): Promise<WithBuiltins<M>[K][1]> {
    if (this.failure) return Promise.reject(this.failure);
    const seq = ++this.seq;
    const { signal, onProgress } = options;
    const cancel = () => this.channel.postMessage({ cancel: seq } satisfies RpcCancel);
    const result = new Promise<WithBuiltins<M>[K][1]>((resolve, reject) => {
      this.pending.set(seq, { resolve: resolve as (v: unknown) => void, reject, onProgress });
      this.channel.postMessage({ seq, method, args } satisfies RpcRequest, transfer);
    });
    if (signal === undefined) return result;
    // After the request: the thread then knows the call the cancel names.
    if (signal.aborted) cancel();
    else signal.addEventListener('abort', cancel, { once: true });
    return result.finally(() => signal.removeEventListener('abort', cancel));
  }

  /** Stops listening on a port-based client (the thread keeps running). */
  release(): void {
    if (this.worker === null) (this.channel as MessagePort).close();
  }

  /** Runs the thread's shutdown and waits until it has ended (owner only). */
  async close(): Promise<void> {
    if (this.failure || this.worker === null) return;
    const worker = this.worker;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    await this.call('close', undefined);
    await exited;
  }

  /**
   * Ends the thread at once, whatever it is doing (owner only): calls still waiting reject with `error`
   * once the thread is gone, and later calls reject with it too.
   */
  async terminate(error: Error): Promise<void> {
    if (this.worker === null) return;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    // Set first, so the exit this causes is not reported as the thread stopping unexpectedly.
    this.failure ??= error;
    await this.worker.terminate();
    for (const waiter of waiting) waiter.reject(error);
  }

  private settle(reply: RpcReply | RpcProgress): void {
    const waiter = this.pending.get(reply.seq);
    if (!waiter) return;
    if ('progress' in reply) {
      waiter.onProgress?.(reply.progress);
      return;
    }
    this.pending.delete(reply.seq);
    if (reply.ok) waiter.resolve(reply.value);
    else waiter.reject(new RpcError(reply.error));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}
