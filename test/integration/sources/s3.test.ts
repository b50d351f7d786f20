import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { S3Source } from '../../../electron/agent/sources/s3.ts';
import { MemorySecretStore } from '../../../electron/agent/sources/secrets/secretStore.ts';
import {
  ObjectChangedError,
  PermanentSourceError,
  TransientSourceError,
} from '../../../electron/agent/sources/source.ts';
import { S3SourceSchema } from '../../../shared/sourceConfig.ts';
import type { S3TestServer } from '../../support/s3Server.ts';
import { startS3Server } from '../../support/s3Server.ts';
import { readAll } from '../../support/streams.ts';
import { listAll, s3Source } from './s3Support.ts';

let server: S3TestServer;
let bucketCount = 0;

/** A fresh bucket per test, so tests do not see each other's objects. */
async function bucket(): Promise<string> {
  const name = `audit-${++bucketCount}-${crypto.randomBytes(3).toString('hex')}`;
  await server.createBucket(name);
  return name;
}

beforeAll(async () => {
  server = await startS3Server();
});

afterAll(async () => {
  await server?.stop();
});

describe('S3Source listing', () => {
  it('pages of 1 and 2 return every object exactly once, in key order, with ETag versions', async () => {
    const b = await bucket();
    const keys = Array.from({ length: 25 }, (_, i) => `audit/${String(i).padStart(2, '0')}.ndjson`);
    for (const key of keys) await server.put(b, key, `{"key":"${key}"}\n`);
    const source = await s3Source(server.endpoint, b);
    for (const size of [1, 2]) {
      const { objects, pages } = await listAll(source, '', size);
      expect(objects.map((o) => o.key)).toEqual(keys);
      expect(pages).toBe(Math.ceil(keys.length / size));
    }
    const { objects } = await listAll(source);
    const first = objects[0]!;
    const md5 = crypto.createHash('md5').update(`{"key":"${keys[0]}"}\n`).digest('hex');
    expect(first).toMatchObject({
      version: md5,
      size: Buffer.byteLength(`{"key":"${keys[0]}"}\n`),
      inode: null,
    });
    expect(first.modified).toBeGreaterThan(Date.now() - 60_000);
    await source.close();
  });

  it('lists only keys under the prefix and skips folder markers', async () => {
    const b = await bucket();
    for (const key of [
      'prod/audit/1.ndjson',
      'prod/audit/2.ndjson',
      'prod/other.ndjson',
      'dev/audit/1.ndjson',
    ])
      await server.put(b, key, 'x\n');
    await server.put(b, 'prod/audit/', '');
    const source = await s3Source(server.endpoint, b);
    expect((await listAll(source, 'prod/audit/', 1)).objects.map((o) => o.key)).toEqual([
      'prod/audit/1.ndjson',
      'prod/audit/2.ndjson',
    ]);
    await source.close();
  });

  it('a rewritten object gets a new version', async () => {
    const b = await bucket();
    await server.put(b, 'a.ndjson', 'one\n');
    const source = await s3Source(server.endpoint, b);
    const before = (await listAll(source)).objects[0]!;
    await server.put(b, 'a.ndjson', 'one\ntwo\n');
    const after = (await listAll(source)).objects[0]!;
    expect(after.version).not.toBe(before.version);
    expect(after.size).toBe(8);
    await source.close();
  });
});

describe('S3Source open', () => {
  it('reads the whole object, or exactly the tail from an offset', async () => {
    const b = await bucket();
    const content = 'line 1\nline 2\nline 3\n';
    await server.put(b, 'a.ndjson', content);
    const source = await s3Source(server.endpoint, b);
    const { version } = (await listAll(source)).objects[0]!;
    expect((await readAll((await source.open('a.ndjson', { version })).body)).toString()).toBe(content);
    const tail = await source.open('a.ndjson', { version, offset: 7 });
    expect(tail.offset).toBe(7);
    expect((await readAll(tail.body)).toString()).toBe('line 2\nline 3\n');
    await source.close();
  });

  it('an offset at the very end gives an empty body, not an error', async () => {
    const b = await bucket();
    await server.put(b, 'a.ndjson', 'abc\n');
    const source = await s3Source(server.endpoint, b);
    const { version } = (await listAll(source)).objects[0]!;
    expect((await readAll((await source.open('a.ndjson', { version, offset: 4 })).body)).length).toBe(0);
    // S3 answers 416 to a range past the end; a shorter rewrite must not pass for "nothing new".
    await server.put(b, 'a.ndjson', 'ab\n');
    await expect(source.open('a.ndjson', { version, offset: 4 })).rejects.toBeInstanceOf(ObjectChangedError);
    await source.close();
  });

  it('gzip objects come back as the stored bytes, not decompressed', async () => {
    const b = await bucket();
    const gz = zlib.gzipSync(Buffer.from('{"a":1}\n'.repeat(1000)));
    await server.put(b, 'a.ndjson.gz', gz, 'gzip');
    const source = await s3Source(server.endpoint, b);
    const { version, size } = (await listAll(source)).objects[0]!;
    expect(size).toBe(gz.length);
    const bytes = await readAll((await source.open('a.ndjson.gz', { version })).body);
    expect(bytes.equals(gz)).toBe(true);
    const tail = await readAll((await source.open('a.ndjson.gz', { version, offset: 10 })).body);
    expect(tail.equals(gz.subarray(10))).toBe(true);
    await source.close();
  });

  it('an object rewritten or deleted since the listing is ObjectChangedError (s3rver ignores If-Match)', async () => {
    const b = await bucket();
    await server.put(b, 'a.ndjson', 'one\n');
    const source = await s3Source(server.endpoint, b);
    const { version } = (await listAll(source)).objects[0]!;
    await server.put(b, 'a.ndjson', 'rewritten\n');
    await expect(source.open('a.ndjson', { version })).rejects.toBeInstanceOf(ObjectChangedError);
    await expect(source.open('missing.ndjson', { version })).rejects.toBeInstanceOf(ObjectChangedError);
    await source.close();
  });
});

describe('S3Source errors and credentials', () => {
  it('a missing bucket is not_found and says to check the name', async () => {
    const source = await s3Source(server.endpoint, 'no-such-bucket');
    const error = await source.list({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentSourceError);
    expect(error).toMatchObject({ reason: 'not_found' });
    expect((error as Error).message).toMatch(
      /S3 bucket 'no-such-bucket' does not exist \(NoSuchBucket.*Check the bucket name/,
    );
    await source.close();
  });

  it('an unknown access key is a permanent auth error that names the fix and not the secret', async () => {
    const b = await bucket();
    const secret = 'never-show-this-secret-0123456789';
    const secrets = new MemorySecretStore();
    await secrets.set('k', secret);
    const config = S3SourceSchema.parse({
      name: 'wrong-key',
      kind: 's3',
      bucket: b,
      endpoint: server.endpoint,
      forcePathStyle: true,
      credentials: { type: 'keys', accessKeyId: 'AKIAWRONGKEY', secretAccessKey: { secret: 'k' } },
    });
    const source = new S3Source(config, { secrets });
    const error = await source.list({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentSourceError);
    expect(error).toMatchObject({ reason: 'auth' });
    expect((error as Error).message).toBe(
      `S3 rejected the access key for bucket '${b}' (InvalidAccessKeyId). Check the key id and secret in the source's credentials.`,
    );
    expect(inspect(error, { depth: 10 })).not.toContain(secret);
    const report = await source.test();
    expect(report).toMatchObject({ ok: false, sample: [] });
    expect(report.message).toMatch(/InvalidAccessKeyId/);
    await source.close();
  });

  it('a secret reference that resolves to nothing is a configuration error naming the field', async () => {
    const b = await bucket();
    const config = S3SourceSchema.parse({
      name: 'no-secret',
      kind: 's3',
      bucket: b,
      endpoint: server.endpoint,
      forcePathStyle: true,
      credentials: {
        type: 'keys',
        accessKeyId: 'S3RVER',
        secretAccessKey: { env: 'AUDIT_TEST_UNSET_VARIABLE' },
      },
    });
    const source = new S3Source(config, { secrets: new MemorySecretStore() });
    const error = await source.list({}).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'PermanentSourceError', reason: 'bad_config' });
    expect((error as Error).message).toMatch(
      /AUDIT_TEST_UNSET_VARIABLE for source 'no-secret', field credentials\.secretAccessKey is not set/,
    );
    await source.close();
  });

  it('uses a named profile from the shared credentials file, and the default chain from the environment', async () => {
    const b = await bucket();
    await server.put(b, 'a.ndjson', 'x\n');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-aws-'));
    try {
      const file = path.join(dir, 'credentials');
      fs.writeFileSync(
        file,
        '[audit]\naws_access_key_id = S3RVER\naws_secret_access_key = S3RVER\n[wrong]\naws_access_key_id = NOPE\naws_secret_access_key = x\n',
      );
      vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', file);
      vi.stubEnv('AWS_CONFIG_FILE', path.join(dir, 'config'));
      vi.stubEnv('AWS_ACCESS_KEY_ID', '');
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');
      vi.stubEnv('AWS_PROFILE', '');
      const profile = await s3Source(server.endpoint, b, {
        credentials: { type: 'profile', profile: 'audit' },
      });
      expect((await listAll(profile)).objects.map((o) => o.key)).toEqual(['a.ndjson']);
      await profile.close();
      const wrong = await s3Source(server.endpoint, b, {
        credentials: { type: 'profile', profile: 'wrong' },
      });
      await expect(wrong.list({})).rejects.toMatchObject({ reason: 'auth' });
      await wrong.close();

      vi.stubEnv('AWS_ACCESS_KEY_ID', 'S3RVER');
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'S3RVER');
      const chain = await s3Source(server.endpoint, b, { credentials: { type: 'default' } });
      expect((await listAll(chain)).objects.map((o) => o.key)).toEqual(['a.ndjson']);
      await chain.close();
    } finally {
      vi.unstubAllEnvs();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an endpoint nobody listens on is transient once the SDK gives up', async () => {
    const source = await s3Source('http://127.0.0.1:9', 'b', {}, { maxAttempts: 2 });
    const error = await source.list({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientSourceError);
    expect((error as Error).message).toMatch(
      /Could not reach S3 \(endpoint http:\/\/127\.0\.0\.1:9\/?\) to list bucket 'b': .*ECONNREFUSED/,
    );
    await source.close();
  });

  it('the connection test lists up to 5 keys under the prefix and says what it reached', async () => {
    const b = await bucket();
    for (let i = 0; i < 7; i++) await server.put(b, `audit/${i}.ndjson`, 'x\n');
    const source = await s3Source(server.endpoint, b);
    const report = await source.test({ prefix: 'audit/' });
    expect(report.ok).toBe(true);
    expect(report.sample).toEqual([
      'audit/0.ndjson',
      'audit/1.ndjson',
      'audit/2.ndjson',
      'audit/3.ndjson',
      'audit/4.ndjson',
    ]);
    expect(report.message).toBe(
      `Reached S3 bucket '${b}' (endpoint ${server.endpoint}): 5 or more objects under 'audit/', e.g. audit/0.ndjson.`,
    );
    const empty = await source.test({ prefix: 'nothing/' });
    expect(empty).toMatchObject({ ok: true, sample: [] });
    expect(empty.message).toMatch(/no objects under 'nothing\/' yet/);
    await source.close();
  });
});
