/**
 * The Azure Blob source against Azurite (test/support/azurite.ts), through the real `@azure/storage-blob`
 * client: paging, versions, ranged and gzip reads, conditional reads, credentials of each kind and errors.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  BlobServiceClient,
  ContainerSASPermissions,
  StorageSharedKeyCredential,
  generateAccountSASQueryParameters,
  generateBlobSASQueryParameters,
  type ContainerClient,
} from '@azure/storage-blob';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AzureSourceSchema } from '../../../shared/sourceConfig.ts';
import {
  createAzureSource,
  type AzureResolvedCredentials,
  type AzureSourceOptions,
} from '../../../electron/agent/sources/azure.ts';
import {
  ObjectChangedError,
  PermanentSourceError,
  TransientSourceError,
  type Source,
} from '../../../electron/agent/sources/source.ts';
import { DEV_ACCOUNT, DEV_KEY, startAzurite, type Azurite } from '../../support/azurite.ts';
import { listAll, ndjson, readAll } from './support.ts';

let azurite: Azurite;
let service: BlobServiceClient;
let container: ContainerClient;
let containerName: string;
let counter = 0;

/** Short waits between the SDK's retries, so a failing endpoint fails in milliseconds. */
const FAST: AzureSourceOptions = { retry: { maxTries: 2, retryDelayInMs: 10, maxRetryDelayInMs: 20 } };

function azure(
  overrides: Record<string, unknown> = {},
  resolved: AzureResolvedCredentials = { accountKey: DEV_KEY },
  options: AzureSourceOptions = FAST,
): Source {
  const config = AzureSourceSchema.parse({
    name: 'azure-test',
    kind: 'azure',
    container: containerName,
    endpoint: azurite.blobEndpoint,
    credentials: { type: 'accountKey', accountName: DEV_ACCOUNT, accountKey: { secret: 'azure-key' } },
    ...overrides,
  });
  return createAzureSource(config, resolved, options);
}

async function put(name: string, data: string | Buffer, headers: { blobContentEncoding?: string } = {}) {
  const body = Buffer.from(data);
  await container.getBlockBlobClient(name).upload(body, body.length, { blobHTTPHeaders: headers });
}

/**
 * A pass-through HTTP proxy in front of Azurite that can answer 503 ServerBusy or cut a blob's body
 * mid-way (Azurite has no fault hooks). The requests it saw are counted per kind.
 */
interface FaultProxy {
  readonly endpoint: string;
  readonly seen: { method: string; url: string; range: string | undefined; status: number }[];
  /** Answer the next `count` requests with 503 ServerBusy. */
  busy(count: number): void;
  /** Reset the connection of the next blob download after `bytes` bytes of its body. */
  cutNextBody(bytes: number): void;
  close(): Promise<void>;
}

async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let busy = 0;
  let cut: number | null = null;
  const seen: FaultProxy['seen'] = [];
  const server = http.createServer((req, res) => {
    const entry = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      range: req.headers['x-ms-range'] as string | undefined,
      status: 0,
    };
    seen.push(entry);
    if (busy > 0) {
      busy--;
      entry.status = 503;
      req.resume();
      const body =
        '<?xml version="1.0" encoding="utf-8"?><Error><Code>ServerBusy</Code><Message>Injected.</Message></Error>';
      res.writeHead(503, {
        'Content-Type': 'application/xml',
        'x-ms-error-code': 'ServerBusy',
        'Content-Length': Buffer.byteLength(body),
      });
      res.end(body);
      return;
    }
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (up) => {
        entry.status = up.statusCode ?? 0;
        res.writeHead(up.statusCode ?? 502, up.headers);
        const isBlobRead = req.method === 'GET' && !/[?&]comp=/.test(req.url ?? '') && entry.status < 300;
        if (cut !== null && isBlobRead) {
          const bytes = cut;
          cut = null;
          let sent = 0;
          up.on('data', (chunk: Buffer) => {
            if (sent >= bytes) return;
            const part = chunk.subarray(0, bytes - sent);
            sent += part.length;
            res.write(part);
            if (sent >= bytes) {
              up.destroy();
              res.socket?.destroy();
            }
          });
          return;
        }
        up.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}${upstream.pathname}`,
    seen,
    busy: (count) => void (busy = count),
    cutNextBody: (bytes) => void (cut = bytes),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

beforeAll(async () => {
  azurite = await startAzurite();
  service = BlobServiceClient.fromConnectionString(azurite.connectionString);
}, 60_000);
afterAll(async () => {
  await azurite?.stop();
});
beforeEach(async () => {
  // A container per test: one azurite process serves the whole file.
  containerName = `audit-${++counter}`;
  container = service.getContainerClient(containerName);
  await container.create();
});

describe('Azure source: listing', () => {
  it('lists every blob under the prefix with page sizes 1 and 2, sizes and unquoted ETags as versions', async () => {
    for (let i = 0; i < 7; i++) await put(`prod/audit/0${i}.ndjson`, ndjson(i + 1));
    await put('prod/other/x.ndjson', ndjson(1));
    await put('top.ndjson', ndjson(1));
    const source = azure();
    for (const pageSize of [1, 2]) {
      const { objects, pages } = await listAll(source, { prefix: 'prod/audit/', pageSize });
      expect(objects.map((o) => o.key)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `prod/audit/0${i}.ndjson`));
      expect(pages).toBe(Math.ceil(7 / pageSize));
      for (const object of objects) {
        const properties = await container.getBlobClient(object.key).getProperties();
        expect(object.size).toBe(properties.contentLength);
        // Properties quote the ETag, the listing (Azurite) does not: the version is the bare value either way.
        expect(`"${object.version}"`).toBe(properties.etag);
        expect(object.version).not.toMatch(/"/);
        expect(object.modified).toBe(properties.lastModified!.getTime());
        expect(object.inode).toBeNull();
      }
    }
  });

  it('uses the configured prefix when the caller gives none', async () => {
    await put('a/1.ndjson', ndjson(1));
    await put('b/1.ndjson', ndjson(1));
    const { objects } = await listAll(azure({ prefix: 'b/' }));
    expect(objects.map((o) => o.key)).toEqual(['b/1.ndjson']);
  });

  it('gives a rewritten blob a new version', async () => {
    await put('a.ndjson', ndjson(1));
    const source = azure();
    const before = (await listAll(source)).objects[0]!;
    await put('a.ndjson', ndjson(2));
    const after = (await listAll(source)).objects[0]!;
    expect(after.version).not.toBe(before.version);
    expect(after.size).toBeGreaterThan(before.size);
  });
});

describe('Azure source: reading', () => {
  it('reads a whole blob, and from an offset exactly the tail', async () => {
    const data = ndjson(20);
    await put('a.ndjson', data);
    const source = azure();
    const [listed] = (await listAll(source)).objects;
    expect(
      (await readAll((await source.open('a.ndjson', { version: listed!.version })).body)).toString(),
    ).toBe(data);
    const offset = data.indexOf('\n', 100) + 1;
    const tail = await source.open('a.ndjson', { version: listed!.version, offset });
    expect(tail.offset).toBe(offset);
    expect((await readAll(tail.body)).toString()).toBe(data.slice(offset));
  });

  it('returns an empty body when the offset is already the end of the blob', async () => {
    const data = ndjson(2);
    await put('a.ndjson', data);
    const source = azure();
    const [listed] = (await listAll(source)).objects;
    const opened = await source.open('a.ndjson', { version: listed!.version, offset: data.length });
    expect((await readAll(opened.body)).length).toBe(0);
  });

  it('returns a gzip blob as its stored bytes, whole and ranged', async () => {
    const gz = gzipSync(ndjson(200));
    await put('a.ndjson.gz', gz, { blobContentEncoding: 'gzip' });
    const source = azure();
    const [listed] = (await listAll(source)).objects;
    const whole = await readAll((await source.open('a.ndjson.gz', { version: listed!.version })).body);
    expect(whole.equals(gz)).toBe(true);
    const part = await readAll(
      (await source.open('a.ndjson.gz', { version: listed!.version, offset: 10 })).body,
    );
    expect(part.equals(gz.subarray(10))).toBe(true);
  });

  it('fails with ObjectChangedError when the blob was rewritten or deleted between the listing and the read', async () => {
    await put('a.ndjson', ndjson(3));
    await put('b.ndjson', ndjson(3));
    const source = azure();
    const [a, b] = (await listAll(source)).objects;
    await put('a.ndjson', ndjson(5));
    await container.getBlobClient('b.ndjson').delete();
    const changed = await source
      .open('a.ndjson', { version: a!.version, offset: 10 })
      .catch((e: unknown) => e);
    expect(changed).toBeInstanceOf(ObjectChangedError);
    expect((changed as ObjectChangedError).key).toBe('a.ndjson');
    await expect(source.open('b.ndjson', { version: b!.version })).rejects.toBeInstanceOf(ObjectChangedError);
  });
});

describe('Azure source: credentials', () => {
  it('reads with a connection string', async () => {
    await put('a.ndjson', ndjson(1));
    const source = azure(
      { endpoint: undefined, credentials: { type: 'connectionString', connectionString: { secret: 'cs' } } },
      { connectionString: azurite.connectionString },
    );
    expect((await listAll(source)).objects.map((o) => o.key)).toEqual(['a.ndjson']);
  });

  it('reads with a container SAS URL and with an account SAS URL', async () => {
    await put('a.ndjson', ndjson(1));
    const credential = new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_KEY);
    const expiresOn = new Date(Date.now() + 3600_000);
    const containerSas = generateBlobSASQueryParameters(
      { containerName, permissions: ContainerSASPermissions.parse('rl'), expiresOn },
      credential,
    ).toString();
    const accountSas = generateAccountSASQueryParameters(
      {
        permissions: AccountSASPermissions.parse('rl'),
        resourceTypes: AccountSASResourceTypes.parse('sco').toString(),
        services: AccountSASServices.parse('b').toString(),
        expiresOn,
      },
      credential,
    ).toString();
    for (const sasUrl of [`${container.url}?${containerSas}`, `${azurite.blobEndpoint}?${accountSas}`]) {
      const source = azure(
        { endpoint: undefined, credentials: { type: 'sasUrl', sasUrl: { secret: 'sas' } } },
        { sasUrl },
      );
      const [listed] = (await listAll(source)).objects;
      expect(listed?.key).toBe('a.ndjson');
      expect(
        (await readAll((await source.open('a.ndjson', { version: listed!.version })).body)).toString(),
      ).toBe(ndjson(1));
      // The report names the container's URL, never the SAS after it.
      const report = await source.test();
      expect(report.ok).toBe(true);
      expect(report.message).not.toMatch(/sig=|\?/);
    }
  });

  it('reports a wrong account key as a permanent auth error that says what to fix, without the key', async () => {
    const wrongKey = randomBytes(64).toString('base64');
    const source = azure({}, { accountKey: wrongKey });
    const error = await source.list({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentSourceError);
    expect((error as PermanentSourceError).reason).toBe('auth');
    // Azure answers AuthenticationFailed, Azurite AuthorizationFailure: the same sentence either way.
    expect((error as Error).message).toMatch(
      /^Azure rejected the credentials for container '[^']+' \(403 (AuthenticationFailed|AuthorizationFailure)\)\. Check the account/,
    );
    const report = await source.test();
    expect(report).toMatchObject({ ok: false, sample: [] });
    const everything = JSON.stringify([report, String(error), String((error as Error).cause)]);
    expect(everything).not.toContain(wrongKey);
    expect(everything).not.toContain(wrongKey.slice(0, 20));
  });

  it('reports a SAS without List permission as forbidden, without the signature', async () => {
    const sas = generateBlobSASQueryParameters(
      {
        containerName,
        permissions: ContainerSASPermissions.parse('r'),
        expiresOn: new Date(Date.now() + 3600_000),
      },
      new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_KEY),
    );
    const source = azure(
      { endpoint: undefined, credentials: { type: 'sasUrl', sasUrl: { secret: 'sas' } } },
      { sasUrl: `${container.url}?${sas.toString()}` },
    );
    const error = await source.list({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentSourceError);
    expect((error as PermanentSourceError).reason).toBe('forbidden');
    expect((error as Error).message).toMatch(/Read and List permission/);
    expect(JSON.stringify([String(error), String((error as Error).cause)])).not.toContain(sas.signature);
  });

  it('refuses a connection string or key it cannot use, and a missing secret, before any request', () => {
    const garbage = 'AccountKey=abc-not-a-connection-string-4711';
    const badString = () =>
      azure(
        { credentials: { type: 'connectionString', connectionString: { secret: 'cs' } } },
        { connectionString: garbage },
      );
    expect(badString).toThrow(PermanentSourceError);
    expect(badString).toThrow(/Copy it again/);
    try {
      badString();
    } catch (error) {
      expect(String(error)).not.toContain('abc-not-a-connection-string');
    }
    expect(() => azure({}, {})).toThrow(/uses an Azure account key, but none was provided/);
  });

  it('reports a missing container as permanent not_found', async () => {
    const error = await azure({ container: 'nope' })
      .list({})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentSourceError);
    expect((error as PermanentSourceError).reason).toBe('not_found');
    expect((error as Error).message).toContain("container 'nope'");
  });

  it('reports an endpoint nothing answers on as transient once the SDK retries are spent', async () => {
    const error = await azure({ endpoint: `http://127.0.0.1:9/${DEV_ACCOUNT}` })
      .list({})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientSourceError);
    expect((error as Error).message).toMatch(/connection to Azure failed/);
  });

  it('test() reaches the container and shows a sample under the prefix', async () => {
    for (let i = 0; i < 7; i++) await put(`p/${i}.ndjson`, ndjson(1));
    const report = await azure({ prefix: 'p/' }).test();
    expect(report.ok).toBe(true);
    expect(report.sample).toEqual(['p/0.ndjson', 'p/1.ndjson', 'p/2.ndjson', 'p/3.ndjson', 'p/4.ndjson']);
    expect(report.message).toBe(
      `Reached container '${containerName}' at ${container.url}: 5+ blobs under 'p/'.`,
    );
  });
});

describe('Azure source: faults (through a proxy in front of Azurite)', () => {
  let proxy: FaultProxy;
  beforeEach(async () => {
    proxy = await startFaultProxy(azurite.blobEndpoint);
  });
  afterEach(async () => {
    await proxy.close();
  });
  const RETRYING: AzureSourceOptions = { retry: { maxTries: 4, retryDelayInMs: 5, maxRetryDelayInMs: 10 } };

  it('absorbs a short 503 ServerBusy burst with the SDK retries, and reports a longer one as transient', async () => {
    await put('a.ndjson', ndjson(2));
    const source = azure({ endpoint: proxy.endpoint }, { accountKey: DEV_KEY }, RETRYING);
    proxy.busy(2);
    expect((await listAll(source)).objects).toHaveLength(1);
    expect(proxy.seen.map((r) => r.status)).toEqual([503, 503, 200]);
    proxy.busy(10);
    const error = await source.list({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientSourceError);
    expect((error as Error).message).toMatch(/503 ServerBusy/);
    expect(proxy.seen.filter((r) => r.status === 503)).toHaveLength(2 + 4);
  });

  it('never ends a body short when the connection resets mid-body: it is resumed or it errors', async () => {
    // The SDK resumes a broken body from where it stopped (maxRetryRequests, same ETag condition), but on
    // Node ≥ 16 a reset often reaches it as 'aborted' first and it gives up (Azure/azure-sdk-for-js#32268).
    // Either outcome is fine for the sync (its checkpoint makes the next pass read the rest); a short body is not.
    const data = ndjson(3000);
    await put('big.ndjson', data);
    const source = azure({ endpoint: proxy.endpoint }, { accountKey: DEV_KEY }, RETRYING);
    const [listed] = (await listAll(source)).objects;
    for (let trial = 0; trial < 5; trial++) {
      proxy.cutNextBody(10_000);
      const opened = await source.open('big.ndjson', { version: listed!.version, offset: 5 });
      const outcome = await readAll(opened.body).catch((e: unknown) => e);
      if (outcome instanceof Buffer) {
        expect(outcome.toString()).toBe(data.slice(5));
      } else {
        expect(outcome).toBeInstanceOf(TransientSourceError);
        expect((outcome as Error).message).toMatch(/blob 'big\.ndjson'/);
      }
    }
    const ranges = proxy.seen
      .filter((r) => r.method === 'GET' && r.url.includes('big.ndjson'))
      .map((r) => r.range);
    // Every read asked from the offset; a resume asked from where the cut happened.
    expect(new Set(ranges)).toEqual(
      new Set(ranges.includes('bytes=10005-') ? ['bytes=5-', 'bytes=10005-'] : ['bytes=5-']),
    );
  });
});
