// Nothing blocks the door: searches run on the query worker, a newer search from the same tab cancels the
// older, and the engine's events reach the page over SSE.
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { prophecyLine, writeLines } from '../engine/support.ts';
import { Gate, openEventStream, openServer, type Reply, type TestServer } from './support.ts';

let s: TestServer | null = null;
afterEach(async () => {
  await s?.dispose();
  s = null;
});

function lines(n: number, user = 'alice@acme.example'): string[] {
  return Array.from({ length: n }, (_, i) =>
    prophecyLine({ ts: Date.UTC(2024, 2, 1) + i * 1000, user, action: 'addProject', latency: i }),
  );
}

/** A server with 20 events whose query worker holds every call at a closed gate until it is opened. */
async function gatedServerWith20Events(): Promise<{ gate: Gate; server: TestServer }> {
  const gate = new Gate(true);
  const server = (s = await openServer({ service: { testGate: gate.buffer } }));
  await server.server.service['ingest.paths']({
    paths: [writeLines(path.join(server.dir, 'a.ndjson'), lines(20))],
  });
  gate.close();
  return { gate, server };
}

describe('the query worker', () => {
  test('a cheap call answers while a search is still running', async () => {
    const gate = new Gate(true);
    s = await openServer({ service: { testGate: gate.buffer } });
    gate.close();
    const order: string[] = [];
    const search = s.api('events.search', { query: '' }).then((reply) => {
      order.push('search');
      return reply;
    });
    // The search has reached the worker and is held there: it is "running".
    await gate.arrivals(1);
    const stats = await s.api('stats.get');
    order.push('stats');
    expect(stats.status).toBe(200);
    expect(order).toEqual(['stats']);
    gate.open();
    expect((await search).status).toBe(200);
    expect(order).toEqual(['stats', 'search']);
  });

  test('a newer search from the same client supersedes the older: it ends with code cancelled', async () => {
    const { gate, server } = await gatedServerWith20Events();
    const posted = Atomics.load(new Int32Array(gate.buffer), 2);
    const tab = { 'x-client-id': 'tab-1' };
    const older = server.api('events.search', { query: 'user:alice*' }, tab);
    await gate.arrivals(1);
    const newer = server.api('events.search', { query: 'user:alice@acme.example' }, tab);
    // Another tab's search is not affected by tab-1's.
    const otherTab = server.api('events.search', { query: '' }, { 'x-client-id': 'tab-2' });
    await gate.posted(posted + 3);
    gate.open();
    const [a, b, c] = (await Promise.all([older, newer, otherTab])) as [Reply, Reply, Reply];
    expect(a.status).toBe(409);
    expect(a.json).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(b.json).toMatchObject({ ok: true, value: { total: 20 } });
    expect(c.json).toMatchObject({ ok: true, value: { total: 20 } });
  });

  test("a tab's older search that arrives after its newer one is refused at once and leaves the newer one be", async () => {
    // A browser sends a tab's calls over several connections: the older can arrive last. Arrival order
    // alone would cancel the newer search, and the tab would wait for an answer it then ignores.
    const { gate, server } = await gatedServerWith20Events();
    const newer = server.api(
      'events.search',
      { query: 'user:alice@acme.example' },
      { 'x-client-id': 'tab-1', 'x-client-seq': '2' },
    );
    await gate.arrivals(1);
    const older = await server.api(
      'events.search',
      { query: 'user:alice*' },
      { 'x-client-id': 'tab-1', 'x-client-seq': '1' },
    );
    expect(older.status).toBe(409);
    expect(older.json).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    gate.open();
    expect((await newer).json).toMatchObject({ ok: true, value: { total: 20 } });
  });

  test('without a client id, concurrent searches all complete', async () => {
    const gate = new Gate(true);
    s = await openServer({ service: { testGate: gate.buffer } });
    gate.close();
    const first = s.api('events.count', { query: '' });
    await gate.arrivals(1);
    const second = s.api('events.count', { query: '' });
    gate.open();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
  });

  test('after the writer commits, searches see the new events', async () => {
    s = await openServer();
    expect((await s.api('events.count', { query: '' })).json).toMatchObject({ value: { total: 0 } });
    await s.server.service['ingest.paths']({ paths: [writeLines(path.join(s.dir, 'a.ndjson'), lines(5))] });
    expect((await s.api('events.count', { query: '' })).json).toMatchObject({ value: { total: 5 } });
    await s.server.service['ingest.paths']({
      paths: [writeLines(path.join(s.dir, 'b.ndjson'), lines(3, 'bob@acme.example'))],
    });
    expect((await s.api('events.count', { query: '' })).json).toMatchObject({ value: { total: 8 } });
    expect((await s.api('values.list', { field: 'user' })).json).toMatchObject({
      value: {
        values: [
          { value: 'alice@acme.example', count: 5 },
          { value: 'bob@acme.example', count: 3 },
        ],
      },
    });
  });
});

describe('writes over HTTP', () => {
  test('retention.run previews (on the query worker), deletes, and searches see the result', async () => {
    s = await openServer();
    await s.server.service['ingest.paths']({ paths: [writeLines(path.join(s.dir, 'a.ndjson'), lines(10))] });
    const before = new Date(Date.UTC(2024, 2, 1) + 4 * 1000).getTime();
    const dry = await s.api('retention.run', { before, dryRun: true });
    expect(dry.json).toMatchObject({
      ok: true,
      value: { events: 4, perSource: { import: 4 }, dryRun: true },
    });
    expect((await s.api('events.count', { query: '' })).json).toMatchObject({ value: { total: 10 } });
    const run = await s.api('retention.run', { before });
    expect(run.json).toMatchObject({
      ok: true,
      value: { events: 4, perSource: { import: 4 }, dryRun: false },
    });
    expect((await s.api('events.count', { query: '' })).json).toMatchObject({ value: { total: 6 } });
  });
});

describe('server-sent events', () => {
  test('events.changed arrives after an ingest commits new events', async () => {
    s = await openServer();
    const stream = await openEventStream(s.server.port, `/api/events?token=${s.server.token}`, {
      host: s.hostHeader,
    });
    try {
      expect(stream.status).toBe(200);
      await s.server.service['ingest.paths']({ paths: [writeLines(path.join(s.dir, 'a.ndjson'), lines(7))] });
      const event = await stream.next((e) => (e as { name: string }).name === 'events.changed');
      expect(event).toEqual({ name: 'events.changed', payload: { total: 7, added: 7 } });
    } finally {
      stream.close();
    }
  });

  test('the event stream needs the token too', async () => {
    s = await openServer();
    const none = await openEventStream(s.server.port, '/api/events', { host: s.hostHeader });
    none.close();
    expect(none.status).toBe(401);
    const wrong = await openEventStream(s.server.port, `/api/events?token=${s.server.token}x`, {
      host: s.hostHeader,
    });
    wrong.close();
    expect(wrong.status).toBe(401);
  });

  test('the event stream refuses a foreign Origin', async () => {
    s = await openServer();
    const stream = await openEventStream(s.server.port, `/api/events?token=${s.server.token}`, {
      host: s.hostHeader,
      origin: 'http://evil.example',
    });
    stream.close();
    expect(stream.status).toBe(403);
  });

  test('closing the server ends open event streams', async () => {
    s = await openServer();
    const stream = await openEventStream(s.server.port, `/api/events?token=${s.server.token}`, {
      host: s.hostHeader,
    });
    await s.server.close();
    stream.close();
    expect(stream.status).toBe(200);
  });
});
