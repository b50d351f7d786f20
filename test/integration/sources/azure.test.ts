/**
 * The Azure Blob source against Azurite (test/support/azurite.ts), through the real `@azure/storage-blob`
 * client: paging, versions, ranged and gzip reads, conditional reads, credentials of each kind and errors.
 */
import { randomBytes } from 'node:crypto';
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
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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
