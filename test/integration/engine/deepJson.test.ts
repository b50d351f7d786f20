// Issue 7, item 6: a line nested 5,000 levels deep (30 KB) is one quarantined line; the 100 good lines
// after it are imported, and the file is not an error.
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { count, ingest, openEngine, prophecyLine, quarantine, writeLines, type Engine } from './support.ts';

const T0 = Date.UTC(2024, 2, 1, 8, 0, 0, 0);
const good = (n: number) =>
  prophecyLine({ ts: T0 + n * 1000, user: `d${n}@deep.test`, action: 'getDetails' });

let engine: Engine;
beforeEach(async () => {
  engine = await openEngine();
});
afterEach(async () => {
  await engine.dispose();
});

test('lines nested 5,000 deep are quarantined with the reason and every good line after them is kept', async () => {
  const deep = [
    '{"a":'.repeat(5000) + '1' + '}'.repeat(5000),
    '[' + '['.repeat(5000) + '1' + ']'.repeat(5000) + ']',
    prophecyLine({ ts: T0, user: 'deep@deep.test', action: 'getDetails', params: {} }).replace(
      '"requestParams":{}',
      `"requestParams":${'{"a":'.repeat(5000)}{"password":"hunter2"}${'}'.repeat(5000)}`,
    ),
  ];
  const lines: string[] = [];
  for (const line of deep) {
    lines.push(line);
    for (let i = 0; i < 100; i++) lines.push(good(lines.length));
  }
  const file = writeLines(path.join(engine.dir, 'data', 'deep.ndjson'), lines);

  const summary = await ingest(engine, [file]);

  expect([summary.events, summary.quarantined, summary.errors]).toEqual([300, 3, 0]);
  expect(await count(engine, 'user:d*')).toBe(300);
  const { entries } = await quarantine(engine);
  expect(entries.map((e) => [e.line, e.reason])).toEqual([
    [1, 'nested deeper than 256 levels'],
    [102, 'not a JSON object (found an array)'],
    [203, 'nested deeper than 256 levels'],
  ]);
  expect(entries.every((e) => e.excerpt.length <= 1024 && !e.excerpt.includes('hunter2'))).toBe(true);
});
