import type { MessagePort } from 'node:worker_threads';
import type { InvestigationSummary, SavedSearch, SavedSearchInput } from '../store/casework.ts';
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
  savedAdd: [SavedSearchInput & { replace: boolean; now: number }, SavedSearch];
  savedRename: [{ name: string; newName: string; now: number }, SavedSearch];
  savedRemove: [{ name: string }, void];
  historyRecord: [{ query: string; total: number | null; at: number }, void];
  investigationCreate: [
    { name: string; description: string; searches: string[]; now: number },
    InvestigationSummary,
  ];
  investigationAddSearches: [{ name: string; searches: string[] }, InvestigationSummary];
  /** Pins events (by id) to a case: they are then on legal hold. Returns how many were new. */
  investigationPin: [{ name: string; ids: string[]; now: number }, number];
  investigationUnpin: [{ name: string; ids: string[] }, number];
  investigationNote: [{ name: string; body: string; eventId: string | null; now: number }, void];
  investigationClose: [{ name: string; now: number }, InvestigationSummary];
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
  | { seq: number; ok: false; error: { name: string; message: string } };

export interface WriterData {
  file: string;
}
