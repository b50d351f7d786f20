import { EventIdHasher } from '../store/eventId.ts';
import { listFiles } from './files.ts';
import { resolveFormats } from './formatConfig.ts';
import { ingestObjects, type IngestProgress, type IngestSummary } from './ingestObjects.ts';
import type { IngestJob } from './ingestProtocol.ts';
import type { WriterClient } from './writerClient.ts';

/** Runs one ingest job through `writer`, on whichever thread calls it. */
export function ingestJob(
  writer: WriterClient,
  job: Omit<IngestJob, 'writer'>,
  onProgress?: (progress: IngestProgress) => void,
  signal?: AbortSignal,
): Promise<IngestSummary> {
  const { formats, pinned } = resolveFormats(job.formats);
  return ingestObjects(writer, job.sourceId, listFiles(job.target.paths), {
    prepare: { formats, pinned, redact: job.redact, ids: new EventIdHasher(job.idKey) },
    limits: job.limits,
    onProgress,
    signal,
  });
}
