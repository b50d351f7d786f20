// One service answering searches while ingest runs, retention and the sample corpus change the store
// underneath it: every answer must describe the database as it is now.
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import {
  allPages,
  count,
  eventIdOf,
  ingest,
  openEngine,
  prophecyLine,
  writeLines,
  type Engine,
} from './support.ts';

const T = Date.UTC(2024, 1, 1, 0, 0, 0, 0);

let engine: Engine;

beforeEach(async () => {
  engine = await openEngine();
});

afterEach(async () => {
  await engine.dispose();
});

const runLines = (run: number) =>
  Array.from({ length: 3 }, (_, i) =>
    prophecyLine({ ts: T + run * 60_000 + i, user: `run${run}@acme.example`, action: 'getDetails' }),
  );

test('totals stay right over many separate ingest runs with searches in between', async () => {
  const totals: number[] = [];
  const pages: number[] = [];
  for (let run = 0; run < 12; run++) {
    const dir = path.join(engine.dir, `run${run}`);
    writeLines(path.join(dir, 'events.ndjson'), runLines(run));
    await ingest(engine, [dir]);
    const result = await engine.service['events.search']({ query: '', limit: 100, facets: false });
    totals.push(result.total);
    pages.push(result.events.length);
  }
  const expected = Array.from({ length: 12 }, (_, run) => (run + 1) * 3);
  expect(totals).toEqual(expected);
  expect(pages).toEqual(expected);
});

test('every event of many separate runs is found, with its own user', async () => {
  for (let run = 0; run < 12; run++) {
    const dir = path.join(engine.dir, `run${run}`);
    writeLines(path.join(dir, 'events.ndjson'), runLines(run));
    await ingest(engine, [dir]);
    await count(engine, '');
  }
  const perUser: number[] = [];
  for (let run = 0; run < 12; run++) perUser.push(await count(engine, `user:run${run}@acme.example`));
  expect(perUser).toEqual(Array<number>(12).fill(3));
  const { events } = await allPages(engine, '', 10);
  const expected = Array.from({ length: 12 }, (_, run) =>
    runLines(run).map((l) => eventIdOf(engine.dbFile, l)),
  ).flat();
  expect(events.map((e) => e.id).sort()).toEqual(expected.sort());
});

test('the first real import replaces the sample corpus: only the imported events are shown, with their source', async () => {
  const sample = await engine.service['samples.load']({});
  expect(sample.alreadyLoaded).toBe(false);
  // The user looks at the samples first.
  expect(await count(engine, '')).toBe(sample.events);
  const dir = path.join(engine.dir, 'mine');
  const lines = [...runLines(1), ...runLines(2)];
  const file = writeLines(path.join(dir, 'events.ndjson'), lines);
  const summary = await ingest(engine, [dir]);
  expect([summary.events, summary.sampleEventsRemoved]).toEqual([6, sample.events]);

  const result = await engine.service['events.search']({ query: '', limit: 100, facets: ['source'] });
  expect(result.total).toBe(6);
  expect(result.facets.source).toEqual({ values: [{ value: 'import', count: 6 }], other: 0, distinct: 1 });
  expect(
    result.events.map((e) => [e.id, e.source, e.object, e.raw]).sort((a, b) => a[0]!.localeCompare(b[0]!)),
  ).toEqual(
    lines
      .map((l) => [eventIdOf(engine.dbFile, l), 'import', file, l])
      .sort((a, b) => a[0]!.localeCompare(b[0]!)),
  );
  expect(await count(engine, 'source:sample')).toBe(0);
});
