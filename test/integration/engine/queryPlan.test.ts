// Acceptance 9: the SQL of the engine's hot paths is answered through the primary key or an index (FTS5
// included), never by scanning a table. The statements are read from the engine's source files, so this
// tests the SQL that actually runs.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openDatabase, type Db } from '../../../electron/agent/store/open.ts';
import { graviteeLine, ingest, openEngine, prophecyLine, writeLines, type Engine } from './support.ts';

const STORE = fileURLToPath(new URL('../../../electron/agent/store/', import.meta.url));

/** The SQL string literals of a source file (plain ones: no `${…}`), whitespace collapsed. */
function sqlLiterals(file: string): string[] {
  const text = fs.readFileSync(path.join(STORE, file), 'utf8');
  const literals: string[] = [];
  for (const m of text.matchAll(/`([^`]*)`|'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"/g)) {
    const body = m[1] ?? m[2] ?? m[3] ?? '';
    if (body.includes('${')) continue;
    if (!/^\s*(SELECT|INSERT|UPDATE|DELETE)\b/i.test(body)) continue;
    literals.push(body.replace(/\s+/g, ' ').trim());
  }
  return literals;
}

/** The one statement of `file` matching `pattern`; fails when the source no longer has it. */
function statement(file: string, pattern: RegExp): string {
  const found = sqlLiterals(file).filter((sql) => pattern.test(sql));
  expect(found, `SQL matching ${pattern} in ${file}`).not.toHaveLength(0);
  return found[0]!;
}

function plan(db: Db, sql: string): string[] {
  const params = (sql.match(/\?/g) ?? []).map(() => 1);
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map(
    (r) => r.detail,
  );
}

/** No step of the plan reads a whole table or sorts in a temp b-tree. */
function expectNoScan(steps: readonly string[]): void {
  for (const step of steps) {
    expect(step).not.toMatch(/^SCAN (?!\S+ VIRTUAL TABLE INDEX)/);
    expect(step).not.toMatch(/USE TEMP B-TREE/);
  }
}

let engine: Engine;
let db: Db;

beforeEach(async () => {
  engine = await openEngine();
  const t = Date.UTC(2024, 2, 1);
  writeLines(
    path.join(engine.dir, 'data', 'a.ndjson'),
    Array.from({ length: 200 }, (_, i) =>
      i % 2 === 0
        ? prophecyLine({ ts: t + i * 1000, user: `u${i % 17}@acme.example`, action: 'getDetails' })
        : graviteeLine({
            ts: t + i * 1000,
            user: `u${i % 13}@acme.example`,
            type: 'USER_LOGIN',
            txn: `t-${i}`,
          }),
    ),
  );
  await ingest(engine, [path.join(engine.dir, 'data')]);
  await engine.close();
  db = openDatabase(engine.dbFile, { readonly: true });
});

afterEach(async () => {
  db.close();
  await engine.dispose();
});

describe('hot paths use the primary key or an index', () => {
  test('the page fetch of one event by key is a primary-key search', () => {
    const sql = statement('search.ts', /^SELECT .+ FROM events WHERE pos = \?$/);
    const steps = plan(db, sql);
    expect(steps).toEqual(['SEARCH events USING INTEGER PRIMARY KEY (rowid=?)']);
  });

  test('the full-text match within a key range uses the FTS index with the rowid bounds, in rowid order', () => {
    const sql = statement(
      'plan.ts',
      /FROM events_fts WHERE events_fts MATCH \? AND rowid >= \? AND rowid < \?/,
    );
    const steps = plan(db, sql);
    expect(steps).toHaveLength(1);
    // FTS5 index string: M = MATCH, > and < = the rowid bounds passed to the index.
    expect(steps[0]).toMatch(
      /^SCAN events_fts VIRTUAL TABLE INDEX \d+:M\d*.*>.*<|^SCAN events_fts VIRTUAL TABLE INDEX \d+:M\d*.*<.*>/,
    );
    expectNoScan(steps);
  });

  test('the dictionary look-up by folded value uses the folded index', () => {
    const sql = statement('dict.ts', /^SELECT id FROM dict WHERE field = \? AND folded = \?$/);
    expect(plan(db, sql)).toEqual(['SEARCH dict USING COVERING INDEX dict_by_folded (field=? AND folded=?)']);
  });

  test('the dictionary look-up by folded prefix uses the folded index as a range', () => {
    const sql = statement(
      'dict.ts',
      /^SELECT id FROM dict WHERE field = \? AND folded >= \? AND folded < \?$/,
    );
    expect(plan(db, sql)).toEqual([
      'SEARCH dict USING COVERING INDEX dict_by_folded (field=? AND folded>? AND folded<?)',
    ]);
  });

  test('reading dictionary values by id is a primary-key search', () => {
    const sql = statement('dict.ts', /^SELECT id, value FROM dict WHERE field = \? AND id >= \?$/);
    expect(plan(db, sql)).toEqual(['SEARCH dict USING PRIMARY KEY (field=? AND id>?)']);
  });

  test('the retention chunk select is a primary-key range in key order, held events found by index', () => {
    const sql = statement('retention.ts', /^SELECT pos, blk FROM events WHERE pos >= \? AND pos < \?/);
    const steps = plan(db, sql);
    expect(steps).toEqual([
      'SEARCH events USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)',
      'CORRELATED SCALAR SUBQUERY 1',
      'SEARCH h USING COVERING INDEX pinned_events_by_pos (pos=?)',
    ]);
  });

  test('the retention deletes, and every other delete of the store, find their rows by key', () => {
    statement('retention.ts', /^DELETE FROM events WHERE pos = \?$/);
    statement('retention.ts', /^DELETE FROM events_fts WHERE rowid = \?$/);
    const files = fs.readdirSync(STORE).filter((f) => f.endsWith('.ts'));
    const deletes = files.flatMap((f) => sqlLiterals(f)).filter((sql) => /^DELETE FROM \S+ WHERE/.test(sql));
    const slow = deletes.flatMap((sql) =>
      plan(db, sql)
        .filter((step) => /^SCAN (?!\S+ VIRTUAL TABLE INDEX)|USE TEMP B-TREE/.test(step))
        .map((step) => `${sql} → ${step}`),
    );
    expect(slow).toEqual([]);
  });

  test('the writer’s duplicate probe reads the existing event by key', () => {
    const sql = statement('writeBatch.ts', /^SELECT id FROM events WHERE pos = \?$/);
    expect(plan(db, sql)).toEqual(['SEARCH events USING INTEGER PRIMARY KEY (rowid=?)']);
  });

  test('a raw block is read by its key', () => {
    const sql = statement('rawBlocks.ts', /^SELECT data FROM raw_blocks WHERE id = \?$/);
    expect(plan(db, sql)).toEqual(['SEARCH raw_blocks USING INTEGER PRIMARY KEY (rowid=?)']);
  });

  test('no SELECT in the search path reads a whole table', () => {
    const statements = [
      ...sqlLiterals('search.ts'),
      ...sqlLiterals('plan.ts'),
      ...sqlLiterals('dict.ts'),
    ].filter((sql) => /^SELECT\b/.test(sql) && /\bWHERE\b/.test(sql));
    expect(statements.length).toBeGreaterThan(5);
    const scans = statements.flatMap((sql) =>
      plan(db, sql)
        .filter((step) => /^SCAN (?!\S+ VIRTUAL TABLE INDEX)|USE TEMP B-TREE/.test(step))
        .map((step) => `${sql} → ${step}`),
    );
    expect(scans).toEqual([]);
  });
});
