import type { MessagePort } from 'node:worker_threads';
import { RpcClient } from '../rpc/client.ts';
import { workerUrl } from '../workerUrl.ts';
import type { WriterData, WriterMethods } from './writerProtocol.ts';

/**
 * A handle on the writer thread: calls are queued in order, a batch's typed arrays are transferred, not
 * copied. The thread that starts the writer holds one over the Worker; other threads (an ingest worker)
 * get one over a port from `connect()`.
 */
export type WriterClient = RpcClient<WriterMethods>;

export const WriterClient = {
  /** Starts the writer thread on `file` (creating and migrating it) and waits until it is ready. */
  start(file: string): Promise<WriterClient> {
    return RpcClient.start<WriterMethods>(
      workerUrl('writer.worker', import.meta.url),
      { file } satisfies WriterData,
      { label: 'writer thread', resourceLimits: { maxYoungGenerationSizeMb: 8 } },
    );
  },
  /** A client over a port that `connect()` handed out (used on another thread). */
  over(port: MessagePort): WriterClient {
    return RpcClient.over<WriterMethods>(port);
  },
};
