// Acceptance 3: identical lines are one event. Repeats across files, whole re-exported files and re-ingested
// folders store nothing new; `duplicates` counts every repeat and the totals do not move.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import {
  allPages,
  count,
  graviteeLine,
  ingest,
  openEngine,
  prophecyLine,
  writeLines,
  type Engine,
} from './support.ts';

const T0 = Date.UTC(2024, 1, 10, 9, 0, 0, 0);
const L = (n: number) =>
  prophecyLine({ ts: T0 + n * 60_000, user: `dup${n}@acme.example`, action: 'getDetails' });

let engine: Engine;
let data: string;

beforeEach(async () => {
  engine = await openEngine();
  data = path.join(engine.dir, 'data');
});

afterEach(async () => {
  await engine.dispose();
});

const totals = (s: { events: number; duplicates: number }) => [s.events, s.duplicates];

test('the same line in two files is stored once and counted as one duplicate', async () => {
  writeLines(path.join(data, 'a.ndjson'), [L(1), L(2), L(3)]);
  writeLines(path.join(data, 'b.ndjson'), [L(3), L(4)]);
  const summary = await ingest(engine, [data]);
  expect(totals(summary)).toEqual([4, 1]);
  expect(await count(engine, '')).toBe(4);
  expect(await count(engine, 'user:dup3@acme.example')).toBe(1);
  expect(summary.perObject.map((o) => [path.basename(o.key), o.events, o.duplicates])).toEqual([
    ['a.ndjson', 3, 0],
    ['b.ndjson', 1, 1],
  ]);
});

test('a whole file copied under another name adds no events; each of its lines is a duplicate', async () => {
  const original = writeLines(path.join(data, 'a.ndjson'), [L(1), L(2), L(3)]);
  fs.copyFileSync(original, path.join(data, 'a-reexport.ndjson'));
  const summary = await ingest(engine, [data]);
  expect(totals(summary)).toEqual([3, 3]);
  expect(await count(engine, '')).toBe(3);
  // The events keep the object they were first read from.
  const { events } = await allPages(engine, '');
  expect(new Set(events.map((e) => path.basename(e.object)))).toEqual(new Set(['a-reexport.ndjson']));
});

test('repeats inside one file are one event', async () => {
  writeLines(path.join(data, 'a.ndjson'), [L(1), L(1), L(2), L(1)]);
  const summary = await ingest(engine, [data]);
  expect(totals(summary)).toEqual([2, 2]);
  expect(await count(engine, 'user:dup1@acme.example')).toBe(1);
});

test('re-ingesting the same folder stores nothing new and counts every line again as a duplicate', async () => {
  writeLines(path.join(data, 'a.ndjson'), [L(1), L(2), L(3)]);
  writeLines(path.join(data, 'b.ndjson'), [L(3), L(4)]);
  fs.copyFileSync(path.join(data, 'a.ndjson'), path.join(data, 'c.ndjson'));
  const first = await ingest(engine, [data]);
  const before = await engine.service['events.search']({ query: '', limit: 100 });
  const second = await ingest(engine, [data]);
  const after = await engine.service['events.search']({ query: '', limit: 100 });
  expect([totals(first), totals(second)]).toEqual([
    [4, 4],
    [0, 8],
  ]);
  expect(after.total).toBe(4);
  expect({ events: after.events, facets: after.facets, histogram: after.histogram }).toEqual({
    events: before.events,
    facets: before.facets,
    histogram: before.histogram,
  });
  const stats = await engine.service['stats.get']({});
  expect([stats.events, stats.duplicates]).toEqual([4, 12]);
});

test('a line repeated with a BOM, CRLF or surrounding whitespace is the same event', async () => {
  writeLines(path.join(data, 'a.ndjson'), [L(1), L(2)]);
  writeLines(path.join(data, 'b.ndjson'), [`  ${L(1)}\t`, L(2)], { bom: true, eol: '\r\n' });
  const summary = await ingest(engine, [data]);
  expect(totals(summary)).toEqual([2, 2]);
});

test('lines with the same content in a different key order are different events (identity is the line)', async () => {
  const one = '{"opType": "Query", "createdAt": 1707555600000, "nameHints": ["User"], "userEmail": "k@x.io"}';
  const two = '{"nameHints": ["User"], "opType": "Query", "createdAt": 1707555600000, "userEmail": "k@x.io"}';
  writeLines(path.join(data, 'a.ndjson'), [one, two]);
  const summary = await ingest(engine, [data]);
  expect(totals(summary)).toEqual([2, 0]);
});

test('thousands of distinct events in one millisecond are all kept, and all recognised when re-ingested', async () => {
  // More events than a millisecond has key slots (2048): keys spill over, identity must still hold.
  const lines = Array.from({ length: 2100 }, (_, i) =>
    graviteeLine({ ts: T0, user: `burst${i}@acme.example`, type: 'USER_LOGIN', txn: `burst-${i}` }),
  );
  writeLines(path.join(data, 'burst.ndjson'), lines);
  const first = await ingest(engine, [data]);
  const second = await ingest(engine, [data]);
  expect([totals(first), totals(second)]).toEqual([
    [2100, 0],
    [0, 2100],
  ]);
  expect(await count(engine, '')).toBe(2100);
  expect(await count(engine, 'user:burst2099@acme.example')).toBe(1);
});
