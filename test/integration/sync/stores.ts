/**
 * The three object stores behind one small interface for the sync tests: the real protocol servers of
 * test/support (s3rver, Azurite, the GCS JSON-API server), each with a fault proxy in front where reads
 * are counted at the wire, driven by the real SDK clients through the sync.
 */
import crypto from 'node:crypto';
import { BlobServiceClient } from '@azure/storage-blob';
import { startAzurite, DEV_ACCOUNT, DEV_KEY, type Azurite } from '../../support/azurite.ts';
import { startFaultProxy, type FaultProxy } from '../../support/faultProxy.ts';
import { startGcsServer, type GcsTestServer } from '../../support/gcsServer.ts';
import { S3RVER_CREDENTIALS, startS3Server, type S3TestServer } from '../../support/s3Server.ts';

export interface TestStore {
  readonly kind: 's3' | 'azure' | 'gcs';
  /** A new empty bucket/container for one test; returns the source configuration reading it. */
  bucket(name: string): Promise<Record<string, unknown>>;
  /** The same bucket with credentials the server rejects. */
  wrongCredentials(config: Record<string, unknown>): Record<string, unknown>;
  put(config: Record<string, unknown>, key: string, body: string | Buffer): Promise<void>;
  /** Object reads (downloads) seen at the wire so far. */
  reads(): number;
  /** Listing requests seen at the wire so far. */
  lists(): number;
  /** Time the listing requests seen so far took at the wire (arrival to end of response), ms. */
  listMs(): number;
  /** The same source configuration, straight to the server (no proxy hop, nothing counted). */
  direct(config: Record<string, unknown>): Record<string, unknown>;
  /** The proxy in front of the server (faults), where there is one. */
  readonly proxy: FaultProxy | null;
  /** The server's process, when it runs in one of its own (the GCS server runs in the test's). */
  readonly pid: number | null;
  stop(): Promise<void>;
}

/** Retries short enough that a failing endpoint fails in milliseconds. */
export const FAST_RETRIES = {
  s3: { maxAttempts: 3, connectionTimeoutMs: 2000, socketTimeoutMs: 5000 },
  azure: { maxTries: 3, retryDelayInMs: 10, maxRetryDelayInMs: 20 },
  gcs: { maxRetries: 3, maxRetryDelayMs: 20, retryDelayMultiplier: 1.01 },
} as const;

const unique = (name: string) => `${name}-${crypto.randomBytes(3).toString('hex')}`;

const sumMs = (proxy: FaultProxy, isList: (url: string) => boolean) =>
  proxy.requests.reduce((ms, r) => (r.method === 'GET' && isList(r.url) ? ms + (r.ms ?? 0) : ms), 0);

export async function startS3Store(): Promise<TestStore> {
  const server: S3TestServer = await startS3Server();
  const proxy = await startFaultProxy(server.endpoint);
  const isList = (url: string) => /[?&]list-type=2/.test(url);
  return {
    kind: 's3',
    proxy,
    pid: server.pid,
    async bucket(name) {
      const bucket = unique(name);
      await server.createBucket(bucket);
      return {
        kind: 's3',
        bucket,
        endpoint: proxy.url,
        forcePathStyle: true,
        credentials: {
          type: 'keys',
          accessKeyId: S3RVER_CREDENTIALS.accessKeyId,
          secretAccessKey: S3RVER_CREDENTIALS.secretAccessKey,
        },
      };
    },
    wrongCredentials: (config) => ({
      ...config,
      credentials: { type: 'keys', accessKeyId: 'NOT-A-KEY', secretAccessKey: 'wrong-secret-value' },
    }),
    put: (config, key, body) => server.put(config.bucket as string, key, body),
    reads: () => proxy.requests.filter((r) => r.method === 'GET' && !isList(r.url) && r.url !== '/').length,
    lists: () => proxy.requests.filter((r) => r.method === 'GET' && isList(r.url)).length,
    listMs: () => sumMs(proxy, isList),
    direct: (config) => ({ ...config, endpoint: server.endpoint }),
    async stop() {
      await proxy.close();
      await server.stop();
    },
  };
}

export async function startAzureStore(): Promise<TestStore> {
  const azurite: Azurite = await startAzurite();
  const proxy = await startFaultProxy(azurite.blobEndpoint.replace(/\/devstoreaccount1$/, ''));
  const admin = BlobServiceClient.fromConnectionString(azurite.connectionString);
  const isList = (url: string) => /[?&]comp=list/.test(url);
  return {
    kind: 'azure',
    proxy,
    pid: azurite.pid,
    async bucket(name) {
      const container = unique(name);
      await admin.getContainerClient(container).create();
      return {
        kind: 'azure',
        container,
        endpoint: `${proxy.url}/${DEV_ACCOUNT}`,
        credentials: { type: 'accountKey', accountName: DEV_ACCOUNT, accountKey: DEV_KEY },
      };
    },
    wrongCredentials: (config) => ({
      ...config,
      credentials: {
        type: 'accountKey',
        accountName: DEV_ACCOUNT,
        accountKey: Buffer.from('a wrong key of the right length, 64 bytes long............').toString(
          'base64',
        ),
      },
    }),
    async put(config, key, body) {
      const data = Buffer.from(body);
      await admin
        .getContainerClient(config.container as string)
        .getBlockBlobClient(key)
        .upload(data, data.length);
    },
    reads: () =>
      proxy.requests.filter((r) => r.method === 'GET' && !isList(r.url) && !/[?&]restype=/.test(r.url))
        .length,
    lists: () => proxy.requests.filter((r) => r.method === 'GET' && isList(r.url)).length,
    listMs: () => sumMs(proxy, isList),
    direct: (config) => ({ ...config, endpoint: azurite.blobEndpoint }),
    async stop() {
      await proxy.close();
      await azurite.stop();
    },
  };
}

export async function startGcsStore(): Promise<TestStore> {
  const server: GcsTestServer = await startGcsServer();
  const proxy = await startFaultProxy(server.url);
  return {
    kind: 'gcs',
    proxy,
    pid: null,
    async bucket(name) {
      const bucket = unique(name);
      server.createBucket(bucket);
      return { kind: 'gcs', bucket, endpoint: proxy.url, projectId: 'test' };
    },
    // A key that is not a service-account key: refused before any request, with the field named.
    wrongCredentials: (config) => ({
      ...config,
      credentials: { type: 'serviceAccount', json: '{"type":"nonsense"}' },
    }),
    async put(config, key, body) {
      server.putObject(config.bucket as string, key, body);
    },
    reads: () => server.count({ op: 'download' }),
    lists: () => server.count({ op: 'list' }),
    listMs: () => sumMs(proxy, (url) => /\/o(\?|$)/.test(url)),
    direct: (config) => ({ ...config, endpoint: server.url }),
    async stop() {
      await proxy.close();
      await server.close();
    },
  };
}
