// Faults at the wire, with the real servers behind a fault proxy (never instead of them): throttling
// bursts, connections reset mid-body, an object changed between its listing and its read.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { faultTimes, type ProxiedRequest } from '../../support/faultProxy.ts';
import { s3ErrorXml } from '../../support/s3Server.ts';
import { lines, openSyncEngine, usersOf, type SyncEngine } from './support.ts';
import { FAST_RETRIES, startGcsStore, startS3Store, type TestStore } from './stores.ts';

const isRead = (key: string) => (r: ProxiedRequest) =>
  r.method === 'GET' && !r.url.includes('list-type=2') && r.url.split('?')[0]!.endsWith(key);
const slowDown = {
  kind: 'respond',
  status: 503,
  body: s3ErrorXml('SlowDown', 'Please reduce your request rate.'),
} as const;

let s3: TestStore;
let engine: SyncEngine;
let n = 0;

beforeAll(async () => {
  s3 = await startS3Store();
});
afterAll(async () => {
  await s3?.stop();
});
beforeEach(async () => {
  engine = await openSyncEngine({ sync: { sources: FAST_RETRIES } });
});
afterEach(async () => {
  s3.proxy!.intercept(null);
  await engine.dispose();
});

async function s3Source(objects: Record<string, string>) {
  const config = { name: `f${++n}`, ...(await s3.bucket(`faults${n}`)) } as Record<string, unknown> & {
    name: string;
  };
  for (const [key, body] of Object.entries(objects)) await s3.put(config, key, body);
  await engine.add(config);
  return config.name;
}

describe('S3 faults during a sync', () => {
  test('503 SlowDown bursts within the SDK budget are absorbed: the pass is clean and exact', async () => {
    const name = await s3Source({ 'a.ndjson': lines('a', 5), 'b.ndjson': lines('b', 5) });
    // Two refusals per request before it is answered: within the SDK's 3 attempts (FAST_RETRIES).
    const refused = new Map<string, number>();
    s3.proxy!.intercept((r) => {
      if (r.method !== 'GET') return undefined;
      const times = refused.get(r.url) ?? 0;
      refused.set(r.url, times + 1);
      return times < 2 ? slowDown : undefined;
    });
    const pass = await engine.sync(name);
    expect(pass).toMatchObject({ status: 'ok', events: 10, objects: { failed: 0 } });
    expect(await engine.users()).toEqual(usersOf(['a', 5], ['b', 5]));
  });

  test('a burst longer than the budget fails that object alone; a later pass reads it exactly', async () => {
    const name = await s3Source({ 'a.ndjson': lines('a', 5), 'b.ndjson': lines('b', 5) });
    s3.proxy!.intercept(faultTimes(10, slowDown, isRead('b.ndjson')));
    const pass = await engine.sync(name);
    expect(pass).toMatchObject({ status: 'partial', events: 5, objects: { failed: 1 } });
    expect(pass.errors[0]!.error).toMatch(/SlowDown|503/);
    s3.proxy!.intercept(null);
    const retry = await engine.sync(name);
    expect(retry).toMatchObject({ status: 'ok', events: 5, duplicates: 0 });
    expect(await engine.users()).toEqual(usersOf(['a', 5], ['b', 5]));
  });

  test('a connection reset mid-body: the object is not half-read, and is read exactly on a later pass', async () => {
    const name = await s3Source({ 'big.ndjson': lines('big', 400) });
    // Every attempt the SDK makes is cut after 2 KiB: the transfer fails for this pass.
    s3.proxy!.intercept((r) => (isRead('big.ndjson')(r) ? { kind: 'resetAfter', bytes: 2048 } : undefined));
    const pass = await engine.sync(name);
    expect(pass.objects.failed).toBe(1);
    expect(pass.events).toBe(0);
    s3.proxy!.intercept(null);
    const retry = await engine.sync(name);
    expect(retry).toMatchObject({ status: 'ok', events: 400, duplicates: 0 });
    expect(await engine.count()).toBe(400);
  });

  test('an object changed between list and read (412) is skipped, not failed, and read at its new version next pass', async () => {
    const name = await s3Source({ 'a.ndjson': lines('a', 3) });
    // s3rver ignores If-Match: the proxy answers as S3 does when the ETag no longer matches.
    s3.proxy!.intercept(
      faultTimes(
        1,
        {
          kind: 'respond',
          status: 412,
          body: s3ErrorXml(
            'PreconditionFailed',
            'At least one of the pre-conditions you specified did not hold',
          ),
        },
        isRead('a.ndjson'),
      ),
    );
    const pass = await engine.sync(name);
    expect(pass).toMatchObject({ status: 'ok', events: 0, objects: { listed: 1, skipped: 1, failed: 0 } });
    const next = await engine.sync(name);
    expect(next).toMatchObject({ status: 'ok', events: 3 });
  });
});

describe('GCS: a real change between list and read', () => {
  let gcs: TestStore;
  beforeAll(async () => {
    gcs = await startGcsStore();
  });
  afterAll(async () => {
    await gcs?.stop();
  });

  test('the conditional read sees the new generation: nothing of either version is half-read', async () => {
    const config = { name: 'gcs-change', ...(await gcs.bucket('change')) } as Record<string, unknown> & {
      name: string;
    };
    await gcs.put(config, 'a.ndjson', lines('old', 3));
    await engine.add(config);
    // Rewritten by the proxy just before the read it holds back: a new generation between list and read.
    let mutated = false;
    gcs.proxy!.intercept(async (r) => {
      if (!mutated && r.method === 'GET' && r.url.includes('alt=media')) {
        mutated = true;
        await gcs.put(config, 'a.ndjson', lines('old', 3) + lines('new', 2));
      }
      return undefined;
    });
    const pass = await engine.sync(config.name);
    expect(pass).toMatchObject({ events: 0, objects: { skipped: 1, failed: 0 } });
    const next = await engine.sync(config.name);
    expect(next).toMatchObject({ status: 'ok', events: 5 });
    expect(await engine.users()).toEqual(usersOf(['new', 2], ['old', 3]));
  });
});
