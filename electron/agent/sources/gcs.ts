/**
 * Google Cloud Storage as a {@link Source}, on `@google-cloud/storage`: paged listings (version = the
 * object's generation), reads from a byte offset conditional on the listed generation, and a connection
 * test. Retries and backoff are the client's own (`retryOptions`); what escapes them is classified as
 * permanent (credentials, permission, no such bucket) or transient (throttling, 5xx, resets).
 */
import { PassThrough, type Readable } from 'node:stream';
import { JWT } from 'google-auth-library';
import { IdempotencyStrategy, Storage, type File, type StorageOptions } from '@google-cloud/storage';
import type { GcsSourceConfig } from '../../../shared/sourceConfig.ts';
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
export interface GcsResolvedCredentials {
  /** The service account's JSON key, for `credentials.type === 'serviceAccount'`. */
  readonly serviceAccountJson?: string;
}

/** Retry tuning; the defaults suit a workstation syncing hourly, tests shorten the delays. */
export interface GcsRetrySettings {
  /** Retries after the first attempt of a request (the client's `maxRetries`). Default 4. */
  readonly maxRetries?: number;
  /** The longest wait between two attempts, in milliseconds. Default 16 000. */
  readonly maxRetryDelayMs?: number;
  /** Growth of the wait per attempt (the wait is multiplier^attempt seconds plus up to 1 s of jitter). Default 2. */
  readonly retryDelayMultiplier?: number;
}

export interface GcsSourceOptions {
  readonly retry?: GcsRetrySettings;
  /** Idle timeout of one HTTP request, in milliseconds (no bytes for this long: the attempt fails). Default 60 000. */
  readonly requestTimeoutMs?: number;
}

const DEFAULT_PAGE_SIZE = 1000;
const READ_ONLY_SCOPE = 'https://www.googleapis.com/auth/devstorage.read_only';

type Interceptor = File['interceptors'][number];

/**
 * Builds a GCS source. With a service-account key the client signs its own tokens; with `default` it uses
 * application default credentials — unless a custom endpoint is set, where `default` means an emulator
 * without authentication (the client's emulator mode). A key together with a custom endpoint (a private
 * Google endpoint) still authenticates.
 *
 * @throws PermanentSourceError (`bad_config`) when the service-account key is missing or malformed;
 *   nothing is requested until the first call.
 */
export function createGcsSource(
  config: GcsSourceConfig,
  resolved: GcsResolvedCredentials = {},
  options: GcsSourceOptions = {},
): Source {
  const where = `gs://${config.bucket}`;
  const retry = retrySettings(options.retry);
  const storageOptions: StorageOptions = {
    retryOptions: retryOptions(retry),
    timeout: options.requestTimeoutMs ?? 60_000,
  };
  if (config.projectId) storageOptions.projectId = config.projectId;
  const endpoint = normaliseEndpoint(config.endpoint);
  if (endpoint) storageOptions.apiEndpoint = endpoint;

  if (config.credentials.type === 'serviceAccount') {
    const key = parseServiceAccount(resolved.serviceAccountJson, config.name);
    // A JWT client of our own rather than the `credentials` option (deprecated), with a read-only scope:
    // the agent never writes to the bucket.
    storageOptions.authClient = new JWT({
      email: key.client_email,
      key: key.private_key,
      scopes: [READ_ONLY_SCOPE],
    });
    if (!config.projectId && key.project_id) storageOptions.projectId = key.project_id;
    if (endpoint) storageOptions.useAuthWithCustomEndpoint = true;
  }
  const storage = new Storage(storageOptions);
  const bucket = storage.bucket(config.bucket);

  async function list(listOptions: ListOptions): Promise<ListPage> {
    listOptions.signal?.throwIfAborted();
    try {
      const [files, nextQuery] = await bucket.getFiles({
        prefix: listOptions.prefix ?? config.prefix,
        maxResults: listOptions.pageSize ?? DEFAULT_PAGE_SIZE,
        pageToken: listOptions.pageToken,
        // One request per call: the sync pages itself and checkpoints between pages.
        autoPaginate: false,
      });
      // The client cannot cancel a listing call; an abort takes effect once it returns.
      listOptions.signal?.throwIfAborted();
      const objects: RemoteObject[] = files.map((file) => ({
        key: file.name,
        size: Number(file.metadata.size ?? 0),
        modified: Date.parse(String(file.metadata.updated ?? file.metadata.timeCreated ?? '')) || 0,
        // The generation changes on every write of the object's data (and only then).
        version: String(file.metadata.generation ?? ''),
        inode: null,
      }));
      const token = (nextQuery as { pageToken?: string } | null | undefined)?.pageToken;
      return { objects, next: token ? token : null };
    } catch (error) {
      if (listOptions.signal?.aborted) throw error;
      throw classify(error, { where });
    }
  }

  async function open(key: string, openOptions: OpenOptions): Promise<OpenedObject> {
    const { signal } = openOptions;
    const offset = openOptions.offset ?? 0;
    // Only the start of a download is retried, and here rather than by the client: its stream retry
    // (retry-request over teeny-request 11) leaves an unhandled ERR_STREAM_UNABLE_TO_PIPE rejection behind
    // for every retried 429/5xx on Node 24, which would bring the agent down
    // (googleapis/google-cloud-node#8670, fix pending in #9160). Same attempts and backoff as the client.
    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted();
      const download = startDownload(key, openOptions.version, offset);
      const onAbort = () => download.destroy(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const response = await firstResponse(download);
        const header = response.headers['content-length'];
        const expected = header !== undefined && Number.isFinite(Number(header)) ? Number(header) : null;
        const done = () => signal?.removeEventListener('abort', onAbort);
        return { body: guardBody(download, expected, key, where, done), offset };
      } catch (error) {
        signal?.removeEventListener('abort', onAbort);
        download.destroy();
        if (signal?.aborted) throw signal.reason;
        if (statusOf(error) === 416 && offset > 0) {
          // Nothing at or after the offset: a generation never grows, so there is nothing new to read.
          const empty = new PassThrough();
          empty.end();
          return { body: empty, offset };
        }
        const classified = classify(error, { where, key });
        if (!(classified instanceof TransientSourceError) || attempt >= retry.maxRetries) throw classified;
        await delay(retryDelayMs(retry, attempt + 1), signal);
      }
    }
  }

  function startDownload(key: string, version: string, offset: number): Readable {
    const file = bucket.file(key);
    // The read is conditional on the listed generation: ifGenerationMatch makes GCS answer 412 once the
    // object has been rewritten. `createReadStream` has no option for it, so it goes in through the
    // client's documented request interceptors, with the per-request retry count (see open()).
    file.interceptors.push({
      request(reqOpts) {
        reqOpts.qs = { ...reqOpts.qs, ifGenerationMatch: version };
        (reqOpts as { maxRetries?: number }).maxRetries = 0;
        // What arrives is the request being decorated (it has its `uri`); the types allow a teeny-request `url`.
        return reqOpts as ReturnType<Interceptor['request']>;
      },
    });
    return file.createReadStream({
      // The stored bytes: gzip is detected by magic bytes downstream, and a stored offset counts stored bytes.
      decompress: false,
      // A whole read is checked against the object's CRC32C; a ranged read cannot be (the client refuses).
      ...(offset > 0 ? { start: offset, validation: false } : { validation: 'crc32c' }),
    });
  }

  async function test(
    testOptions: { prefix?: string; signal?: AbortSignal } = {},
  ): Promise<ConnectionReport> {
    const prefix = testOptions.prefix ?? config.prefix;
    try {
      const page = await list({ prefix, pageSize: 5, signal: testOptions.signal });
      const sample = page.objects.map((o) => o.key);
      const what = sample.length
        ? `${sample.length}${page.next ? '+' : ''} object${sample.length === 1 && !page.next ? '' : 's'} under '${prefix}'`
        : `no objects under '${prefix}' yet`;
      return { ok: true, message: `Reached ${where}: ${what}.`, sample };
    } catch (error) {
      if (error instanceof PermanentSourceError || error instanceof TransientSourceError) {
        return { ok: false, message: error.message, sample: [] };
      }
      throw error;
    }
  }

  return {
    kind: 'gcs',
    list,
    open,
    test,
    async close() {
      // The client holds no sockets of its own beyond Node's shared agent; nothing to release.
    },
  };
}

type Retry = Required<GcsRetrySettings>;

function retrySettings(settings: GcsRetrySettings = {}): Retry {
  return {
    maxRetries: settings.maxRetries ?? 4,
    maxRetryDelayMs: settings.maxRetryDelayMs ?? 16_000,
    retryDelayMultiplier: settings.retryDelayMultiplier ?? 2,
  };
}

/**
 * The client's retry settings. Every call this source makes is a read, so all of them may be retried
 * (RetryAlways). Keep `totalTimeout` far above maxRetries × (request timeout + delay): retry-request 9
 * never calls back once the total is spent, so a request would hang instead of failing.
 */
function retryOptions(retry: Retry): StorageOptions['retryOptions'] {
  return {
    autoRetry: true,
    maxRetries: retry.maxRetries,
    retryDelayMultiplier: retry.retryDelayMultiplier,
    maxRetryDelay: retry.maxRetryDelayMs / 1000,
    totalTimeout: 600,
    idempotencyStrategy: IdempotencyStrategy.RetryAlways,
  };
}

/** The client's backoff (retry-request): multiplier^attempt seconds plus up to 1 s of jitter, capped. */
function retryDelayMs(retry: Retry, attempt: number): number {
  return Math.min(retry.retryDelayMultiplier ** attempt * 1000 + Math.random() * 1000, retry.maxRetryDelayMs);
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * `apiEndpoint` gets `/storage/v1` appended by the client, while `STORAGE_EMULATOR_HOST` is used as the
 * base URL verbatim; a user may write either form, so a trailing `/storage/v1` is dropped here.
 * (When STORAGE_EMULATOR_HOST is set in the environment, the client sends JSON-API calls there whatever
 * the endpoint: that is the client's rule for every Storage in the process.)
 */
function normaliseEndpoint(endpoint: string | undefined): string | undefined {
  if (!endpoint) return undefined;
  return endpoint.replace(/\/+$/, '').replace(/\/storage\/v1$/, '');
}

interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  project_id?: string;
}

/** Checks the key's shape without ever echoing its content. */
function parseServiceAccount(json: string | undefined, sourceName: string): ServiceAccountKey {
  const fix =
    "Download a JSON key (IAM → Service accounts → Keys → Add key → JSON) and set it as the source's credentials.json.";
  if (!json) {
    throw new PermanentSourceError(
      'bad_config',
      `Source '${sourceName}' uses a GCS service-account key, but none was provided. ${fix}`,
    );
  }
  let key: Partial<ServiceAccountKey> & { type?: string };
  try {
    key = JSON.parse(json) as typeof key;
  } catch {
    throw new PermanentSourceError(
      'bad_config',
      `The GCS service-account key of source '${sourceName}' is not valid JSON. ${fix}`,
    );
  }
  if (typeof key.client_email !== 'string' || typeof key.private_key !== 'string') {
    throw new PermanentSourceError(
      'bad_config',
      `The GCS credentials of source '${sourceName}' are not a service-account key (client_email and private_key are missing). ${fix}`,
    );
  }
  return { client_email: key.client_email, private_key: key.private_key, project_id: key.project_id };
}

interface HttpResponseLike {
  statusCode: number;
  headers: Record<string, string | undefined>;
}

/** Starts the download and waits for its response: a 2xx resolves, a failed request rejects. */
function firstResponse(download: Readable): Promise<HttpResponseLike> {
  return new Promise((resolve, reject) => {
    const onResponse = (res: HttpResponseLike) => {
      // An error status is followed by an 'error' carrying the API's message; wait for that one.
      if (res.statusCode >= 200 && res.statusCode < 300) {
        cleanup();
        resolve(res);
      }
    };
    const onError = (error: unknown) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      download.off('response', onResponse);
      download.off('error', onError);
    };
    download.on('response', onResponse);
    download.on('error', onError);
    // The client sends its request when the stream is first read; read(0) asks without consuming.
    download.read(0);
  });
}

/**
 * The body handed to the caller: errors are classified, and a body that ends short of the response's
 * Content-Length is an error, never a silently truncated object.
 */
function guardBody(
  download: Readable,
  expected: number | null,
  key: string,
  where: string,
  done: () => void,
): Readable {
  const body = lengthCheckedBody(expected, `${where}/${key}`);
  download.on('error', (error) => body.destroy(classify(error, { where, key })));
  body.on('close', () => {
    done();
    // The caller stopped reading (or finished): stop the download too.
    if (!download.destroyed) download.destroy();
  });
  download.pipe(body);
  return body;
}

function statusOf(error: unknown): number | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'number') return code;
  if (typeof code === 'string' && /^\d{3}$/.test(code)) return Number(code);
  const status = (error as { status?: unknown; response?: { status?: unknown } } | null)?.response?.status;
  return typeof status === 'number' ? status : null;
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
  'UND_ERR_SOCKET',
  'CONTENT_DOWNLOAD_MISMATCH',
]);

/** Maps what the client threw to the source errors; messages name the bucket, never a credential. */
export function classify(error: unknown, context: { where: string; key?: string }): Error {
  if (
    error instanceof PermanentSourceError ||
    error instanceof TransientSourceError ||
    error instanceof ObjectChangedError
  ) {
    return error;
  }
  const { where, key } = context;
  const status = statusOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  const what = key ? `${where}/${key}` : where;
  // Auth failures may carry request details from the auth library: keep only a summary as the cause.
  const summary = new Error(`${status ?? code}: ${apiMessage(message).slice(0, 200)}`);

  if (status === 401) {
    return new PermanentSourceError(
      'auth',
      `GCS rejected the credentials for ${where} (401). Check the source's service-account key, or the application default credentials (gcloud auth application-default login, GOOGLE_APPLICATION_CREDENTIALS).`,
      { cause: summary },
    );
  }
  if (status === 403) {
    return new PermanentSourceError(
      'forbidden',
      `The credentials may not read ${where} (403). Grant them Storage Object Viewer (storage.objects.list and storage.objects.get) on the bucket.`,
      { cause: summary },
    );
  }
  if (
    /could not load the default credentials|invalid_grant|invalid_client|unauthorized_client/i.test(message)
  ) {
    return new PermanentSourceError(
      'auth',
      `No usable Google credentials for ${where}: set GOOGLE_APPLICATION_CREDENTIALS or run gcloud auth application-default login, or give the source a service-account key.`,
      { cause: summary },
    );
  }
  if (/DECODER routines|PEM|private key/i.test(message)) {
    return new PermanentSourceError(
      'bad_config',
      `The private key in the service-account key for ${where} cannot be read. Download a new JSON key for the service account.`,
      { cause: summary },
    );
  }
  if (status === 404) {
    if (!key || /bucket does not exist/i.test(message)) {
      return new PermanentSourceError(
        'not_found',
        `Bucket ${where} does not exist (404). Check the bucket name (and the endpoint, for an emulator).`,
        { cause: error },
      );
    }
    // The object was deleted (or rewritten and its generation is gone) since it was listed.
    return new ObjectChangedError(key, { cause: error });
  }
  if (status === 412 && key) return new ObjectChangedError(key, { cause: error });
  if (status === 408 || status === 429 || (status !== null && status >= 500)) {
    return new TransientSourceError(
      `GCS answered ${status} for ${what} (${status === 429 ? 'throttled' : 'unavailable'}) and kept doing so through the retries; the next pass will try again.`,
      { cause: error },
    );
  }
  if (NETWORK_CODES.has(code) || /socket hang up|aborted|premature close|ECONNRESET|network/i.test(message)) {
    return new TransientSourceError(
      `The connection to GCS failed for ${what} (${code || apiMessage(message).slice(0, 80)}); the next pass will try again.`,
      { cause: error },
    );
  }
  if (status === 400) {
    return new PermanentSourceError(
      'bad_config',
      `GCS refused the request for ${what} (400): ${apiMessage(message).slice(0, 200)}`,
      {
        cause: error,
      },
    );
  }
  return new TransientSourceError(`Reading ${what} failed: ${apiMessage(message).slice(0, 200)}`, {
    cause: error,
  });
}

/** A download's error message is the raw JSON error body; pull the human part out of it. */
function apiMessage(message: string): string {
  try {
    const parsed = JSON.parse(message) as { error?: { message?: string } };
    if (parsed.error?.message) return parsed.error.message;
  } catch {
    // not JSON: already a sentence
  }
  return message;
}
