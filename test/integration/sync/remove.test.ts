// Removing a source (sources.remove): with --delete-events its events go, except those an investigation
// pins (evidence, as retention keeps them); the same source added again reads every object afresh.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { lines, openSyncEngine, usersOf, type SyncEngine } from './support.ts';

let engine: SyncEngine;
let root: string;

beforeEach(async () => {
  engine = await openSyncEngine();
  root = path.join(engine.dir, 'exports');
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(root, 'a.ndjson'), lines('a', 10));
  fs.writeFileSync(path.join(root, 'b.ndjson'), lines('b', 5));
});
afterEach(async () => {
  await engine.dispose();
});

const config = () => ({ name: 'gravitee', kind: 'folder', path: root });

test('remove with its events keeps the pinned ones, with their provenance; added again, counts are exact', async () => {
  await engine.add(config());
  expect(await engine.sync('gravitee')).toMatchObject({ status: 'ok', events: 15 });
  const page = await engine.service['events.search']({ query: 'user:a-3@x.example', raw: false });
  const pinned = page.events[0]!;
  await engine.service['investigations.create']({ name: 'case-1' });
  await engine.service['investigations.pin']({ name: 'case-1', eventIds: [pinned.id] });

  const removed = await engine.service['sources.remove']({ name: 'gravitee', deleteEvents: true });
  expect(removed).toEqual({ removed: true, eventsDeleted: 14, eventsHeld: 1 });
  expect(await engine.users()).toEqual(['a-3@x.example']);
  expect(await engine.service['sources.list']({})).toEqual([]);
  const kept = (await engine.service['investigations.get']({ name: 'case-1' })).pins[0]!.event!;
  expect(kept).toMatchObject({ id: pinned.id, source: 'gravitee', object: 'a.ndjson', line: 4 });

  // Added again: every object is read afresh; the pinned line comes back as a duplicate, not twice.
  await engine.add(config());
  expect(await engine.sync('gravitee')).toMatchObject({
    status: 'ok',
    events: 14,
    duplicates: 1,
    // Only the object holding the pinned event was kept (reset); the other one is new again.
    objects: { listed: 2, new: 1, changed: 1 },
  });
  expect(await engine.users()).toEqual(usersOf(['a', 10], ['b', 5]));
});

test('remove with its events and nothing pinned deletes the source row with everything', async () => {
  await engine.add(config());
  await engine.sync('gravitee');
  expect(await engine.service['sources.remove']({ name: 'gravitee', deleteEvents: true })).toEqual({
    removed: true,
    eventsDeleted: 15,
    eventsHeld: 0,
  });
  expect(await engine.count()).toBe(0);
  expect((await engine.service['stats.get']({})).objects).toBe(0);
});
