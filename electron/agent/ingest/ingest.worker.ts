// Reads and parses objects off the thread that answers queries, and hands batches straight to the writer
// thread. One worker per ingest run, served over the engine's RPC helper like the writer and query threads:
// its failures cross with their stable codes.
import { describeError } from '../errors.ts';
import { serveRpc } from '../rpc/server.ts';
import { ingestJob } from './ingestJob.ts';
import type { IngestMethods } from './ingestProtocol.ts';
import type { IngestProgress } from './ingestObjects.ts';
import { WriterClient } from '../store/writerClient.ts';

void serveRpc<IngestMethods>(
  () => ({
    handlers: {
      run: async ({ writer: port, ...job }, { signal, progress }) => {
        const writer = WriterClient.over(port);
        try {
          return await ingestJob(writer, job, (p: IngestProgress) => progress(p), signal);
        } finally {
          writer.release();
        }
      },
    },
    options: { describe: describeError },
  }),
  { describe: describeError },
);
