import type { MessagePort } from 'node:worker_threads';
import type { ErrorCode } from '../../../shared/contract.ts';
import type { SourceKind } from '../store/objects.ts';
import type { BatchResult, EventBatch } from '../store/writeBatch.ts';

/** The writer thread's methods: name → [arguments, result]. */
export interface WriterMethods {
  ensureSource: [{ name: string; kind: SourceKind }, number];
  write: [EventBatch, BatchResult];
  /** Merge full-text segments for at most `budgetMs`; `merged` tells whether anything is left. */
  maintain: [{ budgetMs: number }, { merged: boolean; steps: number }];
  retentionBegin: [{ before: number }, number];
  deleteSource: [{ sourceId: number }, number];
  retentionChunk: [{ horizon: number }, { events: number; blocks: number }];
  retentionFinish: [{ horizon: number }, number];
  /** Marks objects of a run that a failed write interrupted as failed, with the reason (best effort). */
  failObjects: [{ sourceId: number; keys: string[]; error: string }, number];
  /** Serve requests arriving on another port too (an ingest worker talks to the writer directly). */
  attach: [{ port: MessagePort }, void];
  close: [undefined, void];
}

export type WriterMethod = keyof WriterMethods;

export interface WriterRequest<M extends WriterMethod = WriterMethod> {
  seq: number;
  method: M;
  args: WriterMethods[M][0];
}

export type WriterReply =
  | { seq: number; ok: true; value: unknown }
  | { seq: number; ok: false; error: { name: string; message: string; code: ErrorCode } };

export interface WriterData {
  file: string;
  /** PRAGMA max_page_count for the writer connection: a fault hook that makes the disk "full" in tests. */
  maxPageCount?: number;
}
