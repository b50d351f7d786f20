import type { SourceDeletion } from './deleteSource.ts';
import type { InvestigationSummary, SavedSearch, SavedSearchInput } from './casework.ts';
import type { SourceKind } from './objects.ts';
import type { WriterHolder } from './writerLock.ts';
import type { BatchResult, EventBatch } from './writeBatch.ts';
import type { StoredSource, SyncCounts, SyncError, SyncStatus, SyncTrigger } from './syncRuns.ts';

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
  /** Deletes a source and its events, except those on legal hold (see store/deleteSource.ts). */
  deleteSource: [{ sourceId: number }, SourceDeletion];
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
  investigationAddSearches: [{ name: string; searches: string[]; now: number }, InvestigationSummary];
  /** Unlinks saved searches from a case (the saved searches stay). */
  investigationRemoveSearches: [{ name: string; searches: string[]; now: number }, InvestigationSummary];
  investigationDescribe: [{ name: string; description: string; now: number }, InvestigationSummary];
  /** Pins events (by id) to a case: they are then on legal hold. Returns how many were new. */
  investigationPin: [{ name: string; ids: string[]; now: number }, number];
  investigationUnpin: [{ name: string; ids: string[]; now: number }, number];
  investigationNote: [{ name: string; body: string; eventId: string | null; now: number }, void];
  investigationClose: [{ name: string; now: number }, InvestigationSummary];
  investigationReopen: [{ name: string; now: number }, InvestigationSummary];
  /** Marks objects of a run that a failed write interrupted as failed, with the reason (best effort). */
  failObjects: [{ sourceId: number; keys: string[]; error: string }, number];
  /** Creates or replaces a configured source (config JSON with secret references only); returns its id. */
  saveSource: [
    { name: string; kind: StoredSource['kind']; config: string; format: string | null; redact: boolean },
    number,
  ];
  /** Forgets a source's configuration, keeping its events. */
  unconfigureSource: [{ sourceId: number }, void];
  syncRunBegin: [{ sourceId: number; trigger: SyncTrigger; now: number }, number];
  syncRunFinish: [
    {
      runId: number;
      status: Exclude<SyncStatus, 'running'>;
      counts: SyncCounts;
      errors: SyncError[];
      now: number;
    },
    void,
  ];
  /** Pushes out the next attempt of objects that failed; clears it for objects read to the end. */
  recordAttempts: [
    { sourceId: number; failed: string[]; succeeded: string[]; baseMs: number; maxMs: number; now: number },
    void,
  ];
  setSetting: [{ key: string; value: string }, void];
};

export type WriterMethod = keyof WriterMethods;

/**
 * The notice the writer thread sends while it starts (an RPC notice, before "ready"): another process
 * holds the database's writer lock and this writer waits for it.
 */
export interface WriterWaiting {
  waiting: WriterHolder | null;
}

export interface WriterData {
  file: string;
  /** What this process is doing, recorded in the lock for processes that wait. */
  command: string;
  /** How long to wait for another process's writer, in ms. */
  waitMs: number;
  /** PRAGMA max_page_count for the writer connection: a fault hook that makes the disk "full" in tests. */
  maxPageCount?: number;
}
