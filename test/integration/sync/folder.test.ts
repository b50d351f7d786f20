// Sync of folder sources (DESIGN §6 "Folder sources"): a file that grows is read from its stored offset,
// a rotated file loses and doubles nothing, a file replaced while being read is re-read next pass.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { acquireWriterLock } from '../../../electron/agent/store/writerLock.ts';
import { lines, openSyncEngine, usersOf, type SyncEngine } from './support.ts';

let engine: SyncEngine;
let root: string;

beforeEach(async () => {
  engine = await openSyncEngine();
  root = path.join(engine.dir, 'exports');
  fs.mkdirSync(root);
});

afterEach(async () => {
  await engine.dispose();
});

const addFolder = (extra: Record<string, unknown> = {}) =>
  engine.add({ name: 'gravitee', kind: 'folder', path: root, ...extra });

describe('folder sync', () => {
  test('first sync reads everything; a second pass reads nothing', async () => {
    fs.writeFileSync(path.join(root, 'a.ndjson'), lines('a', 30));
    fs.writeFileSync(path.join(root, 'b.ndjson'), lines('b', 20));
    await addFolder();
    const first = await engine.sync('gravitee');
    expect(first).toMatchObject({
      status: 'ok',
      events: 50,
      duplicates: 0,
      objects: { listed: 2, new: 2, changed: 0, skipped: 0, failed: 0 },
    });
    const second = await engine.sync('gravitee');
    expect(second).toMatchObject({
      status: 'ok',
      events: 0,
      duplicates: 0,
      bytes: 0,
      objects: { listed: 2, new: 0, changed: 0, skipped: 2 },
    });
    expect(await engine.users()).toEqual(usersOf(['a', 30], ['b', 20]));
  });

  test('a grown file is read from its stored offset: only the tail, only new events', async () => {
    const file = path.join(root, 'audit.log');
    fs.writeFileSync(file, lines('g', 10));
    await addFolder();
    await engine.sync('gravitee');
    const tail = lines('g', 5, 10);
    fs.appendFileSync(file, tail);
    const pass = await engine.sync('gravitee');
    expect(pass).toMatchObject({
      events: 5,
      duplicates: 0,
      bytes: Buffer.byteLength(tail),
      objects: { changed: 1 },
    });
    expect(await engine.users()).toEqual(usersOf(['g', 15]));
  });

  test('an unterminated last line is read again once the line is finished, and counted once', async () => {
    const file = path.join(root, 'audit.log');
    const all = lines('u', 4);
    const cut = all.length - 10; // inside the last line
    fs.writeFileSync(file, all.slice(0, cut));
    await addFolder();
    const first = await engine.sync('gravitee');
    // The file was just written: its half line is left for later, neither read nor quarantined.
    expect(first).toMatchObject({ events: 3, quarantined: 0 });
    fs.appendFileSync(file, all.slice(cut));
    const second = await engine.sync('gravitee');
    expect(second.events).toBe(1);
    expect(second.bytes).toBe(
      Buffer.byteLength(all) - Buffer.byteLength(all.split('\n').slice(0, 3).join('\n') + '\n'),
    );
    expect(await engine.users()).toEqual(usersOf(['u', 4]));
  });

  test('a finished file without a final newline has its last line read', async () => {
    const file = path.join(root, 'done.log');
    fs.writeFileSync(file, lines('n', 3).trimEnd());
    const old = new Date(Date.now() - 3600_000);
    fs.utimesSync(file, old, old);
    await addFolder();
    expect((await engine.sync('gravitee')).events).toBe(3);
    // Its checkpoint stays before that line: when the file grows, the line is read again (a duplicate).
    fs.appendFileSync(file, '\n' + lines('n', 1, 3));
    expect(await engine.sync('gravitee')).toMatchObject({ events: 1, duplicates: 1 });
    expect(await engine.users()).toEqual(usersOf(['n', 4]));
  });

  test('rotation (rename, new file under the old name) loses and doubles nothing', async () => {
    const file = path.join(root, 'audit.log');
    fs.writeFileSync(file, lines('r', 10));
    await addFolder();
    await engine.sync('gravitee');
    fs.appendFileSync(file, lines('r', 3, 10)); // written after the pass, before the rotation
    fs.renameSync(file, path.join(root, 'audit.log.1'));
    fs.writeFileSync(file, lines('r', 4, 13));
    const pass = await engine.sync('gravitee');
    expect(pass.events).toBe(7);
    expect(await engine.users()).toEqual(usersOf(['r', 17]));
    expect((await engine.sync('gravitee')).events).toBe(0);
  });

  test('gzip files are found by their bytes, and a grown gzip file is read whole again, skipping what was stored', async () => {
    const file = path.join(root, 'export'); // no .gz: found by magic bytes
    fs.writeFileSync(file, zlib.gzipSync(lines('z', 8)));
    await addFolder();
    expect((await engine.sync('gravitee')).events).toBe(8);
    // A second gzip member appended: the same inode, grown.
    fs.appendFileSync(file, zlib.gzipSync(lines('z', 2, 8)));
    const pass = await engine.sync('gravitee');
    expect(pass).toMatchObject({ events: 2, duplicates: 0 });
    expect(await engine.users()).toEqual(usersOf(['z', 10]));
    const objects = await engine.service['sync.objects']({ source: 'gravitee' });
    expect(objects[0]).toMatchObject({ lines: 10, status: 'done' });
    // Recorded as compressed, so a resume re-reads it whole; its offset is the object's own size.
    const db = new Database(engine.dbFile, { readonly: true });
    try {
      expect(db.prepare('SELECT compressed, bytes_read FROM objects').get()).toEqual({
        compressed: 1,
        bytes_read: fs.statSync(file).size,
      });
    } finally {
      db.close();
    }
  });

  test('progress events name the source and the run', async () => {
    fs.writeFileSync(path.join(root, 'a.ndjson'), lines('p', 20));
    await addFolder();
    const seen: unknown[] = [];
    const stop = engine.service.subscribe((e) => {
      if (e.name === 'sync.progress') seen.push(e.payload);
    });
    const pass = await engine.sync('gravitee');
    stop();
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.at(-1)).toMatchObject({
      source: 'gravitee',
      run: pass.run,
      objects: 1,
      objectsToRead: 1,
      events: 20,
    });
    const runs = await engine.service['sync.runs']({ source: 'gravitee' });
    expect(runs[0]).toMatchObject({
      id: pass.run,
      status: 'ok',
      trigger: 'manual',
      listed: 1,
      new: 1,
      events: 20,
    });
    expect(runs[0]!.finishedAt).not.toBeNull();
  });

  test('a corrupt object among good ones is recorded with its error and does not stop the pass', async () => {
    fs.writeFileSync(path.join(root, 'a.ndjson'), lines('a', 5));
    const broken = zlib.gzipSync(lines('bad', 50));
    fs.writeFileSync(path.join(root, 'b.ndjson.gz'), broken.subarray(0, broken.length - 30));
    fs.writeFileSync(path.join(root, 'c.ndjson'), lines('c', 5));
    await addFolder();
    const pass = await engine.sync('gravitee');
    expect(pass.status).toBe('partial');
    expect(pass.objects).toMatchObject({ listed: 3, failed: 1 });
    expect(pass.errors).toHaveLength(1);
    expect(pass.errors[0]!.object).toBe('b.ndjson.gz');
    const users = await engine.users();
    expect(users.filter((u) => !u.startsWith('bad'))).toEqual(usersOf(['a', 5], ['c', 5]));
    const objects = await engine.service['sync.objects']({ source: 'gravitee' });
    expect(objects[0]).toMatchObject({ key: 'b.ndjson.gz', status: 'error', attempts: 1 });
  });

  test('include globs select objects below the prefix', async () => {
    fs.mkdirSync(path.join(root, 'audit', 'sub'), { recursive: true });
    fs.writeFileSync(path.join(root, 'audit', 'a.ndjson'), lines('a', 2));
    fs.writeFileSync(path.join(root, 'audit', 'sub', 'b.ndjson'), lines('b', 2));
    fs.writeFileSync(path.join(root, 'audit', 'c.txt'), lines('c', 2));
    fs.writeFileSync(path.join(root, 'other.ndjson'), lines('o', 2));
    await addFolder({ prefix: 'audit/', include: '**/*.ndjson' });
    const pass = await engine.sync('gravitee');
    expect(pass.objects.listed).toBe(2);
    expect(await engine.users()).toEqual(usersOf(['a', 2], ['b', 2]));
  });

  test('objects modified within the settle time wait for the next pass', async () => {
    await engine.dispose();
    let now = Date.now();
    engine = await openSyncEngine({ now: () => now, sync: { settleMs: 60_000 } });
    root = path.join(engine.dir, 'exports');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'a.ndjson'), lines('a', 3));
    await addFolder();
    const early = await engine.sync('gravitee');
    expect(early).toMatchObject({ events: 0, objects: { listed: 1, skipped: 1 } });
    now += 120_000;
    expect((await engine.sync('gravitee')).events).toBe(3);
  });

  test('a pass that waited long for another writer lists again: a file added meanwhile is read in that pass', async () => {
    await engine.dispose();
    let now = Date.now();
    engine = await openSyncEngine({ now: () => now });
    root = path.join(engine.dir, 'exports');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'a.ndjson'), lines('a', 3));
    await addFolder();
    // Another writer (here: this thread) holds the database; the pass lists while it waits for it.
    const lock = await acquireWriterLock(engine.dbFile, { command: 'test', timeoutMs: 0 });
    const waiting = new Promise<void>((resolve) =>
      engine.service.subscribe((event) => event.name === 'writer.waiting' && resolve()),
    );
    const passing = engine.sync('gravitee');
    try {
      await waiting;
      await sleep(500); // the listing of one file is done by now
      fs.writeFileSync(path.join(root, 'b.ndjson'), lines('b', 2));
      now += 60_000;
    } finally {
      lock.release();
    }
    const pass = await passing;
    expect(pass).toMatchObject({ status: 'ok', events: 5, objects: { listed: 2, new: 2 } });
    expect(await engine.users()).toEqual(usersOf(['a', 3], ['b', 2]));
  });
});
