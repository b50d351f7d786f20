/** `search [QUERY]`: formats, paging and counts (DESIGN §7, §8). */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Workspace } from './support.ts';
import { eventId, FIXTURES_DIR, lineOf, ndjson, parseCsv, prophecyLine, workspace } from './support.ts';

/** The 8 fixture events, newest first, as the format specs map them (DESIGN §4). */
const FIXTURE_EVENTS = [
  ['gravitee-am', 2, '2024-03-04T09:16:02.118Z', 'admin', 'CLIENT_SECRET_RENEWED', 'Client', 'success'],
  ['gravitee-am', 1, '2024-03-04T09:15:27.301Z', 'alice@acme.example', 'USER_LOGIN', 'User', 'failure'],
  ['dronahq', 3, '2023-10-31T10:12:00.000Z', 'builder@studio.com', 'app_published', 'App', 'success'],
  ['dronahq', 2, '2023-10-31T10:11:41.000Z', 'ops@studio.com', 'user_logged_in', 'User', 'failure'],
  ['dronahq', 1, '2023-10-31T10:11:19.624Z', 'test@studio.com', 'db_query', 'Connector', 'success'],
  ['prophecy', 3, '2023-07-29T06:02:37.967Z', 'prophecy-system@prophecy.io', 'User', 'User', 'success'],
  ['prophecy', 1, '2023-07-29T06:02:37.857Z', 'prophecy-system@prophecy.io', 'User', 'User', 'success'],
  [
    'prophecy',
    2,
    '2023-07-28T14:02:10.350Z',
    'prophecy-system@prophecy.io',
    'ProjectReleaseByProjectIdAndStatus',
    'Project',
    'success',
  ],
] as const;

const fixtureFile = (name: string) => path.join(FIXTURES_DIR, `${name}.ndjson`);

async function withFixtures(): Promise<Workspace> {
  const ws = workspace();
  expect((await ws.cli('ingest', FIXTURES_DIR)).code).toBe(0);
  return ws;
}

/** Ingests `n` Prophecy events spread over only 7 distinct timestamps (ties across page boundaries). */
async function withManyEvents(n: number): Promise<{ ws: Workspace; ids: string[] }> {
  const ws = workspace();
  const lines: string[] = [];
  for (let i = 0; i < n; i++)
    lines.push(
      prophecyLine({
        ts: Date.UTC(2024, 0, 1) + (i % 7) * 3_600_000,
        user: `user${i % 40}@acme.example`,
        params: { seq: String(i) },
      }),
    );
  ws.write('many/part1.ndjson', lines.slice(0, n / 2).join('\n') + '\n');
  ws.write('many/part2.ndjson', lines.slice(n / 2).join('\n') + '\n');
  const r = await ws.cli('ingest', path.join(ws.dir, 'many'), '--json');
  expect(JSON.parse(r.out)).toMatchObject({ events: n, errors: 0 });
  return { ws, ids: lines.map((line) => eventId(ws.db, line)) };
}

interface PrintedEvent {
  id: string;
  ts: number;
  user: string;
  action: string;
  entity: string;
  outcome: string;
  source: string;
  object: string;
  line: number;
  raw: string;
}

describe('search --format table (the default)', () => {
  test('prints a header and one row per event, newest first, and "N of M matching events" on stderr', async () => {
    const ws = await withFixtures();
    const r = await ws.cli('search');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toMatch(/^TIME \(UTC\) +OUTCOME +USER +ACTION +ENTITY +TARGET$/);
    const rows = lines.slice(1).map((line) => line.split(/ {2,}/));
    expect(rows.map((cells) => cells.slice(0, 3))).toEqual(
      FIXTURE_EVENTS.map(([, , time, user, , , outcome]) => [time, outcome, user]),
    );
    expect(r.err).toBe('8 of 8 matching events.\n');
  });

  test('--limit N prints N rows and says on stderr how to get the next page', async () => {
    const ws = await withFixtures();
    const r = await ws.cli('search', '--limit', '3');
    expect(r.code).toBe(0);
    expect(r.out.trimEnd().split('\n')).toHaveLength(1 + 3);
    expect(r.err).toMatch(/^3 of 8 matching events\. Next page: --cursor \S+\n$/);
  });

  test('no match prints no table and says what the database holds, so a time filter that misses shows', async () => {
    const ws = await withFixtures();
    const r = await ws.cli('search', 'after:2025-01-01');
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      'No matching events. The database holds 8 events, from 2023-07-28T14:02:10.350Z to 2024-03-04T09:16:02.118Z.\n',
    );
  });

  test('no match on an empty database says how to add events', async () => {
    const r = await workspace().cli('search', 'user:alice');
    expect(r.code).toBe(0);
    expect(r.err).toBe(
      'No matching events. The database is empty: add events with audit-explorer ingest PATH.\n',
    );
  });

  test('control characters in event values do not reach the terminal (no escape-sequence injection)', async () => {
    const ws = workspace();
    const hostile = 'mallory\u001b[2J\u001b]0;pwned\u0007\u001b[31m@evil.example';
    ws.write('esc.ndjson', prophecyLine({ ts: Date.UTC(2024, 0, 1), user: hostile }) + '\n');
    await ws.cli('ingest', path.join(ws.dir, 'esc.ndjson'));
    const r = await ws.cli('search');
    expect(r.code).toBe(0);
    expect(r.out).toContain('mallory');
    // Nothing but line feeds below U+0020 (and no DEL / C1 controls) in what a terminal will interpret.
    const controls = [...r.out]
      .map((c) => c.codePointAt(0)!)
      .filter((code) => code !== 0x0a && (code < 0x20 || (code >= 0x7f && code <= 0x9f)));
    expect(controls).toEqual([]);
  });
});

describe('search --format ndjson', () => {
  test('each line is one event with its id, time, fields, origin and raw line', async () => {
    const ws = await withFixtures();
    const r = await ws.cli('search', '--format', 'ndjson');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const events = ndjson<PrintedEvent>(r.out);
    const expected = FIXTURE_EVENTS.map(([file, line, time, user, action, entity, outcome]) => {
      const raw = lineOf(fixtureFile(file), line);
      return {
        id: eventId(ws.db, raw),
        ts: Date.parse(time),
        user,
        action,
        entity,
        outcome,
        source: 'import',
        object: fixtureFile(file),
        line,
        raw,
      };
    });
    expect(events).toEqual(expected.map((e) => expect.objectContaining(e)));
  });

  test('--limit N prints exactly the N newest events', async () => {
    const ws = await withFixtures();
    const r = await ws.cli('search', '--limit', '3', '--format', 'ndjson');
    const printed = ndjson<PrintedEvent>(r.out).map((e) => [path.basename(e.object, '.ndjson'), e.line]);
    expect(printed).toEqual(FIXTURE_EVENTS.slice(0, 3).map(([file, line]) => [file, line]));
  });
});

describe('search --format csv', () => {
  const columns = [
    'ts',
    'user',
    'entity',
    'action',
    'opType',
    'outcome',
    'status',
    'org',
    'target',
    'ip',
    'userAgent',
    'latencyMs',
    'txn',
    'format',
    'source',
    'object',
    'line',
    'id',
    'raw',
  ];

  async function csvOf(users: string[], ws = workspace()): Promise<Record<string, string>[]> {
    const lines = users.map((user, i) => prophecyLine({ ts: Date.UTC(2024, 0, 1 + i), user }));
    ws.write('csv.ndjson', lines.join('\n') + '\n');
    await ws.cli('ingest', path.join(ws.dir, 'csv.ndjson'));
    const r = await ws.cli('search', '--format', 'csv');
    expect(r.code).toBe(0);
    const [header, ...rows] = parseCsv(r.out);
    expect(header).toEqual(columns);
    for (const row of rows) expect(row).toHaveLength(columns.length);
    return rows.map((row) => Object.fromEntries(row.map((cell, i) => [columns[i]!, cell])));
  }

  test('a value holding a comma, a quote and a line break parses back exactly', async () => {
    const tricky = 'eve, "the auditor"\nsecond line@acme.example';
    const rows = await csvOf([tricky, 'plain@acme.example']);
    expect(rows.map((row) => row.user)).toEqual(['plain@acme.example', tricky]);
  });

  test('every row carries the event time, origin and raw line', async () => {
    const ws = workspace();
    const rows = await csvOf(['one@acme.example'], ws);
    expect(rows).toHaveLength(1);
    const raw = prophecyLine({ ts: Date.UTC(2024, 0, 1), user: 'one@acme.example' });
    expect(rows[0]).toMatchObject({
      ts: '2024-01-01T00:00:00.000Z',
      user: 'one@acme.example',
      outcome: 'success',
      format: 'prophecy',
      source: 'import',
      line: '1',
      id: eventId(ws.db, raw),
      raw,
    });
  });

  test('values starting with = + - @ are neutralised against spreadsheet formula injection', async () => {
    const formulas = [
      '=HYPERLINK("http://evil.example","click")',
      "+1+cmd|'/C calc'!A0",
      '-2+3',
      '@SUM(A1:A9)',
    ];
    const rows = await csvOf(formulas);
    expect(rows.map((row) => row.user)).toEqual([...formulas].reverse().map((f) => `'${f}`));
    for (const row of rows) for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe('search --format json', () => {
  test('prints one document with total, events and nextCursor', async () => {
    const ws = await withFixtures();
    const r = await ws.cli('search', '--format', 'json', '--limit', '3');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { total: number; events: PrintedEvent[]; nextCursor: string | null };
    expect(doc.total).toBe(8);
    expect(doc.events.map((e) => e.user)).toEqual(FIXTURE_EVENTS.slice(0, 3).map((e) => e[3]));
    expect(doc.nextCursor).toEqual(expect.any(String));
  });

  test('nextCursor is null when the page holds the last match', async () => {
    const ws = await withFixtures();
    const doc = JSON.parse((await ws.cli('search', '--format', 'json')).out) as { nextCursor: string | null };
    expect(doc.nextCursor).toBeNull();
  });

  test('with --all it is still one JSON document holding every match', async () => {
    const { ws, ids } = await withManyEvents(1_500);
    const r = await ws.cli('search', '--all', '--format', 'json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { total: number; events: PrintedEvent[]; nextCursor: string | null };
    expect(doc.total).toBe(1_500);
    expect(doc.events.map((e) => e.id).sort()).toEqual([...ids].sort());
    expect(doc.nextCursor).toBeNull();
  });
});

describe('search paging', () => {
  test('--all prints every match exactly once across pages, newest first, even with tied times', async () => {
    const { ws, ids } = await withManyEvents(2_345);
    const r = await ws.cli('search', '', '--all', '--format', 'ndjson');
    expect(r.code).toBe(0);
    const events = ndjson<PrintedEvent>(r.out);
    expect(events).toHaveLength(2_345);
    expect(events.map((e) => e.id).sort()).toEqual([...ids].sort());
    const times = events.map((e) => e.ts);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  test('--all --format csv prints the header once and one row per match', async () => {
    const { ws } = await withManyEvents(2_345);
    const rows = parseCsv((await ws.cli('search', '--all', '--format', 'csv')).out);
    expect(rows.filter((row) => row[0] === 'ts')).toHaveLength(1);
    expect(rows).toHaveLength(1 + 2_345);
  });

  test('--cursor continues exactly where "Next page" said', async () => {
    const { ws } = await withManyEvents(2_345);
    const all = ndjson<PrintedEvent>((await ws.cli('search', '--all', '--format', 'ndjson')).out).map(
      (e) => e.id,
    );
    const first = await ws.cli('search', '--limit', '1000');
    expect(first.err).toMatch(/^1,000 of 2,345 matching events\. Next page: --cursor \S+\n$/);
    const cursor = /--cursor (\S+)/.exec(first.err)![1]!;
    const second = await ws.cli('search', '--limit', '1000', '--cursor', cursor, '--format', 'ndjson');
    expect(second.code).toBe(0);
    expect(ndjson<PrintedEvent>(second.out).map((e) => e.id)).toEqual(all.slice(1000, 2000));
  });

  test('a --cursor that no search produced is a usage error', async () => {
    const ws = await withFixtures();
    const r = await ws.cli('search', '--cursor', 'not-a-cursor');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('not-a-cursor');
  });
});

describe('search --count', () => {
  test('prints only the number of matching events', async () => {
    const ws = await withFixtures();
    expect(await ws.cli('search', '--count')).toEqual({ code: 0, out: '8\n', err: '' });
    expect(await ws.cli('search', '--count', 'outcome:failure')).toEqual({ code: 0, out: '2\n', err: '' });
  });

  test('the query may span several arguments (joined with spaces)', async () => {
    const ws = await withFixtures();
    expect((await ws.cli('search', '--count', 'user:alice*', 'OR', 'user:admin')).out).toBe('2\n');
  });

  test('a query may start with a negated term (-field:value)', async () => {
    const ws = await withFixtures();
    expect(await ws.cli('search', '--count', '-outcome:failure')).toEqual({ code: 0, out: '6\n', err: '' });
  });

  test('a mistyped --option is a usage error, not query text', async () => {
    const ws = await withFixtures();
    const r = await ws.cli('search', '--cuont', 'outcome:failure');
    expect(r).toEqual({
      code: 2,
      out: '',
      err: expect.stringContaining("unknown option '--cuont'") as string,
    });
  });
});
