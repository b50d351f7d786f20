import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { toErrorCode, type ErrorCode } from '../../../shared/contract.ts';
import type { WriterHolder } from '../store/writerLock.ts';
import { workerUrl } from '../workerUrl.ts';
import {
  STOP_WAITING,
  type WriterData,
  type WriterMethod,
  type WriterMethods,
  type WriterReply,
  type WriterRequest,
  type WriterWaiting,
} from './writerProtocol.ts';

/** An error raised on the writer thread, with its original name and the stable code it was given there. */
export class WriterError extends Error {
  readonly code: ErrorCode;

  constructor(error: { name: string; message: string; code?: unknown }) {
    super(error.message);
    this.name = error.name;
    this.code = toErrorCode(error.code);
  }
}

export interface WriterStartOptions {
  /** What this process is doing (`ingest`, `agent`, ...), shown to processes that wait for this writer. */
  readonly command: string;
  /** How long to wait while another process writes the database, in ms. */
  readonly waitMs: number;
  /** Called when another process holds the writer lock and this writer starts to wait for it. */
  readonly onWait?: (holder: WriterHolder | null) => void;
  /** Aborting it while the writer waits for the lock gives up the wait (the start rejects). */
  readonly signal?: AbortSignal;
  /** PRAGMA max_page_count for the writer connection: a fault hook that makes the disk "full" in tests. */
  readonly maxPageCount?: number;
}

/** Either end that reaches the writer: its Worker, or a port attached to it. */
type Channel = Worker | MessagePort;

/**
 * A handle on the writer thread: calls are queued in order, a batch's typed arrays are transferred, not
 * copied. The thread that starts the writer holds one over the Worker; other threads (an ingest worker)
 * get one over a port from {@link WriterClient.connect}.
 */
export class WriterClient {
  private readonly channel: Channel;
  private readonly worker: Worker | null;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private seq = 0;
  private failure: Error | null = null;

  private constructor(channel: Channel, worker: Worker | null) {
    this.channel = channel;
    this.worker = worker;
    channel.on('message', (reply: WriterReply) => this.settle(reply));
  }

  /**
   * Starts the writer thread on `file` and waits until it is ready: it first waits (up to `waitMs`) for
   * any other process writing the same database, then opens, creates or migrates it.
   */
  static async start(file: string, options: WriterStartOptions): Promise<WriterClient> {
    const worker = new Worker(workerUrl('writer.worker', import.meta.url), {
      workerData: {
        file,
        command: options.command,
        waitMs: options.waitMs,
        maxPageCount: options.maxPageCount,
      } satisfies WriterData,
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    });
    const stopWaiting = () => worker.postMessage(STOP_WAITING);
    options.signal?.addEventListener('abort', stopWaiting);
    if (options.signal?.aborted) stopWaiting();
    await new Promise<void>((resolve, reject) => {
      const onMessage = (message: WriterReply | WriterWaiting) => {
        if ('waiting' in message) {
          options.onWait?.(message.waiting);
          return;
        }
        worker.off('message', onMessage);
        worker.off('error', reject);
        if (message.ok) resolve();
        else reject(new WriterError(message.error));
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    }).finally(() => options.signal?.removeEventListener('abort', stopWaiting));
    const client = new WriterClient(worker, worker);
    worker.on('error', (error) => client.fail(error));
    worker.on('exit', (code) => {
      if (code !== 0) client.fail(new Error(`The writer thread stopped unexpectedly (exit code ${code}).`));
    });
    return client;
  }

  /** A client over a port that {@link connect} handed out (used on another thread). */
  static over(port: MessagePort): WriterClient {
    return new WriterClient(port, null);
  }

  /** A port to the writer for another thread; give it to {@link WriterClient.over} there. */
  async connect(): Promise<MessagePort> {
    const { port1, port2 } = new MessageChannel();
    await this.call('attach', { port: port2 }, [port2]);
    return port1;
  }

  call<M extends WriterMethod>(
    method: M,
    args: WriterMethods[M][0],
    transfer: (ArrayBuffer | MessagePort)[] = [],
  ): Promise<WriterMethods[M][1]> {
    if (this.failure) return Promise.reject(this.failure);
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve: resolve as (v: unknown) => void, reject });
      this.channel.postMessage({ seq, method, args } satisfies WriterRequest<M>, transfer);
    });
  }

  /** Stops listening on a port-based client (the writer keeps running). */
  release(): void {
    if (this.worker === null) (this.channel as MessagePort).close();
  }

  /** Checkpoints and closes the database on the writer thread and ends it (owner only). */
  async close(): Promise<void> {
    if (this.failure || this.worker === null) return;
    const worker = this.worker;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    await this.call('close', undefined);
    await exited;
  }

  private settle(reply: WriterReply): void {
    const waiter = this.pending.get(reply.seq);
    if (!waiter) return;
    this.pending.delete(reply.seq);
    if (reply.ok) waiter.resolve(reply.value);
    else waiter.reject(new WriterError(reply.error));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}
