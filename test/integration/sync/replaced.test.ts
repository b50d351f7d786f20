// A folder file replaced while it is being read (an exporter rewriting it, a rotation at the wrong
// moment): the open descriptor pins the content that was listed, which is read to its end; the new file
// is read whole on the next pass. Driven through syncSource with the real FolderSource and writer.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { createService } from '../../../electron/agent/service.ts';
import { WriterClient } from '../../../electron/agent/store/writerClient.ts';
import { FolderSource } from '../../../electron/agent/sources/folder.ts';
import type { Source } from '../../../electron/agent/sources/source.ts';
import { readEventIdKey } from '../../../electron/agent/store/eventId.ts';
import { openDatabase, type Db } from '../../../electron/agent/store/open.ts';
import { getStoredSource, objectStates } from '../../../electron/agent/store/syncRuns.ts';
import { syncSource } from '../../../electron/agent/sync/syncSource.ts';
import { FolderSourceSchema } from '../../../shared/sourceConfig.ts';
import { lines, openSyncEngine, usersOf, type SyncEngine } from './support.ts';

let engine: SyncEngine;
let writer: WriterClient | null = null;
let db: Db | null = null;

beforeEach(async () => {
  engine = await openSyncEngine();
});
afterEach(async () => {
  await writer?.close();
  db?.close();
  await engine.dispose();
});

test('a file replaced after it was opened is read as listed; the replacement is read whole next pass', async () => {
  const root = path.join(engine.dir, 'exports');
  fs.mkdirSync(root);
  const file = path.join(root, 'audit.log');
  fs.writeFileSync(file, lines('old', 50));
  await engine.add({ name: 'am', kind: 'folder', path: root });
  await engine.service.close();

  db = openDatabase(engine.dbFile, { migrate: false });
  const stored = getStoredSource(db, 'am')!;
  const config = FolderSourceSchema.parse(JSON.parse(stored.config));
  const folder = new FolderSource({ name: 'am', path: root });
  let replaced = false;
  const source: Source = {
    kind: 'folder',
    list: (o) => folder.list(o),
    test: (o) => folder.test(o),
    close: () => folder.close(),
    async open(key, options) {
      const opened = await folder.open(key, options);
      if (!replaced) {
        // Replaced between the open and the first byte read: a new file (new inode) under the name.
        replaced = true;
        fs.writeFileSync(`${file}.tmp`, lines('new', 20));
        fs.renameSync(`${file}.tmp`, file);
      }
      return opened;
    },
  };
  writer = await WriterClient.start(engine.dbFile, { command: 'test', waitMs: 5000 });
  const pass = () =>
    syncSource({
      writer: writer!,
      source,
      config,
      sourceId: stored.id,
      states: () => objectStates(db!, stored.id),
      idKey: readEventIdKey(db!),
      trigger: 'manual',
      now: Date.now,
    });
  const first = await pass();
  expect(replaced).toBe(true);
  expect(first).toMatchObject({ status: 'ok', events: 50 });
  const second = await pass();
  expect(second).toMatchObject({ status: 'ok', events: 20, objects: { changed: 1 } });
  const third = await pass();
  expect(third).toMatchObject({ events: 0, bytes: 0 });
  await writer.close();
  writer = null;
  const service = await createService({ dbFile: engine.dbFile });
  try {
    const page = await service['events.search']({
      query: '',
      limit: 1000,
      facets: false,
      histogram: false,
      raw: false,
    });
    expect(page.events.map((e) => e.user).sort()).toEqual(usersOf(['old', 50], ['new', 20]));
  } finally {
    await service.close();
  }
});
