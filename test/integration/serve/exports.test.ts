// The door-safe export over serve: exports.create writes into the app's exports folder under a name the
// server chooses, with the count reconciled; the file leaves by a one-time link that is streamed, is
// refused to anyone without a ticket, and never reaches a file outside that folder.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { EXPORT_NAME_PATTERN } from '../../../shared/contract.ts';
import { verifyBundle } from '../../../electron/agent/export/verify.ts';
import { prophecyLine, writeLines } from '../engine/support.ts';
import { openEventStream, openServer, type Reply, type TestServer } from './support.ts';

let s: TestServer;
const N = 15_000;
const users = ['alice@acme.example', 'bob@acme.example', 'carol@acme.example'];

beforeAll(async () => {
  s = await openServer();
  const lines = Array.from({ length: N }, (_, i) =>
    prophecyLine({
      ts: Date.UTC(2024, 2, 1) + i * 1000,
      user: users[i % 3]!,
      action: i % 5 === 0 ? 'setPassword' : 'getProject',
      code: i % 7 === 0 ? 403 : 200,
      params: i % 5 === 0 ? { password: 'hunter2' } : {},
    }),
  );
  await s.server.service['ingest.paths']({ paths: [writeLines(path.join(s.dir, 'a.ndjson'), lines)] });
});
afterAll(() => s?.dispose());

type ExportFile = {
  name: string;
  format: string;
  bytes: number;
  sha256: string;
  matched: number;
  exported: number;
  reconciled: boolean;
  fingerprint: string | null;
};
const value = <T>(reply: Reply): T => {
  expect(reply.json, reply.text).toMatchObject({ ok: true });
  return (reply.json as { value: T }).value;
};
const sha256 = (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex');
/** GET a path as bytes (the raw reply of send() is text). */
async function getBytes(
  pathname: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  const res = await fetch(`http://127.0.0.1:${s.server.port}${pathname}`, { headers });
  return {
    status: res.status,
    headers: Object.fromEntries(res.headers),
    body: Buffer.from(await res.arrayBuffer()),
  };
}
async function downloadUrl(name: string): Promise<string> {
  return value<{ url: string; expiresAt: number }>(await s.api('exports.download', { name })).url;
}

describe('exports.create', () => {
  test('needs the token, like every call', async () => {
    const reply = await s.request({
      method: 'POST',
      path: '/api/exports.create',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(reply.status).toBe(401);
    expect(fs.existsSync(s.server.service.exportsDir)).toBe(false);
  });

  test('takes no path: an `out` is refused by the schema, export.run and exports.save are not offered', async () => {
    const withOut = await s.api('exports.create', { query: '', out: '/tmp/anywhere.zip' });
    expect(withOut.status).toBe(400);
    expect(withOut.json).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect((await s.api('export.run', { out: path.join(s.dir, 'x.zip') })).status).toBe(404);
    expect((await s.api('exports.save', { name: 'audit-export-20240401T120000Z-x.zip' })).status).toBe(404);
  });

  test('a bundle: server-chosen name in the exports folder, count reconciled, hash of the file, one-time download that verifies', async () => {
    const query = 'user:alice@acme.example';
    const matched = value<{ total: number }>(await s.api('events.count', { query })).total;
    expect(matched).toBe(N / 3);
    const file = value<ExportFile>(await s.api('exports.create', { query, format: 'bundle' }));
    expect(file).toMatchObject({ format: 'bundle', matched, exported: matched, reconciled: true });
    expect(file.name).toMatch(EXPORT_NAME_PATTERN);
    expect(file.name).toBe('audit-export-20240401T120000Z-user-alice-acme-example.zip');
    const onDisk = path.join(s.server.service.exportsDir, file.name);
    const bytes = fs.readFileSync(onDisk);
    expect(file.bytes).toBe(bytes.length);
    expect(file.sha256).toBe(sha256(bytes));
    const key = value<{ fingerprint: string }>(await s.api('keys.show'));
    expect(file.fingerprint).toBe(key.fingerprint);
    // Only the finished file is in sight: no staging folder left behind.
    expect(fs.readdirSync(s.server.service.exportsDir).filter((n) => !n.startsWith('.meta'))).toEqual([
      file.name,
    ]);

    const url = await downloadUrl(file.name);
    expect(url).toMatch(/^\/download\/[A-Za-z0-9_-]{22}$/);
    const got = await getBytes(url);
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('application/zip');
    expect(got.headers['content-disposition']).toBe(`attachment; filename="${file.name}"`);
    expect(got.headers['content-length']).toBe(String(bytes.length));
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.headers['cache-control']).toBe('no-store');
    expect(got.headers['access-control-allow-origin']).toBeUndefined();
    expect(got.body.equals(bytes)).toBe(true);

    // The downloaded copy verifies offline, pinned to the installation's key.
    const copy = path.join(s.dir, 'downloaded.zip');
    fs.writeFileSync(copy, got.body);
    const verified = await verifyBundle(copy, key.fingerprint);
    expect(verified.problems).toEqual([]);
    expect(verified.ok).toBe(true);
    expect(verified.manifest?.events.count).toBe(matched);

    // Used once: the same link is dead.
    expect((await getBytes(url)).status).toBe(404);
  });

  test('a download link: wrong id, wrong Host, foreign site, other methods are refused', async () => {
    const file = value<ExportFile>(
      await s.api('exports.create', { query: 'outcome:failure', format: 'ndjson' }),
    );
    const url = await downloadUrl(file.name);
    expect((await getBytes(`/download/${'A'.repeat(22)}`)).status).toBe(404);
    expect((await getBytes('/download/')).status).toBe(404);
    expect((await getBytes(`/download/${file.name}`)).status).toBe(404);
    expect((await s.request({ path: url, headers: { host: 'evil.example:80' } })).status).toBe(421);
    expect((await s.request({ path: url, headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
    expect((await s.request({ path: url, headers: { origin: 'http://evil.example' } })).status).toBe(403);
    expect((await s.request({ method: 'POST', path: url })).status).toBe(405);
    // None of those used the ticket up.
    const got = await getBytes(url);
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const lines = got.body.toString('utf8').trim().split('\n');
    expect(lines).toHaveLength(file.matched);
    expect(file.matched).toBe(
      value<{ total: number }>(await s.api('events.count', { query: 'outcome:failure' })).total,
    );
    // Redaction holds in what leaves the app.
    expect(got.body.toString('utf8')).not.toContain('hunter2');
  });

  test('names are never paths: traversal is refused, a planted link is not followed', async () => {
    const dbFile = s.server.service.dbFile;
    for (const name of [
      '../audit.sqlite',
      '/etc/passwd',
      'audit-export-20240401T120000Z-x.zip/../../audit.sqlite',
    ]) {
      expect((await s.api('exports.download', { name })).status).toBe(400);
      expect((await s.api('exports.remove', { name })).status).toBe(400);
    }
    expect((await getBytes('/download/..%2F..%2Faudit.sqlite')).status).toBe(404);
    expect((await getBytes('/download/../audit.sqlite')).status).not.toBe(200);

    // A link with an export's name planted in the folder, pointing at the database.
    const planted = 'audit-export-20240401T120000Z-planted.csv';
    fs.symlinkSync(dbFile, path.join(s.server.service.exportsDir, planted));
    expect((await s.api('exports.download', { name: planted })).status).toBe(404);
    // A real export swapped for such a link after its ticket was given: still not followed.
    const file = value<ExportFile>(await s.api('exports.create', { query: 'user:bob*', format: 'csv' }));
    const url = await downloadUrl(file.name);
    const target = path.join(s.server.service.exportsDir, file.name);
    fs.rmSync(target);
    fs.symlinkSync(dbFile, target);
    const got = await getBytes(url);
    expect(got.status).toBe(404);
    expect(got.body.toString('utf8')).not.toContain('SQLite format');
  });

  test('CSV with a byte order mark for spreadsheets; exports never overwrite one another', async () => {
    const a = value<ExportFile>(
      await s.api('exports.create', { query: 'user:carol*', format: 'csv', bom: true }),
    );
    const b = value<ExportFile>(
      await s.api('exports.create', { query: 'user:carol*', format: 'csv', bom: false }),
    );
    // Same second, same query (the clock is pinned): the second gets a suffix.
    expect(a.name).toBe('audit-export-20240401T120000Z-user-carol.csv');
    expect(b.name).toBe('audit-export-20240401T120000Z-user-carol-2.csv');
    const withBom = (await getBytes(await downloadUrl(a.name))).body;
    const without = (await getBytes(await downloadUrl(b.name))).body;
    expect([...withBom.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(without.subarray(0, 2).toString()).toBe('ts');
    expect(sha256(withBom)).toBe(a.sha256);
    expect(withBom.toString('utf8').trim().split('\n').length).toBe(1 + a.matched);
  });

  test('list (newest first, with the records), remove', async () => {
    // The UI's time range adds after:/before:; the name keeps the words of the query.
    const file = value<ExportFile>(
      await s.api('exports.create', {
        query: 'action:getProject after:2024-03-01T00:00:00Z before:"2024-03-02"',
        format: 'html',
      }),
    );
    expect(file.name).toBe('audit-export-20240401T120000Z-action-getproject.html');
    const listed = value<{ folder: string; exports: ExportFile[] }>(await s.api('exports.list', {}));
    expect(listed.folder).toBe(s.server.service.exportsDir);
    expect(listed.exports.map((e) => e.name)).toContain(file.name);
    expect(listed.exports.find((e) => e.name === file.name)).toEqual(file);
    // The planted link of the test above is not an export.
    expect(listed.exports.some((e) => e.name.includes('planted'))).toBe(false);
    expect(value<{ removed: boolean }>(await s.api('exports.remove', { name: file.name })).removed).toBe(
      true,
    );
    expect(fs.existsSync(path.join(s.server.service.exportsDir, file.name))).toBe(false);
    expect(value<{ removed: boolean }>(await s.api('exports.remove', { name: file.name })).removed).toBe(
      false,
    );
    expect((await s.api('exports.download', { name: file.name })).status).toBe(404);
  });

  test("an investigation's pinned events, pseudonymised: named after the case, counts reconciled", async () => {
    const ids = value<{ events: { id: string }[] }>(
      await s.api('events.search', { query: 'user:alice*', limit: 4, facets: false, histogram: false }),
    ).events.map((e) => e.id);
    value(await s.api('investigations.create', { name: 'Case 42: Alice' }));
    value(await s.api('investigations.pin', { name: 'Case 42: Alice', eventIds: ids }));
    const file = value<ExportFile>(
      await s.api('exports.create', {
        investigation: 'Case 42: Alice',
        format: 'ndjson',
        pseudonymize: true,
      }),
    );
    expect(file).toMatchObject({
      matched: 4,
      exported: 4,
      reconciled: true,
      investigation: 'Case 42: Alice',
    });
    expect(file.name).toBe('audit-export-20240401T120000Z-case-42-alice.ndjson');
    const text = (await getBytes(await downloadUrl(file.name))).body.toString('utf8');
    expect(text.trim().split('\n')).toHaveLength(4);
    expect(text).not.toContain('alice@acme.example');
    expect(text).toMatch(/user-[0-9a-f]{24}/);
  });

  test('progress carries the job; cancel stops the export and keeps nothing', async () => {
    const stream = await openEventStream(s.server.port, `/api/events?token=${s.server.token}`, {
      host: s.hostHeader,
    });
    try {
      const before = fs.readdirSync(s.server.service.exportsDir).sort();
      const job = 'job-cancel-0001';
      const running = s.api('exports.create', { query: '', format: 'bundle', job });
      await stream.next(
        (e) =>
          (e as { name: string; payload: { job?: string } }).name === 'export.progress' &&
          (e as { payload: { job?: string } }).payload.job === job,
      );
      expect(value<{ cancelled: boolean }>(await s.api('exports.cancel', { job })).cancelled).toBe(true);
      const reply = await running;
      expect(reply.status).toBe(409);
      expect(reply.json).toMatchObject({ ok: false, error: { code: 'cancelled' } });
      expect(fs.readdirSync(s.server.service.exportsDir).sort()).toEqual(before);
      expect(value<{ cancelled: boolean }>(await s.api('exports.cancel', { job })).cancelled).toBe(false);
    } finally {
      stream.close();
    }
  });

  test('at most two exports run at once: a third is refused with conflict until one ends', async () => {
    const stream = await openEventStream(s.server.port, `/api/events?token=${s.server.token}`, {
      host: s.hostHeader,
    });
    try {
      const progressOf = (job: string) =>
        stream.next(
          (e) =>
            (e as { name: string }).name === 'export.progress' &&
            (e as { payload: { job?: string } }).payload.job === job,
        );
      const a = s.api('exports.create', { query: '', job: 'job-limit-a' });
      const b = s.api('exports.create', { query: '', job: 'job-limit-b' });
      // One waiter at a time (the reader keeps what it saw, so the order does not matter).
      await progressOf('job-limit-a');
      await progressOf('job-limit-b');
      const third = await s.api('exports.create', { query: '', job: 'job-limit-c' });
      expect(third.status).toBe(409);
      expect(third.json).toMatchObject({ ok: false, error: { code: 'conflict' } });
      expect((third.json as { error: { message: string } }).error.message).toMatch(/wait for one to finish/);
      // A job name in use is refused too.
      expect((await s.api('exports.create', { query: '', job: 'job-limit-a' })).status).toBe(409);
      await s.api('exports.cancel', { job: 'job-limit-a' });
      await s.api('exports.cancel', { job: 'job-limit-b' });
      expect((await a).status).toBe(409);
      expect((await b).status).toBe(409);
      // Once they ended, an export starts again.
      const again = await s.api('exports.create', { query: 'user:alice*', format: 'html' });
      expect(again.status).toBe(200);
    } finally {
      stream.close();
    }
  });
});
