// Acceptance 6: hostile text through every field and through free text never reaches SQL or FTS5 as
// syntax: the engine answers (or rejects the query with a column), and the database is intact afterwards.
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { QuerySyntaxError } from '../../../shared/query/index.ts';
import { QueryError } from '../../../electron/agent/store/plan.ts';
import { openDatabase } from '../../../electron/agent/store/open.ts';
import { count, graviteeLine, ingest, openEngine, prophecyLine, writeLines, type Engine } from './support.ts';

const T = Date.UTC(2024, 2, 3, 12, 0, 0, 0);

const HOSTILE = [
  "'; DROP TABLE events; --",
  '" OR 1=1 --',
  'NEAR(a b)',
  'a AND b',
  '*',
  '"',
  ':',
  ')(',
  '\u0000',
  'a\u0000b',
  '😀',
  '%_',
  '%',
  '_',
  "'",
  '\\',
  '^start',
  '{a b}',
  'a + b',
  'x*y',
  '"a" NOT "b"',
  'text:foo',
  'events_fts',
  'rowid',
  '-',
  '--',
  'OR',
  'AND',
  'NOT',
  '\u202Eevil',
  '()',
  '"unterminated',
  '(((((',
  ')))))',
  'a'.repeat(2000),
];

const FIELDS = [
  'user',
  'entity',
  'action',
  'op',
  'outcome',
  'status',
  'org',
  'source',
  'format',
  'target',
  'ip',
  'txn',
  'object',
  'id',
];

const quote = (s: string) => `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

/** Every way a hostile string can reach the engine: free text, phrases, negation, each field. */
function hostileQueries(): string[] {
  const queries: string[] = [];
  for (const s of HOSTILE) {
    queries.push(s, quote(s), `${quote(s)}*`, `-${s}`, `(${s}) OR user:x`, `user:x ${s}`);
    for (const field of FIELDS)
      queries.push(`${field}:${s}`, `${field}:${quote(s)}`, `${field}:${quote(s)}*`);
  }
  return queries;
}

const HOSTILE_LINES = [
  prophecyLine({ ts: T, user: "'; DROP TABLE events; --", action: 'NEAR(a b)', org: '%_' }),
  graviteeLine({
    ts: T + 1,
    user: 'emoji😀@acme.example',
    type: 'USER_LOGIN',
    target: '" OR 1=1 --',
    txn: 'tx-%_',
  }),
];
const ORDINARY_LINES = Array.from({ length: 5 }, (_, i) =>
  prophecyLine({ ts: T + 10 + i, user: `user${i}@acme.example`, action: 'getDetails', org: 'acme' }),
);

let engine: Engine;

beforeEach(async () => {
  engine = await openEngine();
  writeLines(path.join(engine.dir, 'data', 'a.ndjson'), [...HOSTILE_LINES, ...ORDINARY_LINES]);
  await ingest(engine, [path.join(engine.dir, 'data')]);
});

afterEach(async () => {
  await engine.dispose();
});

test('hostile text in any field or free text gives results or a query error with a column, nothing else', async () => {
  const unexpected: string[] = [];
  for (const query of hostileQueries()) {
    try {
      const result = await engine.service['events.search']({
        query,
        limit: 5,
        facets: ['user', 'source', 'outcome'],
      });
      if (!(result.total >= 0 && result.total <= 7))
        unexpected.push(`${JSON.stringify(query)} → total ${result.total}`);
    } catch (error) {
      const isQueryError = error instanceof QuerySyntaxError || error instanceof QueryError;
      const column = (error as { column?: unknown }).column;
      if (!isQueryError || typeof column !== 'number' || column < 1 || column > query.length + 1) {
        unexpected.push(`${JSON.stringify(query)} → ${(error as Error).name}: ${(error as Error).message}`);
      }
    }
  }
  expect(unexpected).toEqual([]);
});

test('after every hostile query the database is intact and its counts unchanged', async () => {
  const snapshot = async () => ({
    total: await count(engine, ''),
    stats: await engine.service['stats.get']({}),
  });
  const before = await snapshot();
  for (const query of hostileQueries()) {
    await engine.service['events.count']({ query }).catch(() => undefined);
  }
  const after = await snapshot();
  expect(after.total).toBe(7);
  expect({ ...after.stats, dbBytes: 0 }).toEqual({ ...before.stats, dbBytes: 0 });
  await engine.close();
  const db = openDatabase(engine.dbFile, { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['events', 'events_fts', 'dict', 'objects', 'sources']));
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(7);
  } finally {
    db.close();
  }
});

test('a stored value full of SQL and FTS syntax is matched literally by its field', async () => {
  expect({
    sqlUser: await count(engine, `user:${quote("'; DROP TABLE events; --")}`),
    sqlUserPrefix: await count(engine, `user:${quote("';")}*`),
    likeOrg: await count(engine, 'org:%_'),
    likeOrgPrefix: await count(engine, 'org:%*'),
    underscoreOrg: await count(engine, 'org:_*'),
    nearAction: await count(engine, `action:${quote('NEAR(a b)')}`),
    quotedTarget: await count(engine, `target:${quote('" OR 1=1 --')}`),
    emojiUser: await count(engine, 'user:emoji😀@acme.example'),
    likeTxn: await count(engine, 'txn:tx-%_'),
    likeTxnPrefix: await count(engine, 'txn:tx-%*'),
  }).toEqual({
    sqlUser: 1,
    sqlUserPrefix: 1,
    likeOrg: 1,
    likeOrgPrefix: 1,
    underscoreOrg: 0,
    nearAction: 1,
    quotedTarget: 1,
    emojiUser: 1,
    likeTxn: 1,
    likeTxnPrefix: 1,
  });
});

test('SQL and FTS keywords in free text are words like any other', async () => {
  expect({
    drop: await count(engine, 'DROP'),
    phrase: await count(engine, '"DROP TABLE events"'),
    near: await count(engine, 'NEAR'),
    nearCall: await count(engine, 'NEAR(a b)'),
    or: await count(engine, '"OR"'),
    not: await count(engine, '"NOT"'),
  }).toEqual({ drop: 1, phrase: 1, near: 1, nearCall: 1, or: 1, not: 0 });
});
