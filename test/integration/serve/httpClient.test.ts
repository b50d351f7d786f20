// renderer/api/http.ts against the real `serve`: the browser's client satisfies AuditClient, maps error
// envelopes to ApiError, names its tab for supersede, and delivers the engine's events.
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ApiError, createHttpClient, type EventSourceLike } from '../../../renderer/api/http.ts';
import type { AuditClient, ServiceEvent } from '../../../shared/contract.ts';
import { prophecyLine, writeLines } from '../engine/support.ts';
import { openServer, type TestServer } from './support.ts';

/** A minimal EventSource (Node has none without a flag): GET, then `data:` blocks to onmessage. */
class NodeEventSource implements EventSourceLike {
  /** The sources opened so far; `opened` resolves when the server answered (it subscribed by then). */
  static readonly all: NodeEventSource[] = [];
  onmessage: ((event: { data: string }) => void) | null = null;
  closed = false;
  readonly opened: Promise<void>;
  private readonly req: http.ClientRequest;
  constructor(url: string) {
    NodeEventSource.all.push(this);
    let opened: () => void;
    this.opened = new Promise((r) => (opened = r));
    this.req = http.get(url, (res) => {
      opened();
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          const data = buffer
            .slice(0, end)
            .split('\n')
            .filter((l) => l.startsWith('data: '))
            .map((l) => l.slice(6))
            .join('\n');
          buffer = buffer.slice(end + 2);
          if (data !== '') this.onmessage?.({ data });
        }
      });
    });
    this.req.on('error', () => {});
  }
  close(): void {
    this.closed = true;
    this.req.destroy();
  }
}

let s: TestServer;
let client: AuditClient;
beforeAll(async () => {
  s = await openServer();
  client = createHttpClient({
    baseUrl: `http://127.0.0.1:${s.server.port}`,
    token: s.server.token,
    EventSource: NodeEventSource,
  });
});
afterAll(() => s.dispose());

test('methods answer with the value of the envelope', async () => {
  const stats = await client['stats.get']({});
  expect(stats.events).toBe(0);
  const result = await client['events.search']({ query: '', raw: false });
  expect(result).toMatchObject({ total: 0, events: [] });
});

test('an error envelope becomes an ApiError with code, message, column and status', async () => {
  const error = await client['events.search']({ query: 'user:alice nosuchfield:x' }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ApiError);
  expect(error).toMatchObject({ code: 'query_syntax', column: 12, status: 400 });
  const field = await client['events.search']({ limit: -1 }).catch((e: unknown) => e);
  expect(field).toMatchObject({ code: 'bad_input', field: 'limit' });
});

test('ingest.paths is not on the HTTP door: the client gets not_found', async () => {
  await expect(client['ingest.paths']({ paths: ['/etc/passwd'] })).rejects.toMatchObject({
    code: 'not_found',
  });
});

test('source configuration travels over the HTTP door; a secret goes in and never comes back', async () => {
  const folder = { name: 'etc', kind: 'folder', path: '/nonexistent-srcui-folder' };
  expect(await client['sources.add']({ config: folder })).toMatchObject({ name: 'etc', kind: 'folder' });
  const secret = 'wJalrXUtnFEMI-srcui-secret-K7MDENG';
  const s3 = {
    name: 'bucket',
    kind: 's3',
    bucket: 'audit',
    endpoint: 'http://127.0.0.1:1',
    forcePathStyle: true,
    credentials: { type: 'keys', accessKeyId: 'AKIDEXAMPLE', secretAccessKey: secret },
  };
  await client['sources.add']({ config: s3 });
  const shown = await client['sources.get']({ name: 'bucket' });
  expect(shown.config).toMatchObject({ credentials: { type: 'keys', secretAccessKey: 'stored' } });
  expect(JSON.stringify(shown)).not.toContain(secret);
  expect(JSON.stringify(await client['sources.list']({}))).not.toContain(secret);
  await client['sources.update']({ name: 'etc', config: { ...folder, enabled: false } });
  expect((await client['sources.get']({ name: 'etc' })).enabled).toBe(false);
  expect(await client['sources.remove']({ name: 'etc' })).toEqual({
    removed: true,
    eventsDeleted: 0,
    eventsHeld: 0,
  });
  await client['sources.remove']({ name: 'bucket' });
  expect(await client['sources.list']({})).toEqual([]);
  expect(await client['retention.settings.get']({})).toMatchObject({ gcSchedule: '0 0 1 * * *' });
});

test('a wrong token is an ApiError with code unauthorized', async () => {
  const wrong = createHttpClient({ baseUrl: `http://127.0.0.1:${s.server.port}`, token: 'x'.repeat(32) });
  await expect(wrong['stats.get']({})).rejects.toMatchObject({ code: 'unauthorized', status: 401 });
});

test('a server that is gone is an ApiError saying so', async () => {
  const gone = createHttpClient({ baseUrl: 'http://127.0.0.1:1', token: 'x'.repeat(32) });
  await expect(gone['stats.get']({})).rejects.toMatchObject({ code: 'internal', status: 0 });
});

test('subscribe delivers events.changed after an ingest; unsubscribing stops the stream', async () => {
  const received: ServiceEvent[] = [];
  let resolve: () => void;
  const changed = new Promise<void>((r) => (resolve = r));
  const stop = client.subscribe((event) => {
    received.push(event);
    if (event.name === 'events.changed') resolve();
  });
  const file = writeLines(path.join(s.dir, 'a.ndjson'), [
    prophecyLine({ ts: Date.UTC(2024, 2, 1), user: 'alice@acme.example', action: 'addProject' }),
  ]);
  expect(NodeEventSource.all).toHaveLength(1);
  const source = NodeEventSource.all[0]!;
  await source.opened;
  await s.server.service['ingest.paths']({ paths: [file] });
  await changed;
  expect(received.find((e) => e.name === 'events.changed')).toEqual({
    name: 'events.changed',
    payload: { total: 1, added: 1 },
  });
  expect(source.closed).toBe(false);
  stop();
  expect(source.closed).toBe(true);
});

test("numbers a tab's calls in the order it makes them, so serve can tell the newest read", async () => {
  const seen: { client: string | null; seq: string | null }[] = [];
  const tab = createHttpClient({
    baseUrl: `http://127.0.0.1:${s.server.port}`,
    token: s.server.token,
    clientId: 'tab-seq',
    fetch: (url, init) => {
      const headers = new Headers(init?.headers);
      seen.push({ client: headers.get('X-Client-Id'), seq: headers.get('X-Client-Seq') });
      return fetch(url, init);
    },
  });
  // One after another: two reads of a method at once from one tab would supersede each other.
  await tab['events.count']({ query: '' });
  await tab['stats.get']({});
  await tab['events.count']({ query: '' });
  expect(seen).toEqual([
    { client: 'tab-seq', seq: '1' },
    { client: 'tab-seq', seq: '2' },
    { client: 'tab-seq', seq: '3' },
  ]);
});
