import type { SourceKind } from '../store/objects.ts';
import type { BatchResult, EventBatch } from '../store/writeBatch.ts';

/**
 * The writer thread's methods: name → [arguments, result]. Spoken over the engine's one RPC helper
 * (../rpc/), which adds `attach` (an ingest worker talks to the writer directly) and `close`.
 */
export type WriterMethods = {
  ensureSource: [{ name: string; kind: SourceKind }, number];
  write: [EventBatch, BatchResult];
  /** Merge full-text segments for at most `budgetMs`; `merged` tells whether anything is left. */
  maintain: [{ budgetMs: number }, { merged: boolean; steps: number }];
  retentionBegin: [{ before: number }, number];
  deleteSource: [{ sourceId: number }, number];
  retentionChunk: [{ horizon: number }, { events: number; blocks: number }];
  retentionFinish: [{ horizon: number }, number];
};

export type WriterMethod = keyof WriterMethods;

export interface WriterData {
  file: string;
}
