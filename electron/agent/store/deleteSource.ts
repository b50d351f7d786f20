import type { Db } from './open.ts';
import { releaseBlocks } from './rawBlocks.ts';
import { loadSegment, rewriteSegment } from './segments.ts';

/**
 * Deletes a source with everything it brought: its events (with their full-text entries and raw blocks),
 * objects, quarantined lines and the rows of the column segments. One transaction; meant for small
 * sources (the sample corpus, a source the user removes) — it rewrites every segment holding the source.
 * Returns the number of events deleted. The segments' object column finds the source's events without
 * scanning the events table.
 */
export function deleteSource(db: Db, sourceId: number, options: { keepPinned?: boolean } = {}): number {
  return db
    .transaction(() => {
      const objectIds = new Set(
        db.prepare('SELECT id FROM objects WHERE source_id = ?').pluck().all(sourceId) as number[],
      );
      // Events an investigation pins are evidence (a legal hold, as retention keeps them): a user removing
      // the source with its events keeps those, with the objects they cite.
      const pinned = new Set(
        options.keepPinned ? (db.prepare('SELECT pos FROM pinned_events').pluck().all() as number[]) : [],
      );
      let kept = 0;
      const deleteEvent = db.prepare('DELETE FROM events WHERE pos = ? RETURNING blk').pluck();
      const deleteText = db.prepare('DELETE FROM events_fts WHERE rowid = ?');
      const perBlock = new Map<number, number>();
      let deleted = 0;
      for (const id of db.prepare('SELECT id FROM segments').pluck().all() as number[]) {
        const segment = loadSegment(db, id);
        const gone = new Set<number>();
        for (let i = 0; i < segment.n; i++) {
          if (!objectIds.has(segment.cols.object[i]!)) continue;
          if (pinned.has(segment.pos[i]!)) kept++;
          else gone.add(segment.pos[i]!);
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
      if (kept > 0) {
        // The source row and its objects stay for the pinned events' provenance, unconfigured and with
        // their sync state reset (a source added again under this name reads every object afresh; the
        // pinned lines come back as duplicates). Its quarantined lines go.
        db.prepare(
          'DELETE FROM quarantine WHERE object_id IN (SELECT id FROM objects WHERE source_id = ?)',
        ).run(sourceId);
        db.prepare(
          'DELETE FROM quarantine_counts WHERE object_id IN (SELECT id FROM objects WHERE source_id = ?)',
        ).run(sourceId);
        db.prepare(
          `UPDATE objects SET etag = NULL, size = NULL, modified = NULL, bytes_read = 0, lines = 0,
             status = 'reading', error = NULL WHERE source_id = ?`,
        ).run(sourceId);
        db.prepare(`UPDATE sources SET config = '{}' WHERE id = ?`).run(sourceId);
        return deleted;
      }
      // Objects and quarantined lines go with the source (ON DELETE CASCADE).
      db.prepare('DELETE FROM sources WHERE id = ?').run(sourceId);
      return deleted;
    })
    .immediate();
}
