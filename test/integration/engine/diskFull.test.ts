/**
 * A full disk during an import (issue 7, items 4 and 9): the write in progress rolls back, nothing stored
 * before is lost, the error says so and what to do, and the interrupted object is marked failed with the
 * reason instead of staying `reading`. The disk is "filled" with PRAGMA max_page_count on the writer.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { describeError } from '../../../electron/agent/errors.ts';
import { createService } from '../../../electron/agent/service.ts';
import { FIXED_NOW, makeTempDir, prophecyLine, writeLines } from './support.ts';

let dir: string;

beforeEach(() => {
  dir = makeTempDir();
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function lines(n: number, from: number): string[] {
  const out: string[] = [];
  for (let i = from; i < from + n; i++)
    out.push(
      prophecyLine({
        ts: Date.UTC(2024, 0, 1) + i * 1000,
        user: `user${i}@acme.example`,
        action: `act${i % 97}`,
      }),
    );
  return out;
}

test('a full disk mid-import: nothing stored is lost, the message says so, the object is marked failed', async () => {
  const dbFile = path.join(dir, 'audit.sqlite');
  writeLines(path.join(dir, 'small', 'a.ndjson'), lines(200, 0));
  writeLines(path.join(dir, 'big', 'b.ndjson'), lines(60_000, 1000));

  const first = await createService({ dbFile, now: () => FIXED_NOW });
  await first['ingest.paths']({ paths: [path.join(dir, 'small')] });
  await first.close();
  const raw = new Database(dbFile, { readonly: true });
  const pages = raw.pragma('page_count', { simple: true }) as number;
  raw.close();

  // Room for a few hundred KB more: the big file's first batch does not fit.
  const full = await createService({ dbFile, now: () => FIXED_NOW, maxDatabasePages: pages + 60 });
  let error: unknown;
  try {
    await full['ingest.paths']({ paths: [path.join(dir, 'big')] });
  } catch (e) {
    error = e;
  }
  await full.close();
  const info = describeError(error);
  expect(info.code).toBe('disk_full');
  expect(info.message).toContain('is full');
  expect(info.message).toContain('nothing stored before it was lost');
  expect(info.message).toContain('Free some space');
  expect(info.message).not.toContain('SQLITE');

  const after = await createService({ dbFile, now: () => FIXED_NOW });
  try {
    const stats = await after['stats.get']({});
    expect(stats.events).toBeGreaterThanOrEqual(200);
    expect((await after['events.count']({ query: '' })).total).toBe(stats.events);
    expect(stats.objectErrors).toBe(1);
    // Every event of the small file is still there.
    expect((await after['events.count']({ query: 'user:user199@acme.example' })).total).toBe(1);
    // Space freed (no cap): the same import completes, exactly.
    const again = await after['ingest.paths']({ paths: [path.join(dir, 'big')] });
    expect(again.errors).toBe(0);
    expect((await after['stats.get']({})).events).toBe(60_200);
    expect((await after['stats.get']({})).objectErrors).toBe(0);
  } finally {
    await after.close();
  }
  const db = new Database(dbFile, { readonly: true });
  const objects = db.prepare('SELECT key, status, error FROM objects ORDER BY key').all();
  db.close();
  expect(objects).toEqual([
    { key: path.join(dir, 'big', 'b.ndjson'), status: 'done', error: null },
    { key: path.join(dir, 'small', 'a.ndjson'), status: 'done', error: null },
  ]);
}, 120_000);

test('after a full disk, stats counts the interrupted object as failed with the reason', async () => {
  const dbFile = path.join(dir, 'audit.sqlite');
  writeLines(path.join(dir, 'small', 'a.ndjson'), lines(200, 0));
  writeLines(path.join(dir, 'big', 'b.ndjson'), lines(60_000, 1000));
  const first = await createService({ dbFile, now: () => FIXED_NOW });
  await first['ingest.paths']({ paths: [path.join(dir, 'small')] });
  await first.close();
  const raw = new Database(dbFile, { readonly: true });
  const pages = raw.pragma('page_count', { simple: true }) as number;
  raw.close();

  // Room for one batch or two: the object has committed lines, then the disk fills.
  const full = await createService({ dbFile, now: () => FIXED_NOW, maxDatabasePages: pages + 1200 });
  await expect(full['ingest.paths']({ paths: [path.join(dir, 'big')] })).rejects.toThrow(/is full/);
  await full.close();

  const db = new Database(dbFile, { readonly: true });
  const row = db
    .prepare('SELECT status, error, lines FROM objects WHERE key = ?')
    .get(path.join(dir, 'big', 'b.ndjson')) as { status: string; error: string; lines: number } | undefined;
  const events = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
  db.close();
  expect(row?.status).toBe('error');
  expect(row?.error).toContain('is full');
  expect(row!.lines).toBeGreaterThan(0);
  expect(events).toBeGreaterThan(200);
}, 120_000);
