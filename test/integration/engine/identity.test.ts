// Issue 7.1: an event id reveals nothing of a redacted value. Ids are keyed with a secret of the database
// (eventId.ts): a plain SHA-256 of a stored or exported line is not its id, so hashing guesses of a redacted
// password cannot confirm one; the same line is still the same event in the same database, across files,
// runs and reopenings.
import { createHash, createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { EventIdHasher } from '../../../electron/agent/store/eventId.ts';
import {
  allPages,
  count,
  eventIdOf,
  idKeyOf,
  ingest,
  openEngine,
  plainDigestOf,
  prophecyLine,
  writeLines,
  type Engine,
} from './support.ts';

const T0 = Date.UTC(2024, 2, 5, 10, 0, 0, 0);
const LINE = prophecyLine({ ts: T0, user: 'id@acme.example', action: 'getDetails', payload: 'idword' });

let engine: Engine;
let data: string;

beforeEach(async () => {
  engine = await openEngine();
  data = path.join(engine.dir, 'data');
});

afterEach(async () => {
  await engine.dispose();
});

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

test('the id of a stored event is not a plain SHA-256 of its line (whole or truncated), but the keyed hash', async () => {
  writeLines(path.join(data, 'a.ndjson'), [LINE]);
  await ingest(engine, [data]);
  const [event] = (await allPages(engine, '')).events;
  expect(event!.raw).toBe(LINE);
  const plain = sha256Hex(event!.raw!);
  expect(event!.id).toMatch(/^[0-9a-f]{32}$/);
  expect(plain.startsWith(event!.id.slice(0, 16))).toBe(false);
  expect(event!.id).not.toBe(plainDigestOf(LINE).toString('hex'));
  expect(event!.id).toBe(eventIdOf(engine.dbFile, LINE));
});

test('the keyed hash written out for speed is HMAC-SHA-256 as node:crypto computes it', () => {
  const key = Buffer.alloc(32, 7);
  const hasher = new EventIdHasher(key.toString('hex'));
  for (const line of [LINE, '', 'é ünïcödé \u{1F600}', 'x'.repeat(5000)]) {
    const digest = createHash('sha256').update(line, 'utf8').digest().subarray(0, 16);
    const hmac = createHmac('sha256', key).update(digest).digest().subarray(0, 16);
    expect(Buffer.from(hasher.ofLine(line), 'latin1').toString('hex')).toBe(hmac.toString('hex'));
  }
});

test('the same line in two files and in a later run (after reopening the database) is one event', async () => {
  writeLines(path.join(data, 'a.ndjson'), [LINE]);
  writeLines(path.join(data, 'b.ndjson'), [LINE]);
  const first = await ingest(engine, [data]);
  await engine.close();
  const again = await openEngine(engine.dir);
  try {
    writeLines(path.join(engine.dir, 'later', 'c.ndjson'), [LINE]);
    const second = await ingest(again, [path.join(engine.dir, 'later')]);
    expect([first.events, first.duplicates, second.events, second.duplicates]).toEqual([1, 1, 0, 1]);
    expect(await count(again, 'idword')).toBe(1);
  } finally {
    await again.close();
  }
});

test('two databases give the same line different ids (each has its own key)', async () => {
  writeLines(path.join(data, 'a.ndjson'), [LINE]);
  await ingest(engine, [data]);
  const other = await openEngine();
  try {
    await ingest(other, [data]);
    const ids = [(await allPages(engine, '')).events[0]!.id, (await allPages(other, '')).events[0]!.id];
    expect(ids[0]).not.toBe(ids[1]);
    expect(idKeyOf(engine.dbFile).equals(idKeyOf(other.dbFile))).toBe(false);
  } finally {
    await other.dispose();
  }
});

test('the key is 32 random bytes that no search, export or stats output contains', async () => {
  writeLines(path.join(data, 'a.ndjson'), [LINE, 'not json']);
  await ingest(engine, [data]);
  const key = idKeyOf(engine.dbFile);
  expect(key).toHaveLength(32);
  const outputs = JSON.stringify([
    await engine.service['events.search']({ query: '', limit: 10 }),
    await engine.service['stats.get']({}),
    await engine.service['quarantine.list']({ limit: 10 }),
  ]);
  expect(outputs).not.toContain(key.toString('hex'));
  expect(outputs.toLowerCase()).not.toContain('event_id_key');
  expect(fs.existsSync(engine.dbFile)).toBe(true);
});
