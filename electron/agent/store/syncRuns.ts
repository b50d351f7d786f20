/**
 * The sync agent's tables: configured sources (the `sources` rows whose config is set), the run history
 * (`sync_runs`) and per-object sync state (`objects`, with its retry backoff). Plain functions taking the
 * database first; the writes run on the writer thread (writer.worker.ts), the reads on any connection.
 */
import type { Db } from './open.ts';

/** A configured source as stored: the config JSON holds secret references only, never values. */
export interface StoredSource {
  id: number;
  name: string;
  kind: 's3' | 'azure' | 'gcs' | 'folder';
  /** The source configuration (shared/sourceConfig.ts) with every secret replaced by `{secret: name}`. */
  config: string;
  createdAt: number;
}

/** The configured sources (import and sample sources, and removed ones, have an empty config). */
export function listStoredSources(db: Db): StoredSource[] {
  return db
    .prepare(
      `SELECT id, name, kind, config, created_at AS createdAt FROM sources
       WHERE kind IN ('s3', 'azure', 'gcs', 'folder') AND config <> '{}' ORDER BY name`,
    )
    .all() as StoredSource[];
}

export function getStoredSource(db: Db, name: string): StoredSource | null {
  return (
    (db
      .prepare(
        `SELECT id, name, kind, config, created_at AS createdAt FROM sources
         WHERE name = ? AND kind IN ('s3', 'azure', 'gcs', 'folder') AND config <> '{}'`,
      )
      .get(name) as StoredSource | undefined) ?? null
  );
}

/**
 * Creates or replaces a source's configuration; returns its id. A name already used by another kind of
 * source that still holds events (an import) is refused by the caller before this.
 */
export function saveSource(
  db: Db,
  source: {
    name: string;
    kind: StoredSource['kind'];
    config: string;
    format: string | null;
    redact: boolean;
  },
  now = Date.now(),
): number {
  return db
    .prepare(
      `INSERT INTO sources (name, kind, config, format, redact, created_at)
       VALUES (:name, :kind, :config, :format, :redact, :now)
       ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, config = excluded.config,
         format = excluded.format, redact = excluded.redact
       RETURNING id`,
    )
    .pluck()
    .get({ ...source, redact: source.redact ? 1 : 0, now }) as number;
}

/** Forgets a source's configuration but keeps its events and object state (`sources remove` without --delete-events). */
export function unconfigureSource(db: Db, sourceId: number): void {
  db.prepare(`UPDATE sources SET config = '{}' WHERE id = ?`).run(sourceId);
}

export type SyncTrigger = 'schedule' | 'manual' | 'catch-up';
export type SyncStatus = 'running' | 'ok' | 'partial' | 'failed' | 'stopped' | 'interrupted';

/** The counts of a pass, kept as it goes. */
export interface SyncCounts {
  listed: number;
  new: number;
  changed: number;
  skipped: number;
  failed: number;
  bytes: number;
  events: number;
  duplicates: number;
  quarantined: number;
}

/** The counts of a pass before it has done anything (and of one that failed before it could). */
export function noSyncCounts(): SyncCounts {
  return {
    listed: 0,
    new: 0,
    changed: 0,
    skipped: 0,
    failed: 0,
    bytes: 0,
    events: 0,
    duplicates: 0,
    quarantined: 0,
  };
}

export interface SyncError {
  /** The object's key, or null for an error of the whole pass (listing, credentials). */
  object: string | null;
  error: string;
}

/** Errors kept per run: a bucket of a thousand broken objects must not make a megabyte row. */
export const MAX_RUN_ERRORS = 100;

/** Starts a run; a run of the same source still `running` belongs to a process that died: it is closed as interrupted. */
export function beginSyncRun(db: Db, sourceId: number, trigger: SyncTrigger, now = Date.now()): number {
  return db.transaction(() => {
    db.prepare(
      `UPDATE sync_runs SET status = 'interrupted', finished_at = coalesce(finished_at, :now)
       WHERE source_id = :sourceId AND status = 'running'`,
    ).run({ sourceId, now });
    return Number(
      db
        .prepare('INSERT INTO sync_runs (source_id, trigger, started_at) VALUES (?, ?, ?)')
        .run(sourceId, trigger, now).lastInsertRowid,
    );
  })();
}

export function finishSyncRun(
  db: Db,
  runId: number,
  outcome: { status: Exclude<SyncStatus, 'running'>; counts: SyncCounts; errors: readonly SyncError[] },
  now = Date.now(),
): void {
  const c = outcome.counts;
  db.prepare(
    `UPDATE sync_runs SET status = :status, finished_at = :now, listed = :listed, new_objects = :new,
       changed = :changed, skipped = :skipped, failed = :failed, bytes = :bytes, events = :events,
       duplicates = :duplicates, quarantined = :quarantined, errors = :errors
     WHERE id = :runId`,
  ).run({
    ...c,
    status: outcome.status,
    now,
    runId,
    errors: JSON.stringify(outcome.errors.slice(0, MAX_RUN_ERRORS)),
  });
}

export interface SyncRunRow extends SyncCounts {
  id: number;
  source: string;
  trigger: SyncTrigger;
  startedAt: number;
  finishedAt: number | null;
  status: SyncStatus;
  errors: SyncError[];
}

/** The latest runs, newest first, of one source or all. */
export function listSyncRuns(db: Db, options: { source?: string; limit: number }): SyncRunRow[] {
  const rows = db
    .prepare(
      `SELECT r.id, s.name AS source, r.trigger, r.started_at AS startedAt, r.finished_at AS finishedAt,
              r.status, r.listed, r.new_objects AS new, r.changed, r.skipped, r.failed, r.bytes, r.events,
              r.duplicates, r.quarantined, r.errors
       FROM sync_runs AS r JOIN sources AS s ON s.id = r.source_id
       WHERE :source IS NULL OR s.name = :source
       ORDER BY r.id DESC LIMIT :limit`,
    )
    .all({ source: options.source ?? null, limit: options.limit }) as (Omit<SyncRunRow, 'errors'> & {
    errors: string;
  })[];
  return rows.map((r) => ({ ...r, errors: JSON.parse(r.errors) as SyncError[] }));
}

/** What the sync needs to know of an object it has seen before. */
export interface SyncObjectState {
  key: string;
  etag: string | null;
  size: number | null;
  compressed: boolean;
  bytesRead: number;
  lines: number;
  status: 'reading' | 'done' | 'error';
  attempts: number;
  nextAttempt: number | null;
}

/** Every object of a source by key (one query per pass, not one per object). */
export function objectStates(db: Db, sourceId: number): Map<string, SyncObjectState> {
  const rows = db
    .prepare(
      `SELECT key, etag, size, compressed, bytes_read AS bytesRead, lines, status, attempts,
              next_attempt AS nextAttempt
       FROM objects WHERE source_id = ?`,
    )
    .all(sourceId) as (Omit<SyncObjectState, 'compressed'> & { compressed: number })[];
  return new Map(rows.map((r) => [r.key, { ...r, compressed: r.compressed === 1 }]));
}

/**
 * After a pass: objects that failed get their next attempt pushed out (doubling from `baseMs`, at most
 * `maxMs`); objects read to the end forget their failures.
 */
export function recordAttempts(
  db: Db,
  sourceId: number,
  outcome: { failed: readonly string[]; succeeded: readonly string[]; baseMs: number; maxMs: number },
  now = Date.now(),
): void {
  const fail = db.prepare(
    `UPDATE objects SET attempts = attempts + 1,
       next_attempt = :now + min(:maxMs, :baseMs * (1 << min(attempts, 20)))
     WHERE source_id = :sourceId AND key = :key`,
  );
  const ok = db.prepare(
    `UPDATE objects SET attempts = 0, next_attempt = NULL
     WHERE source_id = ? AND key = ? AND (attempts <> 0 OR next_attempt IS NOT NULL)`,
  );
  db.transaction(() => {
    for (const key of outcome.failed)
      fail.run({ sourceId, key, now, baseMs: outcome.baseMs, maxMs: outcome.maxMs });
    for (const key of outcome.succeeded) ok.run(sourceId, key);
  })();
}

export interface ObjectRow {
  key: string;
  size: number | null;
  modified: number | null;
  bytesRead: number;
  lines: number;
  events: number;
  duplicates: number;
  quarantined: number;
  status: 'reading' | 'done' | 'error';
  error: string | null;
  attempts: number;
  nextAttempt: number | null;
  updatedAt: number;
}

/** A source's objects for display (errors first, then by key), at most `limit`. */
export function listObjects(db: Db, sourceId: number, limit: number): ObjectRow[] {
  return db
    .prepare(
      `SELECT key, size, modified, bytes_read AS bytesRead, lines, events, duplicates, quarantined, status,
              error, attempts, next_attempt AS nextAttempt, updated_at AS updatedAt
       FROM objects WHERE source_id = ? ORDER BY status = 'error' DESC, key LIMIT ?`,
    )
    .all(sourceId, limit) as ObjectRow[];
}

/** Totals per source for `sources list`: events brought, objects failing. */
export function sourceTotals(db: Db, sourceId: number): { events: number; objects: number; errors: number } {
  return db
    .prepare(
      `SELECT coalesce(sum(events), 0) AS events, count(*) AS objects,
              coalesce(sum(status = 'error'), 0) AS errors
       FROM objects WHERE source_id = ?`,
    )
    .get(sourceId) as { events: number; objects: number; errors: number };
}
