// Acceptance 8: opening databases. New files are migrated to SCHEMA_VERSION and marked as ours; a newer
// schema and someone else's database are refused with clear errors; reopening changes nothing.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { NotOurDatabaseError, SchemaTooNewError } from '../../../electron/agent/store/errors.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../electron/agent/store/migrations/index.ts';
import { APPLICATION_ID, openDatabase, type Db } from '../../../electron/agent/store/open.ts';
import { createService } from '../../../electron/agent/service.ts';
import { ingest, makeTempDir, openEngine, prophecyLine, writeLines } from './support.ts';

let dir: string;

beforeEach(() => {
  dir = makeTempDir();
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Everything a reopen could change: schema, versions, settings and the rows of every table. */
function snapshot(db: Db) {
  const schema = db
    .prepare(
      "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .all();
  const counts: Record<string, number> = {};
  for (const { name } of db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'")
    .all() as { name: string }[]) {
    counts[name] = db.prepare(`SELECT count(*) FROM "${name}"`).pluck().get() as number;
  }
  return {
    userVersion: db.pragma('user_version', { simple: true }),
    applicationId: db.pragma('application_id', { simple: true }),
    schema,
    counts,
    settings: db.prepare('SELECT key, value FROM settings ORDER BY key').all(),
    sources: db.prepare('SELECT * FROM sources ORDER BY id').all(),
    objects: db.prepare('SELECT * FROM objects ORDER BY id').all(),
  };
}

describe('a new database', () => {
  test('a file that does not exist yet is created at the current schema version and marked as ours', () => {
    const file = path.join(dir, 'nested', 'new.sqlite');
    const db = openDatabase(file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
      expect(SCHEMA_VERSION).toBe(MIGRATIONS[MIGRATIONS.length - 1]!.version);
      const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all();
      expect(tables).toEqual(
        expect.arrayContaining([
          'settings',
          'sources',
          'objects',
          'quarantine',
          'dict',
          'events',
          'events_fts',
        ]),
      );
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });

  test('an existing empty file (0 bytes) is migrated like a new one', () => {
    const file = path.join(dir, 'empty.sqlite');
    fs.writeFileSync(file, '');
    const db = openDatabase(file);
    try {
      expect([
        db.pragma('user_version', { simple: true }),
        db.pragma('application_id', { simple: true }),
      ]).toEqual([SCHEMA_VERSION, APPLICATION_ID]);
    } finally {
      db.close();
    }
  });
});

describe('databases that are refused', () => {
  test('a database from a newer version is refused with SchemaTooNewError naming the file and both versions', () => {
    const file = path.join(dir, 'future.sqlite');
    openDatabase(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    raw.close();

    let error: unknown;
    try {
      openDatabase(file).close();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SchemaTooNewError);
    const e = error as SchemaTooNewError;
    expect([e.file, e.found, e.supported]).toEqual([file, SCHEMA_VERSION + 5, SCHEMA_VERSION]);
    expect(e.message).toContain(file);
    expect(e.message).toContain(String(SCHEMA_VERSION + 5));
    expect(e.message).toContain(String(SCHEMA_VERSION));
    // Refusing did not touch it.
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 5);
    check.close();
  });

  test('the service refuses a newer database the same way', async () => {
    const file = path.join(dir, 'future.sqlite');
    openDatabase(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    await expect(createService({ dbFile: file })).rejects.toBeInstanceOf(SchemaTooNewError);
  });

  test("a SQLite file with someone else's tables is refused with NotOurDatabaseError and left as it was", () => {
    const file = path.join(dir, 'crm.sqlite');
    const other = new Database(file);
    other.exec(
      "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('x');",
    );
    other.close();
    const before = fs.readFileSync(file);

    let error: unknown;
    try {
      openDatabase(file).close();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NotOurDatabaseError);
    expect((error as NotOurDatabaseError).file).toBe(file);
    expect((error as Error).message).toContain(file);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    const check = new Database(file, { readonly: true });
    expect([
      check.pragma('user_version', { simple: true }),
      check.prepare('SELECT name FROM sqlite_schema').pluck().all(),
    ]).toEqual([0, ['customers']]);
    check.close();
  });

  test('a file that is not SQLite at all is refused with NotOurDatabaseError', () => {
    const file = path.join(dir, 'notes.txt');
    fs.writeFileSync(file, 'These are my notes, not a database.\n'.repeat(200));
    const before = fs.readFileSync(file);
    expect(() => openDatabase(file)).toThrow(NotOurDatabaseError);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  test('a SQLite file with another application id is refused even without tables', () => {
    const file = path.join(dir, 'other-app.sqlite');
    const other = new Database(file);
    other.pragma('application_id = 1234');
    other.close();
    expect(() => openDatabase(file)).toThrow(NotOurDatabaseError);
  });
});

describe('reopening', () => {
  test('reopening an existing database with data changes nothing', async () => {
    const engine = await openEngine(dir);
    writeLines(path.join(dir, 'data', 'a.ndjson'), [
      prophecyLine({ ts: Date.UTC(2024, 0, 5), user: 'a@acme.example', action: 'getDetails' }),
      'not json',
    ]);
    await ingest(engine, [path.join(dir, 'data')]);
    await engine.close();

    const first = openDatabase(engine.dbFile);
    const before = snapshot(first);
    first.close();
    const second = openDatabase(engine.dbFile);
    const after = snapshot(second);
    second.close();
    expect(after).toEqual(before);
    expect(before.userVersion).toBe(SCHEMA_VERSION);
    expect([before.counts.events, before.counts.quarantine]).toEqual([1, 1]);
  });

  test('a reopened database answers the same search as before', async () => {
    const first = await openEngine(dir);
    writeLines(path.join(dir, 'data', 'a.ndjson'), [
      prophecyLine({ ts: Date.UTC(2024, 0, 5), user: 'a@acme.example', action: 'getDetails' }),
      prophecyLine({ ts: Date.UTC(2024, 0, 6), user: 'b@acme.example', action: 'addProject' }),
    ]);
    await ingest(first, [path.join(dir, 'data')]);
    const before = await first.service['events.search']({ query: '', limit: 10 });
    await first.close();
    const second = await openEngine(dir);
    const after = await second.service['events.search']({ query: '', limit: 10 });
    await second.close();
    expect({ ...after, timing: null }).toEqual({ ...before, timing: null });
    expect(after.total).toBe(2);
  });

  test('opening read-only never migrates or writes: a missing file is an error, not a new database', () => {
    const file = path.join(dir, 'missing.sqlite');
    expect(() => openDatabase(file, { readonly: true })).toThrow(NotOurDatabaseError);
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('0040-casework', () => {
  test('a version-10 database migrates to 40 across the gap, keeping its events, with the new tables', async () => {
    const file = path.join(dir, 'old.sqlite');
    // A database as the first release left it: only migration 10 applied.
    const raw = new Database(file);
    raw.transaction(() => {
      MIGRATIONS[0]!.up(raw);
      raw.pragma(`application_id = ${APPLICATION_ID}`);
      raw.pragma('user_version = 10');
    })();
    raw.prepare("INSERT INTO settings (key, value) VALUES ('kept', 'yes')").run();
    raw.close();
    const db = openDatabase(file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(40);
      expect(db.prepare("SELECT value FROM settings WHERE key = 'kept'").pluck().get()).toBe('yes');
      const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all();
      expect(tables).toEqual(
        expect.arrayContaining([
          'saved_searches',
          'query_history',
          'investigations',
          'investigation_searches',
          'pinned_events',
          'investigation_notes',
        ]),
      );
      // Retention asks "is this key held?" through this index.
      const plan = db.prepare('EXPLAIN QUERY PLAN SELECT 1 FROM pinned_events WHERE pos = ?').all(1) as {
        detail: string;
      }[];
      expect(plan.map((p) => p.detail).join(' ')).toContain('pinned_events_by_pos');
    } finally {
      db.close();
    }
  });
});
