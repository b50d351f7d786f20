// Exports walk the matches oldest first in bounded windows (store/exportScan.ts): whatever the window size,
// every match comes exactly once, in key order, including across segments that overlap in time.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase } from '../../../electron/agent/store/open.ts';
import { SearchEngine } from '../../../electron/agent/store/search.ts';
import { allPages, FIXED_NOW, ingest, openEngine, prophecyLine, writeLines, type Engine } from './support.ts';

let engine: Engine;

beforeAll(async () => {
  engine = await openEngine();
  // Three imports whose times interleave: each becomes its own segments, overlapping the others in time.
  for (let file = 0; file < 3; file++) {
    const lines = Array.from({ length: 700 }, (_, i) =>
      prophecyLine({
        ts: Date.UTC(2024, 0, 1) + (i * 3 + file) * 60_000 + (i % 5 === 0 ? 0 : 1),
        user: `u${(i + file) % 6}@x`,
        action: i % 4 === 0 ? 'releaseProject' : 'getProject',
        code: i % 9 === 0 ? 500 : 200,
        params: { word: i % 10 === 0 ? 'needle' : 'hay' },
      }),
    );
    const file_ = writeLines(path.join(engine.dir, `f${file}.ndjson`), lines);
    await ingest(engine, [file_]);
  }
  // A few without a time sort before every timed event.
  await ingest(engine, [
    writeLines(path.join(engine.dir, 'untimed.ndjson'), [
      JSON.stringify({ opType: 'Query', nameHints: ['x'], userEmail: 'u1@x', responseCode: 200 }),
    ]),
  ]);
});

afterAll(() => engine.dispose());

describe('keysAscending', () => {
  test.each([
    '',
    'outcome:failure',
    'user:u1@x',
    'needle',
    'action:releaseProject -user:u2@x',
    'after:2024-01-02',
  ])('%j: every match once, oldest first, for any window size', async (query) => {
    const expected = (await allPages(engine, query)).events.map((e) => e.id).reverse();
    const db = openDatabase(engine.dbFile, { readonly: true });
    try {
      const search = new SearchEngine(db);
      for (const chunkRows of [1, 7, 64, 100_000]) {
        db.exec('BEGIN');
        const keys: number[] = [];
        let largest = 0;
        for (const chunk of search.keysAscending(query, FIXED_NOW, chunkRows)) {
          keys.push(...chunk);
          largest = Math.max(largest, chunk.length);
        }
        db.exec('COMMIT');
        expect(keys).toEqual([...keys].sort((a, b) => a - b));
        expect(search.events(keys, false).map((e) => e.id)).toEqual(expected);
        // A window holds at most chunkRows rows (plus one per segment when a single key is wider).
        expect(largest).toBeLessThanOrEqual(Math.max(chunkRows, 30));
      }
    } finally {
      db.close();
    }
  });
});
