import type { MethodOutput } from '../../../shared/contract.ts';
import type { Db } from './open.ts';

/**
 * Every quarantined line belongs to an object, and every object to a configured source row (`objects
 * .source_id` is NOT NULL with a foreign key; one-off imports get a source row of kind `import`): the join
 * below therefore lists only lines of configured sources, which is what a door may show. Keep it so.
 */
export function listQuarantine(db: Db, limit: number): MethodOutput<'quarantine.list'> {
  const entries = db
    .prepare(
      `SELECT s.name AS source, o.key AS object, q.line, q.reason, q.excerpt, q.at
       FROM quarantine q JOIN objects o ON o.id = q.object_id JOIN sources s ON s.id = o.source_id
       ORDER BY s.name, o.key, q.line LIMIT ?`,
    )
    .all(limit) as MethodOutput<'quarantine.list'>['entries'];
  const total = db.prepare('SELECT count(*) FROM quarantine').pluck().get() as number;
  return { total, entries };
}
