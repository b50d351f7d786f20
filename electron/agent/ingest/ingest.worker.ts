// Reads and parses objects off the thread that answers queries, and hands batches straight to the writer
// thread. One worker per ingest run.
import { parentPort, workerData } from 'node:worker_threads';
import { describeError } from '../errors.ts';
import { ingestJob } from './ingestJob.ts';
import { STOP_INGEST, type IngestJob, type IngestMessage } from './ingestProtocol.ts';
import { WriterClient } from '../store/writerClient.ts';

const job = workerData as IngestJob;
const port = parentPort!;
const post = (message: IngestMessage) => port.postMessage(message);
const writer = WriterClient.over(job.writer);
const stop = new AbortController();
port.on('message', (message: unknown) => {
  if (message === STOP_INGEST) stop.abort();
});

try {
  const summary = await ingestJob(
    writer,
    job,
    (progress) => post({ type: 'progress', progress }),
    stop.signal,
  );
  post({ type: 'done', summary });
} catch (error) {
  const e = error instanceof Error ? error : new Error(String(error));
  post({ type: 'error', error: { name: e.name, message: e.message, code: describeError(e).code } });
} finally {
  writer.release();
  port.close();
}
