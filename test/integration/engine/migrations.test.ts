// Acceptance 8: opening databases. New files are migrated to SCHEMA_VERSION and marked as ours; a newer
// schema and someone else's database are refused with clear errors; reopening changes nothing.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  DatabaseMissingError,
  NotOurDatabaseError,
  SchemaTooNewError,
} from '../../../electron/agent/store/errors.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../electron/agent/store/migrations/index.ts';
import { migration0030 } from '../../../electron/agent/store/migrations/0030-quarantine-counts.ts';
import { APPLICATION_ID, openDatabase, type Db } from '../../../electron/agent/store/open.ts';
import { createService } from '../../../electron/agent/service.ts';
import { BatchBuilder, type ObjectRef } from '../../../electron/agent/ingest/batchBuilder.ts';
import { resolveFormats } from '../../../electron/agent/ingest/formatConfig.ts';
import { prepareLine } from '../../../electron/agent/ingest/prepare.ts';
import { EventIdHasher } from '../../../electron/agent/store/eventId.ts';
import { ensureSource } from '../../../electron/agent/store/objects.ts';
import { SearchEngine } from '../../../electron/agent/store/search.ts';
import { BatchWriter } from '../../../electron/agent/store/writeBatch.ts';
import {
  dronahqLine,
  eventIdOf,
  FIXED_NOW,
  graviteeLine,
  ingest,
  makeTempDir,
  openEngine,
  plainDigestOf,
  prophecyLine,
  writeLines,
} from './support.ts';

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
    expect(() => openDatabase(file, { readonly: true })).toThrow(DatabaseMissingError);
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
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
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

describe('migration 0020: keyed event ids', () => {
  const T = Date.UTC(2024, 2, 10, 12, 0, 0, 0);
  /** Lines of every kind the step must carry over: redacted, embedded JSON, untimed, and a crowded ms. */
  const lines = [
    prophecyLine({
      ts: T,
      user: 'pw@acme.example',
      action: 'setPassword',
      op: 'Mutation',
      params: { userId: '"u-7"', newPassword: '"Summer2024!"' },
    }),
    JSON.stringify({
      id: 9,
      level: 'info',
      message: 'Connector updated',
      meta: JSON.stringify({
        'user-email': 'row@acme.example',
        'event-id': 'connectors_updated',
        note: 'rowword',
      }),
      timestamp: new Date(T + 5).toISOString(),
    }),
    dronahqLine({ ts: null, user: 'untimed@acme.example', eventId: 'app_created', target: 'untimedword' }),
    // More than a millisecond's 2048 slots: collisions and a spill into the next millisecond.
    ...Array.from({ length: 2100 }, (_, i) =>
      prophecyLine({
        ts: T + 1000,
        user: `burst${i % 50}@acme.example`,
        action: 'getDetails',
        payload: `"burst ${i}"`,
      }),
    ),
    graviteeLine({ ts: T + 2000, user: 'g@acme.example', type: 'USER_LOGIN', txn: 'tx-77' }),
  ];

  /** A database as version 10 wrote it: ids are the plain digests, keys follow them. */
  function legacyDatabase(file: string): void {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.transaction(() => {
      MIGRATIONS[0]!.up(db);
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma('user_version = 10');
    })();
    const { formats } = resolveFormats({});
    const sourceId = ensureSource(db, 'import', 'import', FIXED_NOW);
    const builder = new BatchBuilder({ maxEvents: 5000, maxBytes: 1 << 26 });
    const ref: ObjectRef = { sourceId, info: { key: '/legacy/a.ndjson' }, restart: true };
    const unused = new EventIdHasher('00'.repeat(32));
    [...lines, 'not json'].forEach((line, i) => {
      const prepared = prepareLine(line, { formats, redact: true, ids: unused });
      if (prepared.kind === 'bad') builder.addBad(ref, i + 1, prepared.reason, prepared.excerpt);
      else builder.add(ref, i + 1, { ...prepared, id: plainDigestOf(line).toString('latin1') });
    });
    builder.progress(ref, { lines: lines.length + 1, bytesRead: 1, status: 'done', error: null });
    // Today's writer also counts bad lines past the kept ones (a table of 0030): lent for the write only.
    migration0030.up(db);
    expect(new BatchWriter(db).write(builder.take().batch, FIXED_NOW).inserted).toBe(lines.length);
    db.exec('DROP TABLE quarantine_counts');
    db.close();
  }

  const view = (db: Db, query: string) =>
    new SearchEngine(db).search({
      query,
      limit: 10_000,
      facets: ['user', 'action'],
      facetLimit: 100,
      now: FIXED_NOW,
    });

  test('a version 10 database is re-keyed: every id is the keyed hash, every search answers as before', () => {
    const file = path.join(dir, 'legacy.sqlite');
    legacyDatabase(file);
    const queries = [
      '',
      'rowword',
      'untimedword',
      '"burst 2099"',
      'txn:tx-77',
      'user:burst7@acme.example',
      'Summer2024',
    ];
    const before = new Database(file);
    const answers = queries.map((q) => view(before, q));
    expect(view(before, '').events.map((e) => e.id)).toContain(plainDigestOf(lines[0]!).toString('hex'));
    before.close();

    const db = openDatabase(file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      const key = db.prepare("SELECT value FROM settings WHERE key = 'event_id_key'").pluck().get();
      expect(key).toMatch(/^[0-9a-f]{64}$/);
      const after = queries.map((q) => view(db, q));
      const strip = (r: ReturnType<typeof view>) => ({
        total: r.total,
        facets: r.facets,
        events: r.events.map((e) => ({ ...e, id: null })).sort((a, b) => a.raw!.localeCompare(b.raw!)),
      });
      expect(after.map(strip)).toEqual(answers.map(strip));
      expect(after.map((a) => a.total)).toEqual([lines.length, 1, 1, 1, 1, 42, 0]);
      // Every stored id, the redacted line's included, is what ingest now computes for its original line.
      const ids = new Set(after[0]!.events.map((e) => e.id));
      expect(lines.every((line) => ids.has(eventIdOf(db, line)))).toBe(true);
      expect(ids.has(plainDigestOf(lines[0]!).toString('hex'))).toBe(false);
      expect(db.prepare('SELECT count(*) FROM events_fts').pluck().get()).toBe(lines.length);
      expect(db.prepare('SELECT coalesce(sum(n), 0) FROM segments').pluck().get()).toBe(lines.length);
    } finally {
      db.close();
    }
  });

  test('after the step, the same lines ingested again are all duplicates', async () => {
    const file = path.join(dir, 'audit.sqlite');
    legacyDatabase(file);
    writeLines(path.join(dir, 'again', 'b.ndjson'), lines);
    const engine = await openEngine(dir);
    try {
      const summary = await ingest(engine, [path.join(dir, 'again')]);
      expect([summary.events, summary.duplicates]).toEqual([0, lines.length]);
      expect(await engine.service['events.count']({ query: '' })).toEqual({ total: lines.length });
    } finally {
      await engine.close();
    }
  });
});

describe('0030-quarantine-counts', () => {
  test('a schema-10 database (through 0020 to 0030) gains the counts table, keeps its quarantined lines and counts them', () => {
    const file = path.join(dir, 'v10.sqlite');
    const old = new Database(file);
    MIGRATIONS[0]!.up(old);
    old.pragma(`application_id = ${APPLICATION_ID}`);
    old.pragma('user_version = 10');
    old.exec(`
      INSERT INTO sources (id, name, kind, created_at) VALUES (1, 'import', 'import', 0);
      INSERT INTO objects (id, source_id, key, quarantined, first_seen, updated_at) VALUES (1, 1, 'a', 1, 0, 0);
      INSERT INTO quarantine (object_id, line, reason, excerpt, at) VALUES (1, 3, 'not JSON', 'x', 0);
    `);
    old.close();
    const db = openDatabase(file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.prepare('SELECT count(*) FROM quarantine_counts').pluck().get()).toBe(0);
      expect(db.prepare('SELECT count(*) FROM quarantine').pluck().get()).toBe(1);
    } finally {
      db.close();
    }
  });
});

describe('0050-sync', () => {
  test('a schema-30 database gains the run history and per-object backoff; its objects keep their state', () => {
    const file = path.join(dir, 'v30.sqlite');
    const old = new Database(file);
    for (const m of MIGRATIONS.filter((m) => m.version <= 30)) m.up(old);
    old.pragma(`application_id = ${APPLICATION_ID}`);
    old.pragma('user_version = 30');
    old.exec(`
      INSERT INTO sources (id, name, kind, created_at) VALUES (1, 'import', 'import', 0);
      INSERT INTO objects (id, source_id, key, status, lines, first_seen, updated_at) VALUES (1, 1, 'a', 'done', 7, 0, 0);
    `);
    old.close();
    const db = openDatabase(file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.prepare('SELECT lines, status, attempts, next_attempt FROM objects').get()).toEqual({
        lines: 7,
        status: 'done',
        attempts: 0,
        next_attempt: null,
      });
      expect(db.prepare('SELECT count(*) FROM sync_runs').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });
});
