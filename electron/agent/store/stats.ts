import fs from 'node:fs';
import type { MethodOutput } from '../../../shared/contract.ts';
import { MIN_TIMED_KEY } from './eventKey.ts';
import { SCHEMA_VERSION } from './migrations/index.ts';
import type { Db } from './open.ts';
import { quarantineTotals } from './quarantine.ts';
import { retentionHorizon } from './retention.ts';

/** Events the database holds (the segments' row counts: one cheap query). */
export function eventTotal(db: Db): number {
  return db.prepare('SELECT coalesce(sum(n), 0) FROM segments').pluck().get() as number;
}

/** What the database holds (`stats`): counts, sizes, the time span and the schema version. */
export function databaseStats(db: Db, file: string): MethodOutput<'stats.get'> {
  const one = (sql: string, ...params: unknown[]) =>
    db
      .prepare(sql)
      .pluck()
      .get(...params) as number | null;
  const firstKey = one('SELECT min(pos) FROM events WHERE pos >= ?', MIN_TIMED_KEY);
  const lastKey = one('SELECT max(pos) FROM events WHERE pos >= ?', MIN_TIMED_KEY);
  const quarantine = quarantineTotals(db);
  let dbBytes = 0;
  for (const suffix of ['', '-wal']) {
    try {
      dbBytes += fs.statSync(file + suffix).size;
    } catch {
      // No WAL file right now.
    }
  }
  return {
    file,
    events: eventTotal(db),
    sources: one('SELECT count(*) FROM sources') ?? 0,
    objects: one('SELECT count(*) FROM objects') ?? 0,
    objectErrors: one("SELECT count(*) FROM objects WHERE status = 'error'") ?? 0,
    quarantined: quarantine.total,
    quarantineExcerpts: quarantine.withExcerpts,
    duplicates: one('SELECT coalesce(sum(duplicates), 0) FROM objects') ?? 0,
    rawBytes: one('SELECT coalesce(sum(size), 0) FROM objects') ?? 0,
    dbBytes,
    first: firstKey === null ? null : one('SELECT ts FROM events WHERE pos = ?', firstKey),
    last: lastKey === null ? null : one('SELECT ts FROM events WHERE pos = ?', lastKey),
    untimed: one('SELECT count(*) FROM events WHERE pos < ?', MIN_TIMED_KEY) ?? 0,
    schemaVersion: SCHEMA_VERSION,
    retentionHorizon: retentionHorizon(db),
  };
}
