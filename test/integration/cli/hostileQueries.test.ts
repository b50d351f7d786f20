/**
 * Issue 7, items 6 and 7, at the CLI: every hostile query ends with a result (exit 0) or one line saying
 * what to change (exit 2) — never exit 1, a stack trace or a stack overflow.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createEventStream } from '../../bench/generate.ts';
import { hostileQueries } from '../../support/hostileQueries.ts';
import { runMain } from './support.ts';

/** Words of the seeded corpus. */
const WORDS = ['created', 'project', 'language', 'teams', 'branch', 'gateway', 'releases', 'fabric'];

let dir: string;
let db: string;
const cli = (...argv: string[]) =>
  runMain(['--db', db, ...argv], { AUDIT_EXPLORER_DB: path.join(dir, 'no.db') });

// One database for the file: the queries only read it.
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-cli-hostile-'));
  db = path.join(dir, 'audit.db');
  const file = path.join(dir, 'corpus.ndjson');
  fs.writeFileSync(file, [...createEventStream({ events: 2_000, seed: 3 })].join('\n') + '\n');
  expect((await cli('ingest', file)).code).toBe(0);
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

test.each(hostileQueries(WORDS).map((q) => [q.name, q.query] as const))(
  '%s: exit 0 with a count, or exit 2 with one line',
  async (_name, query) => {
    const r = await cli('search', '--count', '--', query);
    if (r.code === 0) {
      expect(r.out).toMatch(/^\d+\n$/);
      return;
    }
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/^audit-explorer: [^\n]+\n$/);
    expect(r.err).not.toMatch(/stack|Invalid input|SQLITE/i);
  },
);

test('2,000 nested parentheses: exit 2 with the column of the parenthesis past the limit', async () => {
  const r = await cli('search', '('.repeat(2000) + 'created' + ')'.repeat(2000));
  expect(r).toMatchObject({ code: 2, out: '' });
  expect(r.err).toMatch(/^audit-explorer: Too deeply nested at column 65: /);
});

test('a query over the length limit: exit 2 with a sentence, for search and facets', async () => {
  const query = 'created '.repeat(1500);
  const message =
    'audit-explorer: The query is 12,000 characters long; the limit is 10,000. Shorten it or split it into' +
    ' several searches.\n';
  expect(await cli('search', query)).toEqual({ code: 2, out: '', err: message });
  expect(await cli('facets', query)).toEqual({ code: 2, out: '', err: message });
});

test('one-letter prefixes: exit 2 saying how long a prefix must be', async () => {
  const r = await cli('search', '--count', 'a* b* c*');
  expect(r).toEqual({
    code: 2,
    out: '',
    err: "audit-explorer: Prefix 'a*' at column 1 is too short: give at least 2 letters or digits before the *.\n",
  });
});
