// The export through the service: progress on the event channel, no row cap, and the count reconciled
// with the query's, from a service that keeps answering queries while the export runs on its thread.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { ServiceEvent } from '../../../shared/contract.ts';
import { MemorySecretStore } from '../../../electron/agent/sources/secrets/secretStore.ts';
import { createService, type AuditService } from '../../../electron/agent/service.ts';
import { makeTempDir, prophecyLine, writeLines } from './support.ts';

let dir: string;
let service: AuditService;
const N = 12_000;

beforeAll(async () => {
  dir = makeTempDir();
  service = await createService({ dbFile: path.join(dir, 'a.sqlite'), secrets: new MemorySecretStore() });
  const lines = Array.from({ length: N }, (_, i) =>
    prophecyLine({ ts: Date.UTC(2024, 0, 1) + i * 1000, user: `u${i % 3}@x`, action: 'getProject' }),
  );
  await service['ingest.paths']({ paths: [writeLines(path.join(dir, 'a.ndjson'), lines)] });
});

afterAll(async () => {
  await service.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('more than the 10,000 rows consoles cap, with progress events ending at the total', async () => {
  const progress: ServiceEvent[] = [];
  const stop = service.subscribe((event) => {
    if (event.name === 'export.progress') progress.push(event);
  });
  const result = await service['export.run']({ query: '', out: path.join(dir, 'all.zip') });
  stop();
  expect(result).toMatchObject({ matched: N, exported: N, zip: true });
  const events = progress.map((e) => e.payload as { phase: string; exported: number; total: number });
  expect(events.length).toBeGreaterThan(2);
  expect(events.filter((e) => e.phase === 'events').at(-1)).toEqual({
    phase: 'events',
    exported: N,
    total: N,
  });
  expect(events.at(-1)!.phase).toBe('zip');
  // Exported counts only grow.
  const counts = events.map((e) => e.exported);
  expect(counts).toEqual([...counts].sort((a, b) => a - b));
});

test('mistakes come back as their own errors before any work starts', async () => {
  await expect(service['export.run']({ query: 'usr:x', out: path.join(dir, 'x') })).rejects.toMatchObject({
    name: 'QuerySyntaxError',
  });
  await expect(
    service['export.run']({ investigation: 'nope', out: path.join(dir, 'y') }),
  ).rejects.toMatchObject({ name: 'NotFoundError' });
  expect(fs.existsSync(path.join(dir, 'x'))).toBe(false);
  // Found only when the query is planned, on the export's thread: still a query error (its code crosses
  // the thread), and nothing is left.
  await expect(service['export.run']({ query: 'id:xyz', out: path.join(dir, 'z') })).rejects.toMatchObject({
    code: 'query_syntax',
    message: expect.stringContaining('is not an event id'),
  });
  expect(fs.existsSync(path.join(dir, 'z'))).toBe(false);
});

test('the same key signs every bundle of an installation, and key show names it', async () => {
  const a = await service['export.run']({ query: 'user:u0@x', out: path.join(dir, 'a') });
  const b = await service['export.run']({ query: 'user:u1@x', out: path.join(dir, 'b') });
  const key = await service['keys.show']({});
  expect(a.fingerprint).toBe(key.fingerprint);
  expect(b.fingerprint).toBe(key.fingerprint);
  expect(fs.readFileSync(path.join(dir, 'a', 'public-key.pem'), 'utf8')).toBe(key.publicKeyPem);
});
