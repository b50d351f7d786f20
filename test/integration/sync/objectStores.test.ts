// Incremental sync from S3 (s3rver), Azure Blob (Azurite) and GCS (the JSON-API test server), through the
// real SDK clients: reads are counted at the wire, counts compared with the truth.
import zlib from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { lines, openSyncEngine, usersOf, type SyncEngine } from './support.ts';
import { FAST_RETRIES, startAzureStore, startGcsStore, startS3Store, type TestStore } from './stores.ts';

describe.each([
  ['s3', startS3Store],
  ['azure', startAzureStore],
  ['gcs', startGcsStore],
] as const)('%s sync', (_kind, start) => {
  let store: TestStore;
  let engine: SyncEngine;
  let n = 0;

  beforeAll(async () => {
    store = await start();
  });
  afterAll(async () => {
    await store?.stop();
  });
  beforeEach(async () => {
    engine = await openSyncEngine({ sync: { pageSize: 2, sources: FAST_RETRIES } });
  });
  afterEach(async () => {
    await engine.dispose();
  });

  /** A source on a fresh bucket; returns its name and configuration. */
  const source = async (extra: Record<string, unknown> = {}) => {
    const config = { name: `src${++n}`, ...(await store.bucket(`audit${n}`)), prefix: 'ns/audit/', ...extra };
    await engine.add(config);
    return config as Record<string, unknown> & { name: string };
  };

  test('first sync over pages of 2, then a re-sync that reads nothing (list calls only)', async () => {
    const config = await source();
    for (let i = 0; i < 5; i++) await store.put(config, `ns/audit/${i}.ndjson`, lines(`o${i}`, 4));
    await store.put(config, 'elsewhere/x.ndjson', lines('x', 4)); // outside the prefix
    const first = await engine.sync(config.name);
    expect(first).toMatchObject({
      status: 'ok',
      events: 20,
      duplicates: 0,
      objects: { listed: 5, new: 5, failed: 0 },
    });
    const reads = store.reads();
    const lists = store.lists();
    const second = await engine.sync(config.name);
    expect(second).toMatchObject({
      status: 'ok',
      events: 0,
      bytes: 0,
      objects: { listed: 5, new: 0, changed: 0, skipped: 5 },
    });
    expect(store.reads()).toBe(reads);
    expect(store.lists() - lists).toBe(3); // 5 objects in pages of 2
    expect(await engine.users()).toEqual(usersOf(['o0', 4], ['o1', 4], ['o2', 4], ['o3', 4], ['o4', 4]));
  });

  test('an object rewritten with more lines (an append) is re-read: only the new lines are new events', async () => {
    const config = await source();
    await store.put(config, 'ns/audit/a.ndjson', lines('a', 6));
    await engine.sync(config.name);
    await store.put(config, 'ns/audit/a.ndjson', lines('a', 9));
    const pass = await engine.sync(config.name);
    expect(pass).toMatchObject({ events: 3, duplicates: 6, objects: { changed: 1 } });
    expect(await engine.users()).toEqual(usersOf(['a', 9]));
  });

  test('a rewritten object keeps counts exact', async () => {
    const config = await source();
    await store.put(config, 'ns/audit/a.ndjson', lines('a', 5));
    await store.put(config, 'ns/audit/b.ndjson', lines('b', 5));
    await engine.sync(config.name);
    await store.put(config, 'ns/audit/a.ndjson', lines('a', 2) + lines('new', 3));
    const pass = await engine.sync(config.name);
    expect(pass).toMatchObject({ events: 3, duplicates: 2, objects: { listed: 2, changed: 1, skipped: 1 } });
    // Deletions and rewrites upstream delete nothing here: the events once read stay.
    expect(await engine.users()).toEqual(usersOf(['a', 5], ['b', 5], ['new', 3]));
  });

  test('gzip objects are read by their magic bytes', async () => {
    const config = await source();
    await store.put(config, 'ns/audit/a.ndjson.gz', zlib.gzipSync(lines('g', 7)));
    await store.put(config, 'ns/audit/b', zlib.gzipSync(lines('h', 3)));
    expect((await engine.sync(config.name)).events).toBe(10);
    const objects = await engine.service['sync.objects']({ source: config.name });
    expect(objects.every((o) => o.status === 'done')).toBe(true);
  });

  test('a corrupt object among good ones fails alone, is retried on a later pass, and the rest syncs', async () => {
    const config = await source();
    await store.put(config, 'ns/audit/a.ndjson', lines('a', 3));
    const gz = zlib.gzipSync(lines('bad', 40));
    await store.put(config, 'ns/audit/b.ndjson.gz', gz.subarray(0, gz.length - 20));
    await store.put(config, 'ns/audit/c.ndjson', lines('c', 3));
    const pass = await engine.sync(config.name);
    expect(pass.status).toBe('partial');
    expect(pass.objects).toMatchObject({ listed: 3, new: 3, failed: 1 });
    expect(pass.errors.map((e) => e.object)).toEqual(['ns/audit/b.ndjson.gz']);
    expect((await engine.users()).filter((u) => !u.startsWith('bad'))).toEqual(usersOf(['a', 3], ['c', 3]));
    // Fixed upstream: the next pass reads it (a new version), and the run is clean again.
    await store.put(config, 'ns/audit/b.ndjson.gz', gz);
    const again = await engine.sync(config.name);
    expect(again.status).toBe('ok');
    expect(await engine.users()).toEqual(usersOf(['a', 3], ['bad', 40], ['c', 3]));
  });

  test('wrong credentials: a clear error for that source while the others sync', async () => {
    const good = await source();
    await store.put(good, 'ns/audit/a.ndjson', lines('a', 2));
    const bad = store.wrongCredentials({
      ...(await store.bucket('bad')),
      name: 'badcreds',
      prefix: 'ns/audit/',
    });
    await engine.add(bad);
    const { sources } = await engine.service['sync.run']({});
    const byName = Object.fromEntries(sources.map((s) => [s.name, s]));
    expect(byName[good.name]).toMatchObject({ status: 'ok', events: 2 });
    expect(byName.badcreds!.status).toBe('failed');
    expect(byName.badcreds!.errors[0]!.error).toMatch(
      /credential|key|denied|rejected|auth|permission|forbidden/i,
    );
    expect(JSON.stringify(sources)).not.toContain('wrong-secret-value');
    const listed = await engine.service['sources.list']({});
    expect(listed.find((s) => s.name === 'badcreds')).toMatchObject({ status: 'failed' });
  });
});
