// Acceptance 11: crash safety at the store level. A batch is one transaction: when writing it fails part
// way, nothing of it is left (no events, no full-text rows, no segments, no raw blocks, no objects, no
// dictionary values); writing the same batch again stores everything exactly once.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { BatchBuilder, type ObjectRef } from '../../../electron/agent/ingest/batchBuilder.ts';
import { resolveFormats } from '../../../electron/agent/ingest/formatConfig.ts';
import { prepareLine } from '../../../electron/agent/ingest/prepare.ts';
import { EventIdHasher, readEventIdKey } from '../../../electron/agent/store/eventId.ts';
import { ensureSource } from '../../../electron/agent/store/objects.ts';
import { openDatabase, type Db } from '../../../electron/agent/store/open.ts';
import { SearchEngine } from '../../../electron/agent/store/search.ts';
import type { EventBatch } from '../../../electron/agent/store/writeBatch.ts';
import { BatchWriter } from '../../../electron/agent/store/writeBatch.ts';
import { eventIdOf, FIXED_NOW, graviteeLine, makeTempDir, prophecyLine } from './support.ts';

const T = Date.UTC(2024, 2, 10, 12, 0, 0, 0);
const OBJECT_KEY = '/exports/prophecy/audit/2024-03-10T12.ndjson';

/** Eight good lines (new dictionary values among them) and one bad one. */
const LINES = [
  ...Array.from({ length: 4 }, (_, i) =>
    prophecyLine({ ts: T + i, user: `crash${i}@acme.example`, action: 'getDetails', payload: 'crashword' }),
  ),
  'this line is not JSON',
  ...Array.from({ length: 4 }, (_, i) =>
    graviteeLine({ ts: T + 10 + i, user: `gcrash${i}@acme.example`, type: 'USER_LOGIN', txn: `ctx-${i}` }),
  ),
];
const GOOD = LINES.filter((l) => l.startsWith('{'));

let dir: string;
let db: Db;
let writer: BatchWriter;
let sourceId: number;

beforeEach(() => {
  dir = makeTempDir();
  db = openDatabase(path.join(dir, 'store.sqlite'));
  writer = new BatchWriter(db);
  sourceId = ensureSource(db, 'crash', 'import', FIXED_NOW);
});

afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The batch an ingest of LINES from one object would hand the writer. */
function buildBatch(): EventBatch {
  const { formats } = resolveFormats({});
  const builder = new BatchBuilder({ maxEvents: 1000, maxBytes: 1 << 24 });
  const ref: ObjectRef = { sourceId, info: { key: OBJECT_KEY, size: 4096, etag: 'e1' }, restart: true };
  LINES.forEach((line, i) => {
    const prepared = prepareLine(line, { formats, redact: true, ids: new EventIdHasher(readEventIdKey(db)) });
    if (prepared.kind === 'event') builder.add(ref, i + 1, prepared);
    else builder.addBad(ref, i + 1, prepared.reason, prepared.excerpt);
  });
  builder.progress(ref, { lines: LINES.length, bytesRead: 4096, status: 'done', error: null });
  return builder.take().batch;
}

/** Every row of every table (full-text shadow tables included), to compare before and after. */
function contents(): Record<string, string> {
  const tables = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'")
    .pluck()
    .all() as string[];
  const out: Record<string, string> = {};
  for (const table of tables) {
    const rows = db.prepare(`SELECT * FROM "${table}"`).raw().all();
    out[table] = JSON.stringify(rows, (_k, v: unknown) =>
      Buffer.isBuffer(v) ? `blob:${v.toString('base64')}` : typeof v === 'bigint' ? String(v) : v,
    );
  }
  return out;
}

/** What the store holds, as a search sees it. */
function stored() {
  const engine = new SearchEngine(db);
  const result = engine.search({ query: '', limit: 100, facets: ['user'], facetLimit: 100, now: FIXED_NOW });
  return {
    total: result.total,
    ids: result.events.map((e) => e.id).sort(),
    users: result.facets.user!.values.map((v) => `${v.value}=${v.count}`).sort(),
    word: engine.count('crashword', FIXED_NOW),
    txn: engine.count('txn:ctx-2', FIXED_NOW),
    quarantine: db.prepare('SELECT line, reason FROM quarantine').raw().all(),
    objects: db.prepare('SELECT key, lines, events, status FROM objects').raw().all(),
    rows: {
      events: db.prepare('SELECT count(*) FROM events').pluck().get(),
      segments: db.prepare('SELECT coalesce(sum(n), 0) FROM segments').pluck().get(),
      fts: db.prepare('SELECT count(*) FROM events_fts').pluck().get(),
    },
  };
}

/** What the store must hold once LINES are in (ids are keyed per database, so computed from `db`). */
const expected = () => ({
  total: 8,
  ids: GOOD.map((line) => eventIdOf(db, line)).sort(),
  users: [
    ...Array.from({ length: 4 }, (_, i) => `crash${i}@acme.example=1`),
    ...Array.from({ length: 4 }, (_, i) => `gcrash${i}@acme.example=1`),
  ].sort(),
  word: 4,
  txn: 1,
  quarantine: [[5, expect.stringMatching(/^not JSON/)]],
  objects: [[OBJECT_KEY, LINES.length, 8, 'done']],
  rows: { events: 8, segments: 8, fts: 8 },
});

function failingWrite(batch: EventBatch): unknown {
  try {
    writer.write(batch, FIXED_NOW);
  } catch (error) {
    return error;
  }
  return null;
}

describe('a batch that fails part way leaves nothing behind, and its retry stores it once', () => {
  test('failing at the last step (the column segment) rolls back events, full text, blocks and dictionary', () => {
    const before = contents();
    db.exec(
      "CREATE TEMP TRIGGER fail_segment BEFORE INSERT ON main.segments BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
    );
    const batch = buildBatch();
    expect(String(failingWrite(batch))).toContain('injected failure');
    expect(contents()).toEqual(before);

    db.exec('DROP TRIGGER temp.fail_segment');
    const result = writer.write(batch, FIXED_NOW);
    expect([result.inserted, result.duplicates, result.quarantined]).toEqual([8, 0, 1]);
    expect(stored()).toEqual(expected());
  });

  test('failing in the middle of the events rolls back the ones already inserted', () => {
    const before = contents();
    db.exec(
      `CREATE TEMP TRIGGER fail_fifth BEFORE INSERT ON main.events WHEN (SELECT count(*) FROM main.events) >= 5
       BEGIN SELECT RAISE(ABORT, 'injected failure'); END`,
    );
    const batch = buildBatch();
    expect(String(failingWrite(batch))).toContain('injected failure');
    expect(contents()).toEqual(before);

    db.exec('DROP TRIGGER temp.fail_fifth');
    writer.write(batch, FIXED_NOW);
    expect(stored()).toEqual(expected());
  });

  test('failing at the object checkpoint rolls back the whole batch', () => {
    const before = contents();
    db.exec(
      "CREATE TEMP TRIGGER fail_checkpoint BEFORE UPDATE OF lines ON main.objects BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
    );
    const batch = buildBatch();
    expect(String(failingWrite(batch))).toContain('injected failure');
    expect(contents()).toEqual(before);

    db.exec('DROP TRIGGER temp.fail_checkpoint');
    writer.write(batch, FIXED_NOW);
    expect(stored()).toEqual(expected());
  });

  test('a quarantine entry naming an object the batch does not carry is rejected with nothing stored', () => {
    const before = contents();
    const good = buildBatch();
    const bad: EventBatch = {
      ...good,
      quarantine: [...good.quarantine, { object: 7, line: 99, reason: 'x', excerpt: 'x' }],
    };
    expect(failingWrite(bad)).not.toBeNull();
    expect(contents()).toEqual(before);
    writer.write(good, FIXED_NOW);
    expect(stored()).toEqual(expected());
  });

  test('a checkpoint naming an object the batch does not carry is rejected with nothing stored', () => {
    const before = contents();
    const good = buildBatch();
    const bad: EventBatch = {
      ...good,
      checkpoints: [...good.checkpoints, { object: 7, lines: 1, bytesRead: 1 }],
    };
    expect(failingWrite(bad)).not.toBeNull();
    expect(contents()).toEqual(before);
  });
});

test('writing the same batch again stores nothing more: every event is a duplicate', () => {
  const batch = buildBatch();
  writer.write(batch, FIXED_NOW);
  const once = stored();
  const again = writer.write(batch, FIXED_NOW);
  expect([again.inserted, again.duplicates]).toEqual([0, 8]);
  expect({ ...stored(), objects: null }).toEqual({ ...once, objects: null });
  expect(once).toEqual(expected());
});

test('a writer that lost a write to a failure keeps assigning dictionary ids that resolve to the right names', () => {
  db.exec(
    "CREATE TEMP TRIGGER fail_segment BEFORE INSERT ON main.segments BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
  );
  expect(failingWrite(buildBatch())).not.toBeNull();
  db.exec('DROP TRIGGER temp.fail_segment');
  // A different batch first, so ids handed out in the lost write would now name other values.
  const { formats } = resolveFormats({});
  const builder = new BatchBuilder({ maxEvents: 10, maxBytes: 1 << 20 });
  const ref: ObjectRef = { sourceId, info: { key: '/exports/other.ndjson' }, restart: true };
  const other = prophecyLine({ ts: T - 5000, user: 'other@acme.example', action: 'addTeam' });
  const prepared = prepareLine(other, { formats, redact: true, ids: new EventIdHasher(readEventIdKey(db)) });
  if (prepared.kind !== 'event') throw new Error('fixture line must be an event');
  builder.add(ref, 1, prepared);
  builder.progress(ref, { lines: 1, bytesRead: other.length + 1, status: 'done', error: null });
  writer.write(builder.take().batch, FIXED_NOW);
  writer.write(buildBatch(), FIXED_NOW);

  const engine = new SearchEngine(db);
  const events = engine.search({ query: '', limit: 100, facets: false, now: FIXED_NOW }).events;
  const byId = new Map(events.map((e) => [e.id, [e.user, e.action]]));
  expect(byId.get(eventIdOf(db, other))).toEqual(['other@acme.example', 'addTeam']);
  expect(byId.get(eventIdOf(db, GOOD[0]!))).toEqual(['crash0@acme.example', 'getDetails']);
  expect(byId.get(eventIdOf(db, GOOD[7]!))).toEqual(['gcrash3@acme.example', 'USER_LOGIN']);
});
