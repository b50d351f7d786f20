import { RpcClient } from '../rpc/client.ts';
import { workerUrl } from '../workerUrl.ts';
import type { IngestProgress, IngestSummary } from './ingestObjects.ts';
import type { IngestJob, IngestMethods } from './ingestProtocol.ts';
import { ingestJob } from './ingestJob.ts';
import type { WriterClient } from '../store/writerClient.ts';

/**
 * Runs one ingest and resolves with its summary. By default it parses on a worker thread, leaving the
 * calling thread free (it only receives progress): what a process that answers queries while it imports
 * needs. `onThisThread` parses on the calling thread instead, for a process that only waits for the import
 * (the CLI), saving a thread and its heap (~25 MB). A run that fails as a whole (the writer failed, the disk
 * is full) rejects with the RpcError its thread described, carrying its stable code.
 */
export async function runIngest(
  writer: WriterClient,
  job: IngestJob,
  onProgress?: (progress: IngestProgress) => void,
  options: { onThisThread?: boolean; signal?: AbortSignal } = {},
): Promise<IngestSummary> {
  if (options.onThisThread) return ingestJob(writer, job, onProgress, options.signal);
  const worker = await RpcClient.start<IngestMethods>(
    workerUrl('ingest.worker', import.meta.url),
    undefined,
    {
      label: 'ingest thread',
      // A bounded young generation keeps the parser's garbage from growing the heap (measured: V8 lets it
      // reach 128 MB otherwise).
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    },
  );
  try {
    const port = await writer.connect();
    return await worker.call('run', { ...job, writer: port }, [port], {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(onProgress ? { onProgress: (progress) => onProgress(progress as IngestProgress) } : {}),
    });
  } finally {
    await worker.close();
  }
}
