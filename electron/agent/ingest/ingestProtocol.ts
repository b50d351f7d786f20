import type { MessagePort } from 'node:worker_threads';
import type { ErrorCode } from '../../../shared/contract.ts';
import type { BatchLimits } from './batchBuilder.ts';
import type { FormatConfig } from './formatConfig.ts';
import type { IngestProgress, IngestSummary } from './ingestObjects.ts';

/** What an ingest worker reads. */
export type IngestTarget = { readonly kind: 'files'; readonly paths: readonly string[] };

/** An ingest worker's job (its workerData). */
export interface IngestJob {
  /** A port to the writer thread (from WriterClient.connect). */
  readonly writer: MessagePort;
  readonly sourceId: number;
  readonly target: IngestTarget;
  readonly formats: FormatConfig;
  readonly redact: boolean;
  /** The database's event id key (hex, from readEventIdKey): secret, never logged or sent elsewhere. */
  readonly idKey: string;
  readonly limits?: BatchLimits;
}

export type IngestMessage =
  | { type: 'progress'; progress: IngestProgress }
  | { type: 'done'; summary: IngestSummary }
  | { type: 'error'; error: { name: string; message: string; code: ErrorCode } };

/** Sent to an ingest worker: stop after the line in hand, commit what was read and report it. */
export const STOP_INGEST = 'stop';
