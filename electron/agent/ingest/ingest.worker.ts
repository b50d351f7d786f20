// Reads and parses objects off the thread that answers queries, and hands batches straight to the writer
// thread. One worker per ingest run.
import { parentPort, workerData } from 'node:worker_threads';
import { describeError } from '../errors.ts';
import { ingestJob } from './ingestJob.ts';
import type { IngestJob, IngestMessage } from './ingestProtocol.ts';
import { WriterClient } from './writerClient.ts';

const job = workerData as IngestJob;
const port = parentPort!;
const post = (message: IngestMessage) => port.postMessage(message);
const writer = WriterClient.over(job.writer);

try {
  const summary = await ingestJob(writer, job, (progress) => post({ type: 'progress', progress }));
  post({ type: 'done', summary });
} catch (error) {
  const e = error instanceof Error ? error : new Error(String(error));
  post({ type: 'error', error: { name: e.name, message: e.message, code: describeError(e).code } });
} finally {
  writer.release();
}
