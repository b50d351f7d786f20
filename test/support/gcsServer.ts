/**
 * A small Google Cloud Storage JSON-API server for tests (DESIGN §10: nothing that serves the JSON API
 * runs on these machines). It speaks the protocol the real `@google-cloud/storage` client speaks — buckets,
 * paged listings, metadata, media download with ranges and generation preconditions, media / multipart /
 * resumable uploads, delete — over plain `node:http` on a loopback port, with in-memory state and a few
 * fault hooks. It is not a mock of the SDK: tests drive it with the real client.
 *
 * Paths are served both under `/storage/v1/…` (what `apiEndpoint` produces) and at the root (what
 * `STORAGE_EMULATOR_HOST` produces: the client uses that variable verbatim as its base URL).
 */
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One object as the server stores it (the current generation only: no object versioning). */
export interface StoredObject {
  readonly name: string;
  readonly data: Buffer;
  readonly generation: number;
  readonly metageneration: number;
  readonly contentType: string;
  /** `gzip` when the object was uploaded with `contentEncoding: gzip` (served as stored when accepted). */
  readonly contentEncoding: string | undefined;
  readonly md5Hash: string;
  readonly crc32c: string;
  readonly created: Date;
  readonly updated: Date;
}

/** A request as the server saw it, for tests that count wire traffic. */
export interface LoggedRequest {
  readonly method: string;
  /** The path with the `/storage/v1` prefix removed, e.g. `/b/audit/o/key` or `/upload/…`. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** What the server made of it: `list`, `get`, `download`, `upload`, `delete`, `bucket`, … */
  readonly op: string;
  /** The HTTP status the server answered (after fault hooks). */
  status: number;
}

export interface FailOptions {
  /** Only requests of this operation count (`download`, `list`, `get`, …); every request otherwise. */
  readonly op?: string;
  /** The JSON error's reason; defaults per status (`backendError` for 503, `rateLimitExceeded` for 429). */
  readonly reason?: string;
}

export interface GcsTestServer {
  /** `http://127.0.0.1:PORT`, for `apiEndpoint` (the client appends `/storage/v1`). */
  readonly url: string;
  /** Every request served, oldest first. */
  readonly requests: LoggedRequest[];
  createBucket(name: string): void;
  /** Stores an object directly (no HTTP), returning it; a rewrite bumps the generation. */
  putObject(
    bucket: string,
    name: string,
    data: Buffer | string,
    options?: { contentType?: string; contentEncoding?: string },
  ): StoredObject;
  getObject(bucket: string, name: string): StoredObject | undefined;
  deleteObject(bucket: string, name: string): void;
  /** Answers the next `count` matching requests with `status` and a JSON error body. */
  failNext(count: number, status: number, options?: FailOptions): void;
  /**
   * On the next media download: send the headers (with the full Content-Length) and `afterBytes` bytes
   * of the body, then destroy the socket — a connection reset mid-body.
   */
  resetNextBody(afterBytes?: number): void;
  /**
   * Just before the next metadata read or download of this object is answered, rewrite it with `data`
   * (a new generation): the object changes between a listing and the read that follows it.
   */
  mutateBeforeRead(bucket: string, name: string, data: Buffer | string): void;
  /** From now on, refuse requests without `Authorization: Bearer <token>` (401); null accepts anyone. */
  requireToken(token: string | null): void;
  /** Requests served so far that match. */
  count(filter: { op?: string; status?: number; name?: string }): number;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------
// CRC32C (Castagnoli), as GCS reports it: base64 of the big-endian 32-bit value. Written here rather than
// borrowed from the client under test, so the client's own validation checks something independent.

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC32C of `data`, base64 of its 4 big-endian bytes (the `crc32c` field and `x-goog-hash` form). */
export function crc32cBase64(data: Uint8Array): string {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC32C_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  const out = Buffer.alloc(4);
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
  return out.toString('base64');
}

function md5Base64(data: Uint8Array): string {
  return createHash('md5').update(data).digest('base64');
}

// ---------------------------------------------------------------------------------------------------

class HttpError extends Error {
  readonly status: number;
  readonly reason: string;
  constructor(status: number, reason: string, message: string) {
    super(message);
    this.status = status;
    this.reason = reason;
  }
}

interface Bucket {
  readonly name: string;
  readonly created: Date;
  readonly objects: Map<string, StoredObject>;
}

interface ResumableSession {
  readonly bucket: string;
  readonly metadata: ObjectMetadataIn;
  readonly ifGenerationMatch: string | null;
  chunks: Buffer[];
  received: number;
}

interface ObjectMetadataIn {
  name?: string;
  contentType?: string;
  contentEncoding?: string;
}

interface Fault {
  remaining: number;
  readonly status: number;
  readonly op: string | undefined;
  readonly reason: string | undefined;
}

/** Starts a server on a free loopback port. */
export async function startGcsServer(): Promise<GcsTestServer> {
  const buckets = new Map<string, Bucket>();
  const sessions = new Map<string, ResumableSession>();
  const requests: LoggedRequest[] = [];
  const faults: Fault[] = [];
  const mutations = new Map<string, Buffer>();
  let resetAfter: number | null = null;
  let token: string | null = null;
  let url = '';

  function bucketOf(name: string): Bucket {
    const bucket = buckets.get(name);
    if (!bucket) throw new HttpError(404, 'notFound', 'The specified bucket does not exist.');
    return bucket;
  }

  function store(bucketName: string, name: string, data: Buffer, meta: ObjectMetadataIn): StoredObject {
    const bucket = bucketOf(bucketName);
    const previous = bucket.objects.get(name);
    const now = new Date();
    const object: StoredObject = {
      name,
      data,
      // Generations are microsecond timestamps on GCS; strictly increasing is what matters here.
      generation: Math.max(now.getTime() * 1000, (previous?.generation ?? 0) + 1),
      metageneration: 1,
      contentType: meta.contentType ?? 'application/octet-stream',
      contentEncoding: meta.contentEncoding,
      md5Hash: md5Base64(data),
      crc32c: crc32cBase64(data),
      created: now,
      updated: now,
    };
    bucket.objects.set(name, object);
    return object;
  }

  function resource(bucket: string, object: StoredObject): Record<string, unknown> {
    const encoded = encodeURIComponent(object.name);
    return {
      kind: 'storage#object',
      id: `${bucket}/${object.name}/${object.generation}`,
      selfLink: `${url}/storage/v1/b/${bucket}/o/${encoded}`,
      mediaLink: `${url}/download/storage/v1/b/${bucket}/o/${encoded}?generation=${object.generation}&alt=media`,
      name: object.name,
      bucket,
      generation: String(object.generation),
      metageneration: String(object.metageneration),
      contentType: object.contentType,
      ...(object.contentEncoding ? { contentEncoding: object.contentEncoding } : {}),
      storageClass: 'STANDARD',
      size: String(object.data.length),
      md5Hash: object.md5Hash,
      crc32c: object.crc32c,
      etag: etagOf(object),
      timeCreated: object.created.toISOString(),
      updated: object.updated.toISOString(),
    };
  }

  function etagOf(object: StoredObject): string {
    return Buffer.from(`${object.generation}/${object.metageneration}`).toString('base64');
  }

  function checkGeneration(object: StoredObject | undefined, query: URLSearchParams): void {
    const match = query.get('ifGenerationMatch');
    if (match !== null && String(object?.generation ?? 0) !== match) {
      throw new HttpError(
        412,
        'conditionNotMet',
        'At least one of the pre-conditions you specified did not hold.',
      );
    }
    const notMatch = query.get('ifGenerationNotMatch');
    if (notMatch !== null && object && String(object.generation) === notMatch) {
      throw new HttpError(304, 'notModified', 'Not modified.');
    }
  }

  function applyMutation(bucket: string, name: string): void {
    const key = `${bucket}/${name}`;
    const data = mutations.get(key);
    if (!data) return;
    mutations.delete(key);
    const previous = bucketOf(bucket).objects.get(name);
    store(bucket, name, data, {
      contentType: previous?.contentType,
      contentEncoding: previous?.contentEncoding,
    });
  }

  function findObject(bucket: string, name: string, query: URLSearchParams): StoredObject {
    const object = bucketOf(bucket).objects.get(name);
    const generation = query.get('generation');
    if (!object || (generation !== null && String(object.generation) !== generation)) {
      throw new HttpError(404, 'notFound', `No such object: ${bucket}/${name}`);
    }
    return object;
  }

  function list(bucketName: string, query: URLSearchParams): Record<string, unknown> {
    const bucket = bucketOf(bucketName);
    const prefix = query.get('prefix') ?? '';
    const delimiter = query.get('delimiter');
    const startOffset = query.get('startOffset');
    const endOffset = query.get('endOffset');
    const maxResults = Math.max(1, Math.min(1000, Number(query.get('maxResults') ?? 1000) || 1000));
    const after = query.get('pageToken')
      ? Buffer.from(query.get('pageToken')!, 'base64url').toString()
      : null;
    // GCS orders names by their UTF-8 bytes; Buffer.compare gives exactly that.
    const names = [...bucket.objects.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const items: Record<string, unknown>[] = [];
    const prefixes = new Set<string>();
    let last: string | null = null;
    let more = false;
    for (const name of names) {
      if (!name.startsWith(prefix)) continue;
      if (startOffset !== null && name < startOffset) continue;
      if (endOffset !== null && name >= endOffset) continue;
      if (after !== null && name <= after) continue;
      // Prefixes count towards a page like items; names folded into a prefix already listed do not.
      const rest = name.slice(prefix.length);
      const cut = delimiter ? rest.indexOf(delimiter) : -1;
      const folded = cut >= 0 ? prefix + rest.slice(0, cut + delimiter!.length) : null;
      if (folded !== null && prefixes.has(folded)) {
        last = name;
        continue;
      }
      if (items.length + prefixes.size >= maxResults) {
        more = true;
        break;
      }
      if (folded !== null) prefixes.add(folded);
      else items.push(resource(bucketName, bucket.objects.get(name)!));
      last = name;
    }
    return {
      kind: 'storage#objects',
      ...(items.length ? { items } : {}),
      ...(prefixes.size ? { prefixes: [...prefixes] } : {}),
      ...(more && last !== null ? { nextPageToken: Buffer.from(last).toString('base64url') } : {}),
    };
  }

  function takeFault(op: string): Fault | null {
    const fault = faults.find((f) => f.remaining > 0 && (f.op === undefined || f.op === op));
    if (!fault) return null;
    fault.remaining--;
    return fault;
  }

  function sendJson(
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: http.OutgoingHttpHeaders = {},
  ) {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=UTF-8',
      'Content-Length': Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  }

  function sendError(res: http.ServerResponse, status: number, reason: string, message: string) {
    const headers: http.OutgoingHttpHeaders =
      status === 401 ? { 'WWW-Authenticate': 'Bearer realm="test"' } : {};
    sendJson(
      res,
      status,
      { error: { code: status, message, errors: [{ message, domain: 'global', reason }] } },
      headers,
    );
  }

  function download(req: http.IncomingMessage, res: http.ServerResponse, object: StoredObject) {
    const stored = object.data;
    const gzipStored = object.contentEncoding === 'gzip';
    const acceptsGzip = /\bgzip\b/i.test(String(req.headers['accept-encoding'] ?? ''));
    const headers: http.OutgoingHttpHeaders = {
      'Content-Type': object.contentType,
      'x-goog-generation': String(object.generation),
      'x-goog-metageneration': String(object.metageneration),
      'x-goog-stored-content-length': String(stored.length),
      'x-goog-stored-content-encoding': object.contentEncoding ?? 'identity',
      'x-goog-hash': `crc32c=${object.crc32c},md5=${object.md5Hash}`,
      ETag: `"${etagOf(object)}"`,
      'Last-Modified': object.updated.toUTCString(),
      'Accept-Ranges': 'bytes',
    };
    let body = stored;
    let status = 200;
    if (gzipStored && !acceptsGzip) {
      // Decompressive transcoding, as GCS does for a client that does not accept gzip: the stored hashes
      // no longer describe the body, and Range is ignored.
      body = gunzipSync(stored);
    } else {
      if (gzipStored) headers['Content-Encoding'] = 'gzip';
      const range = parseRange(req.headers.range, stored.length);
      if (range === 'unsatisfiable') {
        res.writeHead(416, { 'Content-Range': `bytes */${stored.length}`, 'Content-Length': 0 });
        res.end();
        return;
      }
      if (range) {
        body = stored.subarray(range.start, range.end + 1);
        headers['Content-Range'] = `bytes ${range.start}-${range.end}/${stored.length}`;
        status = 206;
      }
    }
    headers['Content-Length'] = body.length;
    res.writeHead(status, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    if (resetAfter !== null) {
      const cut = Math.min(resetAfter, Math.max(0, body.length - 1));
      resetAfter = null;
      res.write(body.subarray(0, cut), () => res.socket?.destroy());
      return;
    }
    res.end(body);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, entry: LoggedRequest) {
    const full = new URL(req.url ?? '/', url);
    const query = full.searchParams;
    let path = full.pathname;
    const upload = path.startsWith('/upload/storage/v1/');
    if (upload) path = path.slice('/upload/storage/v1'.length);
    else if (path.startsWith('/download/storage/v1/')) path = path.slice('/download/storage/v1'.length);
    else if (path.startsWith('/storage/v1/')) path = path.slice('/storage/v1'.length);
    const parts = path.split('/').slice(1).map(decodeURIComponent);
    const method = req.method ?? 'GET';
    const op = opOf(method, parts, query, upload);
    Object.assign(entry, { path, op });

    if (token !== null && req.headers.authorization !== `Bearer ${token}`) {
      await drain(req);
      throw new HttpError(
        401,
        'required',
        'Anonymous caller does not have storage access. Please provide a valid token.',
      );
    }
    const fault = takeFault(op);
    if (fault) {
      await drain(req);
      const reason = fault.reason ?? (fault.status === 429 ? 'rateLimitExceeded' : 'backendError');
      throw new HttpError(fault.status, reason, `Injected failure (${fault.status}).`);
    }

    if (upload) return handleUpload(req, res, parts, query, method);

    // /b, /b/:bucket, /b/:bucket/o, /b/:bucket/o/:object
    if (parts[0] !== 'b') throw new HttpError(404, 'notFound', `Not found: ${path}`);
    if (parts.length === 1 && method === 'POST') {
      const body = JSON.parse((await readBody(req)).toString() || '{}') as { name?: string };
      if (!body.name) throw new HttpError(400, 'invalid', 'A bucket name is required.');
      if (buckets.has(body.name)) throw new HttpError(409, 'conflict', 'The bucket already exists.');
      buckets.set(body.name, { name: body.name, created: new Date(), objects: new Map() });
      return sendJson(res, 200, bucketResource(body.name));
    }
    const bucketName = parts[1] ?? '';
    if (parts.length === 2 && method === 'GET') {
      bucketOf(bucketName);
      return sendJson(res, 200, bucketResource(bucketName));
    }
    if (parts.length === 2 && method === 'DELETE') {
      bucketOf(bucketName);
      buckets.delete(bucketName);
      res.writeHead(204).end();
      return;
    }
    if (parts[2] !== 'o') throw new HttpError(404, 'notFound', `Not found: ${path}`);
    if (parts.length === 3 && method === 'GET') return sendJson(res, 200, list(bucketName, query));
    // Object names may contain slashes: everything after `/o/` is the name (the client encodes them).
    const name = parts.slice(3).join('/');
    if (method === 'GET' || method === 'HEAD') {
      applyMutation(bucketName, name);
      const object = findObject(bucketName, name, query);
      checkGeneration(object, query);
      if (query.get('alt') === 'media') return download(req, res, object);
      return sendJson(res, 200, resource(bucketName, object));
    }
    if (method === 'DELETE') {
      const object = findObject(bucketName, name, query);
      checkGeneration(object, query);
      bucketOf(bucketName).objects.delete(name);
      res.writeHead(204).end();
      return;
    }
    throw new HttpError(405, 'methodNotAllowed', `${method} is not supported on ${path}.`);
  }

  function bucketResource(name: string): Record<string, unknown> {
    const bucket = bucketOf(name);
    return {
      kind: 'storage#bucket',
      id: name,
      name,
      selfLink: `${url}/storage/v1/b/${name}`,
      location: 'US',
      storageClass: 'STANDARD',
      timeCreated: bucket.created.toISOString(),
      updated: bucket.created.toISOString(),
      metageneration: '1',
      etag: 'CAE=',
    };
  }

  async function handleUpload(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    parts: string[],
    query: URLSearchParams,
    method: string,
  ) {
    const bucketName = parts[1] ?? '';
    if (parts[0] !== 'b' || parts[2] !== 'o') throw new HttpError(404, 'notFound', 'Not an upload path.');
    const uploadType = query.get('uploadType');
    const uploadId = query.get('upload_id');

    if (uploadType === 'resumable' && uploadId !== null) {
      const session = sessions.get(uploadId);
      if (!session) throw new HttpError(404, 'notFound', 'No such upload session.');
      const chunk = await readBody(req);
      const range = String(req.headers['content-range'] ?? '');
      // `bytes START-END/TOTAL`, `bytes START-*/TOTAL|*` (single shot), `bytes */TOTAL|*` (status query).
      const m = /^bytes (\*|(\d+)-(\d+|\*))\/(\d+|\*)$/.exec(range);
      if (!m) throw new HttpError(400, 'invalid', `Bad Content-Range: ${range}`);
      if (m[2] !== undefined) {
        const start = Number(m[2]);
        if (start !== session.received) {
          throw new HttpError(400, 'invalid', `Chunk starts at ${start}, expected ${session.received}.`);
        }
        session.chunks.push(chunk);
        session.received += chunk.length;
      }
      // A single-shot request (`START-*`) streams the rest of the object: its end finalizes the upload.
      const total = m[3] === '*' ? session.received : m[4] === '*' ? null : Number(m[4]);
      if (total === null || session.received < total) {
        const headers: http.OutgoingHttpHeaders = { 'Content-Length': 0 };
        if (session.received > 0) headers.Range = `bytes=0-${session.received - 1}`;
        res.writeHead(308, headers).end();
        return;
      }
      const data = Buffer.concat(session.chunks);
      verifyHashHeader(req, data);
      const existing = bucketOf(session.bucket).objects.get(session.metadata.name ?? '');
      if (session.ifGenerationMatch !== null)
        checkGeneration(existing, new URLSearchParams({ ifGenerationMatch: session.ifGenerationMatch }));
      sessions.delete(uploadId);
      const object = store(session.bucket, session.metadata.name ?? '', data, session.metadata);
      return sendJson(res, 200, resource(session.bucket, object));
    }

    if (method !== 'POST') throw new HttpError(405, 'methodNotAllowed', 'Uploads are POSTed.');
    bucketOf(bucketName);
    const body = await readBody(req);
    if (uploadType === 'resumable') {
      const meta = body.length ? (JSON.parse(body.toString()) as ObjectMetadataIn) : {};
      const name = query.get('name') ?? meta.name;
      if (!name) throw new HttpError(400, 'required', 'An object name is required.');
      const contentType = meta.contentType ?? header(req, 'x-upload-content-type');
      const id = randomUUID();
      sessions.set(id, {
        bucket: bucketName,
        metadata: { ...meta, name, contentType },
        ifGenerationMatch: query.get('ifGenerationMatch'),
        chunks: [],
        received: 0,
      });
      const location = `${url}/upload/storage/v1/b/${bucketName}/o?uploadType=resumable&name=${encodeURIComponent(name)}&upload_id=${id}`;
      res.writeHead(200, { Location: location, 'Content-Length': 0 }).end();
      return;
    }
    let meta: ObjectMetadataIn;
    let data: Buffer;
    if (uploadType === 'multipart') {
      ({ meta, data } = parseMultipart(String(req.headers['content-type'] ?? ''), body));
    } else if (uploadType === 'media') {
      meta = { contentType: header(req, 'content-type') };
      data = body;
    } else {
      throw new HttpError(400, 'invalid', `Unsupported uploadType: ${uploadType}`);
    }
    const name = query.get('name') ?? meta.name;
    if (!name) throw new HttpError(400, 'required', 'An object name is required.');
    if (query.get('contentEncoding')) meta.contentEncoding = query.get('contentEncoding')!;
    verifyHashHeader(req, data);
    checkGeneration(bucketOf(bucketName).objects.get(name), query);
    const object = store(bucketName, name, data, meta);
    return sendJson(res, 200, resource(bucketName, object));
  }

  const server = http.createServer((req, res) => {
    const entry: LoggedRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      query: new URL(req.url ?? '/', 'http://x').searchParams,
      op: 'unknown',
      status: 0,
    };
    requests.push(entry);
    res.on('finish', () => (entry.status = res.statusCode));
    res.on('close', () => (entry.status ||= res.statusCode));
    handle(req, res, entry).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof HttpError) {
        if (error.status === 304) res.writeHead(304).end();
        else sendError(res, error.status, error.reason, error.message);
      } else {
        sendError(res, 500, 'backendError', error instanceof Error ? error.message : String(error));
      }
    });
  });
  // Keep-alive sockets would hold close() open; the client reconnects per request anyway.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    createBucket(name) {
      if (!buckets.has(name)) buckets.set(name, { name, created: new Date(), objects: new Map() });
    },
    putObject(bucket, name, data, options = {}) {
      return store(bucket, name, Buffer.from(data), options);
    },
    getObject(bucket, name) {
      return buckets.get(bucket)?.objects.get(name);
    },
    deleteObject(bucket, name) {
      buckets.get(bucket)?.objects.delete(name);
    },
    failNext(count, status, options = {}) {
      faults.push({ remaining: count, status, op: options.op, reason: options.reason });
    },
    resetNextBody(afterBytes = 1) {
      resetAfter = afterBytes;
    },
    mutateBeforeRead(bucket, name, data) {
      mutations.set(`${bucket}/${name}`, Buffer.from(data));
    },
    requireToken(value) {
      token = value;
    },
    count(filter) {
      return requests.filter(
        (r) =>
          (filter.op === undefined || r.op === filter.op) &&
          (filter.status === undefined || r.status === filter.status) &&
          (filter.name === undefined || r.path.endsWith(`/o/${filter.name}`)),
      ).length;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

function opOf(method: string, parts: string[], query: URLSearchParams, upload: boolean): string {
  if (upload) return 'upload';
  if (parts[0] !== 'b') return 'unknown';
  if (parts.length <= 2) return 'bucket';
  if (parts.length === 3) return 'list';
  if (method === 'DELETE') return 'delete';
  return query.get('alt') === 'media' ? 'download' : 'get';
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function drain(req: http.IncomingMessage): Promise<void> {
  for await (const _ of req) {
    // discard: answering before the body is read would reset the client's upload
  }
}

/** Rejects an upload whose `X-Goog-Hash` disagrees with the bytes received, as GCS does. */
function verifyHashHeader(req: http.IncomingMessage, data: Buffer): void {
  const value = header(req, 'x-goog-hash');
  if (!value) return;
  for (const pair of value.split(',')) {
    const at = pair.indexOf('=');
    const kind = pair.slice(0, at).trim();
    const expected = pair.slice(at + 1).trim();
    const actual = kind === 'crc32c' ? crc32cBase64(data) : kind === 'md5' ? md5Base64(data) : expected;
    if (actual !== expected) {
      throw new HttpError(
        400,
        'invalid',
        `Provided ${kind} hash "${expected}" doesn't match calculated "${actual}".`,
      );
    }
  }
}

function parseRange(
  value: string | undefined,
  size: number,
): { start: number; end: number } | null | 'unsatisfiable' {
  if (!value) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Math.min(Number(m[2]), size);
    return suffix === 0 ? 'unsatisfiable' : { start: size - suffix, end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

function parseMultipart(contentType: string, body: Buffer): { meta: ObjectMetadataIn; data: Buffer } {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) throw new HttpError(400, 'invalid', 'A multipart upload needs a boundary.');
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Buffer[] = [];
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const next = body.indexOf(delimiter, at + delimiter.length);
    if (next < 0) break;
    parts.push(body.subarray(at + delimiter.length, next));
    at = next;
  }
  const [metaPart, mediaPart] = parts.map((part) => {
    const split = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, split).toString();
    // Each part is framed by CRLF after the delimiter and CRLF before the next one.
    const content = part.subarray(split + 4, part.length - 2);
    return { head, content };
  });
  if (!metaPart || !mediaPart) throw new HttpError(400, 'invalid', 'A multipart upload has two parts.');
  const meta = JSON.parse(metaPart.content.toString() || '{}') as ObjectMetadataIn;
  const partType = /content-type:\s*([^\r\n]+)/i.exec(mediaPart.head)?.[1];
  return { meta: { ...meta, contentType: meta.contentType ?? partType }, data: mediaPart.content };
}
