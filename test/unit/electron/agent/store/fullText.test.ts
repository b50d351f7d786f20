import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { QueryTooCostlyError } from '../../../../../electron/agent/store/budget.ts';
import { indexedPrefixLengths } from '../../../../../electron/agent/store/fullText.ts';
import { openDatabase, type Db } from '../../../../../electron/agent/store/open.ts';
import { SearchEngine } from '../../../../../electron/agent/store/search.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function freshDb(): Db {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ae-fts-'));
  dirs.push(dir);
  return openDatabase(path.join(dir, 'audit.sqlite'));
}

describe('indexedPrefixLengths', () => {
  test('reads the lengths of every prefix= option', () => {
    expect(indexedPrefixLengths("CREATE VIRTUAL TABLE t USING fts5(text, prefix='1 3')")).toEqual(
      new Set([1, 3]),
    );
    expect(indexedPrefixLengths('CREATE VIRTUAL TABLE t USING fts5(text, prefix=2, prefix = 4)')).toEqual(
      new Set([2, 4]),
    );
    expect(indexedPrefixLengths("CREATE VIRTUAL TABLE t USING fts5(text, tokenize='unicode61')")).toEqual(
      new Set(),
    );
  });
});

describe('one-letter free-text prefixes', () => {
  test('are refused when the index has no prefix index for them (ours has none)', () => {
    const db = freshDb();
    expect(() => new SearchEngine(db).count('a*')).toThrow(QueryTooCostlyError);
    db.close();
  });

  test('run when the index keeps a one-character prefix index', () => {
    const db = freshDb();
    db.exec(`DROP TABLE events_fts;
      CREATE VIRTUAL TABLE events_fts USING fts5 (text, content = '', contentless_delete = 1, prefix = '1')`);
    expect(new SearchEngine(db).count('a*')).toBe(0);
    db.close();
  });
});
