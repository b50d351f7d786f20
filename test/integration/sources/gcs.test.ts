/**
 * The GCS source against the GCS JSON-API test server (test/support/gcsServer.ts), through the real
 * `@google-cloud/storage` client: paging, versions, ranged and gzip reads, conditional reads, errors and the
 * client's own retries, with requests counted at the server.
 */
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GcsSourceSchema } from '../../../shared/sourceConfig.ts';
import { createGcsSource, type GcsSourceOptions } from '../../../electron/agent/sources/gcs.ts';
import {
  ObjectChangedError,
  PermanentSourceError,
  TransientSourceError,
  type Source,
} from '../../../electron/agent/sources/source.ts';
import { startGcsServer, type GcsTestServer } from '../../support/gcsServer.ts';
import { listAll, ndjson, readAll } from './support.ts';

let server: GcsTestServer;
const sources: Source[] = [];

/** Short waits between the client's retries, so a burst of faults takes milliseconds. */
const FAST: GcsSourceOptions = { retry: { maxRetries: 3, maxRetryDelayMs: 20, retryDelayMultiplier: 1.01 } };

function gcs(
  overrides: Record<string, unknown> = {},
  resolved: { serviceAccountJson?: string } = {},
  options: GcsSourceOptions = FAST,
): Source {
  const config = GcsSourceSchema.parse({
    name: 'gcs-test',
    kind: 'gcs',
    bucket: 'audit',
    endpoint: server.url,
    projectId: 'test',
    ...overrides,
  });
  const source = createGcsSource(config, resolved, options);
  sources.push(source);
  return source;
}

beforeEach(async () => {
  server = await startGcsServer();
  server.createBucket('audit');
});
afterEach(async () => {
  await Promise.all(sources.splice(0).map((s) => s.close()));
  await server.close();
});

describe('GCS source: listing', () => {
  it('lists every object under the prefix with page sizes 1 and 2, sizes and generations as versions', async () => {
    for (let i = 0; i < 7; i++)
      server.putObject('audit', `prod/audit/${String(i).padStart(2, '0')}.ndjson`, ndjson(i + 1));
    server.putObject('audit', 'prod/other/x.ndjson', ndjson(1));
    server.putObject('audit', 'top.ndjson', ndjson(1));
    const source = gcs();
    for (const pageSize of [1, 2]) {
      const { objects, pages } = await listAll(source, { prefix: 'prod/audit/', pageSize });
      expect(objects.map((o) => o.key)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `prod/audit/0${i}.ndjson`));
      expect(pages).toBe(Math.ceil(7 / pageSize));
      for (const object of objects) {
        const stored = server.getObject('audit', object.key)!;
        expect(object.size).toBe(stored.data.length);
        expect(object.version).toBe(String(stored.generation));
        expect(object.modified).toBe(stored.updated.getTime());
        expect(object.inode).toBeNull();
      }
    }
    const listCalls = server.requests.filter((r) => r.op === 'list');
    expect(listCalls.every((r) => r.query.get('prefix') === 'prod/audit/')).toBe(true);
    expect(listCalls.some((r) => r.query.get('maxResults') === '1')).toBe(true);
  });

  it('uses the configured prefix when the caller gives none', async () => {
    server.putObject('audit', 'a/1.ndjson', ndjson(1));
    server.putObject('audit', 'b/1.ndjson', ndjson(1));
    const { objects } = await listAll(gcs({ prefix: 'b/' }));
    expect(objects.map((o) => o.key)).toEqual(['b/1.ndjson']);
  });

  it('gives a rewritten object a new version', async () => {
    server.putObject('audit', 'a.ndjson', ndjson(1));
    const source = gcs();
    const before = (await listAll(source)).objects[0]!;
    server.putObject('audit', 'a.ndjson', ndjson(2));
    const after = (await listAll(source)).objects[0]!;
    expect(after.version).not.toBe(before.version);
    expect(after.size).toBeGreaterThan(before.size);
  });

  it('accepts an endpoint written with /storage/v1, and STORAGE_EMULATOR_HOST as the client uses it', async () => {
    server.putObject('audit', 'a.ndjson', ndjson(1));
    expect((await listAll(gcs({ endpoint: `${server.url}/storage/v1/` }))).objects).toHaveLength(1);
    const saved = process.env.STORAGE_EMULATOR_HOST;
    process.env.STORAGE_EMULATOR_HOST = server.url;
    try {
      expect((await listAll(gcs({ endpoint: undefined }))).objects).toHaveLength(1);
      // Used verbatim as the base URL: the listing went to /b/audit/o, not /storage/v1/b/audit/o.
      expect(server.requests.at(-1)?.path).toBe('/b/audit/o');
    } finally {
      if (saved === undefined) delete process.env.STORAGE_EMULATOR_HOST;
      else process.env.STORAGE_EMULATOR_HOST = saved;
    }
  });
});

describe('GCS source: reading', () => {
  it('reads a whole object, and from an offset exactly the tail (a 206 ranged read)', async () => {
    const data = ndjson(20);
    const stored = server.putObject('audit', 'a.ndjson', data);
    const source = gcs();
    const whole = await source.open('a.ndjson', { version: String(stored.generation) });
    expect((await readAll(whole.body)).toString()).toBe(data);
    const offset = data.indexOf('\n', 100) + 1;
    const tail = await source.open('a.ndjson', { version: String(stored.generation), offset });
    expect(tail.offset).toBe(offset);
    expect((await readAll(tail.body)).toString()).toBe(data.slice(offset));
    const ranged = server.requests.filter((r) => r.op === 'download').at(-1)!;
    expect(ranged.status).toBe(206);
  });

  it('returns an empty body when the offset is already the end of the object', async () => {
    const stored = server.putObject('audit', 'a.ndjson', ndjson(2));
    const opened = await gcs().open('a.ndjson', {
      version: String(stored.generation),
      offset: stored.data.length,
    });
    expect((await readAll(opened.body)).length).toBe(0);
  });

  it('returns a gzip object as its stored bytes, whole and ranged', async () => {
    const gz = gzipSync(ndjson(200));
    const stored = server.putObject('audit', 'a.ndjson.gz', gz, {
      contentEncoding: 'gzip',
      contentType: 'application/x-ndjson',
    });
    const source = gcs();
    const whole = await readAll(
      (await source.open('a.ndjson.gz', { version: String(stored.generation) })).body,
    );
    expect(whole.equals(gz)).toBe(true);
    const part = await readAll(
      (await source.open('a.ndjson.gz', { version: String(stored.generation), offset: 10 })).body,
    );
    expect(part.equals(gz.subarray(10))).toBe(true);
  });

  it('fails with ObjectChangedError when the object was rewritten between the listing and the read', async () => {
    server.putObject('audit', 'a.ndjson', ndjson(3));
    const source = gcs();
    const listed = (await listAll(source)).objects[0]!;
    server.mutateBeforeRead('audit', 'a.ndjson', ndjson(5));
    const error = await source.open('a.ndjson', { version: listed.version }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectChangedError);
    expect((error as ObjectChangedError).key).toBe('a.ndjson');
    // Conditional at the server (ifGenerationMatch → 412), not by a second metadata call.
    expect(server.requests.filter((r) => r.op === 'download').map((r) => r.status)).toEqual([412]);
    expect(server.count({ op: 'get' })).toBe(0);
  });

  it('fails with ObjectChangedError when the object was deleted since the listing', async () => {
    const stored = server.putObject('audit', 'a.ndjson', ndjson(3));
    server.deleteObject('audit', 'a.ndjson');
    await expect(gcs().open('a.ndjson', { version: String(stored.generation) })).rejects.toBeInstanceOf(
      ObjectChangedError,
    );
  });

  it('aborts a read when the signal fires', async () => {
    const stored = server.putObject('audit', 'a.ndjson', ndjson(3));
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(
      gcs().open('a.ndjson', { version: String(stored.generation), signal: controller.signal }),
    ).rejects.toThrow('stop');
  });
});

describe('GCS source: faults and retries', () => {
  it('absorbs a short 503 burst: listings through the client retries, download starts through the source (same settings)', async () => {
    const stored = server.putObject('audit', 'a.ndjson', ndjson(3));
    const source = gcs();
    server.failNext(2, 503, { op: 'list' });
    expect((await listAll(source)).objects).toHaveLength(1);
    expect(server.count({ op: 'list' })).toBe(3);
    server.failNext(3, 503, { op: 'download' });
    const body = await readAll((await source.open('a.ndjson', { version: String(stored.generation) })).body);
    expect(body.toString()).toBe(ndjson(3));
    expect(server.count({ op: 'download' })).toBe(4);
  });

  it('turns a longer 503 burst into a TransientSourceError after maxRetries + 1 attempts', async () => {
    const stored = server.putObject('audit', 'a.ndjson', ndjson(3));
    const source = gcs();
    server.failNext(10, 503, { op: 'list' });
    await expect(source.list({})).rejects.toBeInstanceOf(TransientSourceError);
    expect(server.count({ op: 'list' })).toBe(4);
    server.failNext(10, 429, { op: 'download' });
    const error = await source
      .open('a.ndjson', { version: String(stored.generation) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientSourceError);
    expect((error as Error).message).toMatch(/429/);
    expect(server.count({ op: 'download' })).toBe(4);
  });

  it('errors the body when the connection resets mid-body, instead of ending it short', async () => {
    const data = Buffer.alloc(200_000, 'z');
    const stored = server.putObject('audit', 'big.ndjson', data);
    server.resetNextBody(5000);
    const opened = await gcs().open('big.ndjson', { version: String(stored.generation), offset: 10 });
    const error = await readAll(opened.body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientSourceError);
  });
});

describe('GCS source: credentials and configuration', () => {
  it('reports rejected credentials as a permanent auth error that says what to fix, without the token', async () => {
    server.requireToken('tok-very-secret-123');
    const source = gcs();
    const error = await source.list({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentSourceError);
    expect((error as PermanentSourceError).reason).toBe('auth');
    expect((error as Error).message).toMatch(/rejected the credentials for gs:\/\/audit \(401\)\. Check/);
    const report = await source.test();
    expect(report).toMatchObject({ ok: false, sample: [] });
    expect(report.message).toMatch(/401/);
    expect(JSON.stringify([report, String(error), (error as Error).cause])).not.toContain('tok-very-secret');
  });

  it('refuses a service-account key it cannot use, without echoing the key', async () => {
    const secret = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC-NOT-A-REAL-KEY-4711';
    const key = JSON.stringify({
      type: 'service_account',
      client_email: 'sync@test.iam.gserviceaccount.com',
      private_key: `-----BEGIN PRIVATE KEY-----\n${secret}\n-----END PRIVATE KEY-----\n`,
    });
    const error = await gcs(
      { credentials: { type: 'serviceAccount', json: { secret: 'gcs-key' } } },
      { serviceAccountJson: key },
    )
      .list({})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentSourceError);
    expect((error as PermanentSourceError).reason).toBe('bad_config');
    expect((error as Error).message).toMatch(/cannot be read\. Download a new JSON key/);
    expect(JSON.stringify([String(error), String((error as Error).cause)])).not.toContain('NOT-A-REAL-KEY');
    // Not a key at all, or missing: a configuration error before any request.
    const notJson = () =>
      gcs(
        { credentials: { type: 'serviceAccount', json: { secret: 'gcs-key' } } },
        { serviceAccountJson: `{${secret}` },
      );
    expect(notJson).toThrow(PermanentSourceError);
    expect(notJson).toThrow(/not valid JSON/);
    expect(() => gcs({ credentials: { type: 'serviceAccount', json: { secret: 'gcs-key' } } }, {})).toThrow(
      /none was provided/,
    );
  });

  it('reports a refused permission (403) as permanent forbidden, at once and without retries', async () => {
    server.failNext(1, 403, { op: 'list', reason: 'forbidden' });
    const error = await gcs()
      .list({})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentSourceError);
    expect((error as PermanentSourceError).reason).toBe('forbidden');
    expect((error as Error).message).toMatch(
      /may not read gs:\/\/audit \(403\)\. Grant them Storage Object Viewer/,
    );
    expect(server.count({ op: 'list' })).toBe(1);
  });

  it('reports a missing bucket as permanent not_found', async () => {
    const error = await gcs({ bucket: 'nope' })
      .list({})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentSourceError);
    expect((error as PermanentSourceError).reason).toBe('not_found');
    expect((error as Error).message).toContain('gs://nope');
  });

  it('test() reaches the bucket and shows a sample under the prefix', async () => {
    for (let i = 0; i < 7; i++) server.putObject('audit', `p/${i}.ndjson`, ndjson(1));
    const report = await gcs({ prefix: 'p/' }).test();
    expect(report.ok).toBe(true);
    expect(report.sample).toEqual(['p/0.ndjson', 'p/1.ndjson', 'p/2.ndjson', 'p/3.ndjson', 'p/4.ndjson']);
    expect(report.message).toBe("Reached gs://audit: 5+ objects under 'p/'.");
  });
});
