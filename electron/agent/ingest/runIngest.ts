import { Worker } from 'node:worker_threads';
import { toErrorCode, type ErrorCode } from '../../../shared/contract.ts';
import type { IngestProgress, IngestSummary } from './ingestObjects.ts';
import { STOP_INGEST, type IngestJob, type IngestMessage } from './ingestProtocol.ts';
import { workerUrl } from '../workerUrl.ts';
import { ingestJob } from './ingestJob.ts';
import type { WriterClient } from '../store/writerClient.ts';

/** An ingest run failed as a whole (the writer failed, the disk is full), as reported by its thread. */
export class IngestError extends Error {
  readonly code: ErrorCode;

  constructor(error: { name: string; message: string; code?: unknown }) {
    super(error.message);
    this.name = error.name;
    this.code = toErrorCode(error.code);
  }
}

/**
 * Runs one ingest and resolves with its summary. By default it parses on a worker thread, leaving the
 * calling thread free (it only receives progress): what a process that answers queries while it imports
 * needs. `onThisThread` parses on the calling thread instead, for a process that only waits for the import
 * (the CLI), saving a thread and its heap (~25 MB).
 */
export async function runIngest(
  writer: WriterClient,
  job: Omit<IngestJob, 'writer'>,
  onProgress?: (progress: IngestProgress) => void,
  options: { onThisThread?: boolean; signal?: AbortSignal } = {},
): Promise<IngestSummary> {
  if (options.onThisThread) return ingestJob(writer, job, onProgress, options.signal);
  const port = await writer.connect();
  const worker = new Worker(workerUrl('ingest.worker', import.meta.url), {
    workerData: { ...job, writer: port } satisfies IngestJob,
    transferList: [port],
    // A bounded young generation keeps the parser's garbage from growing the heap (measured: V8 lets it
    // reach 128 MB otherwise).
    resourceLimits: { maxYoungGenerationSizeMb: 8 },
  });
  const stop = () => worker.postMessage(STOP_INGEST);
  options.signal?.addEventListener('abort', stop);
  if (options.signal?.aborted) stop();
  return new Promise<IngestSummary>((resolve, reject) => {
    let settled = false;
    worker.on('message', (message: IngestMessage) => {
      if (message.type === 'progress') onProgress?.(message.progress);
      else if (message.type === 'done') {
        settled = true;
        resolve(message.summary);
      } else {
        settled = true;
        reject(new IngestError(message.error));
      }
    });
    worker.on('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.on('exit', (code) => {
      if (!settled)
        reject(
          new IngestError({
            name: 'IngestWorkerExit',
            message: `The ingest thread stopped unexpectedly (exit code ${code}).`,
          }),
        );
    });
  }).finally(() => options.signal?.removeEventListener('abort', stop));
}
