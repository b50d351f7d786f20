import { EventIdHasher } from '../store/eventId.ts';
import { listFiles } from './files.ts';
import { resolveFormats } from './formatConfig.ts';
import { ingestObjects, type IngestProgress, type IngestSummary } from './ingestObjects.ts';
import type { IngestJob } from './ingestProtocol.ts';
import type { WriterClient } from '../store/writerClient.ts';

/** Runs one ingest job through `writer`, on whichever thread calls it. */
export async function ingestJob(
  writer: WriterClient,
  job: IngestJob,
  onProgress?: (progress: IngestProgress) => void,
  signal?: AbortSignal,
): Promise<IngestSummary> {
  const { formats, pinned } = resolveFormats(job.formats);
  const listing = listFiles(job.target.paths);
  const summary = await ingestObjects(writer, job.sourceId, listing.files, {
    prepare: { formats, pinned, redact: job.redact, ids: new EventIdHasher(job.idKey) },
    limits: job.limits,
    onProgress,
    signal,
  });
  // A path that could not be read is an error of the run like an object that failed; the rest was read.
  for (const failed of listing.failed) {
    summary.perObject.push({
      key: failed.path,
      lines: 0,
      events: 0,
      duplicates: 0,
      quarantined: 0,
      error: failed.message,
    });
    summary.errors++;
  }
  summary.skipped.push(...listing.skipped);
  return summary;
}
