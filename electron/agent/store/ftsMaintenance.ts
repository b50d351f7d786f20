import type { Db } from './open.ts';

/** Leaf pages written per merge step: small enough that a step holds the write lock briefly. */
const PAGES_PER_STEP = 1000;

/**
 * Merges the full-text index's segments, step by step, until there is nothing left to merge or the time
 * budget is spent. The index is created with automerge off: merging while inserting rewrote every segment
 * several times over and cost ingest ~25% (measured). Each ingest batch adds one segment instead, and
 * this runs when a run is done (and from the agent when idle). Returns whether the index is fully merged.
 */
export function mergeFullText(db: Db, budgetMs: number): { merged: boolean; steps: number } {
  const merge = db.prepare("INSERT INTO events_fts (events_fts, rank) VALUES ('merge', ?)");
  const changes = db.prepare('SELECT total_changes()').pluck();
  const deadline = performance.now() + budgetMs;
  let steps = 0;
  while (performance.now() < deadline) {
    const before = changes.get() as number;
    merge.run(PAGES_PER_STEP);
    steps++;
    // FTS5 documents this test: fewer than 2 changes means the step found nothing to merge.
    if ((changes.get() as number) - before < 2) return { merged: true, steps };
  }
  return { merged: false, steps };
}
