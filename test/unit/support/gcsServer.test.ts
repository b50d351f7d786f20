/**
 * The GCS test server, driven by the real `@google-cloud/storage` client: if the client is happy (uploads,
 * paging, ranges, checksums it validates itself), the server speaks the protocol the sources will meet.
 */
import { text } from 'node:stream/consumers';
import { gzipSync } from 'node:zlib';
import { Storage } from '@google-cloud/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crc32cBase64, startGcsServer, type GcsTestServer } from '../../support/gcsServer.ts';

let server: GcsTestServer;
let storage: Storage;
/** For uploads: `file.save()` retries through async-retry, which refuses a maximum delay below 1 s. */
let uploader: Storage;

beforeEach(async () => {
  server = await startGcsServer();
  // A custom endpoint without credentials: the client's emulator mode (no auth), fast retries.
  storage = new Storage({
    apiEndpoint: server.url,
    projectId: 'test',
    retryOptions: { maxRetries: 2, maxRetryDelay: 0.02, retryDelayMultiplier: 1.01 },
  });
  uploader = new Storage({ apiEndpoint: server.url, projectId: 'test' });
});
afterEach(async () => {
  await server.close();
});

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('GCS test server', () => {
  it('computes CRC32C like GCS (the standard check value of "123456789" is 0xE3069283)', () => {
    expect(Buffer.from(crc32cBase64(Buffer.from('123456789')), 'base64').toString('hex')).toBe('e3069283');
  });

  it('creates and gets a bucket through the client', async () => {
    await storage.createBucket('audit');
    const [exists] = await storage.bucket('audit').exists();
    expect(exists).toBe(true);
    const [missing] = await storage.bucket('nope').exists();
    expect(missing).toBe(false);
  });

  it('takes resumable, multipart and stream uploads, and the client validates the checksums it gets back', async () => {
    server.createBucket('audit');
    const bucket = uploader.bucket('audit');
    const big = Buffer.alloc(300_000, 'x');
    await bucket.file('resumable.ndjson').save(big, { resumable: true });
    // Chunked: the first PUT is answered 308 with the Range received so far, the second finalizes.
    await bucket.file('chunked.ndjson').save(big, { resumable: true, chunkSize: 256 * 1024 });
    expect(server.count({ op: 'upload', status: 308 })).toBe(1);
    expect(server.getObject('audit', 'chunked.ndjson')?.data.equals(big)).toBe(true);
    await bucket.file('multipart.ndjson').save('{"a":1}\n', { resumable: false });
    await new Promise<void>((resolve, reject) =>
      bucket
        .file('stream.ndjson')
        .createWriteStream({ resumable: true })
        .on('error', reject)
        .on('finish', resolve)
        .end('{"b":2}\n'),
    );
    expect(server.getObject('audit', 'resumable.ndjson')?.data.equals(big)).toBe(true);
    expect(server.count({ op: 'upload' })).toBeGreaterThanOrEqual(5);
    // A full download runs the client's CRC32C validation against x-goog-hash.
    const [multipart] = await bucket.file('multipart.ndjson').download();
    expect(multipart.toString()).toBe('{"a":1}\n');
    const [md5Checked] = await bucket.file('stream.ndjson').download({ validation: 'md5' });
    expect(md5Checked.toString()).toBe('{"b":2}\n');
    const [meta] = await bucket.file('resumable.ndjson').getMetadata();
    expect(meta.crc32c).toBe(crc32cBase64(big));
    expect(Number(meta.size)).toBe(big.length);
  });

  it('lists page by page with maxResults and pageToken, under a prefix, from a startOffset', async () => {
    server.createBucket('audit');
    for (let i = 0; i < 5; i++) server.putObject('audit', `p/${i}.ndjson`, `${i}\n`);
    server.putObject('audit', 'other/x.ndjson', 'x\n');
    const bucket = storage.bucket('audit');
    const names: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const [files, next] = await bucket.getFiles({
        prefix: 'p/',
        maxResults: 2,
        autoPaginate: false,
        pageToken,
      });
      names.push(...files.map((f) => f.name));
      pageToken = (next as { pageToken?: string } | null)?.pageToken;
      pages++;
    } while (pageToken);
    expect(names).toEqual(['p/0.ndjson', 'p/1.ndjson', 'p/2.ndjson', 'p/3.ndjson', 'p/4.ndjson']);
    expect(pages).toBe(3);
    const [fromOffset] = await bucket.getFiles({ startOffset: 'p/3' });
    expect(fromOffset.map((f) => f.name)).toEqual(['p/3.ndjson', 'p/4.ndjson']);
    const [, , top] = await bucket.getFiles({ delimiter: '/', autoPaginate: false });
    expect((top as { prefixes?: string[] }).prefixes).toEqual(['other/', 'p/']);
  });

  it('serves a Range as 206 with Content-Range: exactly the tail', async () => {
    server.createBucket('audit');
    server.putObject('audit', 'a.ndjson', '0123456789');
    let status = 0;
    let contentRange: string | undefined;
    const stream = storage
      .bucket('audit')
      .file('a.ndjson')
      .createReadStream({ start: 4, validation: false })
      .on('response', (res: { statusCode: number; headers: Record<string, string> }) => {
        status = res.statusCode;
        contentRange = res.headers['content-range'];
      });
    expect((await readAll(stream)).toString()).toBe('456789');
    expect(status).toBe(206);
    expect(contentRange).toBe('bytes 4-9/10');
  });

  it('answers 412 when ifGenerationMatch no longer holds, and 404 for a generation that is gone', async () => {
    server.createBucket('audit');
    const first = server.putObject('audit', 'a.ndjson', 'one\n');
    server.putObject('audit', 'a.ndjson', 'two\n');
    const file = uploader.bucket('audit').file('a.ndjson');
    await expect(
      file.save('three\n', { resumable: false, preconditionOpts: { ifGenerationMatch: first.generation } }),
    ).rejects.toMatchObject({ code: 412 });
    const old = storage.bucket('audit').file('a.ndjson', { generation: first.generation });
    await expect(text(old.createReadStream())).rejects.toMatchObject({ code: 404 });
  });

  it('serves a gzip-encoded object as stored when the client accepts gzip, and the client validates it', async () => {
    server.createBucket('audit');
    const plain = '{"e":1}\n'.repeat(100);
    const gz = gzipSync(plain);
    server.putObject('audit', 'a.ndjson.gz', gz, {
      contentType: 'application/x-ndjson',
      contentEncoding: 'gzip',
    });
    const file = storage.bucket('audit').file('a.ndjson.gz');
    const stored = await readAll(file.createReadStream({ decompress: false }));
    expect(stored.equals(gz)).toBe(true);
    const [decompressed] = await file.download();
    expect(decompressed.toString()).toBe(plain);
  });

  it('uploads with gzip: true store contentEncoding gzip', async () => {
    server.createBucket('audit');
    await uploader.bucket('audit').file('b.ndjson').save('{"e":2}\n', { gzip: true, resumable: false });
    const stored = server.getObject('audit', 'b.ndjson');
    expect(stored?.contentEncoding).toBe('gzip');
    expect(stored?.data.subarray(0, 2).toString('hex')).toBe('1f8b');
  });

  it('deletes objects', async () => {
    server.createBucket('audit');
    server.putObject('audit', 'a', 'x');
    await storage.bucket('audit').file('a').delete();
    expect(server.getObject('audit', 'a')).toBeUndefined();
  });

  it('refuses a request without the required token with 401 and a JSON error', async () => {
    server.createBucket('audit');
    server.requireToken('s3cr3t-token');
    await expect(storage.bucket('audit').getFiles()).rejects.toMatchObject({ code: 401 });
    const res = await fetch(`${server.url}/storage/v1/b/audit/o`, {
      headers: { Authorization: 'Bearer s3cr3t-token' },
    });
    expect(res.status).toBe(200);
  });

  it('serves paths without /storage/v1 too (STORAGE_EMULATOR_HOST is used verbatim as the base URL)', async () => {
    server.createBucket('audit');
    server.putObject('audit', 'dir/a b.ndjson', 'x\n');
    const res = await fetch(`${server.url}/b/audit/o/${encodeURIComponent('dir/a b.ndjson')}?alt=media`);
    expect(await res.text()).toBe('x\n');
  });

  it('fails the next requests on demand; the client retries them', async () => {
    server.createBucket('audit');
    server.failNext(2, 503, { op: 'list' });
    const [files] = await storage.bucket('audit').getFiles();
    expect(files).toEqual([]);
    expect(server.count({ op: 'list', status: 503 })).toBe(2);
    expect(server.count({ op: 'list', status: 200 })).toBe(1);
  });

  it('resets the connection mid-body on demand', async () => {
    server.createBucket('audit');
    server.putObject('audit', 'a', Buffer.alloc(100_000, 'y'));
    server.resetNextBody(1000);
    await expect(
      readAll(storage.bucket('audit').file('a').createReadStream({ validation: false })),
    ).rejects.toThrow();
  });

  it('rewrites an object just before it is read (mutateBeforeRead)', async () => {
    server.createBucket('audit');
    const listed = server.putObject('audit', 'a', 'old\n');
    server.mutateBeforeRead('audit', 'a', 'new\n');
    const file = storage.bucket('audit').file('a', { generation: listed.generation });
    await expect(text(file.createReadStream())).rejects.toMatchObject({ code: 404 });
    expect(server.getObject('audit', 'a')?.data.toString()).toBe('new\n');
  });
});
