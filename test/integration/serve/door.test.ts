// The HTTP door of `serve` (DESIGN §2): who may call it, what it answers to malformed requests, which
// methods it offers, and the page it serves.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CSP } from '../../../electron/cli/serve.ts';
import { prophecyLine, writeLines } from '../engine/support.ts';
import { openServer, send, type Reply, type TestServer } from './support.ts';

let s: TestServer;

beforeAll(async () => {
  s = await openServer();
  const file = writeLines(path.join(s.dir, 'data', 'a.ndjson'), [
    prophecyLine({ ts: Date.UTC(2024, 2, 1), user: 'alice@acme.example', action: 'addProject' }),
    prophecyLine({ ts: Date.UTC(2024, 2, 2), user: 'bob@acme.example', action: 'getUser', code: 403 }),
  ]);
  await s.server.service['ingest.paths']({ paths: [file] });
});
afterAll(() => s.dispose());

/** The error envelope of a reply (and that it has no stack trace in it). */
function envelope(reply: Reply): { code: string; message: string; field?: string; column?: number } {
  const body = reply.json as { ok: boolean; error: { code: string; message: string } };
  expect(body.ok).toBe(false);
  expect(reply.text).not.toMatch(/\n\s+at |\.ts:\d+|node:internal/);
  return body.error;
}

describe('token', () => {
  test('a call without a token is refused with 401 and the envelope', async () => {
    const reply = await s.request({ method: 'POST', path: '/api/stats.get', body: '{}' });
    expect(reply.status).toBe(401);
    expect(reply.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(envelope(reply).code).toBe('unauthorized');
  });

  test('a wrong token is refused with 401', async () => {
    const reply = await s.api('stats.get', {}, { authorization: `Bearer ${s.server.token}x` });
    expect(reply.status).toBe(401);
    expect(envelope(reply).code).toBe('unauthorized');
  });

  test('the token in the URL is not enough for a method call (only the event stream takes it)', async () => {
    const reply = await s.request({
      method: 'POST',
      path: `/api/stats.get?token=${s.server.token}`,
      body: '{}',
    });
    expect(reply.status).toBe(401);
  });

  test('the right token is answered with {ok:true,value}', async () => {
    const reply = await s.api('stats.get');
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ ok: true, value: { events: 2 } });
  });

  test('a random token is printed per run: two servers have different ones', async () => {
    const other = await openServer();
    try {
      expect(other.server.token).not.toBe(s.server.token);
      expect(other.server.token.length).toBeGreaterThanOrEqual(32);
      expect(other.server.url).toBe(`http://127.0.0.1:${other.server.port}/?token=${other.server.token}`);
    } finally {
      await other.dispose();
    }
  });
});

describe('Host and Origin', () => {
  test('a Host that is not the bound address is rejected (DNS rebinding), for the API and the page', async () => {
    for (const p of ['/api/stats.get', '/']) {
      const reply = await s.request({
        method: p === '/' ? 'GET' : 'POST',
        path: p,
        headers: { host: `evil.example:${s.server.port}`, authorization: `Bearer ${s.server.token}` },
        body: p === '/' ? undefined : '{}',
      });
      expect(reply.status).toBe(421);
      expect(reply.text).not.toContain('"ok":true');
    }
  });

  test('the loopback names with the right port are accepted as Host; another port is not', async () => {
    for (const host of [
      `localhost:${s.server.port}`,
      `[::1]:${s.server.port}`,
      `127.0.0.1:${s.server.port}`,
    ]) {
      expect((await s.api('stats.get', {}, { host })).status, host).toBe(200);
    }
    expect((await s.api('stats.get', {}, { host: `127.0.0.1:${s.server.port + 1}` })).status).toBe(421);
  });

  test('an API call from a foreign Origin is rejected with 403, even with the token', async () => {
    const reply = await s.api('stats.get', {}, { origin: 'http://evil.example' });
    expect(reply.status).toBe(403);
    expect(envelope(reply).code).toBe('forbidden');
  });

  test("an API call from the server's own origin is accepted", async () => {
    const reply = await s.api('stats.get', {}, { origin: `http://127.0.0.1:${s.server.port}` });
    expect(reply.status).toBe(200);
  });

  test('no answer carries CORS headers, not even a preflight', async () => {
    const replies = [
      await s.api('stats.get', {}, { origin: 'http://evil.example' }),
      await s.api('stats.get'),
      await s.request({
        method: 'OPTIONS',
        path: '/api/stats.get',
        headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
      }),
    ];
    for (const reply of replies) {
      expect(Object.keys(reply.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
    expect(replies[2]!.status).toBe(403);
  });
});

describe('malformed requests', () => {
  test('a body that is not JSON is a 400 envelope without a stack trace', async () => {
    const reply = await s.request({
      method: 'POST',
      path: '/api/events.search',
      headers: { authorization: `Bearer ${s.server.token}` },
      body: '{"query": ',
    });
    expect(reply.status).toBe(400);
    const error = envelope(reply);
    expect(error.code).toBe('bad_input');
    expect(error.message).toMatch(/not JSON/);
  });

  test('input that fails the schema is a 400 naming the field', async () => {
    const reply = await s.api('events.search', { query: 'x', limit: -5 });
    expect(reply.status).toBe(400);
    const error = envelope(reply);
    expect(error.code).toBe('bad_input');
    expect(error.field).toBe('limit');
    expect(error.message).toContain('limit');
  });

  test('an unknown field is a schema failure too (inputs are strict)', async () => {
    const reply = await s.api('stats.get', { evil: true });
    expect(reply.status).toBe(400);
    expect(envelope(reply).code).toBe('bad_input');
  });

  test('a query syntax error is a 400 with its column', async () => {
    const reply = await s.api('events.search', { query: 'user:alice nosuchfield:x' });
    expect(reply.status).toBe(400);
    const error = envelope(reply);
    expect(error.code).toBe('query_syntax');
    expect(error.column).toBe(12);
  });

  test('a query over the length limit is a 422 with code query_too_costly and its sentence', async () => {
    const reply = await s.api('events.search', { query: 'a '.repeat(6_000) });
    expect(reply.status).toBe(422);
    expect(envelope(reply)).toMatchObject({
      code: 'query_too_costly',
      message: expect.stringMatching(/^The query is 12,000 characters long; the limit is 10,000\./),
    });
  });

  test('an unknown method is a 404 envelope', async () => {
    const reply = await s.api('events.drop');
    expect(reply.status).toBe(404);
    expect(envelope(reply).code).toBe('not_found');
  });

  test('a method name that is an object property is still unknown', async () => {
    for (const m of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect((await s.api(m)).status, m).toBe(404);
    }
  });

  test('GET on a method is a 405 saying to POST', async () => {
    const reply = await s.request({
      path: '/api/stats.get',
      headers: { authorization: `Bearer ${s.server.token}` },
    });
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('POST');
    expect(envelope(reply).code).toBe('bad_input');
  });

  test('a body over the limit is a 413', async () => {
    const reply = await s.api('events.search', { query: 'x'.repeat(2 * 1024 * 1024) });
    expect(reply.status).toBe(413);
    expect(envelope(reply).code).toBe('bad_input');
  });

  test('a chunked body over the limit is a 413 before it ends', async () => {
    const reply = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: s.server.port,
          method: 'POST',
          path: '/api/events.search',
          headers: { host: s.hostHeader, authorization: `Bearer ${s.server.token}` },
          agent: false,
        },
        (res) => {
          resolve(res.statusCode ?? 0);
          res.resume();
          req.destroy();
        },
      );
      req.on('error', reject);
      // 2 MiB in chunks and never an end: only a server that stops reading at the limit answers.
      const chunk = Buffer.alloc(64 * 1024, 'x');
      for (let i = 0; i < 32; i++) req.write(chunk);
    });
    expect(reply).toBe(413);
  });
});

describe('the allowlist', () => {
  test('ingest.paths is not reachable over HTTP: 404, and nothing is read', async () => {
    const secret = writeLines(path.join(s.dir, 'private', 'x.ndjson'), [
      prophecyLine({ ts: Date.UTC(2024, 2, 3), user: 'mallory@acme.example', action: 'addProject' }),
    ]);
    const reply = await s.api('ingest.paths', { paths: [secret] });
    expect(reply.status).toBe(404);
    expect(envelope(reply).code).toBe('not_found');
    expect(
      (
        (await s.api('events.count', { query: 'user:mallory@acme.example' })).json as {
          value: { total: number };
        }
      ).value.total,
    ).toBe(0);
    expect(((await s.api('stats.get')).json as { value: { events: number } }).value.events).toBe(2);
  });

  test('quarantine.list answers with lines of configured sources only (each belongs to a source row)', async () => {
    const bad = writeLines(path.join(s.dir, 'bad', 'b.ndjson'), ['{not json']);
    await s.server.service['ingest.paths']({ paths: [bad], source: 'gateway' });
    const reply = (await s.api('quarantine.list')).json as {
      value: { total: number; entries: { source: string; object: string }[] };
    };
    expect(reply.value.total).toBe(1);
    expect(reply.value.entries).toMatchObject([{ source: 'gateway', object: bad }]);
  });

  test('a folder source added over HTTP shows nothing of a file that is not an audit log', async () => {
    const folder = path.join(s.dir, 'home');
    writeLines(path.join(folder, 'credentials'), [
      '[default]',
      'aws_secret_access_key = srcui-door-secret-line',
    ]);
    writeLines(path.join(folder, 'audit.ndjson'), [
      prophecyLine({ ts: Date.UTC(2024, 2, 4), user: 'carol@acme.example', action: 'addProject' }),
      '{not json, but in an audit log',
    ]);
    // Written before the test server's fixed "now" (a file modified after it waits for a later pass).
    const written = new Date(Date.UTC(2024, 2, 5));
    for (const file of fs.readdirSync(folder)) fs.utimesSync(path.join(folder, file), written, written);
    const added = await s.api('sources.add', { config: { name: 'home', kind: 'folder', path: folder } });
    expect((added.json as { ok: boolean }).ok).toBe(true);
    const synced = (await s.api('sync.run', { source: 'home' })).json as {
      value: { sources: { events: number; quarantined: number }[] };
    };
    expect(synced.value.sources[0]).toMatchObject({ events: 1, quarantined: 3 });
    const reply = await s.api('quarantine.list', { source: 'home', excerpts: 'all' });
    expect(reply.text).not.toContain('srcui-door-secret-line');
    expect(reply.text).not.toContain('[default]');
    const entries = (
      reply.json as { value: { entries: { object: string; line: number; excerpt: string }[] } }
    ).value.entries;
    expect(entries.map((e) => [path.basename(e.object), e.line, e.excerpt])).toEqual([
      ['audit.ndjson', 2, '{not json, but in an audit log'],
      ['credentials', 1, ''],
      ['credentials', 2, ''],
    ]);
    // The CLI (the service called directly, at the user's terminal) still shows every excerpt.
    const local = await s.server.service['quarantine.list']({ source: 'home' });
    expect(local.entries.map((e) => e.excerpt)).toContain('[default]');
    await s.api('sources.remove', { name: 'home', deleteEvents: true });
  });

  test('the read methods the UI needs answer over HTTP', async () => {
    const search = (await s.api('events.search', { query: '', raw: false })).json as {
      value: { events: { id: string; ts: number; raw?: string }[] };
    };
    const first = search.value.events[0]!;
    expect(first.raw).toBeUndefined();
    const got = (await s.api('events.get', { id: first.id, ts: first.ts })).json as {
      value: { event: { id: string; raw: string } };
    };
    expect(got.value.event.id).toBe(first.id);
    expect(got.value.event.raw).toContain('createdAt');
    const values = (await s.api('values.list', { field: 'user', prefix: 'AL' })).json as { value: unknown };
    expect(values.value).toEqual({ values: [{ value: 'alice@acme.example', count: 1 }], distinct: 1 });
  });

  test('export.run is not reachable over HTTP: 404, and nothing is written', async () => {
    const out = path.join(s.dir, 'exported.zip');
    const reply = await s.api('export.run', { query: '', out });
    expect(reply.status).toBe(404);
    expect(envelope(reply).code).toBe('not_found');
    expect(fs.existsSync(out)).toBe(false);
  });

  test('saved searches and investigations travel over HTTP; a taken name is a 409 conflict', async () => {
    const added = await s.api('saved.add', { name: 'failures', query: 'outcome:failure' });
    expect((added.json as { ok: boolean }).ok).toBe(true);
    const again = await s.api('saved.add', { name: 'failures', query: 'outcome:success' });
    expect(again.status).toBe(409);
    expect(envelope(again).code).toBe('conflict');
    const created = await s.api('investigations.create', { name: 'case-1', searches: ['failures'] });
    expect((created.json as { value: { name: string } }).value.name).toBe('case-1');
    const shown = (await s.api('investigations.get', { name: 'case-1' })).json as {
      value: { searches: { name: string }[] };
    };
    expect(shown.value.searches.map((x) => x.name)).toEqual(['failures']);
  });

  test('a case is described, loses a saved search and is reopened over HTTP; 404 and 409 say why not', async () => {
    const value = <T>(r: Reply) => (r.json as { value: T }).value;
    await s.api('saved.add', { name: 'door-a', query: 'user:alice@acme.example' });
    await s.api('saved.add', { name: 'door-b', query: 'user:bob@acme.example' });
    await s.api('investigations.create', { name: 'case-door', searches: ['door-a', 'door-b'] });
    const updated = await s.api('investigations.update', {
      name: 'case-door',
      description: 'Scope: *alice*',
    });
    expect(value<{ description: string }>(updated).description).toBe('Scope: *alice*');
    const removed = await s.api('investigations.removeSearches', { name: 'case-door', searches: ['door-b'] });
    expect(removed.status).toBe(200);
    const notIn = await s.api('investigations.removeSearches', { name: 'case-door', searches: ['door-b'] });
    expect(notIn.status).toBe(404);
    expect(envelope(notIn).message).toContain("'door-b' is not in 'case-door'");
    expect((await s.api('investigations.removeSearches', { name: 'case-door', searches: [] })).status).toBe(
      400,
    );
    const shown = value<{ searches: { name: string }[] }>(
      await s.api('investigations.get', { name: 'case-door' }),
    );
    expect(shown.searches.map((x) => x.name)).toEqual(['door-a']);
    const saved = value<{ searches: { name: string }[] }>(await s.api('saved.list', {}));
    expect(saved.searches.map((x) => x.name)).toContain('door-b');

    expect((await s.api('investigations.reopen', { name: 'case-door' })).status).toBe(409);
    await s.api('investigations.close', { name: 'case-door' });
    const late = await s.api('investigations.update', { name: 'case-door', description: 'late' });
    expect(late.status).toBe(409);
    expect(envelope(late).code).toBe('conflict');
    const reopened = await s.api('investigations.reopen', { name: 'case-door' });
    expect(value<{ status: string; closedAt: number | null }>(reopened)).toMatchObject({
      status: 'open',
      closedAt: null,
    });
  });

  test('the UI records its searches after the answer (history.record), an immediate repeat once', async () => {
    const value = <T>(r: Reply) => (r.json as { value: T }).value;
    for (const query of ['user:alice@acme.example', 'user:bob@acme.example', 'user:bob@acme.example'])
      expect(value<{ recorded: boolean }>(await s.api('history.record', { query, total: 1 }))).toEqual({
        recorded: true,
      });
    const { entries } = value<{ entries: { query: string; total: number }[] }>(
      await s.api('history.list', { limit: 2 }),
    );
    expect(entries.map((e) => [e.query, e.total])).toEqual([
      ['user:bob@acme.example', 1],
      ['user:alice@acme.example', 1],
    ]);
    expect((await s.api('history.record', { query: 'x', total: -1 })).status).toBe(400);
  });

  test('the detail panel learns which cases pin an event and their notes on it (investigations.forEvent)', async () => {
    const value = <T>(r: Reply) => (r.json as { value: T }).value;
    const { events } = value<{ events: { id: string; user: string }[] }>(
      await s.api('events.search', { query: 'user:alice@acme.example' }),
    );
    const id = events[0]!.id;
    expect(value(await s.api('investigations.forEvent', { id }))).toEqual({ investigations: [] });
    await s.api('investigations.create', { name: 'case-pins' });
    const before = value<{ investigations: { name: string; changedAt: number }[] }>(
      await s.api('investigations.list', {}),
    ).investigations.find((c) => c.name === 'case-pins')!;
    await s.api('investigations.pin', { name: 'case-pins', eventIds: [id] });
    await s.api('investigations.note', { name: 'case-pins', eventId: id, body: 'seen **twice**' });
    await s.api('investigations.note', { name: 'case-pins', body: 'on the case, not the event' });
    const mine = value<{ investigations: { name: string; status: string; notes: { body: string }[] }[] }>(
      await s.api('investigations.forEvent', { id }),
    );
    expect(mine.investigations.map((c) => [c.name, c.status, c.notes.map((n) => n.body)])).toEqual([
      ['case-pins', 'open', ['seen **twice**']],
    ]);
    const after = value<{ investigations: { name: string; changedAt: number }[] }>(
      await s.api('investigations.list', {}),
    ).investigations.find((c) => c.name === 'case-pins')!;
    expect(after.changedAt).toBeGreaterThanOrEqual(before.changedAt);
    expect((await s.api('investigations.forEvent', { id: 'not-an-id' })).status).toBe(400);
  });
});

describe('the page', () => {
  test('index.html is served with a strict CSP, nosniff, no-referrer and its content type', async () => {
    const reply = await s.request({ path: `/?token=${s.server.token}` });
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('fixture page');
    expect(reply.headers['content-security-policy']).toBe(CSP);
    expect(reply.headers['content-security-policy']).toContain("script-src 'self'");
    expect(reply.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['referrer-policy']).toBe('no-referrer');
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
  });

  test('assets get their content types', async () => {
    expect((await s.request({ path: '/assets/app.js' })).headers['content-type']).toBe(
      'text/javascript; charset=utf-8',
    );
    expect((await s.request({ path: '/assets/app.css' })).headers['content-type']).toBe(
      'text/css; charset=utf-8',
    );
    expect((await s.request({ path: '/assets/missing.js' })).status).toBe(404);
  });

  test('a UI route without an extension gets the page (deep links)', async () => {
    const reply = await s.request({ path: '/search?q=user:alice' });
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('fixture page');
  });

  test('no path leaves the static folder', async () => {
    fs.writeFileSync(path.join(s.dir, 'secret.txt'), 'TOP SECRET');
    for (const p of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/%00',
    ]) {
      const reply = await s.request({ path: p });
      expect(reply.status, p).toBe(404);
      expect(reply.text, p).not.toContain('TOP SECRET');
    }
  });

  test('the page is GET only', async () => {
    expect((await s.request({ method: 'POST', path: '/', body: 'x' })).status).toBe(405);
  });

  test('without a built renderer the page says how to build it', async () => {
    const other = await openServer({ staticDir: path.join(os.tmpdir(), 'ae-no-such-renderer') });
    try {
      const reply = await other.request({ path: '/' });
      expect(reply.status).toBe(503);
      expect(reply.text).toContain('index.html');
      expect(reply.text).toMatch(/[Bb]uild the renderer/);
      expect(reply.headers['content-security-policy']).toBe(CSP);
    } finally {
      await other.dispose();
    }
  });
});

describe('binding', () => {
  test('binds 127.0.0.1 only: the socket is loopback and a non-loopback address of this machine refuses', async () => {
    expect(s.server.host).toBe('127.0.0.1');
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a !== undefined && !a.internal && a.family === 'IPv4');
    if (external === undefined) return; // a machine with loopback only: nothing else to connect through
    await expect(send(s.server.port, { path: '/' }, external.address)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });
});
