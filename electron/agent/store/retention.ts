import { keyAtOrAfter, MIN_TIMED_KEY } from './eventKey.ts';
import type { Db } from './open.ts';
import { releaseBlocks } from './rawBlocks.ts';
import { loadSegment, rewriteSegment } from './segments.ts';
import { deleteSetting, getSetting, setSetting } from './settings.ts';

/**
 * Retention: deleting every event older than a cut-off.
 *
 * The cut-off is first recorded as a horizon that searches honour at once; events below it are then
 * deleted in bounded transactions (so ingest and the UI keep going between them), with their full-text
 * entries and raw blocks, and finally the column segments are rewritten without them and the horizon is
 * cleared. A crash in between leaves the horizon set, and the next run finishes the job: what a user sees
 * is consistent at every point. Events without a time are never deleted by age.
 */

/** Settings key of an unfinished retention run's horizon (an event key). */
export const HORIZON_KEY = 'retention.horizon';

/** Events deleted per transaction. */
const DELETE_CHUNK = 20_000;

export interface RetentionPreview {
  /** Events that go (held events excluded). */
  readonly events: number;
  readonly perSource: Record<string, number>;
  /** Events older than the cut-off kept because an investigation pins them (legal hold). */
  readonly held: number;
  /** Per source (by name): the events that go and the time span they cover, oldest and newest (epoch ms). */
  readonly sources: { name: string; events: number; from: number; to: number }[];
}

/**
 * What deleting events before `before` (epoch ms) would remove, by source, and how many it keeps because
 * an investigation pins them (legal hold).
 */
export function previewRetention(db: Db, before: number): RetentionPreview {
  const hi = keyAtOrAfter(before);
  const rows = db
    .prepare(
      `SELECT s.name AS source, count(*) AS n, min(events.ts) AS lo, max(events.ts) AS hi FROM events
       JOIN objects o ON o.id = events.object JOIN sources s ON s.id = o.source_id
       WHERE events.pos >= ? AND events.pos < ?
         AND NOT EXISTS (SELECT 1 FROM pinned_events h WHERE h.pos = events.pos)
       GROUP BY s.name`,
    )
    .all(MIN_TIMED_KEY, hi) as { source: string; n: number; lo: number; hi: number }[];
  // Pins whose event is still stored (the index on pinned_events.pos answers this without the events).
  const held = db
    .prepare(
      `SELECT count(DISTINCT h.pos) FROM pinned_events h JOIN events e ON e.pos = h.pos
       WHERE h.pos >= ? AND h.pos < ?`,
    )
    .pluck()
    .get(MIN_TIMED_KEY, hi) as number;
  const perSource: Record<string, number> = {};
  const sources: RetentionPreview['sources'] = [];
  let events = 0;
  for (const row of rows) {
    perSource[row.source] = row.n;
    sources.push({ name: row.source, events: row.n, from: row.lo, to: row.hi });
    events += row.n;
  }
  return { events, perSource, held, sources };
}

/** Records the horizon (searches stop seeing older events from here on). Returns the horizon key. */
export function beginRetention(db: Db, before: number): number {
  const current = getSetting(db, HORIZON_KEY);
  const horizon = Math.max(keyAtOrAfter(before), current === null ? -Infinity : Number(current));
  setSetting(db, HORIZON_KEY, String(horizon));
  return horizon;
}

/**
 * Deletes up to one chunk of events below the horizon, in one transaction. Returns how many went (0 when
 * none are left) and how many raw blocks were freed.
 */
export function deleteRetentionChunk(db: Db, horizon: number): { events: number; blocks: number } {
  return db
    .transaction(() => {
      const rows = db
        // Events pinned by an investigation are on legal hold: never deleted.
        .prepare(
          `SELECT pos, blk FROM events WHERE pos >= ? AND pos < ?
             AND NOT EXISTS (SELECT 1 FROM pinned_events h WHERE h.pos = events.pos)
           ORDER BY pos LIMIT ?`,
        )
        .raw()
        .all(MIN_TIMED_KEY, horizon, DELETE_CHUNK) as [number, number][];
      if (rows.length === 0) return { events: 0, blocks: 0 };
      const deleteEvent = db.prepare('DELETE FROM events WHERE pos = ?');
      const deleteText = db.prepare('DELETE FROM events_fts WHERE rowid = ?');
      const perBlock = new Map<number, number>();
      for (const [pos, blk] of rows) {
        deleteEvent.run(pos);
        deleteText.run(pos);
        perBlock.set(blk, (perBlock.get(blk) ?? 0) + 1);
      }
      const blocks = releaseBlocks(db, perBlock);
      return { events: rows.length, blocks };
    })
    .immediate();
}

/**
 * Rewrites the column segments without keys below the horizon (keeping held events), then clears the
 * horizon. Returns the number of segments rewritten or dropped.
 */
export function finishRetention(db: Db, horizon: number): number {
  return db
    .transaction(() => {
      const held = new Set(
        db.prepare('SELECT pos FROM pinned_events WHERE pos < ?').pluck().all(horizon) as number[],
      );
      const ids = db
        .prepare('SELECT id FROM segments WHERE min_pos < ? AND max_pos >= ?')
        .pluck()
        .all(horizon, MIN_TIMED_KEY) as number[];
      for (const id of ids) {
        rewriteSegment(
          db,
          loadSegment(db, id),
          (pos) => pos < MIN_TIMED_KEY || pos >= horizon || held.has(pos),
        );
      }
      deleteSetting(db, HORIZON_KEY);
      return ids.length;
    })
    .immediate();
}

/** The horizon of an unfinished retention run, if any (searches treat older timed events as gone). */
export function retentionHorizon(db: Db): number | null {
  const value = getSetting(db, HORIZON_KEY);
  return value === null ? null : Number(value);
}
