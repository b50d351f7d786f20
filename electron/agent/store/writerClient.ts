import type { MessagePort } from 'node:worker_threads';
import { RpcClient } from '../rpc/client.ts';
import type { WriterHolder } from './writerLock.ts';
import { workerUrl } from '../workerUrl.ts';
import type { WriterData, WriterMethods, WriterWaiting } from './writerProtocol.ts';

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

/**
 * A handle on the writer thread: calls are queued in order, a batch's typed arrays are transferred, not
 * copied. The thread that starts the writer holds one over the Worker; other threads (an ingest worker)
 * get one over a port from `connect()`. Its failures are RpcErrors carrying the code the writer gave them
 * (a storage fault's `disk_full`, `database_damaged`, ...; `writer_busy`, `stopped` while it waits).
 */
export type WriterClient = RpcClient<WriterMethods>;

export const WriterClient = {
  /**
   * Starts the writer thread on `file` and waits until it is ready: it first waits (up to `waitMs`) for
   * any other process writing the same database, then opens, creates or migrates it.
   */
  start(file: string, options: WriterStartOptions): Promise<WriterClient> {
    return RpcClient.start<WriterMethods>(
      workerUrl('writer.worker', import.meta.url),
      {
        file,
        command: options.command,
        waitMs: options.waitMs,
        ...(options.maxPageCount !== undefined ? { maxPageCount: options.maxPageCount } : {}),
      } satisfies WriterData,
      {
        label: 'writer thread',
        resourceLimits: { maxYoungGenerationSizeMb: 8 },
        onNotice: (notice) => options.onWait?.((notice as WriterWaiting).waiting),
        ...(options.signal ? { signal: options.signal } : {}),
      },
    );
  },
  /** A client over a port that `connect()` handed out (used on another thread). */
  over(port: MessagePort): WriterClient {
    return RpcClient.over<WriterMethods>(port);
  },
};
