/** Saved searches, the query history, investigations and the legal hold their pins put on retention. */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Workspace } from './support.ts';
import { parseCsv, prophecyLine, workspace } from './support.ts';

const DAY = 86_400_000;

/** 40 events over 40 days of 2023 (users u0..u3), ingested. */
async function corpus(): Promise<Workspace> {
  const ws = workspace();
  const lines = Array.from({ length: 40 }, (_, i) =>
    prophecyLine({
      ts: Date.UTC(2023, 0, 1) + i * DAY,
      user: `u${i % 4}@acme.example`,
      responseCode: i % 5 === 0 ? 403 : 200,
    }),
  );
  ws.write('c/a.ndjson', lines.join('\n') + '\n');
  expect((await ws.cli('ingest', path.join(ws.dir, 'c'))).code).toBe(0);
  return ws;
}

async function ids(ws: Workspace, query: string): Promise<string[]> {
  const r = await ws.cli('search', query, '--format', 'csv', '--all');
  const rows = parseCsv(r.out);
  const col = rows[0]!.indexOf('id');
  return rows.slice(1).map((row) => row[col]!);
}

describe('saved searches', () => {
  test('add, list, rename and remove round-trip, and a taken name is refused', async () => {
    const ws = await corpus();
    expect(
      (
        await ws.cli(
          'saved',
          'add',
          'failures',
          'outcome:failure',
          '--from',
          '2023-01-01',
          '--columns',
          'ts,user',
        )
      ).code,
    ).toBe(0);
    const listed = JSON.parse((await ws.cli('saved', 'list', '--json')).out);
    expect(listed).toMatchObject([
      {
        name: 'failures',
        query: 'outcome:failure',
        from: Date.UTC(2023, 0, 1),
        to: null,
        columns: ['ts', 'user'],
      },
    ]);
    const clash = await ws.cli('saved', 'add', 'FAILURES', 'user:u1*');
    expect(clash.code).toBe(1);
    expect(clash.err).toContain("'FAILURES' exists already");
    expect((await ws.cli('saved', 'rename', 'failures', 'denied')).code).toBe(0);
    expect(
      JSON.parse((await ws.cli('saved', 'list', '--json')).out).map((s: { name: string }) => s.name),
    ).toEqual(['denied']);
    expect((await ws.cli('saved', 'remove', 'denied')).code).toBe(0);
    expect(JSON.parse((await ws.cli('saved', 'list', '--json')).out)).toEqual([]);
    const missing = await ws.cli('saved', 'remove', 'denied');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("no saved search named 'denied'");
  });
});

describe('history', () => {
  test('records the searches run from the CLI with their totals, newest first, searchable by text', async () => {
    const ws = await corpus();
    await ws.cli('search', 'outcome:failure');
    await ws.cli('search', 'user:u1@acme.example', '--count');
    await ws.cli('search', 'user:u2@acme.example', '--limit', '1');
    const all = JSON.parse((await ws.cli('history', '--json')).out) as { query: string; total: number }[];
    expect(all.map((e) => [e.query, e.total])).toEqual([
      ['user:u2@acme.example', 10],
      ['user:u1@acme.example', 10],
      ['outcome:failure', 8],
    ]);
    expect(JSON.parse((await ws.cli('history', '--json', '--limit', '1')).out)).toHaveLength(1);
    const u1 = JSON.parse((await ws.cli('history', '--json', 'U1@')).out) as { query: string }[];
    expect(u1.map((e) => e.query)).toEqual(['user:u1@acme.example']);
  });
});

describe('investigations', () => {
  test('create, pin, note, show, unpin, list and close round-trip', async () => {
    const ws = await corpus();
    await ws.cli('saved', 'add', 'failures', 'outcome:failure');
    expect(
      (
        await ws.cli(
          'investigation',
          'create',
          'case-1',
          '--description',
          'Who *denied* what',
          '--search',
          'failures',
        )
      ).code,
    ).toBe(0);
    const [a, b] = await ids(ws, 'outcome:failure');
    expect((await ws.cli('investigation', 'pin', 'case-1', a!, b!)).out).toContain('Pinned 2 events');
    expect((await ws.cli('investigation', 'note', 'case-1', '--event', a!, 'First **denial**')).code).toBe(0);
    expect((await ws.cli('investigation', 'note', 'case-1', 'Case note')).code).toBe(0);
    const shown = JSON.parse((await ws.cli('investigation', 'show', 'case-1', '--json')).out);
    expect(shown).toMatchObject({
      name: 'case-1',
      description: 'Who *denied* what',
      status: 'open',
      pinned: 2,
      searches: [{ name: 'failures', query: 'outcome:failure' }],
      noteList: [
        { eventId: a, body: 'First **denial**' },
        { eventId: null, body: 'Case note' },
      ],
    });
    expect(shown.pins.map((p: { eventId: string }) => p.eventId).sort()).toEqual([a, b].sort());
    expect(shown.pins.every((p: { event: { outcome: string } }) => p.event.outcome === 'failure')).toBe(true);
    await ws.cli('saved', 'add', 'u1', 'user:u1@acme.example');
    expect((await ws.cli('investigation', 'add-search', 'case-1', 'u1')).code).toBe(0);
    const searches = JSON.parse((await ws.cli('investigation', 'show', 'case-1', '--json')).out).searches;
    expect(searches.map((s: { name: string }) => s.name)).toEqual(['failures', 'u1']);
    expect((await ws.cli('investigation', 'unpin', 'case-1', b!)).out).toContain('1 left');
    expect((await ws.cli('investigation', 'close', 'case-1')).code).toBe(0);
    const list = JSON.parse((await ws.cli('investigation', 'list', '--json')).out);
    expect(list).toMatchObject([{ name: 'case-1', status: 'closed', pinned: 1, notes: 2 }]);
    const late = await ws.cli('investigation', 'pin', 'case-1', b!);
    expect(late.code).toBe(1);
    expect(late.err).toContain('is closed');
  });

  test('describe replaces the description, remove-search unlinks a saved search, reopen undoes close', async () => {
    const ws = await corpus();
    await ws.cli('saved', 'add', 'failures', 'outcome:failure');
    await ws.cli('saved', 'add', 'u1', 'user:u1@acme.example');
    await ws.cli('saved', 'add', 'u2', 'user:u2@acme.example');
    await ws.cli('investigation', 'create', 'case-1', '--description', 'Who denid', '--search', 'failures');
    await ws.cli('investigation', 'add-search', 'case-1', 'u1');
    const show = async () => JSON.parse((await ws.cli('investigation', 'show', 'case-1', '--json')).out);

    const described = await ws.cli('investigation', 'describe', 'case-1', 'Who *denied* what,', 'and when');
    expect(described).toMatchObject({ code: 0, out: "Replaced the description of 'case-1'.\n" });
    expect((await show()).description).toBe('Who *denied* what, and when');
    const file = ws.write('scope.md', '# Scope\n\n- billing\n');
    expect((await ws.cli('investigation', 'describe', 'case-1', '--file', file)).code).toBe(0);
    expect((await show()).description).toBe('# Scope\n\n- billing\n');
    const bare = await ws.cli('investigation', 'describe', 'case-1');
    expect(bare.code).toBe(2);
    expect(bare.err).toMatch(/^audit-explorer: give the new description, or --file PATH/);
    expect((await show()).description).toBe('# Scope\n\n- billing\n');
    expect((await ws.cli('investigation', 'describe', 'case-1', '')).out).toBe(
      "Cleared the description of 'case-1'.\n",
    );
    expect((await show()).description).toBe('');

    // A search that is saved but not in the case, or not saved at all: named, and nothing is removed.
    const notIn = await ws.cli('investigation', 'remove-search', 'case-1', 'u1', 'u2');
    expect(notIn.code).toBe(1);
    expect(notIn.err).toContain("The saved search 'u2' is not in 'case-1'");
    const unknown = await ws.cli('investigation', 'remove-search', 'case-1', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("no saved search named 'nope'");
    expect((await show()).searches.map((s: { name: string }) => s.name)).toEqual(['failures', 'u1']);
    const removed = await ws.cli('investigation', 'remove-search', 'case-1', 'U1');
    expect(removed.code).toBe(0);
    expect(removed.out).toContain("Removed 1 saved search from 'case-1'");
    expect((await show()).searches.map((s: { name: string }) => s.name)).toEqual(['failures']);
    // The saved search itself stays.
    expect(
      JSON.parse((await ws.cli('saved', 'list', '--json')).out).map((s: { name: string }) => s.name),
    ).toEqual(['failures', 'u1', 'u2']);

    // Reopening an open case is refused, like closing a closed one.
    const openAlready = await ws.cli('investigation', 'reopen', 'case-1');
    expect(openAlready.code).toBe(1);
    expect(openAlready.err).toContain("'case-1' is open already");
    expect((await ws.cli('investigation', 'close', 'case-1')).code).toBe(0);
    const closedAgain = await ws.cli('investigation', 'close', 'case-1');
    expect(closedAgain.code).toBe(1);
    expect(closedAgain.err).toContain('is closed');
    // A closed case changes in none of these ways until it is reopened.
    for (const args of [
      ['describe', 'case-1', 'late'],
      ['remove-search', 'case-1', 'failures'],
      ['add-search', 'case-1', 'u2'],
    ]) {
      const late = await ws.cli('investigation', ...args);
      expect(late.code).toBe(1);
      expect(late.err).toContain('is closed');
      expect(late.err).toContain('Reopen it first');
    }
    expect(await show()).toMatchObject({
      status: 'closed',
      description: '',
      searches: [{ name: 'failures' }],
    });
    expect((await show()).closedAt).toEqual(expect.any(Number));

    expect((await ws.cli('investigation', 'reopen', 'case-1')).out).toBe("Reopened 'case-1'.\n");
    expect(await show()).toMatchObject({ status: 'open', closedAt: null });
    expect((await ws.cli('investigation', 'describe', 'case-1', 'Reopened: more scope')).code).toBe(0);
    expect((await ws.cli('investigation', 'remove-search', 'case-1', 'failures')).code).toBe(0);
    expect(await show()).toMatchObject({ status: 'open', description: 'Reopened: more scope', searches: [] });
    const missing = await ws.cli('investigation', 'reopen', 'nope');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("There is no investigation named 'nope'");
  });

  test('pinning an id that is not stored says so', async () => {
    const ws = await corpus();
    await ws.cli('investigation', 'create', 'c');
    const r = await ws.cli('investigation', 'pin', 'c', '0'.repeat(32));
    expect(r.code).toBe(1);
    expect(r.err).toContain(`No stored event has the id ${'0'.repeat(32)}`);
  });
});

describe('legal hold', () => {
  test('gc keeps pinned events, and its dry run and report count them as held', async () => {
    const ws = await corpus();
    const pinned = (await ids(ws, 'before:2023-01-11')).slice(0, 3);
    await ws.cli('investigation', 'create', 'hold');
    await ws.cli('investigation', 'pin', 'hold', ...pinned);
    const dry = JSON.parse((await ws.cli('gc', '--before', '2023-01-21', '--dry-run', '--json')).out);
    expect(dry).toMatchObject({ events: 17, held: 3, dryRun: true });
    expect((await ws.cli('gc', '--before', '2023-01-21', '--dry-run')).out).toContain(
      'Would keep 3 older events on legal hold',
    );
    const run = await ws.cli('gc', '--before', '2023-01-21');
    expect(run.out).toContain('Kept 3 older events on legal hold');
    expect((await ws.cli('search', '--count')).out.trim()).toBe(String(40 - 17));
    expect((await ids(ws, 'before:2023-01-21')).sort()).toEqual([...pinned].sort());
    // Unpinned, they go at the next run.
    await ws.cli('investigation', 'unpin', 'hold', ...pinned);
    expect(JSON.parse((await ws.cli('gc', '--before', '2023-01-21', '--json')).out)).toMatchObject({
      events: 3,
      held: 0,
    });
    expect((await ws.cli('search', '--count')).out.trim()).toBe(String(20));
  });
});
