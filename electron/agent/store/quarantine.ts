import type { MethodOutput } from '../../../shared/contract.ts';
import type { Db } from './open.ts';

/**
 * Bad lines stored with their excerpt, per object; the rest of an object's bad lines are counted per kind
 * of reason (quarantine_counts). The first thousand show what is wrong with a file; a million rows of the
 * same mistake would only cost memory and disk.
 */
export const QUARANTINE_EXCERPTS_PER_OBJECT = 1000;

/**
 * A reason without its particulars ("not JSON: Unexpected token x at position 3" → "not JSON"), so the
 * lines past the stored ones are counted under a few kinds, not one per distinct message.
 */
export function reasonKind(reason: string): string {
  const cut = reason.search(/[:(]| at byte offset/);
  return (cut === -1 ? reason : reason.slice(0, cut)).trim() || reason;
}

function hasCounts(db: Db): boolean {
  // A read-only database of schema 10 (it could not be migrated) has no counts table.
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'quarantine_counts'").pluck().get() === 1;
}

/**
 * Bad lines: the total (stored and counted), the first `limit` stored ones, and the counted ones by reason.
 *
 * Every quarantined line belongs to an object, and every object to a configured source row (`objects
 * .source_id` is NOT NULL with a foreign key; one-off imports get a source row of kind `import`): the joins
 * below therefore list only lines of configured sources, which is what a door may show. Keep it so.
 */
export function listQuarantine(
  db: Db,
  limit: number,
  options: { source?: string; excerpts?: 'all' | 'auditObjects' } = {},
): MethodOutput<'quarantine.list'> {
  // `auditObjects`: an object that gave no event (new or duplicate) is not an audit log; its lines keep
  // their number and reason, not their text (see shared/doorInput.ts).
  const excerpt =
    options.excerpts === 'auditObjects'
      ? "CASE WHEN o.events + o.duplicates > 0 THEN q.excerpt ELSE '' END"
      : 'q.excerpt';
  const where = options.source === undefined ? '' : 'WHERE s.name = @source COLLATE NOCASE';
  const params = { limit, source: options.source ?? null };
  const entries = db
    .prepare(
      `SELECT s.name AS source, o.key AS object, q.line, q.reason, ${excerpt} AS excerpt, q.at
       FROM quarantine q JOIN objects o ON o.id = q.object_id JOIN sources s ON s.id = o.source_id
       ${where} ORDER BY s.name, o.key, q.line LIMIT @limit`,
    )
    .all(params) as MethodOutput<'quarantine.list'>['entries'];
  const withExcerpts =
    options.source === undefined
      ? (db.prepare('SELECT count(*) FROM quarantine').pluck().get() as number)
      : (db
          .prepare(
            `SELECT count(*) FROM quarantine q JOIN objects o ON o.id = q.object_id
             JOIN sources s ON s.id = o.source_id ${where}`,
          )
          .pluck()
          .get({ source: options.source }) as number);
  const counted = hasCounts(db)
    ? (db
        .prepare(
          `SELECT s.name AS source, o.key AS object, c.reason, c.lines, c.first_line AS firstLine
           FROM quarantine_counts c JOIN objects o ON o.id = c.object_id JOIN sources s ON s.id = o.source_id
           ${where} ORDER BY s.name, o.key, c.first_line`,
        )
        .all(
          options.source === undefined ? {} : { source: options.source },
        ) as MethodOutput<'quarantine.list'>['counted'])
    : [];
  const total = withExcerpts + counted.reduce((sum, c) => sum + c.lines, 0);
  return { total, withExcerpts, entries, counted };
}

/** Quarantined lines in all: those stored with excerpts and those counted. */
export function quarantineTotals(db: Db): { total: number; withExcerpts: number } {
  const withExcerpts = db.prepare('SELECT count(*) FROM quarantine').pluck().get() as number;
  const counted = hasCounts(db)
    ? (db.prepare('SELECT coalesce(sum(lines), 0) FROM quarantine_counts').pluck().get() as number)
    : 0;
  return { total: withExcerpts + counted, withExcerpts };
}
