/**
 * Amazon S3 and S3-compatible stores (MinIO, Ceph, a test server) through `@aws-sdk/client-s3`.
 *
 * Retries, backoff and throttling live in the SDK: `retryMode: 'standard'` (exponential backoff with
 * jitter, longer for throttling errors such as SlowDown, and a retry quota that stops a failing endpoint
 * from being hammered) with 5 attempts instead of the default 3, so a short burst of SlowDown/503 is
 * absorbed. Not 'adaptive': AWS recommends standard for all workloads and adaptive only for
 * throttling-heavy clients of a single resource (its client-side rate limiter may delay even first
 * attempts; here it made a three-error burst take ~8 s instead of ~3 s), and a workstation does not come
 * near S3's per-prefix request rates. What escapes the SDK is final for this attempt and classified here: rejected credentials, missing permission, a missing bucket or a bad
 * setting are {@link PermanentSourceError}s with a sentence saying what to fix; throttling, 5xx, resets and
 * timeouts are {@link TransientSourceError}s. Messages never carry a secret: credentials are resolved
 * through the secret store, and messages name only the source, bucket, key and S3's error code.
 */
import type { GetObjectCommandOutput, S3ClientConfig } from '@aws-sdk/client-s3';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { addAbortSignal, finished, Readable, Transform } from 'node:stream';
import type { S3SourceConfig } from '../../../shared/sourceConfig.ts';
import type { SecretStore } from './secrets/secretStore.ts';
import { resolveSecret, SecretResolutionError } from './secrets/secretStore.ts';
import type {
  ConnectionReport,
  ListOptions,
  ListPage,
  OpenedObject,
  OpenOptions,
  RemoteObject,
  Source,
} from './source.ts';
import { ObjectChangedError, PermanentSourceError, TransientSourceError } from './source.ts';

/** S3's own maximum for ListObjectsV2, and our default page. */
const DEFAULT_PAGE_SIZE = 1000;

/** How hard the SDK tries before an error reaches the caller. */
export interface S3RetrySettings {
  /** Attempts per request, the first included (SDK `maxAttempts`). Default 5. */
  readonly maxAttempts?: number;
  /** SDK retry mode. Default `standard` (see the module comment for why not `adaptive`). */
  readonly retryMode?: 'standard' | 'adaptive';
  /** Time allowed to open a connection, ms. Default 10 s. */
  readonly connectionTimeoutMs?: number;
  /** A socket idle this long (no bytes either way) is dropped and the request fails, ms. Default 60 s. */
  readonly socketTimeoutMs?: number;
}

export interface S3SourceDeps {
  /** Where `{ "secret": … }` credential references resolve. */
  readonly secrets: SecretStore;
  /** Where `{ "env": … }` references resolve; the process environment by default. */
  readonly env?: SecretStore;
  readonly retry?: S3RetrySettings;
}

/** The S3 source. `config` is the parsed (zod output) configuration of an `s3` source. */
export class S3Source implements Source {
  readonly kind = 's3' as const;
  readonly #config: S3SourceConfig;
  readonly #client: S3Client;

  constructor(config: S3SourceConfig, deps: S3SourceDeps) {
    this.#config = config;
    const retry = deps.retry ?? {};
    const clientConfig: S3ClientConfig = {
      region: config.region,
      forcePathStyle: config.forcePathStyle,
      // A bucket in another region than configured answers 301; the SDK can re-send it to the right one.
      followRegionRedirects: true,
      maxAttempts: retry.maxAttempts ?? 5,
      retryMode: retry.retryMode ?? 'standard',
      requestHandler: {
        connectionTimeout: retry.connectionTimeoutMs ?? 10_000,
        // Idle time, not total time: a large object may stream for minutes, a stalled one must not hang.
        socketTimeout: retry.socketTimeoutMs ?? 60_000,
      },
    };
    if (config.endpoint) clientConfig.endpoint = config.endpoint;
    const credentials = config.credentials;
    switch (credentials.type) {
      case 'default':
        break; // the SDK's default chain: environment, shared files (AWS_PROFILE), SSO, web identity, instance roles
      case 'profile':
        // The client's own profile option: the SDK's chain for that profile from the shared config and
        // credentials files (static keys, SSO, credential_process, role assumption), as `fromIni` would
        // give, without another package.
        clientConfig.profile = credentials.profile;
        break;
      case 'keys': {
        const where = (field: string) => ({ source: config.name, field: `credentials.${field}` });
        // A provider function: the secret is read when the first request needs it (the SDK keeps the
        // result), so a missing secret surfaces as a classified error from list/open/test, not here.
        clientConfig.credentials = async () => ({
          accessKeyId: credentials.accessKeyId,
          secretAccessKey: await resolveSecret(
            credentials.secretAccessKey,
            deps.secrets,
            where('secretAccessKey'),
            deps.env,
          ),
          ...(credentials.sessionToken
            ? {
                sessionToken: await resolveSecret(
                  credentials.sessionToken,
                  deps.secrets,
                  where('sessionToken'),
                  deps.env,
                ),
              }
            : {}),
        });
        break;
      }
      default:
        assertNever(credentials);
    }
    this.#client = new S3Client(clientConfig);
  }

  async list(options: ListOptions): Promise<ListPage> {
    const pageSize = Math.min(DEFAULT_PAGE_SIZE, Math.max(1, options.pageSize ?? DEFAULT_PAGE_SIZE));
    try {
      const page = await this.#client.send(
        new ListObjectsV2Command({
          Bucket: this.#config.bucket,
          Prefix: options.prefix || undefined,
          MaxKeys: pageSize,
          ContinuationToken: options.pageToken,
        }),
        { abortSignal: options.signal },
      );
      const objects: RemoteObject[] = [];
      for (const item of page.Contents ?? []) {
        // Keys ending in '/' are the zero-byte "folders" consoles create, not exports.
        if (item.Key === undefined || item.Key.endsWith('/')) continue;
        objects.push({
          key: item.Key,
          size: item.Size ?? 0,
          modified: item.LastModified?.getTime() ?? 0,
          version: unquote(item.ETag),
          inode: null,
        });
      }
      return {
        objects,
        next: page.IsTruncated && page.NextContinuationToken ? page.NextContinuationToken : null,
      };
    } catch (error) {
      throw this.#classify(error, 'list');
    }
  }

  /**
   * GetObject from `offset` with `If-Match` on the listed ETag. S3 answers a changed object with 412; stores
   * that ignore If-Match (s3rver, some S3-compatibles) are caught by comparing the response's ETag too.
   *
   * The body is the object's bytes as stored. If the connection breaks mid-body (the SDK does not retry
   * once the response has started), the stream fails with a {@link TransientSourceError} — also when the
   * socket merely closes early — so a caller iterating it (`for await`, `pipeline`) gets a rejection and
   * never a silently short object; it keeps the complete lines it already got and resumes from its last
   * checkpoint on the next pass.
   */
  async open(key: string, options: OpenOptions): Promise<OpenedObject> {
    const offset = options.offset ?? 0;
    let response: GetObjectCommandOutput;
    try {
      response = await this.#client.send(
        new GetObjectCommand({
          Bucket: this.#config.bucket,
          Key: key,
          IfMatch: `"${options.version}"`,
          Range: offset > 0 ? `bytes=${offset}-` : undefined,
        }),
        { abortSignal: options.signal },
      );
    } catch (error) {
      if (isS3Error(error, 'InvalidRange', 416)) return this.#openAtEnd(key, offset, options);
      // Changed or deleted since the listing (a missing bucket is also a 404, but not a changed object).
      if (
        !isS3Error(error, 'NoSuchBucket', -1) &&
        (isS3Error(error, 'PreconditionFailed', 412) || isS3Error(error, 'NoSuchKey', 404))
      )
        throw new ObjectChangedError(key, { cause: error });
      throw this.#classify(error, 'read', key);
    }
    const body = response.Body as Readable | undefined;
    if (unquote(response.ETag) !== options.version) {
      body?.destroy();
      throw new ObjectChangedError(key);
    }
    if (!body) return { body: Readable.from([]), offset };
    const guarded = this.#guardBody(body, response.ContentLength, key);
    if (options.signal) addAbortSignal(options.signal, guarded);
    return { body: guarded, offset };
  }

  async test(options: { prefix?: string; signal?: AbortSignal } = {}): Promise<ConnectionReport> {
    const prefix = options.prefix ?? '';
    const bucket = this.#config.bucket;
    try {
      const page = await this.list({ prefix, pageSize: 5, signal: options.signal });
      const sample = page.objects.map((o) => o.key);
      const under = prefix ? ` under '${prefix}'` : '';
      if (sample.length === 0)
        return {
          ok: true,
          sample,
          message: `Reached S3 bucket '${bucket}' (${this.#where()}), but it has no objects${under} yet. Check the prefix if the exporter writes elsewhere.`,
        };
      const count = page.next
        ? `${sample.length} or more objects`
        : `${sample.length} object${sample.length === 1 ? '' : 's'}`;
      return {
        ok: true,
        sample,
        message: `Reached S3 bucket '${bucket}' (${this.#where()}): ${count}${under}, e.g. ${sample[0]}.`,
      };
    } catch (error) {
      if (error instanceof PermanentSourceError || error instanceof TransientSourceError)
        return { ok: false, sample: [], message: error.message };
      throw error;
    }
  }

  async close(): Promise<void> {
    this.#client.destroy();
  }

  /** S3 refuses a range that starts at the end (416): fine when the object is the listed one, exactly that long. */
  async #openAtEnd(key: string, offset: number, options: OpenOptions): Promise<OpenedObject> {
    try {
      const head = await this.#client.send(
        new HeadObjectCommand({ Bucket: this.#config.bucket, Key: key, IfMatch: `"${options.version}"` }),
        { abortSignal: options.signal },
      );
      if (unquote(head.ETag) === options.version && head.ContentLength === offset)
        return { body: Readable.from([]), offset };
      throw new ObjectChangedError(key);
    } catch (error) {
      if (error instanceof ObjectChangedError) throw error;
      if (isS3Error(error, 'PreconditionFailed', 412) || isS3Error(error, 'NotFound', 404))
        throw new ObjectChangedError(key, { cause: error });
      throw this.#classify(error, 'read', key);
    }
  }

  /** Passes the body through, turning a broken or short transfer into a {@link TransientSourceError}. */
  #guardBody(body: Readable, expected: number | undefined, key: string): Readable {
    let received = 0;
    const what = `s3://${this.#config.bucket}/${key}`;
    const guarded = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        callback(null, chunk);
      },
      flush(callback) {
        if (expected !== undefined && received < expected)
          callback(
            new TransientSourceError(
              `The download of ${what} ended after ${received} of ${expected} bytes. It will be read again on the next pass.`,
            ),
          );
        else callback();
      },
    });
    // `finished` also reports a socket that closed without an error or an end (premature close).
    finished(body, (error) => {
      if (error && !guarded.destroyed)
        guarded.destroy(
          new TransientSourceError(
            `The connection broke while reading ${what} (after ${received} bytes: ${describeCause(error)}). It will be read again on the next pass.`,
            { cause: error },
          ),
        );
    });
    // A caller that stops early releases the socket.
    guarded.on('close', () => {
      if (!body.readableEnded) body.destroy();
    });
    body.pipe(guarded);
    return guarded;
  }

  #where(): string {
    return this.#config.endpoint ? `endpoint ${this.#config.endpoint}` : `region ${this.#config.region}`;
  }

  /** Maps what the SDK threw to a permanent or transient source error with a sentence for the user. */
  #classify(error: unknown, doing: 'list' | 'read', key?: string): Error {
    if (isAbort(error)) return error as Error;
    if (error instanceof PermanentSourceError || error instanceof TransientSourceError) return error;
    const bucket = this.#config.bucket;
    const name = this.#config.name;
    if (error instanceof SecretResolutionError)
      return new PermanentSourceError('bad_config', error.message, { cause: error });
    if (isError(error) && error.name === 'CredentialsProviderError')
      return new PermanentSourceError(
        'auth',
        `No AWS credentials were found for S3 source '${name}' (${error.message}). Configure a profile or access keys for the source, or AWS credentials in the agent's environment.`,
        { cause: error },
      );
    const target = key ? `'${key}' in bucket '${bucket}'` : `bucket '${bucket}'`;
    const status = isError(error)
      ? (error as Partial<S3ServiceException>).$metadata?.httpStatusCode
      : undefined;
    // An answer from S3 (network errors carry $metadata too, but no status).
    if (error instanceof S3ServiceException || status !== undefined) {
      const code = (error as Error).name;
      const attempts = (error as S3ServiceException).$metadata?.attempts;
      const label = status ? `${code}, HTTP ${status}` : code;
      switch (code) {
        case 'InvalidAccessKeyId':
          return new PermanentSourceError(
            'auth',
            `S3 rejected the access key for bucket '${bucket}' (InvalidAccessKeyId). Check the key id and secret in the source's credentials.`,
            { cause: error },
          );
        case 'SignatureDoesNotMatch':
          return new PermanentSourceError(
            'auth',
            `S3 rejected the request signature for bucket '${bucket}' (SignatureDoesNotMatch): the secret access key does not belong to the key id. Check the secret in the source's credentials.`,
            { cause: error },
          );
        case 'ExpiredToken':
        case 'InvalidToken':
        case 'TokenRefreshRequired':
          return new PermanentSourceError(
            'auth',
            `S3 rejected the session token for bucket '${bucket}' (${code}). Refresh the credentials (e.g. aws sso login) or update the source's session token.`,
            { cause: error },
          );
        case 'RequestTimeTooSkewed':
          return new PermanentSourceError(
            'auth',
            `S3 rejected the request for bucket '${bucket}' because this machine's clock is off (RequestTimeTooSkewed). Correct the system time.`,
            { cause: error },
          );
        case 'AccessDenied':
        case 'AllAccessDisabled':
          return new PermanentSourceError(
            'forbidden',
            `S3 denied access to ${target} (${code}). Grant these credentials s3:ListBucket on the bucket and s3:GetObject on its objects under the prefix.`,
            { cause: error },
          );
        case 'NoSuchBucket':
          return new PermanentSourceError(
            'not_found',
            `S3 bucket '${bucket}' does not exist (NoSuchBucket, ${this.#where()}). Check the bucket name${this.#config.endpoint ? ' and endpoint' : ' and region'}.`,
            { cause: error },
          );
        case 'PermanentRedirect':
        case 'AuthorizationHeaderMalformed':
        case 'IllegalLocationConstraintException':
          return new PermanentSourceError(
            'bad_config',
            `S3 bucket '${bucket}' is not in ${this.#where()} (${code}). Set the source's region to the bucket's region.`,
            { cause: error },
          );
      }
      if (status === 401)
        return new PermanentSourceError(
          'auth',
          `S3 rejected the credentials for ${target} (${label}). Check the source's credentials.`,
          {
            cause: error,
          },
        );
      if (status === 403)
        return new PermanentSourceError(
          'forbidden',
          `S3 denied access to ${target} (${label}). Check that the source's credentials may list and read it.`,
          { cause: error },
        );
      if (status === 404 && doing === 'list')
        return new PermanentSourceError(
          'not_found',
          `S3 bucket '${bucket}' was not found (${label}, ${this.#where()}). Check the bucket name and endpoint.`,
          { cause: error },
        );
      if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429)
        return new PermanentSourceError(
          'bad_config',
          `S3 refused to ${doing} ${target} (${label}): ${(error as Error).message}`,
          { cause: error },
        );
      return new TransientSourceError(
        `S3 could not ${doing} ${target} (${label})${attempts ? ` after ${attempts} attempts` : ''}. It will be tried again on the next pass.`,
        { cause: error },
      );
    }
    // No answer at all: refused, reset, timed out, name not resolved. Worth trying later.
    return new TransientSourceError(
      `Could not reach S3 (${this.#where()}) to ${doing} ${target}: ${describeCause(error)}. It will be tried again on the next pass.`,
      { cause: error },
    );
  }
}

function unquote(etag: string | undefined): string {
  return (etag ?? '').replace(/^(W\/)?"(.*)"$/, '$2');
}

function isS3Error(error: unknown, code: string, status: number): boolean {
  return (
    isError(error) &&
    (error.name === code || (error as Partial<S3ServiceException>).$metadata?.httpStatusCode === status)
  );
}

function isAbort(error: unknown): boolean {
  return isError(error) && error.name === 'AbortError';
}

function isError(error: unknown): error is Error {
  return error instanceof Error;
}

function describeCause(error: unknown): string {
  if (!isError(error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message || error.name;
}

function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
