// The read methods the UI adds to search: one event with its raw line, its neighbours in time, the
// distinct values of a field — on the calling thread and on the query worker alike — and cancellation.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, expectTypeOf, test } from 'vitest';
import type { AuditClient } from '../../../shared/contract.ts';
import Database from 'better-sqlite3';
import { createService, type AuditService } from '../../../electron/agent/service.ts';
import { openDatabase } from '../../../electron/agent/store/open.ts';
import { CancelledError, SearchEngine } from '../../../electron/agent/store/search.ts';
import { describeError } from '../../../electron/agent/errors.ts';
import {
  buildTemplate,
  eventIdOf,
  FIXED_NOW,
  makeTempDir,
  prophecyLine,
  writeLines,
  type Template,
} from './support.ts';

const BASE = Date.UTC(2024, 2, 1);
const MINUTE = 60_000;
const USERS = ['alice@acme.example', 'bob@acme.example', 'alina@acme.example'];
/** 30 events a minute apart; user by i % 3; every fifth a failure. */
const LINES = Array.from({ length: 30 }, (_, i) =>
  prophecyLine({
    ts: BASE + i * MINUTE,
    user: USERS[i % 3]!,
    action: i % 2 === 0 ? 'addProject' : 'getUser',
    code: i % 5 === 0 ? 500 : 200,
    params: { newPassword: `secret-${i}` },
  }),
);

let template: Template;
beforeAll(async () => {
  template = await buildTemplate(async (engine) => {
    await engine.service['ingest.paths']({ paths: [writeLines(path.join(engine.dir, 'a.ndjson'), LINES)] });
  });
});
afterAll(() => fs.rmSync(template.dir, { recursive: true, force: true }));

describe.each([
  { mode: 'on the calling thread', queryWorker: false },
  { mode: 'on the query worker', queryWorker: true },
])('$mode', ({ queryWorker }) => {
  let dir: string;
  let service: AuditService;
  beforeEach(async () => {
    dir = makeTempDir();
    const dbFile = path.join(dir, 'audit.sqlite');
    for (const suffix of ['', '-wal'])
      if (fs.existsSync(template.dbFile + suffix)) fs.copyFileSync(template.dbFile + suffix, dbFile + suffix);
    service = await createService({ dbFile, now: () => FIXED_NOW, queryWorker });
  });
  afterEach(async () => {
    await service.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('events.get returns the event with its redacted raw line', async () => {
    const id = eventIdOf(template.dbFile, LINES[7]!);
    const { event } = await service['events.get']({ id, ts: BASE + 7 * MINUTE });
    expect(event).toMatchObject({ id, ts: BASE + 7 * MINUTE, user: USERS[1] });
    expect(event!.raw).toContain('[REDACTED]');
    expect(event!.raw).not.toContain('secret-7');
  });

  test('events.get of an id not stored (or not at that time) is null; a malformed id is bad input', async () => {
    expect(await service['events.get']({ id: 'f'.repeat(32), ts: BASE })).toEqual({ event: null });
    expect(await service['events.get']({ id: eventIdOf(template.dbFile, LINES[7]!), ts: BASE })).toEqual({
      event: null,
    });
    expect(await service['events.get']({ id: eventIdOf(template.dbFile, LINES[7]!), ts: null })).toEqual({
      event: null,
    });
    await expect(service['events.get']({ id: 'xyz', ts: BASE })).rejects.toSatisfy(
      (e) => describeError(e).code === 'bad_input',
    );
  });

  test('events.surrounding gives the newer and older neighbours, newest first, around the event', async () => {
    const id = eventIdOf(template.dbFile, LINES[10]!);
    const { events, anchorIndex } = await service['events.surrounding']({
      id,
      ts: BASE + 10 * MINUTE,
      before: 3,
      after: 2,
    });
    expect(anchorIndex).toBe(2);
    expect(events.map((e) => e.ts)).toEqual([12, 11, 10, 9, 8, 7].map((i) => BASE + i * MINUTE));
    expect(events.every((e) => e.raw === undefined)).toBe(true);
  });

  test('events.surrounding filters the neighbours by the query, and stops at the ends of the data', async () => {
    const id = eventIdOf(template.dbFile, LINES[27]!);
    const { events, anchorIndex } = await service['events.surrounding']({
      id,
      ts: BASE + 27 * MINUTE,
      before: 2,
      after: 5,
      query: `user:${USERS[0]}`,
    });
    // Alice has i = 0, 3, ..., 27: nothing newer than 27, and 24, 21 before it.
    expect(anchorIndex).toBe(0);
    expect(events.map((e) => e.ts)).toEqual([27, 24, 21].map((i) => BASE + i * MINUTE));
  });

  test('values.list gives distinct values over the whole database with counts, by prefix ignoring case', async () => {
    expect(await service['values.list']({ field: 'user', prefix: 'AL' })).toEqual({
      values: [
        { value: 'alice@acme.example', count: 10 },
        { value: 'alina@acme.example', count: 10 },
      ],
      distinct: 2,
    });
    expect(await service['values.list']({ field: 'outcome', limit: 1 })).toEqual({
      values: [{ value: 'success', count: 24 }],
      distinct: 2,
    });
    expect((await service['values.list']({ field: 'source' })).values).toEqual([
      { value: 'import', count: 30 },
    ]);
  });

  test('query errors keep their code and column across the thread', async () => {
    const error = await service['events.search']({ query: 'user:alice nosuchfield:x' }).catch(
      (e: unknown) => e,
    );
    expect(describeError(error)).toMatchObject({ code: 'query_syntax', column: 12 });
  });
});

test('a search whose caller cancelled it stops with CancelledError (code cancelled)', async () => {
  const db = openDatabase(template.dbFile, { readonly: true });
  try {
    const engine = new SearchEngine(db);
    let polls = 0;
    expect(() => engine.search({ query: '', cancelled: () => ++polls > 0 })).toThrow(CancelledError);
    expect(polls).toBeGreaterThan(0);
    expect(describeError(new CancelledError()).code).toBe('cancelled');
    expect(engine.search({ query: '', cancelled: () => false }).total).toBe(30);
  } finally {
    db.close();
  }
});

test('events.changed follows committed imports: the added counts add up, the total is what is stored', async () => {
  const dir = makeTempDir();
  const service = await createService({ dbFile: path.join(dir, 'audit.sqlite'), now: () => FIXED_NOW });
  try {
    const seen: { total: number; added: number }[] = [];
    service.subscribe((event) => {
      if (event.name === 'events.changed') seen.push(event.payload);
    });
    const summary = await service['ingest.paths']({ paths: [writeLines(path.join(dir, 'a.ndjson'), LINES)] });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.reduce((n, e) => n + e.added, 0)).toBe(summary.events);
    expect(seen.at(-1)!.total).toBe(30);
    // Nothing new (every line a duplicate): no event.
    await service['ingest.paths']({ paths: [writeLines(path.join(dir, 'b.ndjson'), LINES)] });
    expect(seen.reduce((n, e) => n + e.added, 0)).toBe(30);
    // Retention removes events: the total drops, nothing was added.
    await service['retention.run']({ before: BASE + 10 * MINUTE });
    expect(seen.at(-1)).toEqual({ total: 20, added: 0 });
  } finally {
    await service.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the in-process service is an AuditClient like every transport', () => {
  expectTypeOf<AuditService>().toExtend<AuditClient>();
});

test.each([
  { mode: 'on the calling thread', queryWorker: false },
  { mode: 'on the query worker', queryWorker: true },
])(
  'a column segment altered (damage SQLite cannot see) fails a search $mode with code database_damaged',
  async ({ queryWorker }) => {
    const dir = makeTempDir();
    const dbFile = path.join(dir, 'audit.sqlite');
    for (const suffix of ['', '-wal'])
      if (fs.existsSync(template.dbFile + suffix)) fs.copyFileSync(template.dbFile + suffix, dbFile + suffix);
    const db = new Database(dbFile);
    const { id, data } = db.prepare('SELECT id, data FROM segments ORDER BY id LIMIT 1').get() as {
      id: number;
      data: Buffer;
    };
    // Swap two keys: the blob keeps its size and header, its keys are out of order.
    const pos = new Float64Array(data.buffer.slice(data.byteOffset + 24, data.byteOffset + 40));
    const altered = Buffer.from(data);
    altered.set(new Uint8Array(new Float64Array([pos[1]!, pos[0]!]).buffer), 24);
    db.prepare('UPDATE segments SET data = ? WHERE id = ?').run(altered, id);
    db.close();
    const service = await createService({ dbFile, now: () => FIXED_NOW, queryWorker });
    try {
      const error: unknown = await service['events.count']({ query: '' }).catch((e: unknown) => e);
      const info = describeError(error);
      expect(info.code).toBe('database_damaged');
      expect(info.message).toContain('is damaged');
      expect(info.message).not.toContain('SQLITE_');
    } finally {
      await service.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);
