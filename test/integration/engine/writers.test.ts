/**
 * The service writes only through its writer, which holds the database's writer lock while writes are in
 * flight and loads the database afresh each time it takes it (issue 7, items 2 and 3): two services on one
 * database (a long-running agent and a CLI import) take turns and keep exact counts; stop() ends an import
 * cleanly, committing what it read.
 */
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { describeError } from '../../../electron/agent/errors.ts';
import { createService, type AuditService } from '../../../electron/agent/service.ts';
import { acquireWriterLock } from '../../../electron/agent/store/writerLock.ts';
import type { ServiceEvent } from '../../../shared/contract.ts';
import { FIXED_NOW, makeTempDir, prophecyLine, writeLines } from './support.ts';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function open(dbFile: string, options: { writerWaitMs?: number } = {}): Promise<AuditService> {
  return createService({ dbFile, now: () => FIXED_NOW, mergeBudgetMs: 2_000, ...options }).then((s) => {
    cleanup.push(() => s.close());
    return s;
  });
}

/** A file of `n` distinct Prophecy events whose users are `${users}-0` … `${users}-9`. */
function corpus(dir: string, name: string, n: number, users: string): string {
  const lines = Array.from({ length: n }, (_, i) =>
    prophecyLine({
      ts: Date.UTC(2024, 0, 1) + i * 1000,
      user: `${users}-${i % 10}@acme.example`,
      action: `action-${name}-${i % 7}`,
      params: { corpus: name, seq: i },
    }),
  );
  return writeLines(path.join(dir, `${name}.ndjson`), lines);
}

function temp(): string {
  const dir = makeTempDir();
  cleanup.push(async () => (await import('node:fs')).rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const importFile = (service: AuditService, file: string) =>
  service['ingest.paths']({ paths: [file], source: 'import', redact: true, format: null });

test('two services on one database take turns, and each writer reads what the other added (no stale dictionary ids)', async () => {
  const dir = temp();
  const dbFile = path.join(dir, 'audit.sqlite');
  const agent = await open(dbFile);
  const cli = await open(dbFile);
  // Each run adds dictionary values (users, actions) the other process's writer has not seen.
  expect((await importFile(agent, corpus(dir, 'a', 500, 'alice'))).events).toBe(500);
  // The agent stays open but idle: its writer closed, the CLI's writer does not wait.
  expect((await importFile(cli, corpus(dir, 'b', 400, 'bob'))).events).toBe(400);
  // The agent's next writer loads the dictionary afresh: bob's ids are taken, carol's are new.
  const mixed = writeLines(path.join(dir, 'c.ndjson'), [
    prophecyLine({ ts: Date.UTC(2024, 1, 1), user: 'bob-1@acme.example', action: 'action-b-1' }),
    prophecyLine({ ts: Date.UTC(2024, 1, 2), user: 'carol@acme.example', action: 'action-c' }),
  ]);
  expect((await importFile(agent, mixed)).events).toBe(2);
  expect((await cli['events.count']({ query: '' })).total).toBe(902);
  expect((await agent['events.count']({ query: 'user:bob-1@acme.example' })).total).toBe(41);
  expect((await cli['events.count']({ query: 'user:carol@acme.example' })).total).toBe(1);
});

test('an import waits while another writer holds the lock, says whom it waits for, and runs once it is free; searches answer meanwhile', async () => {
  const dir = temp();
  const dbFile = path.join(dir, 'audit.sqlite');
  const service = await open(dbFile);
  await importFile(service, corpus(dir, 'a', 100, 'alice'));
  const events: ServiceEvent[] = [];
  service.subscribe((event) => events.push(event));
  const other = await acquireWriterLock(dbFile, { command: 'agent', timeoutMs: 0 });
  let finished = false;
  const waiting = importFile(service, corpus(dir, 'b', 50, 'bob')).finally(() => (finished = true));
  while (!events.some((e) => e.name === 'writer.waiting')) await new Promise((r) => setTimeout(r, 20));
  expect(events.find((e) => e.name === 'writer.waiting')!.payload).toMatchObject({
    pid: process.pid,
    command: 'agent',
  });
  expect((await service['events.count']({ query: '' })).total).toBe(100);
  expect(finished).toBe(false);
  other.release();
  const summary = await waiting;
  expect(summary.events).toBe(50);
  expect((await service['events.count']({ query: '' })).total).toBe(150);
});

test('stop() mid-import commits what was read, reports stopped, and the same import run again is exact', async () => {
  const dir = temp();
  const dbFile = path.join(dir, 'audit.sqlite');
  const service = await open(dbFile);
  const file = corpus(dir, 'big', 60_000, 'dave');
  // Stop at the first progress report: one batch is committed by then, most of the file is not read.
  const unsubscribe = service.subscribe((event) => {
    if (event.name === 'ingest.progress') service.stop();
  });
  const stopped = await importFile(service, file);
  unsubscribe();
  expect(stopped.stopped).toBe(true);
  expect(stopped.events).toBeGreaterThan(0);
  expect(stopped.events).toBeLessThan(60_000);
  expect((await service['events.count']({ query: '' })).total).toBe(stopped.events);

  const again = await importFile(service, file);
  expect(again).toMatchObject({
    stopped: false,
    events: 60_000 - stopped.events,
    duplicates: stopped.events,
  });
  expect((await service['events.count']({ query: '' })).total).toBe(60_000);
}, 120_000);

test('with a short writerWaitMs, an import gives up with a writer_busy error having written nothing', async () => {
  const dir = temp();
  const dbFile = path.join(dir, 'audit.sqlite');
  const service = await open(dbFile, { writerWaitMs: 200 });
  await importFile(service, corpus(dir, 'a', 10, 'alice'));
  const other = await acquireWriterLock(dbFile, { command: 'agent', timeoutMs: 0 });
  try {
    const error = await importFile(service, corpus(dir, 'b', 10, 'bob')).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'WriterBusyError', code: 'writer_busy' });
    expect((error as Error).message).toContain('is still writing to');
  } finally {
    other.release();
  }
  expect((await service['events.count']({ query: '' })).total).toBe(10);
});

test('stop() while an import waits for another writer gives up the wait: code stopped, nothing written, the next import runs', async () => {
  const dir = temp();
  const dbFile = path.join(dir, 'audit.sqlite');
  const service = await open(dbFile);
  await importFile(service, corpus(dir, 'a', 100, 'alice'));
  const events: ServiceEvent[] = [];
  service.subscribe((event) => events.push(event));
  const other = await acquireWriterLock(dbFile, { command: 'agent', timeoutMs: 0 });
  const waiting = importFile(service, corpus(dir, 'b', 50, 'bob')).catch((e: unknown) => e);
  while (!events.some((e) => e.name === 'writer.waiting')) await new Promise((r) => setTimeout(r, 20));
  service.stop();
  expect(describeError(await waiting).code).toBe('stopped');
  expect((await service['events.count']({ query: '' })).total).toBe(100);
  other.release();
  expect((await importFile(service, corpus(dir, 'c', 20, 'carol'))).events).toBe(20);
  expect((await service['events.count']({ query: '' })).total).toBe(120);
});

test('a recorded search answers at once while another process writes (the history is skipped, not waited for)', async () => {
  const dir = temp();
  const dbFile = path.join(dir, 'audit.sqlite');
  // The default wait is ten minutes: a search that waited for the writer would time the test out.
  const service = await open(dbFile);
  await importFile(service, corpus(dir, 'a', 10, 'alice'));
  await service['events.search']({ query: 'user:alice-1@acme.example', record: true });
  const other = await acquireWriterLock(dbFile, { command: 'agent', timeoutMs: 0 });
  try {
    const result = await service['events.search']({ query: 'user:alice-2@acme.example', record: true });
    expect(result.total).toBe(1);
    expect((await service['events.count']({ query: '', record: true })).total).toBe(10);
  } finally {
    other.release();
  }
  const { entries } = await service['history.list']({});
  expect(entries.map((e) => e.query)).toEqual(['user:alice-1@acme.example']);
}, 30_000);

test('import progress events name the source the events go to, and no sync run (an import is not one)', async () => {
  const dir = temp();
  const service = await open(path.join(dir, 'audit.sqlite'));
  const seen: ServiceEvent[] = [];
  const unsubscribe = service.subscribe((event) => {
    if (event.name === 'ingest.progress') seen.push(event);
  });
  await service['ingest.paths']({
    paths: [corpus(dir, 'a', 2_000, 'alice')],
    source: 'audit-2024',
    redact: true,
    format: null,
  });
  unsubscribe();
  expect(seen.length).toBeGreaterThan(0);
  expect(seen.at(-1)!.payload).toMatchObject({ source: 'audit-2024', run: null, events: 2_000 });
});
