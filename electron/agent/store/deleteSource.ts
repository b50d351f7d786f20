import type { Db } from './open.ts';
import { encodeSegment, loadSegment, mergeSorted } from './segments.ts';

/**
 * Deletes a source with everything it brought: its events (with their full-text entries and raw blocks),
 * objects, quarantined lines and the rows of the column segments. One transaction; meant for small
 * sources (the sample corpus, a source the user removes) — it rewrites every segment holding the source.
 * Returns the number of events deleted. The segments' object column finds the source's events without
 * scanning the events table.
 */
export function deleteSource(db: Db, sourceId: number): number {
  return db
    .transaction(() => {
      const objectIds = new Set(
        db.prepare('SELECT id FROM objects WHERE source_id = ?').pluck().all(sourceId) as number[],
      );
      let deleted = 0;
      const deleteEvent = db.prepare('DELETE FROM events WHERE pos = ? RETURNING blk').pluck();
      const deleteText = db.prepare('DELETE FROM events_fts WHERE rowid = ?');
      const release = db.prepare('UPDATE raw_blocks SET live = live - 1 WHERE id = ? RETURNING live').pluck();
      const dropBlock = db.prepare('DELETE FROM raw_blocks WHERE id = ?');
      const insert = db.prepare(
        'INSERT INTO segments (level, n, min_pos, max_pos, data) VALUES (?, ?, ?, ?, ?)',
      );
      for (const id of db.prepare('SELECT id FROM segments').pluck().all() as number[]) {
        const segment = loadSegment(db, id);
        const objects = segment.cols.object;
        const doomed: number[] = [];
        for (let i = 0; i < segment.n; i++) if (objectIds.has(objects[i]!)) doomed.push(segment.pos[i]!);
        if (doomed.length === 0) continue;
        for (const pos of doomed) {
          const blk = deleteEvent.get(pos) as number | undefined;
          deleteText.run(pos);
          if (blk !== undefined && release.get(blk) === 0) dropBlock.run(blk);
        }
        deleted += doomed.length;
        const gone = new Set(doomed);
        const kept = mergeSorted([segment], (pos) => !gone.has(pos));
        db.prepare('DELETE FROM segments WHERE id = ?').run(id);
        if (kept.pos.length > 0) {
          insert.run(
            segment.level,
            kept.pos.length,
            kept.pos[0],
            kept.pos[kept.pos.length - 1],
            encodeSegment(kept.pos, kept.cols),
          );
        }
      }
      db.prepare('DELETE FROM sources WHERE id = ?').run(sourceId);
      return deleted;
    })
    .immediate();
}
