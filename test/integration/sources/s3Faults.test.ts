/**
 * The S3 source against s3rver behind the fault proxy: what the SDK's retries absorb, what they do not,
 * and how each failure reaches the caller.
 */
import crypto from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ObjectChangedError,
  PermanentSourceError,
  TransientSourceError,
} from '../../../electron/agent/sources/source.ts';
import type { FaultProxy, ProxiedRequest } from '../../support/faultProxy.ts';
import { faultTimes, startFaultProxy } from '../../support/faultProxy.ts';
import type { S3TestServer } from '../../support/s3Server.ts';
import { s3ErrorXml, startS3Server } from '../../support/s3Server.ts';
import { readAll } from '../../support/streams.ts';
import { listAll, s3Source } from './s3Support.ts';

let server: S3TestServer;
let proxy: FaultProxy;
let bucketCount = 0;

async function bucket(): Promise<string> {
  const name = `faults-${++bucketCount}-${crypto.randomBytes(3).toString('hex')}`;
  await server.createBucket(name);
  return name;
}

const isList = (r: ProxiedRequest) => r.method === 'GET' && r.url.includes('list-type=2');
const isGet = (key: string) => (r: ProxiedRequest) =>
  r.method === 'GET' && r.url.split('?')[0]!.endsWith(`/${key}`);
const slowDown = {
  kind: 'respond',
  status: 503,
  body: s3ErrorXml('SlowDown', 'Please reduce your request rate.'),
} as const;

beforeAll(async () => {
  server = await startS3Server();
  proxy = await startFaultProxy(server.endpoint);
});

afterEach(() => {
  proxy.intercept(null);
  proxy.requests.length = 0;
});

afterAll(async () => {
  await proxy?.close();
  await server?.stop();
});

describe('S3 throttling and server errors', () => {
  it('a 503 SlowDown burst shorter than the retry budget is absorbed by the SDK', async () => {
    const b = await bucket();
    await server.put(b, 'a.ndjson', 'x\n');
    const source = await s3Source(proxy.url, b);
    proxy.intercept(faultTimes(3, slowDown, isList));
    const page = await source.list({});
    expect(page.objects.map((o) => o.key)).toEqual(['a.ndjson']);
    // Three refused, the fourth answered: more than the SDK's default of 3 attempts, so our budget matters.
    expect(proxy.requests.filter(isList).map((r) => r.fault)).toEqual([
      'respond',
      'respond',
      'respond',
      undefined,
    ]);
    await source.close();
  });

  it('a burst longer than the budget ends in TransientSourceError after exactly maxAttempts requests', async () => {
    const b = await bucket();
    const source = await s3Source(proxy.url, b);
    proxy.intercept(() => slowDown);
    const error = await source.list({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientSourceError);
    expect((error as Error).message).toBe(
      `S3 could not list bucket '${b}' (SlowDown, HTTP 503) after 5 attempts. It will be tried again on the next pass.`,
    );
    expect(proxy.requests.length).toBe(5);
    await source.close();
  });

  it('a 500 or a reset before any answer is retried', async () => {
    const b = await bucket();
    await server.put(b, 'a.ndjson', 'x\n');
    const source = await s3Source(proxy.url, b);
    let n = 0;
    proxy.intercept((r) => {
      if (!isList(r)) return undefined;
      n++;
      if (n === 1)
        return {
          kind: 'respond',
          status: 500,
          body: s3ErrorXml('InternalError', 'We encountered an internal error.'),
        };
      if (n === 2) return { kind: 'reset' };
      return undefined;
    });
    expect((await source.list({})).objects).toHaveLength(1);
    expect(n).toBe(3);
    await source.close();
  });
});

describe('S3 credentials rejected at the wire', () => {
  it('SignatureDoesNotMatch (a wrong secret; s3rver does not check it) is a permanent auth error, not retried', async () => {
    const b = await bucket();
    const source = await s3Source(proxy.url, b);
    proxy.intercept(() => ({
      kind: 'respond',
      status: 403,
      body: s3ErrorXml(
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided.',
      ),
    }));
    const error = await source.list({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentSourceError);
    expect(error).toMatchObject({ reason: 'auth' });
    expect((error as Error).message).toMatch(
      new RegExp(
        `^S3 rejected the request signature for bucket '${b}' \\(SignatureDoesNotMatch\\).*Check the secret`,
      ),
    );
    expect(proxy.requests).toHaveLength(1);
    await source.close();
  });

  it('AccessDenied is forbidden and says which permissions to grant', async () => {
    const b = await bucket();
    const source = await s3Source(proxy.url, b);
    proxy.intercept(() => ({
      kind: 'respond',
      status: 403,
      body: s3ErrorXml('AccessDenied', 'Access Denied'),
    }));
    const error = await source.list({}).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'PermanentSourceError', reason: 'forbidden' });
    expect((error as Error).message).toMatch(
      /S3 denied access to bucket '.*' \(AccessDenied\)\. Grant .*s3:ListBucket .* s3:GetObject/,
    );
    await source.close();
  });
});

describe('S3 reads that break or race', () => {
  it('a connection reset mid-body fails the stream with TransientSourceError, never a silently short object', async () => {
    const b = await bucket();
    const content = Buffer.from('{"n":1}\n'.repeat(20_000));
    await server.put(b, 'big.ndjson', content);
    const source = await s3Source(proxy.url, b);
    const { version } = (await listAll(source)).objects[0]!;
    proxy.intercept(faultTimes(1, { kind: 'resetAfter', bytes: 50_000 }, isGet('big.ndjson')));
    const { body } = await source.open('big.ndjson', { version });
    let received = 0;
    const error = await (async () => {
      for await (const chunk of body) received += (chunk as Buffer).length;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientSourceError);
    expect((error as Error).message).toMatch(
      /The connection broke while reading s3:\/\/.*\/big\.ndjson \(after 50000 bytes/,
    );
    expect(received).toBe(50_000);
    // The next read (the next pass) gets the whole object.
    expect((await readAll((await source.open('big.ndjson', { version })).body)).equals(content)).toBe(true);
    await source.close();
  });

  it('an object rewritten between list and read is ObjectChangedError', async () => {
    const b = await bucket();
    await server.put(b, 'a.ndjson', 'first\n');
    const source = await s3Source(proxy.url, b);
    const { version } = (await listAll(source)).objects[0]!;
    proxy.intercept(async (r) => {
      if (isGet('a.ndjson')(r)) await server.put(b, 'a.ndjson', 'second version\n');
      return undefined;
    });
    await expect(source.open('a.ndjson', { version })).rejects.toBeInstanceOf(ObjectChangedError);
    await source.close();
  });

  it('a 412 Precondition Failed (what real S3 answers to a stale If-Match) is ObjectChangedError', async () => {
    const b = await bucket();
    await server.put(b, 'a.ndjson', 'first\n');
    const source = await s3Source(proxy.url, b);
    const { version } = (await listAll(source)).objects[0]!;
    proxy.intercept((r) => {
      if (!isGet('a.ndjson')(r)) return undefined;
      expect(r.headers['if-match']).toBe(`"${version}"`);
      return {
        kind: 'respond',
        status: 412,
        body: s3ErrorXml(
          'PreconditionFailed',
          'At least one of the pre-conditions you specified did not hold',
        ),
      };
    });
    await expect(source.open('a.ndjson', { version })).rejects.toBeInstanceOf(ObjectChangedError);
    expect(proxy.requests.filter(isGet('a.ndjson'))).toHaveLength(1);
    await source.close();
  });
});
