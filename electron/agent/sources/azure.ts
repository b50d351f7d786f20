/**
 * Azure Blob Storage as a {@link Source}, on `@azure/storage-blob`: paged flat listings (version = the
 * blob's ETag without quotes), reads from a byte offset conditional on the listed ETag, and a connection
 * test. Retries and backoff are the SDK's own (`retryOptions` for requests, `maxRetryRequests` to resume
 * a body that broke off, still conditional on the ETag); what escapes them is classified as permanent
 * (credentials, permission, no such container) or transient (throttling, 5xx, resets).
 */
import { PassThrough, type Readable } from 'node:stream';
import {
  AnonymousCredential,
  BlobServiceClient,
  ContainerClient,
  StorageSharedKeyCredential,
  type StoragePipelineOptions,
} from '@azure/storage-blob';
import type { AzureSourceConfig } from '../../../shared/sourceConfig.ts';
import {
  ObjectChangedError,
  PermanentSourceError,
  lengthCheckedBody,
  TransientSourceError,
  type ConnectionReport,
  type ListOptions,
  type ListPage,
  type OpenOptions,
  type OpenedObject,
  type RemoteObject,
  type Source,
} from './source.ts';

/** Credentials already taken out of the secret store (or the environment) by the caller. */
export interface AzureResolvedCredentials {
  /** For `credentials.type === 'connectionString'`. */
  readonly connectionString?: string;
  /** For `credentials.type === 'sasUrl'`: a container SAS URL, or an account SAS URL. */
  readonly sasUrl?: string;
  /** For `credentials.type === 'accountKey'` (the account name is in the configuration). */
  readonly accountKey?: string;
}

/** Retry tuning; the defaults suit a workstation syncing hourly, tests shorten the delays. */
export interface AzureRetrySettings {
  /** Attempts per request, the first included (the SDK's `maxTries`). Default 5. */
  readonly maxTries?: number;
  /** The first wait between attempts, in milliseconds; it doubles per attempt. Default 1 000. */
  readonly retryDelayInMs?: number;
  /** The longest wait between attempts, in milliseconds. Default 30 000. */
  readonly maxRetryDelayInMs?: number;
  /** How often a body that breaks off is resumed from where it stopped. Default 5. */
  readonly maxBodyResumes?: number;
}

export interface AzureSourceOptions {
  readonly retry?: AzureRetrySettings;
}

/**
 * Azure's own maximum for a listing page: each page is a request through the SDK's pipeline (signing,
 * policies) and a round trip, so a re-sync of 10,000 unchanged blobs makes 2 of them instead of 10.
 */
const DEFAULT_PAGE_SIZE = 5000;

/**
 * Builds an Azure Blob source from a connection string, a SAS URL (of the container, or of the account
 * with the container named in the configuration), or the account name and key. `endpoint` replaces
 * `https://<account>.blob.core.windows.net` for an account key (Azurite, sovereign clouds); a connection
 * string and a SAS URL carry their own endpoint.
 *
 * @throws PermanentSourceError (`bad_config`) when the credential is missing or malformed; nothing is
 *   requested until the first call.
 */
export function createAzureSource(
  config: AzureSourceConfig,
  resolved: AzureResolvedCredentials = {},
  options: AzureSourceOptions = {},
): Source {
  const retry = options.retry ?? {};
  const pipeline: StoragePipelineOptions = {
    retryOptions: {
      maxTries: retry.maxTries ?? 5,
      retryDelayInMs: retry.retryDelayInMs ?? 1000,
      maxRetryDelayInMs: retry.maxRetryDelayInMs ?? 30_000,
    },
  };
  const maxBodyResumes = retry.maxBodyResumes ?? 5;
  const container = containerClient(config, resolved, pipeline);
  // A SAS may lack permissions; an account key (or a connection string carrying one) may not.
  const fullAccess =
    config.credentials.type === 'accountKey' ||
    (config.credentials.type === 'connectionString' &&
      !/SharedAccessSignature=/i.test(resolved.connectionString ?? ''));
  const where = `container '${config.container}'`;

  async function list(listOptions: ListOptions): Promise<ListPage> {
    listOptions.signal?.throwIfAborted();
    try {
      const pages = container
        .listBlobsFlat({ prefix: listOptions.prefix ?? config.prefix, abortSignal: listOptions.signal })
        .byPage({
          maxPageSize: listOptions.pageSize ?? DEFAULT_PAGE_SIZE,
          // The SDK takes '' or undefined for the first page.
          continuationToken: listOptions.pageToken,
        });
      // One request per call: the sync pages itself and checkpoints between pages.
      const { value: page, done } = await pages.next();
      if (done || !page) return { objects: [], next: null };
      const objects: RemoteObject[] = page.segment.blobItems.map((blob) => ({
        key: blob.name,
        size: blob.properties.contentLength ?? 0,
        modified: blob.properties.lastModified.getTime(),
        version: unquote(blob.properties.etag),
        inode: null,
      }));
      return { objects, next: page.continuationToken ? page.continuationToken : null };
    } catch (error) {
      if (listOptions.signal?.aborted) throw listOptions.signal.reason;
      throw classify(error, { where, fullAccess });
    }
  }

  async function open(key: string, openOptions: OpenOptions): Promise<OpenedObject> {
    const { signal } = openOptions;
    signal?.throwIfAborted();
    const offset = openOptions.offset ?? 0;
    let response;
    try {
      response = await container.getBlobClient(key).download(offset, undefined, {
        // Listings and properties quote ETags differently (Azurite); the header wants the quoted form.
        conditions: { ifMatch: `"${openOptions.version}"` },
        // A body that breaks off is re-requested from where it stopped, with the same condition.
        maxRetryRequests: maxBodyResumes,
        abortSignal: signal,
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (codeOf(error) === 'InvalidRange' && offset > 0) {
        // Nothing at or after the offset: the blob has not grown.
        const empty = new PassThrough();
        empty.end();
        return { body: empty, offset };
      }
      throw classify(error, { where, key, fullAccess });
    }
    const body = response.readableStreamBody;
    if (!body) throw new TransientSourceError(`${where}/${key}: the download returned no body.`);
    return { body: guardBody(body, response.contentLength ?? null, { where, key, fullAccess }), offset };
  }

  async function test(
    testOptions: { prefix?: string; signal?: AbortSignal } = {},
  ): Promise<ConnectionReport> {
    const prefix = testOptions.prefix ?? config.prefix;
    try {
      const page = await list({ prefix, pageSize: 5, signal: testOptions.signal });
      const sample = page.objects.map((o) => o.key);
      const what = sample.length
        ? `${sample.length}${page.next ? '+' : ''} blob${sample.length === 1 && !page.next ? '' : 's'} under '${prefix}'`
        : `no blobs under '${prefix}' yet`;
      return { ok: true, message: `Reached ${where} at ${container.url.split('?')[0]}: ${what}.`, sample };
    } catch (error) {
      if (error instanceof PermanentSourceError || error instanceof TransientSourceError) {
        return { ok: false, message: error.message, sample: [] };
      }
      throw error;
    }
  }

  return {
    kind: 'azure',
    list,
    open,
    test,
    async close() {
      // The SDK's HTTP client shares Node's agent; there is nothing of ours to release.
    },
  };
}

function containerClient(
  config: AzureSourceConfig,
  resolved: AzureResolvedCredentials,
  pipeline: StoragePipelineOptions,
): ContainerClient {
  const credentials = config.credentials;
  switch (credentials.type) {
    case 'connectionString': {
      if (!resolved.connectionString) throw missing(config, 'connection string');
      try {
        return BlobServiceClient.fromConnectionString(resolved.connectionString, pipeline).getContainerClient(
          config.container,
        );
      } catch {
        // The SDK's parse errors may quote the string: say what is wrong without it.
        throw new PermanentSourceError(
          'bad_config',
          `The Azure connection string of source '${config.name}' cannot be used. Copy it again from the storage account's Access keys page (DefaultEndpointsProtocol=…;AccountName=…;AccountKey=…;EndpointSuffix=…).`,
        );
      }
    }
    case 'sasUrl': {
      if (!resolved.sasUrl) throw missing(config, 'SAS URL');
      let url: URL;
      try {
        url = new URL(resolved.sasUrl);
      } catch {
        throw new PermanentSourceError(
          'bad_config',
          `The Azure SAS URL of source '${config.name}' is not a URL. Generate one on the container (Shared access tokens) with Read and List permission and copy the Blob SAS URL.`,
        );
      }
      // A container SAS URL ends with the container's name; anything else is an account SAS URL.
      const segments = url.pathname.split('/').filter(Boolean);
      if (segments.at(-1) === config.container)
        return new ContainerClient(resolved.sasUrl, new AnonymousCredential(), pipeline);
      return new BlobServiceClient(resolved.sasUrl, new AnonymousCredential(), pipeline).getContainerClient(
        config.container,
      );
    }
    case 'accountKey': {
      if (!resolved.accountKey) throw missing(config, 'account key');
      let credential: StorageSharedKeyCredential;
      try {
        credential = new StorageSharedKeyCredential(credentials.accountName, resolved.accountKey);
      } catch {
        throw new PermanentSourceError(
          'bad_config',
          `The Azure account key of source '${config.name}' is not a storage account key (base64). Copy key1 or key2 from the account's Access keys page.`,
        );
      }
      const endpoint = config.endpoint ?? `https://${credentials.accountName}.blob.core.windows.net`;
      return new BlobServiceClient(endpoint.replace(/\/+$/, ''), credential, pipeline).getContainerClient(
        config.container,
      );
    }
  }
}

function missing(config: AzureSourceConfig, what: string): PermanentSourceError {
  return new PermanentSourceError(
    'bad_config',
    `Source '${config.name}' uses an Azure ${what}, but none was provided. Set it in the source's credentials.`,
  );
}

/** Listings (Azurite) and properties disagree on quoting; the version is the bare ETag. */
function unquote(etag: string): string {
  return etag.replace(/^(W\/)?"(.*)"$/, '$2');
}

/**
 * The body handed to the caller: errors are classified (a resume that finds the blob changed is an
 * ObjectChangedError), and a body that ends short of Content-Length is an error, never a short object.
 */
function guardBody(
  download: NodeJS.ReadableStream,
  expected: number | null,
  context: ClassifyContext & { key: string },
): Readable {
  const { where, key } = context;
  const body = lengthCheckedBody(expected, `${where}/${key}`);
  const source = download as Readable;
  source.on('error', (error) => body.destroy(classify(error, context)));
  body.on('close', () => {
    // The caller stopped reading (or finished): stop the download too.
    if (!source.destroyed) source.destroy();
  });
  source.pipe(body);
  return body;
}

function statusOf(error: unknown): number | null {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : null;
}

/** The service's error code (`AuthenticationFailed`, `ContainerNotFound`, …) or a Node error code. */
function codeOf(error: unknown): string {
  const e = error as { code?: unknown; details?: { errorCode?: unknown } } | null;
  const code = e?.details?.errorCode ?? e?.code;
  return typeof code === 'string' ? code : '';
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_STREAM_PREMATURE_CLOSE',
  'REQUEST_SEND_ERROR',
]);

interface ClassifyContext {
  readonly where: string;
  /** The blob being read; absent for container-level calls (listing). */
  readonly key?: string;
  /** An account key or connection string: nothing is out of its reach, so a 403 means it is wrong. */
  readonly fullAccess: boolean;
}

/**
 * Maps what the SDK threw to the source errors. The SDK's error holds the request (its URL carries a SAS
 * signature), so the cause kept is only a summary: status, code and the service's first line.
 */
export function classify(error: unknown, context: ClassifyContext): Error {
  if (
    error instanceof PermanentSourceError ||
    error instanceof TransientSourceError ||
    error instanceof ObjectChangedError
  ) {
    return error;
  }
  const { where, key } = context;
  const status = statusOf(error);
  const code = codeOf(error);
  const raw = error instanceof Error ? error.message : String(error);
  const firstLine = redact(raw.split('\n')[0] ?? '').slice(0, 200);
  const cause = new Error(`${status ?? ''} ${code}: ${firstLine}`.trim());
  const what = key ? `${where}, blob '${key}'` : where;

  if (status === 401 || code === 'AuthenticationFailed') {
    return new PermanentSourceError(
      'auth',
      `Azure rejected the credentials for ${where} (${status ?? 403} ${code || 'Unauthorized'}). Check the account key, connection string or SAS token: it may be wrong, rotated or expired.`,
      { cause },
    );
  }
  if (status === 403 && code === 'AuthorizationFailure' && context.fullAccess) {
    // An account key may do everything, so this is not a missing permission: the key does not match
    // (Azurite says AuthorizationFailure where Azure says AuthenticationFailed) or a firewall refuses us.
    return new PermanentSourceError(
      'auth',
      `Azure rejected the credentials for ${where} (403 AuthorizationFailure). Check the account name and key (a rotated key stops working) or the connection string, and that the storage account's firewall admits this machine.`,
      { cause },
    );
  }
  if (status === 403) {
    return new PermanentSourceError(
      'forbidden',
      `The credentials may not read ${where} (403 ${code}). A SAS needs Read and List permission on the container and must not be expired; a role assignment needs Storage Blob Data Reader; the account's firewall must admit this machine.`,
      { cause },
    );
  }
  if (code === 'ContainerNotFound' || (status === 404 && !key)) {
    return new PermanentSourceError(
      'not_found',
      `The ${where} does not exist (404 ContainerNotFound). Check the container name and the account or endpoint.`,
      { cause },
    );
  }
  if (code === 'ResourceNotFound' && !key) {
    return new PermanentSourceError(
      'not_found',
      `The storage account behind ${where} was not found (404). Check the account name and endpoint.`,
      { cause },
    );
  }
  if (key && (status === 412 || code === 'ConditionNotMet' || status === 404 || code === 'BlobNotFound')) {
    // Rewritten (new ETag) or deleted since it was listed.
    return new ObjectChangedError(key, { cause });
  }
  if (status === 408 || status === 429 || (status !== null && status >= 500)) {
    return new TransientSourceError(
      `Azure answered ${status}${code ? ` ${code}` : ''} for ${what} and kept doing so through the retries; the next pass will try again.`,
      { cause },
    );
  }
  if (
    NETWORK_CODES.has(code) ||
    /socket hang up|aborted|premature close|ECONNRESET|ECONNREFUSED|network/i.test(raw)
  ) {
    return new TransientSourceError(
      `The connection to Azure failed for ${what} (${code || firstLine.slice(0, 80)}); the next pass will try again.`,
      {
        cause,
      },
    );
  }
  if (status === 400) {
    return new PermanentSourceError(
      'bad_config',
      `Azure refused the request for ${what} (400 ${code}): ${firstLine}`,
      { cause },
    );
  }
  return new TransientSourceError(`Reading ${what} failed: ${firstLine}`, { cause });
}

/** Service messages do not carry secrets, but a URL in a network error may carry a SAS signature. */
function redact(text: string): string {
  return text.replace(/([?&]sig=)[^&\s]+/gi, '$1REDACTED');
}
