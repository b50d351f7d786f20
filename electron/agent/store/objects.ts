import type { Db } from './open.ts';

export type SourceKind = 'import' | 'folder' | 's3' | 'azure' | 'gcs';

/** The source of one-off `ingest PATH` imports. */
export const IMPORT_SOURCE = 'import';
/** The source holding the bundled sample corpus. */
export const SAMPLE_SOURCE = 'sample';

/** Where an event came from: its object's key and its source's name. */
export interface ObjectName {
  key: string;
  source: string;
}

/**
 * Object ids to their key and source name, each looked up once: a search page or an export meets the
 * same few objects again and again. An id with no object (it cannot be, but a reader must not throw on
 * a row) reads as `?`.
 */
export class ObjectNames {
  private readonly names = new Map<number, ObjectName>();
  private readonly stmt;

  constructor(db: Db) {
    this.stmt = db.prepare(
      'SELECT o.key AS key, s.name AS source FROM objects o JOIN sources s ON s.id = o.source_id WHERE o.id = ?',
    );
  }

  get(id: number): ObjectName {
    let name = this.names.get(id);
    if (name === undefined) {
      name = (this.stmt.get(id) as ObjectName | undefined) ?? { key: '?', source: '?' };
      this.names.set(id, name);
    }
    return name;
  }
}

/** The id of the named source, or undefined when there is none. */
export function findSource(db: Db, name: string): number | undefined {
  return db.prepare('SELECT id FROM sources WHERE name = ?').pluck().get(name) as number | undefined;
}

/** The named source's kind and stored configuration (`{}` once unconfigured), if the name is taken. */
export function sourceByName(db: Db, name: string): { kind: string; config: string } | undefined {
  return db.prepare('SELECT kind, config FROM sources WHERE name = ?').get(name) as
    { kind: string; config: string } | undefined;
}

/** How many sources there are (configured ones and imports). */
export function countSources(db: Db): number {
  return db.prepare('SELECT count(*) FROM sources').pluck().get() as number;
}

/** The id of the named source, creating it with `kind` when it does not exist yet. */
export function ensureSource(db: Db, name: string, kind: SourceKind, now = Date.now()): number {
  const existing = db.prepare('SELECT id FROM sources WHERE name = ?').pluck().get(name) as
    number | undefined;
  if (existing !== undefined) return existing;
  return Number(
    db.prepare('INSERT INTO sources (name, kind, created_at) VALUES (?, ?, ?)').run(name, kind, now)
      .lastInsertRowid,
  );
}

export interface ObjectInfo {
  readonly key: string;
  readonly etag?: string | null;
  readonly size?: number | null;
  readonly modified?: number | null;
}

export interface ObjectState {
  readonly id: number;
  readonly etag: string | null;
  readonly size: number | null;
  readonly bytesRead: number;
  readonly lines: number;
  readonly status: 'reading' | 'done' | 'error';
}

/** The stored state of an object, or null when it was never seen. */
export function getObject(db: Db, sourceId: number, key: string): ObjectState | null {
  const row = db
    .prepare(
      `SELECT id, etag, size, bytes_read AS bytesRead, lines, status FROM objects WHERE source_id = ? AND key = ?`,
    )
    .get(sourceId, key) as ObjectState | undefined;
  return row ?? null;
}

const BEGIN_OBJECT = `
  INSERT INTO objects (source_id, key, etag, size, modified, compressed, status, first_seen, updated_at)
  VALUES (:sourceId, :key, :etag, :size, :modified, :compressed, 'reading', :now, :now)
  ON CONFLICT (source_id, key) DO UPDATE SET
    etag = excluded.etag, size = excluded.size, modified = excluded.modified,
    compressed = excluded.compressed, status = 'reading', error = NULL, updated_at = excluded.updated_at,
    bytes_read = CASE WHEN :restart THEN 0 ELSE bytes_read END,
    lines = CASE WHEN :restart THEN 0 ELSE lines END
  RETURNING id`;

/**
 * Marks an object as being read (creating its row) and returns its id. `restart` resets the read position,
 * for a full re-read (the object changed, or it is compressed and cannot resume); counts of events already
 * taken from it are kept, since those events stay.
 */
export function beginObject(
  db: Db,
  sourceId: number,
  info: ObjectInfo,
  options: { restart: boolean; compressed?: boolean },
  now = Date.now(),
): number {
  return db
    .prepare(BEGIN_OBJECT)
    .pluck()
    .get({
      sourceId,
      key: info.key,
      etag: info.etag ?? null,
      size: info.size ?? null,
      modified: info.modified ?? null,
      compressed: options.compressed ? 1 : 0,
      restart: options.restart ? 1 : 0,
      now,
    }) as number;
}

export interface ObjectDetails {
  readonly etag: string | null;
  readonly size: number | null;
  readonly modified: number | null;
  readonly bytesRead: number;
}

/** What is stored about an object, found by its source's name and its key (null when gone). */
export function objectDetails(db: Db, source: string, key: string): ObjectDetails | null {
  const row = db
    .prepare(
      `SELECT o.etag, o.size, o.modified, o.bytes_read AS bytesRead FROM objects o
       JOIN sources s ON s.id = o.source_id WHERE s.name = ? AND o.key = ?`,
    )
    .get(source, key) as ObjectDetails | undefined;
  return row ?? null;
}

/**
 * Marks objects of a run that a failed write interrupted (the disk filled up) as failed with `error`: those
 * still `reading`, and those whose first batch never committed (recorded now, so stats and the next run see
 * them). Their committed lines stay; a later run reads them again. Returns how many were marked.
 */
export function failObjects(db: Db, sourceId: number, keys: readonly string[], error: string): number {
  const mark = db.prepare(
    `INSERT INTO objects (source_id, key, status, error, first_seen, updated_at)
     VALUES (:sourceId, :key, 'error', :error, :now, :now)
     ON CONFLICT (source_id, key) DO UPDATE SET status = 'error', error = excluded.error,
       updated_at = excluded.updated_at
     WHERE status = 'reading'`,
  );
  const now = Date.now();
  return db.transaction(() =>
    keys.reduce((n, key) => n + mark.run({ sourceId, key, error, now }).changes, 0),
  )();
}
