import type { MessagePort } from 'node:worker_threads';
import type { BatchLimits } from './batchBuilder.ts';
import type { FormatConfig } from './formatConfig.ts';
import type { IngestSummary } from './ingestObjects.ts';

/** What an ingest worker reads. */
export type IngestTarget = { readonly kind: 'files'; readonly paths: readonly string[] };

/** One ingest job. */
export interface IngestJob {
  readonly sourceId: number;
  readonly target: IngestTarget;
  readonly formats: FormatConfig;
  readonly redact: boolean;
  /** The database's event id key (hex, from readEventIdKey): secret, never logged or sent elsewhere. */
  readonly idKey: string;
  readonly limits?: BatchLimits;
}

/**
 * The ingest worker's methods (over the engine's RPC helper, ../rpc/): `run` reads the job and hands its
 * batches straight to the writer thread over `writer` (a port from WriterClient.connect, transferred with
 * the call). It reports its progress (IngestProgress) as batches commit; cancelling the call stops the read after
 * the line in hand, and the call replies with what was committed (`stopped: true`).
 */
export type IngestMethods = {
  run: [IngestJob & { readonly writer: MessagePort }, IngestSummary];
};
