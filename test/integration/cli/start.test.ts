/**
 * `start`: on an empty database it loads the bundled sample corpus and shows example queries; the first
 * real `ingest` replaces the samples so the user's counts are their own.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, test } from 'vitest';
import type { Workspace } from './support.ts';
import { FIXTURES_DIR, SAMPLES_DIR, workspace } from './support.ts';

/** Distinct lines of the sample corpus that are JSON objects (the documented trailing-comma example is not). */
function sampleEventCount(): number {
  const distinct = new Set<string>();
  const walk = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  for (const file of walk(SAMPLES_DIR)) {
    if (path.basename(file).startsWith('.')) continue;
    let data = fs.readFileSync(file);
    if (data[0] === 0x1f && data[1] === 0x8b) data = zlib.gunzipSync(data);
    for (const raw of data.toString('utf8').split('\n')) {
      const line = raw.replace(/^\uFEFF/, '').trim();
      if (line === '') continue;
      try {
        const value: unknown = JSON.parse(line);
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) distinct.add(line);
      } catch {
        // Not JSON: quarantined, not an event.
      }
    }
  }
  return distinct.size;
}

const SAMPLE_EVENTS = sampleEventCount();

async function started(): Promise<{ ws: Workspace; out: string }> {
  const ws = workspace();
  const r = await ws.cli('start');
  expect(r.code).toBe(0);
  return { ws, out: r.out };
}

describe('start', () => {
  test('on an empty database it loads the sample corpus and says how many events it holds', async () => {
    const { ws, out } = await started();
    const n = SAMPLE_EVENTS.toLocaleString('en-US');
    expect(out).toContain(`The database was empty: loaded the bundled sample corpus (${n} events).\n`);
    expect(out).toContain(`Audit Explorer — ${n} events in ${ws.db}\n`);
    expect((await ws.cli('search', '--count', '')).out).toBe(`${SAMPLE_EVENTS}\n`);
  });

  test('prints example queries with their counts, each equal to search --count', async () => {
    const { ws, out } = await started();
    const examples = [...out.matchAll(/^ {2} *(\d+) {2}(\S.*)$/gm)].map((m) => ({
      count: m[1]!,
      query: m[2]!,
    }));
    expect(examples.length).toBeGreaterThan(0);
    for (const { count, query } of examples)
      expect((await ws.cli('search', '--count', query)).out).toBe(`${count}\n`);
  });

  test('a second start does not load the samples again', async () => {
    const { ws } = await started();
    const again = await ws.cli('start');
    expect(again.code).toBe(0);
    expect(again.out).not.toContain('The database was empty');
    expect((await ws.cli('search', '--count', '')).out).toBe(`${SAMPLE_EVENTS}\n`);
  });

  test('the first real ingest removes the samples, says so, and leaves exactly the imported events', async () => {
    const { ws } = await started();
    const r = await ws.cli('ingest', FIXTURES_DIR, '--json');
    expect(r.code).toBe(0);
    expect(r.err).toBe(
      `Removed the bundled sample corpus (${SAMPLE_EVENTS.toLocaleString('en-US')} events): this is the database's first real import.\n`,
    );
    expect(JSON.parse(r.out)).toMatchObject({ events: 8 });
    expect((await ws.cli('search', '--count', '')).out).toBe('8\n');
    expect((await ws.cli('quarantine', '--format', 'json')).out).toBe('[]\n');
  });

  test('start after a real import does not bring the samples back', async () => {
    const { ws } = await started();
    await ws.cli('ingest', FIXTURES_DIR);
    const r = await ws.cli('start');
    expect(r.out).toContain(`Audit Explorer — 8 events in ${ws.db}\n`);
    expect((await ws.cli('search', '--count', '')).out).toBe('8\n');
  });

  test('a second real ingest does not report removing samples again', async () => {
    const { ws } = await started();
    await ws.cli('ingest', FIXTURES_DIR);
    const again = await ws.cli('ingest', FIXTURES_DIR);
    expect(again.err).toBe('');
  });

  test('an ingest that fails (a path that does not exist) keeps the sample corpus', async () => {
    const { ws } = await started();
    const r = await ws.cli('ingest', path.join(ws.dir, 'typo-in-the-path'));
    expect(r.code).toBe(1);
    expect((await ws.cli('search', '--count', '')).out).toBe(`${SAMPLE_EVENTS}\n`);
  });
});
