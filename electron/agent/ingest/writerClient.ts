import { Worker } from 'node:worker_threads';
import type {
  WriterData,
  WriterMethod,
  WriterMethods,
  WriterReply,
  WriterRequest,
} from './writerProtocol.ts';

/** An error raised on the writer thread, with its original name. */
export class WriterError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/**
 * The main thread's handle on the writer thread. Calls are queued in order; a batch's typed arrays are
 * transferred, not copied.
 */
export class WriterClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private seq = 0;
  private failure: Error | null = null;

  private constructor(worker: Worker) {
    this.worker = worker;
  }

  /** Starts the writer thread on `file` (migrating it) and waits until it is ready. */
  static async start(file: string): Promise<WriterClient> {
    const worker = new Worker(new URL('./writer.worker.ts', import.meta.url), {
      workerData: { file } satisfies WriterData,
    });
    const client = new WriterClient(worker);
    await new Promise<void>((resolve, reject) => {
      const onFirst = (reply: WriterReply) => {
        worker.off('error', reject);
        if (reply.ok) resolve();
        else reject(new WriterError(reply.error.name, reply.error.message));
        worker.on('message', (r: WriterReply) => client.settle(r));
      };
      worker.once('message', onFirst);
      worker.once('error', reject);
    });
    worker.on('error', (error) => client.fail(error));
    worker.on('exit', (code) => {
      if (code !== 0) client.fail(new Error(`The writer thread stopped unexpectedly (exit code ${code}).`));
    });
    return client;
  }

  call<M extends WriterMethod>(
    method: M,
    args: WriterMethods[M][0],
    transfer: ArrayBuffer[] = [],
  ): Promise<WriterMethods[M][1]> {
    if (this.failure) return Promise.reject(this.failure);
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ seq, method, args } satisfies WriterRequest<M>, transfer);
    });
  }

  /** Closes the database on the writer thread and ends it. */
  async close(): Promise<void> {
    if (this.failure) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    await this.call('close', undefined);
    await exited;
  }

  private settle(reply: WriterReply): void {
    const waiter = this.pending.get(reply.seq);
    if (!waiter) return;
    this.pending.delete(reply.seq);
    if (reply.ok) waiter.resolve(reply.value);
    else waiter.reject(new WriterError(reply.error.name, reply.error.message));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}
