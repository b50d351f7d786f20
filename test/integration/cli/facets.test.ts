/** `facets [QUERY] [--field F]`: top values with counts among the matching events. */
import { describe, expect, test } from 'vitest';
import type { Workspace } from './support.ts';
import { FIXTURES_DIR, workspace } from './support.ts';

async function withFixtures(): Promise<Workspace> {
  const ws = workspace();
  expect((await ws.cli('ingest', FIXTURES_DIR)).code).toBe(0);
  return ws;
}

/** `   3  value` lines → [count, value]. */
function rows(out: string): [number, string][] {
  return out
    .trimEnd()
    .split('\n')
    .map((line) => {
      const m = /^ *([\d,]+) {2}(.*)$/.exec(line);
      if (!m) throw new Error(`not a facet line: ${JSON.stringify(line)}`);
      return [Number(m[1]!.replaceAll(',', '')), m[2]!];
    });
}

describe('facets', () => {
  test('--field user lists the top values with counts, most frequent first', async () => {
    const ws = await withFixtures();
    const r = await ws.cli('facets', '--field', 'user');
    expect(r.code).toBe(0);
    const values = rows(r.out);
    expect(values[0]).toEqual([3, 'prophecy-system@prophecy.io']);
    expect(values.slice(1).sort()).toEqual([
      [1, 'admin'],
      [1, 'alice@acme.example'],
      [1, 'builder@studio.com'],
      [1, 'ops@studio.com'],
      [1, 'test@studio.com'],
    ]);
    expect(r.err).toBe('8 matching events, 6 distinct values of user\n');
  });

  test('--field action counts only the events matching the query', async () => {
    const ws = await withFixtures();
    const r = await ws.cli('facets', 'outcome:failure', '--field', 'action');
    expect(rows(r.out).sort()).toEqual([
      [1, 'USER_LOGIN'],
      [1, 'user_logged_in'],
    ]);
    expect(r.err).toBe('2 matching events, 2 distinct values of action\n');
  });

  test('--field source counts every event under its source', async () => {
    const ws = await withFixtures();
    expect(rows((await ws.cli('facets', '--field', 'source')).out)).toEqual([[8, 'import']]);
  });

  test('--field opType shows events without a value as (none)', async () => {
    const ws = await withFixtures();
    expect(rows((await ws.cli('facets', '--field', 'opType')).out).sort()).toEqual([
      [1, 'login'],
      [1, 'runapi'],
      [3, '(none)'],
      [3, 'Query'],
    ]);
  });

  test('--limit keeps the top values and sums the rest on one line', async () => {
    const ws = await withFixtures();
    const values = rows((await ws.cli('facets', '--field', 'user', '--limit', '2')).out);
    expect(values).toHaveLength(3);
    expect(values[0]).toEqual([3, 'prophecy-system@prophecy.io']);
    expect(values[2]).toEqual([4, '(4 other values)']);
  });

  test('--json prints the values, the rest, the distinct count and the total', async () => {
    const ws = await withFixtures();
    const r = await ws.cli('facets', '--field', 'outcome', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      values: [
        { value: 'success', count: 6 },
        { value: 'failure', count: 2 },
      ],
      other: 0,
      distinct: 2,
      total: 8,
    });
  });

  test('without --field it shows the six fields a search shows, five values each, under the query', async () => {
    const ws = await withFixtures();
    const r = await ws.cli('facets', 'outcome:failure');
    expect(r.code).toBe(0);
    const sections = r.out.trimEnd().split('\n\n');
    expect(sections.map((s) => s.split('\n')[0])).toEqual([
      'user (2 distinct)',
      'entity (1 distinct)',
      'action (2 distinct)',
      'opType (2 distinct)',
      'outcome (1 distinct)',
      'source (1 distinct)',
    ]);
    expect(rows(sections[4]!.split('\n').slice(1).join('\n'))).toEqual([[2, 'failure']]);
    expect(r.err).toBe('2 matching events\n');
  });

  test('without --field, --limit caps every field and --json prints them all with the total', async () => {
    const ws = await withFixtures();
    const r = await ws.cli('facets', '--limit', '1', '--json');
    const { total, facets } = JSON.parse(r.out) as { total: number; facets: Record<string, unknown> };
    expect(total).toBe(8);
    expect(Object.keys(facets)).toEqual(['user', 'entity', 'action', 'opType', 'outcome', 'source']);
    expect(facets['user']).toEqual({
      values: [{ value: 'prophecy-system@prophecy.io', count: 3 }],
      other: 5,
      distinct: 6,
    });
  });

  test('a mistyped --option is a usage error, not query text that matches nothing', async () => {
    const ws = await withFixtures();
    const r = await ws.cli('facets', '--feild', 'user');
    expect(r).toEqual({
      code: 2,
      out: '',
      err: expect.stringContaining("unknown option '--feild'") as string,
    });
  });

  test('an unknown --field is a usage error (exit 2) listing the fields', async () => {
    const ws = await withFixtures();
    const r = await ws.cli('facets', '--field', 'colour');
    expect(r.code).toBe(2);
    expect(r.err).toContain('colour');
    expect(r.err).toContain('user, entity, action');
  });
});
