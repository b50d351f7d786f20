import type { Db } from './open.ts';
import { releaseBlocks } from './rawBlocks.ts';
import { loadSegment, rewriteSegment } from './segments.ts';

/** What deleting a source did. */
export interface SourceDeletion {
  /** Events deleted. */
  readonly events: number;
  /** Events of the source kept because an investigation pins them (legal hold), as retention keeps them. */
  readonly held: number;
}

/**
 * Deletes a source with everything it brought: its events (with their full-text entries and raw blocks),
 * objects, quarantined lines, run history and the rows of the column segments. One transaction; meant for
 * small sources (the sample corpus, a source the user removes) — it rewrites every segment holding the
 * source. The segments' object column finds the source's events without scanning the events table.
 *
 * Events pinned by an investigation are on legal hold and stay, with what they need to be found and shown:
 * the source row (unconfigured, so it no longer syncs) and the objects holding them. Those objects forget
 * what was read of them, so a source added again under the name reads them whole (the held lines then
 * count as duplicates, not twice).
 */
export function deleteSource(db: Db, sourceId: number): SourceDeletion {
  return db
    .transaction(() => {
      const objectIds = new Set(
        db.prepare('SELECT id FROM objects WHERE source_id = ?').pluck().all(sourceId) as number[],
      );
      const pinned = new Set(db.prepare('SELECT DISTINCT pos FROM pinned_events').pluck().all() as number[]);
      const deleteEvent = db.prepare('DELETE FROM events WHERE pos = ? RETURNING blk').pluck();
      const deleteText = db.prepare('DELETE FROM events_fts WHERE rowid = ?');
      const perBlock = new Map<number, number>();
      // Object → its events kept on legal hold.
      const keptPerObject = new Map<number, number>();
      let deleted = 0;
      let held = 0;
      for (const id of db.prepare('SELECT id FROM segments').pluck().all() as number[]) {
        const segment = loadSegment(db, id);
        const gone = new Set<number>();
        for (let i = 0; i < segment.n; i++) {
          const object = segment.cols.object[i]!;
          if (!objectIds.has(object)) continue;
          const pos = segment.pos[i]!;
          if (pinned.has(pos)) {
            keptPerObject.set(object, (keptPerObject.get(object) ?? 0) + 1);
            held++;
          } else gone.add(pos);
        }
        if (gone.size === 0) continue;
        for (const pos of gone) {
          const block = deleteEvent.get(pos) as number | undefined;
          deleteText.run(pos);
          if (block !== undefined) perBlock.set(block, (perBlock.get(block) ?? 0) + 1);
        }
        deleted += gone.size;
        rewriteSegment(db, segment, (pos) => !gone.has(pos));
      }
      releaseBlocks(db, perBlock);
      if (held === 0) {
        // Objects, quarantined lines and runs go with the source (ON DELETE CASCADE).
        db.prepare('DELETE FROM sources WHERE id = ?').run(sourceId);
        return { events: deleted, held };
      }
      const keep = db.prepare(
        `UPDATE objects SET etag = NULL, size = NULL, modified = NULL, bytes_read = 0, lines = 0,
           events = ?, duplicates = 0, quarantined = 0, status = 'done', error = NULL, attempts = 0,
           next_attempt = NULL
         WHERE id = ?`,
      );
      const dropQuarantine = db.prepare('DELETE FROM quarantine WHERE object_id = ?');
      const dropCounts = db.prepare('DELETE FROM quarantine_counts WHERE object_id = ?');
      const dropObject = db.prepare('DELETE FROM objects WHERE id = ?');
      for (const object of objectIds) {
        const kept = keptPerObject.get(object);
        if (kept === undefined) {
          dropObject.run(object);
          continue;
        }
        keep.run(kept, object);
        dropQuarantine.run(object);
        dropCounts.run(object);
      }
      db.prepare(`UPDATE sources SET config = '{}' WHERE id = ?`).run(sourceId);
      db.prepare('DELETE FROM sync_runs WHERE source_id = ?').run(sourceId);
      return { events: deleted, held };
    })
    .immediate();
}
