/** `gc --older-than DURATION | --before DATE [--dry-run] [--json]`: retention now. */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseDuration, parseTimeValue } from '../../../shared/query/index.ts';
import type { Workspace } from './support.ts';
import { FIXTURES_DIR, prophecyLine, workspace } from './support.ts';

const DAY = 86_400_000;
const CUTOFF = Date.UTC(2024, 0, 1);

async function withFixtures(): Promise<Workspace> {
  const ws = workspace();
  expect((await ws.cli('ingest', FIXTURES_DIR)).code).toBe(0);
  return ws;
}

/**
 * 6,000 events from 2023-11-01 to 2024-02-28 in three files (so deletion spans many raw blocks and
 * segments), plus one event 1 ms before the cut-off and one exactly at it. Events before the cut-off carry
 * the word "oldword", the others "newword".
 */
async function withSpread(): Promise<{ ws: Workspace; total: number; before: number }> {
  const ws = workspace();
  const start = Date.UTC(2023, 10, 1);
  const span = 119 * DAY;
  const n = 6_000;
  const files: string[][] = [[], [], []];
  let before = 0;
  for (let i = 0; i < n; i++) {
    const ts = start + Math.floor((i * span) / n);
    const old = ts < CUTOFF;
    if (old) before++;
    files[i % 3]!.push(
      prophecyLine({
        ts,
        user: `user${i % 25}@acme.example`,
        params: { note: `${old ? 'oldword' : 'newword'} ${i}` },
      }),
    );
  }
  files[0]!.push(prophecyLine({ ts: CUTOFF - 1, user: 'edge-before@acme.example' }));
  files[1]!.push(prophecyLine({ ts: CUTOFF, user: 'edge-at@acme.example' }));
  before++;
  files.forEach((lines, i) => ws.write(`spread/f${i}.ndjson`, lines.join('\n') + '\n'));
  const r = await ws.cli('ingest', path.join(ws.dir, 'spread'), '--json');
  expect(JSON.parse(r.out)).toMatchObject({ events: n + 2, errors: 0 });
  return { ws, total: n + 2, before };
}

describe('gc', () => {
  test('--older-than 30d --dry-run reports what would go and deletes nothing', async () => {
    const ws = await withFixtures();
    const t0 = Date.now();
    const r = await ws.cli('gc', '--older-than', '30d', '--dry-run');
    const t1 = Date.now();
    expect(r.code).toBe(0);
    const m = /^Would delete 8 events older than (\S+)\.\n {2}import: 8 \((\S+) … (\S+)\)\n$/.exec(r.out);
    expect(m).not.toBeNull();
    const cutoff = Date.parse(m![1]!);
    // The span the events that would go cover: oldest first, both before the cut-off.
    const [from, to] = [Date.parse(m![2]!), Date.parse(m![3]!)];
    expect(from).toBeLessThanOrEqual(to);
    expect(to).toBeLessThan(cutoff);
    expect(cutoff).toBeGreaterThanOrEqual(t0 - 30 * DAY);
    expect(cutoff).toBeLessThanOrEqual(t1 - 30 * DAY);
    expect((await ws.cli('search', '--count')).out).toBe('8\n');
  });

  test('--dry-run --json prints the result with dryRun true', async () => {
    const ws = await withFixtures();
    const r = await ws.cli('gc', '--before', '2023-11-01', '--dry-run', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      events: 6,
      perSource: { import: 6 },
      before: Date.UTC(2023, 10, 1),
      dryRun: true,
    });
    expect((await ws.cli('search', '--count')).out).toBe('8\n');
  });

  test('--before DATE deletes exactly the events before it (one at the cut-off stays)', async () => {
    const { ws, total, before } = await withSpread();
    const r = await ws.cli('gc', '--before', '2024-01-01');
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      `Deleted ${before.toLocaleString('en-US')} events older than 2024-01-01T00:00:00.000Z.\n` +
        // From the first event of the spread to the edge event a millisecond before the cut-off.
        `  import: ${before.toLocaleString('en-US')} (2023-11-01T00:00:00.000Z … 2023-12-31T23:59:59.999Z)\n`,
    );
    expect((await ws.cli('search', '--count', '')).out).toBe(`${total - before}\n`);
    expect((await ws.cli('search', '--count', 'before:2024-01-01')).out).toBe('0\n');
    expect((await ws.cli('search', '--count', 'user:edge-before@acme.example')).out).toBe('0\n');
    expect((await ws.cli('search', '--count', 'user:edge-at@acme.example')).out).toBe('1\n');
  });

  test('deleted events are gone from full-text search and facets too', async () => {
    const { ws, total, before } = await withSpread();
    await ws.cli('gc', '--before', '2024-01-01');
    expect((await ws.cli('search', '--count', 'oldword')).out).toBe('0\n');
    expect((await ws.cli('search', '--count', 'newword')).out).toBe(`${total - before - 1}\n`);
    const facet = JSON.parse((await ws.cli('facets', '--field', 'source', '--json')).out) as {
      total: number;
    };
    expect(facet.total).toBe(total - before);
  });

  test('stats after gc count only what is left and start at the cut-off', async () => {
    const { ws, total, before } = await withSpread();
    await ws.cli('gc', '--before', '2024-01-01');
    const stats = JSON.parse((await ws.cli('stats', '--json')).out) as { events: number; first: number };
    expect(stats.events).toBe(total - before);
    expect(stats.first).toBe(CUTOFF);
  });

  test('--json prints the deletion result', async () => {
    const ws = await withFixtures();
    const r = await ws.cli('gc', '--before', '2023-11-01', '--json');
    expect(JSON.parse(r.out)).toMatchObject({ events: 6, perSource: { import: 6 }, dryRun: false });
    expect((await ws.cli('search', '--count')).out).toBe('2\n');
  });

  test('neither --older-than nor --before is a usage error (exit 2)', async () => {
    const ws = await withFixtures();
    const r = await ws.cli('gc');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--older-than');
    expect(r.err).toContain('--before');
    expect((await ws.cli('search', '--count')).out).toBe('8\n');
  });

  test('both --older-than and --before is a usage error (exit 2) and deletes nothing', async () => {
    const ws = await withFixtures();
    const r = await ws.cli('gc', '--older-than', '30d', '--before', '2024-01-01');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--older-than');
    expect((await ws.cli('search', '--count')).out).toBe('8\n');
  });

  test.each(['5x', '30', 'd30', '0d', '-3d'])(
    '--older-than %s is a usage error (exit 2) with the reason',
    async (bad) => {
      const ws = await withFixtures();
      const parsed = parseDuration(bad);
      expect(parsed.ok).toBe(false);
      const r = await ws.cli('gc', `--older-than=${bad}`);
      expect(r.code).toBe(2);
      expect(r.err).toContain(bad);
      expect(r.err).toContain(parsed.ok ? '(valid?)' : parsed.reason);
      expect((await ws.cli('search', '--count')).out).toBe('8\n');
    },
  );

  test.each(['2024-13-01', '2024-02-30', 'yesterday', '01/02/2024'])(
    '--before %s is a usage error (exit 2) with the reason',
    async (bad) => {
      const ws = await withFixtures();
      const parsed = parseTimeValue(bad);
      expect(parsed.ok).toBe(false);
      const r = await ws.cli('gc', '--before', bad);
      expect(r.code).toBe(2);
      expect(r.err).toContain(bad);
      expect(r.err).toContain(parsed.ok ? '(valid?)' : parsed.reason);
      expect((await ws.cli('search', '--count')).out).toBe('8\n');
    },
  );
});
