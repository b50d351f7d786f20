/**
 * `audit-explorer serve`: the service over loopback HTTP (DESIGN §2) and the built renderer, for headless
 * machines and for testing the whole UI in a browser.
 *
 * The wire: `POST /api/<method>` with the JSON input as the body and `Authorization: Bearer <token>` →
 * `{ok:true,value}` or `{ok:false,error:{code,message,column?,field?}}`; the engine's events as
 * server-sent events on `GET /api/events`. A loopback server is reachable by every web page the user opens,
 * so besides the token it refuses a `Host` that is not its own (DNS rebinding), API calls from a foreign
 * `Origin`, and never answers with CORS headers.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { contract, type ErrorData, type MethodName, type ServiceEvent } from '../../shared/contract.ts';
import { CSP } from '../../shared/csp.ts';
import { doorInput } from '../../shared/doorInput.ts';
import { describeError } from '../agent/errors.ts';
import { defaultDbFile } from '../agent/paths.ts';
import { projectPath } from '../agent/resources.ts';
import { createService, loadSamplesIfEmpty, type AuditService } from '../agent/service.ts';
import { READ_METHODS } from '../agent/store/queries.ts';
import { headlessSecretStore } from '../agent/sources/secrets/fileSecretStore.ts';
import type { Io } from './main.ts';
import { count } from './output.ts';

/** The port `serve` tries first (when it is busy, a free one is used and the output says so). */
export const DEFAULT_PORT = 4417;
/** Supersede keys whose newest call sequence is remembered (tabs × methods); older keys are forgotten. */
const MAX_SUPERSEDE_KEYS = 4096;
/** Largest request body accepted (bytes): inputs are queries and options, never data. */
export const BODY_LIMIT = 1024 * 1024;

/**
 * The HTTP door's allowlist. Every contract method must be listed (the type says so), so a new method is
 * a decision, not an accident. `ingest.paths` stays out: it reads any local path it is given, which would
 * let a web page make the engine read the user's files. `export.run` stays out for the same reason the
 * other way round: it writes files (a bundle, a folder) to any local path it is given. Saved searches, the
 * history and investigations are the database's own data and travel like searches; `keys.show` gives the
 * public half of the signing key only.
 */
const HTTP_DOOR = {
  'events.search': true,
  'events.count': true,
  'events.facet': true,
  'events.get': true,
  'events.surrounding': true,
  'values.list': true,
  'ingest.paths': false,
  'samples.load': true,
  'quarantine.list': true,
  'stats.get': true,
  'retention.run': true,
  // Sources, configuration included: the sources screen adds, edits and removes them over this door
  // (DESIGN §2, the auditor's path is "add bucket credentials, let it sync"). Unlike `ingest.paths`, which
  // would read a path once for whoever asks, a source is the user's own standing configuration made on
  // their own console: the page is served with a per-run token, Host and Origin checks (no other site can
  // call it, DNS rebinding included) and a CSP without inline script, so only this page's own code calls
  // these. What that code could still learn if it were subverted is bounded: a secret is write-only (no
  // answer carries one back; `sources.get` shows "stored"), and a folder source pointed at files that
  // are not audit logs yields their names and nothing of their content — such a file has no events, and
  // `quarantine.list` over the doors drops the excerpt of a bad line whose object holds no event
  // (shared/doorInput.ts). An endpoint can point anywhere, but only the answer's shape (a listing, an
  // error message) comes back, as `sources.test` shows it.
  'sources.list': true,
  'sources.get': true,
  'sources.add': true,
  'sources.update': true,
  'sources.remove': true,
  'sources.test': true,
  'sync.run': true,
  'sync.runs': true,
  'sync.objects': true,
  'retention.settings.get': true,
  'retention.settings.set': true,
  // Reads nothing local: a cron expression in, times out.
  'schedule.preview': true,
  // Only the schedule of a configured source (no path, no endpoint, no secret): safe where sources.update is not.
  'sources.setSchedule': true,
  'saved.list': true,
  'saved.add': true,
  'saved.rename': true,
  'saved.remove': true,
  'history.list': true,
  'history.record': true,
  'investigations.create': true,
  'investigations.list': true,
  'investigations.get': true,
  'investigations.forEvent': true,
  'investigations.addSearches': true,
  'investigations.removeSearches': true,
  'investigations.update': true,
  'investigations.pin': true,
  'investigations.unpin': true,
  'investigations.note': true,
  'investigations.close': true,
  'investigations.reopen': true,
  'export.run': false,
  'keys.show': true,
  // The door-safe export: the caller chooses what and in which format, never where. The file goes to the
  // app's exports folder under a name the server makes up, and leaves it only by a one-time link
  // (exports.download → GET /download/<id>), so a page can fill the user's disk at worst, in one folder
  // the user can see and empty — the same as the retention and sync calls this door already offers.
  'exports.create': true,
  'exports.cancel': true,
  'exports.list': true,
  // Names are checked against the one pattern the server gives out: a name can never be a path.
  'exports.remove': true,
  'exports.download': true,
  // The desktop's save dialog: nothing to answer it with in a browser (the download is the way there).
  'exports.save': false,
} as const satisfies Record<MethodName, boolean>;

/** The page's Content-Security-Policy (shared with the desktop shell's app:// protocol). */
export { CSP };

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
};

export interface ServerOptions {
  /** The database file (created if needed; the sample corpus is loaded when it is empty). */
  readonly dbFile: string;
  /** Address to bind; default 127.0.0.1. Anything not loopback makes the API reachable from the network. */
  readonly host?: string;
  /** Port; 0 = any free port; default {@link DEFAULT_PORT}, or a free one when that is busy. */
  readonly port?: number;
  /** The API token; default a new random one per run. At least 16 characters. */
  readonly token?: string;
  /** Folder of the built renderer (index.html + assets); default dist/renderer/. Tests point at a fixture. */
  readonly staticDir?: string;
  /** Load the bundled sample corpus into an empty database, like `start` does; default true. */
  readonly loadSamples?: boolean;
  /** Diagnostics (a busy port, a non-loopback host, samples loaded): default stderr. */
  readonly log?: (line: string) => void;
  /** Service options for tests (a pinned clock, the query worker's test gate). */
  readonly service?: { now?: () => number; testGate?: SharedArrayBuffer };
}

export interface RunningServer {
  /** The page's URL with the token: `http://127.0.0.1:PORT/?token=TOKEN`. */
  readonly url: string;
  /** `http://HOST:PORT` as a browser names this server. */
  readonly origin: string;
  readonly host: string;
  readonly port: number;
  readonly token: string;
  /** The service behind the door (tests trigger writes through it). */
  readonly service: AuditService;
  /** Stops listening, ends open event streams, then closes the service. */
  close(): Promise<void>;
}

/** A usage problem with the options (a short token, a busy explicit port). */
export class ServeOptionsError extends Error {
  override name = 'ServeOptionsError';
}

/** Starts the service and the HTTP server; resolves once it is listening. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const token = options.token ?? randomBytes(24).toString('base64url');
  if (token.length < 16) throw new ServeOptionsError('--token must be at least 16 characters long.');
  const host = options.host ?? '127.0.0.1';
  const staticDir = path.resolve(options.staticDir ?? projectPath('dist', 'renderer'));

  // The query worker: a long search never holds up the thread that answers the other requests.
  const service = await createService({
    dbFile: options.dbFile,
    // Named in the writer lock, so another process waiting to write can say whom it waits for.
    command: 'serve',
    queryWorker: true,
    // Configured sources sync with the credentials `sources add` stored beside the database.
    secrets: headlessSecretStore(options.dbFile),
    ...(options.service?.now ? { now: options.service.now } : {}),
    ...(options.service?.testGate ? { testGate: options.service.testGate } : {}),
  });
  let server: http.Server;
  try {
    if (options.loadSamples ?? true) {
      const loaded = await loadSamplesIfEmpty(service);
      if (loaded !== null)
        log(`The database was empty: loaded the bundled sample corpus (${count(loaded)} events).`);
    }
    const door = new Door(service, token, staticDir);
    server = http.createServer((req, res) => door.handle(req, res));
    server.headersTimeout = 20_000;
    server.requestTimeout = 0; // event streams stay open
    let port = options.port ?? DEFAULT_PORT;
    try {
      await listen(server, host, port);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      if (options.port !== undefined) {
        throw new ServeOptionsError(
          `Port ${port} is in use. Pick another with --port, or --port 0 for any free port.`,
        );
      }
      await listen(server, host, 0);
      log(`Port ${port} is busy: using ${(server.address() as AddressInfo).port} instead.`);
    }
    port = (server.address() as AddressInfo).port;
    door.allowHosts(hostNames(host, port));
    if (!isLoopback(host)) {
      log(
        `Warning: listening on ${host}: the API is reachable from the network. Anyone who gets the ` +
          'token can read every event; prefer the default 127.0.0.1 with an SSH tunnel.',
      );
    }
    const shown = urlHost(isWildcard(host) ? '127.0.0.1' : host);
    const origin = `http://${shown}:${port}`;
    let closing: Promise<void> | null = null;
    return {
      url: `${origin}/?token=${token}`,
      origin,
      host,
      port,
      token,
      service,
      close: () =>
        (closing ??= (async () => {
          door.closeStreams();
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          });
          await service.close();
        })()),
    };
  } catch (error) {
    await service.close();
    throw error;
  }
}

function listen(server: http.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (error: Error) => reject(error);
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
}

/** One registrar for the HTTP door: check the caller → parse the input → call the service → envelope. */
class Door {
  private readonly service: AuditService;
  private readonly tokenDigest: Buffer;
  private readonly staticDir: string;
  private hosts = new Set<string>();
  private readonly streams = new Set<http.ServerResponse>();
  /**
   * The newest X-Client-Seq seen per supersede key (a tab and a method), oldest key first. A browser
   * sends a tab's calls over several connections, so an older call can arrive after a newer one; by
   * arrival alone it would cancel the newer call and the tab would wait for an answer it then ignores.
   */
  private readonly newestSeq = new Map<string, number>();

  constructor(service: AuditService, token: string, staticDir: string) {
    this.service = service;
    this.tokenDigest = digest(token);
    this.staticDir = staticDir;
  }

  /** The `Host` values (lower case, with port) this server answers to. */
  allowHosts(hosts: Iterable<string>): void {
    this.hosts = new Set(hosts);
  }

  closeStreams(): void {
    for (const res of this.streams) res.end();
    this.streams.clear();
  }

  handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.route(req, res).catch((error: unknown) => {
      // A bug in the door itself: still an envelope, never a stack trace.
      if (!res.headersSent) this.fail(res, 500, { code: 'internal', message: describeError(error).message });
      else res.destroy();
    });
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // DNS rebinding: a page on evil.example whose name now resolves to 127.0.0.1 sends Host: evil.example.
    const host = (req.headers.host ?? '').toLowerCase();
    if (!this.hosts.has(host))
      return this.plain(
        res,
        421,
        `This server answers to ${[...this.hosts].join(', ')} only, not to "${host}".\n`,
      );
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return this.api(req, res, url, host);
    if (url.pathname.startsWith('/download/')) return this.download(req, res, url, host);
    return this.page(req, res, url);
  }

  /**
   * `GET /download/<id>`: an export from the exports folder, by a one-time ticket from `exports.download`
   * (a link cannot carry the Authorization header, so the ticket is the credential: 128 random bits, given
   * only to a caller with the token, used up by its first request, dead after a few minutes). Streamed as
   * an attachment; every other request — a wrong, used or expired id, another method, a foreign site —
   * gets the same 404 or refusal, and the file is opened by the name the ticket holds, never by the URL.
   */
  private async download(req: http.IncomingMessage, res: http.ServerResponse, url: URL, host: string) {
    const origin = req.headers.origin;
    if (
      (origin !== undefined && origin !== `http://${host}`) ||
      req.headers['sec-fetch-site'] === 'cross-site'
    )
      return this.plain(res, 403, "Downloads are for this server's own page.\n");
    if (req.method !== 'GET') return this.plain(res, 405, 'Use GET.\n', { Allow: 'GET' });
    const id = url.pathname.slice('/download/'.length);
    const opened = /^[A-Za-z0-9_-]{22}$/.test(id) ? await this.service.openDownload(id) : null;
    if (opened === null)
      return this.plain(
        res,
        404,
        'This download link is unknown, used or expired (each link works once, for a few minutes). Download again from the export dialog.\n',
      );
    const stream = opened.handle.createReadStream();
    res.writeHead(200, {
      'Content-Type': opened.contentType,
      'Content-Length': opened.bytes,
      // Server-chosen names are plain ASCII (EXPORT_NAME_PATTERN): no quoting or encoding needed.
      'Content-Disposition': `attachment; filename="${opened.name}"`,
      'Cache-Control': 'no-store',
      // An HTML report opened from here by mistake still runs nothing and loads nothing.
      'Content-Security-Policy': "default-src 'none'; sandbox",
      ...SECURITY_HEADERS,
    });
    stream.on('error', () => res.destroy());
    res.on('close', () => stream.destroy());
    stream.pipe(res);
  }

  private async api(req: http.IncomingMessage, res: http.ServerResponse, url: URL, host: string) {
    // A foreign page may send requests here (it cannot read the answers without CORS, but a POST could
    // still act): any Origin other than our own is refused before anything else happens.
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${host}`) {
      return this.fail(res, 403, {
        code: 'forbidden',
        message: `Requests from ${origin} are not allowed: the API answers its own page only.`,
      });
    }
    if (req.headers['sec-fetch-site'] === 'cross-site') {
      return this.fail(res, 403, { code: 'forbidden', message: 'Cross-site requests are not allowed.' });
    }
    if (url.pathname === '/api/events') {
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return this.fail(res, 405, { code: 'bad_input', message: 'Use GET for /api/events.' }, 'GET');
      // EventSource cannot set headers, so the event stream also takes the token as ?token= (the page has
      // it in its own URL already). A cookie would do too, but a cookie is sent by the browser on its own
      // — an ambient credential that cross-site requests could ride; a token in the URL is never sent
      // unless our page puts it there.
      if (!this.authorised(req, url.searchParams.get('token'))) return this.fail(res, 401, unauthorised());
      return this.events(req, res);
    }
    if (req.method !== 'POST') {
      return this.fail(
        res,
        405,
        { code: 'bad_input', message: `Use POST for ${url.pathname} (the input is the JSON body).` },
        'POST',
      );
    }
    if (!this.authorised(req, null)) return this.fail(res, 401, unauthorised());
    const method = url.pathname.slice('/api/'.length);
    if (!Object.hasOwn(HTTP_DOOR, method) || !HTTP_DOOR[method as MethodName]) {
      return this.fail(res, 404, {
        code: 'not_found',
        message: `There is no method "${method}" on this API. Methods: ${Object.keys(HTTP_DOOR)
          .filter((m) => HTTP_DOOR[m as MethodName])
          .join(', ')}.`,
      });
    }
    const name = method as MethodName;
    const body = await readBody(req);
    if (body === 'too_large') {
      res.setHeader('Connection', 'close');
      return this.fail(res, 413, {
        code: 'bad_input',
        message: `The request body is larger than ${BODY_LIMIT} bytes.`,
      });
    }
    let json: unknown = {};
    if (body.trim() !== '') {
      try {
        json = JSON.parse(body);
      } catch (error) {
        return this.fail(res, 400, {
          code: 'bad_input',
          message: `The request body is not JSON (${(error as Error).message}). Send the method's input as a JSON object.`,
        });
      }
    }
    const parsed = contract[name].input.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const field = first && first.path.length > 0 ? first.path.join('.') : undefined;
      const info = describeError(parsed.error);
      // 400, or 422 for a query over the length limit (code query_too_costly, like the service's budgets).
      return this.fail(res, statusOf(info.code), { ...info, ...(field !== undefined ? { field } : {}) });
    }
    // A tab names itself with X-Client-Id: its newer call of a method cancels its older one still running.
    const client = req.headers['x-client-id'];
    const supersede =
      typeof client === 'string' && client !== '' ? `${client.slice(0, 200)}\n${name}` : undefined;
    // Only reads supersede (on the query worker); a write is never dropped for a newer one.
    if (
      supersede !== undefined &&
      (READ_METHODS as readonly string[]).includes(name) &&
      this.overtaken(supersede, req.headers['x-client-seq'])
    )
      return this.fail(res, statusOf('cancelled'), {
        code: 'cancelled',
        message: `A newer ${name} call from this tab replaced this one.`,
      });
    try {
      const call = this.service[name] as (
        input: unknown,
        options: { supersede?: string },
      ) => Promise<unknown>;
      const value = await call(doorInput(name, parsed.data), supersede === undefined ? {} : { supersede });
      send(res, 200, { ok: true, value }, { 'Cache-Control': 'no-store' });
    } catch (error) {
      const info = describeError(error);
      this.fail(res, statusOf(info.code), info);
    }
  }

  /**
   * Whether a newer call of the same key (by the tab's own X-Client-Seq) arrived first: then this one was
   * superseded before it began. Otherwise it becomes the newest. A call without a sequence is never
   * overtaken (it supersedes by arrival, as before).
   */
  private overtaken(key: string, header: string | string[] | undefined): boolean {
    const seq = typeof header === 'string' && /^\d{1,15}$/.test(header) ? Number(header) : null;
    if (seq === null) return false;
    const newest = this.newestSeq.get(key);
    if (newest !== undefined && seq < newest) return true;
    // Most recently used last, so the oldest key goes first when there are too many.
    this.newestSeq.delete(key);
    this.newestSeq.set(key, seq);
    if (this.newestSeq.size > MAX_SUPERSEDE_KEYS) this.newestSeq.delete(this.newestSeq.keys().next().value!);
    return false;
  }

  private events(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      ...SECURITY_HEADERS,
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    res.write('retry: 2000\n\n');
    const send = (event: ServiceEvent) => res.write(`data: ${JSON.stringify(event)}\n\n`);
    const stop = this.service.subscribe(send);
    // A comment now and then keeps proxies and idle timers from closing a quiet stream.
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    this.streams.add(res);
    const end = () => {
      clearInterval(ping);
      stop();
      this.streams.delete(res);
    };
    req.on('close', end);
    res.on('close', end);
  }

  private async page(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return this.plain(res, 405, 'Use GET.\n', { Allow: 'GET, HEAD' });
    const file = this.resolveStatic(url.pathname);
    if (file === null) return this.plain(res, 404, 'Not found.\n');
    const index = path.join(this.staticDir, 'index.html');
    let target = file;
    let stat = await fs.promises.stat(target).catch(() => null);
    if (stat?.isDirectory()) {
      target = path.join(target, 'index.html');
      stat = await fs.promises.stat(target).catch(() => null);
    }
    // Paths without an extension are the UI's own routes (deep links): they get the page.
    if (stat === null && path.extname(url.pathname) === '') {
      target = index;
      stat = await fs.promises.stat(target).catch(() => null);
      if (stat === null) return this.notBuilt(res);
    }
    if (stat === null || !stat.isFile()) return this.plain(res, 404, 'Not found.\n');
    const type = CONTENT_TYPES[path.extname(target).toLowerCase()] ?? 'application/octet-stream';
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': stat.size,
      'Content-Security-Policy': CSP,
      // The page is small and its asset names carry hashes: always revalidate, never store the token's URL.
      'Cache-Control': target === index ? 'no-store' : 'no-cache',
      ...SECURITY_HEADERS,
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    fs.createReadStream(target)
      .on('error', () => res.destroy())
      .pipe(res);
  }

  /** The file a URL path names inside the static folder, or null when it would leave it. */
  private resolveStatic(pathname: string): string | null {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return null;
    }
    if (decoded.includes('\0') || decoded.includes('\\')) return null;
    const relative = path.posix.normalize(decoded).replace(/^\/+/, '');
    if (relative.split('/').includes('..')) return null;
    const file = path.resolve(this.staticDir, relative === '' ? 'index.html' : relative);
    if (file !== this.staticDir && !file.startsWith(this.staticDir + path.sep)) return null;
    return file;
  }

  private notBuilt(res: http.ServerResponse): void {
    const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Audit Explorer</title></head>
<body>
<h1>Audit Explorer</h1>
<p>The API is running, but the web UI has not been built: <code>${escapeHtml(
      path.join(this.staticDir, 'index.html'),
    )}</code> is missing.</p>
<p>Build the renderer into <code>dist/renderer/</code> (from the repository: <code>npm run build:renderer</code>),
then reload this page.</p>
</body></html>
`;
    res.writeHead(503, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': CSP,
      'Cache-Control': 'no-store',
      ...SECURITY_HEADERS,
    });
    res.end(html);
  }

  private plain(
    res: http.ServerResponse,
    status: number,
    text: string,
    headers: http.OutgoingHttpHeaders = {},
  ): void {
    res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
    res.end(text);
  }

  /** Bearer token from the Authorization header (or, for the event stream, `?token=`), compared in constant time. */
  private authorised(req: http.IncomingMessage, queryToken: string | null): boolean {
    const header = req.headers.authorization;
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    const given = match?.[1] ?? queryToken;
    if (given == null) return false;
    // Digests have one length, so the comparison takes the same time whatever was sent.
    return timingSafeEqual(digest(given), this.tokenDigest);
  }

  private fail(
    res: http.ServerResponse,
    status: number,
    error: ErrorData & { field?: string },
    allow?: string,
  ) {
    const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
    if (allow !== undefined) headers.Allow = allow;
    if (status === 401) headers['WWW-Authenticate'] = 'Bearer realm="audit-explorer"';
    send(res, status, { ok: false, error }, headers);
  }
}

function unauthorised(): ErrorData {
  return {
    code: 'unauthorized',
    message:
      'Missing or wrong token. Send Authorization: Bearer <token>, with the token from the URL serve printed.',
  };
}

function send(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string>,
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...SECURITY_HEADERS,
    ...headers,
  });
  res.end(text);
}

/**
 * HTTP status per error code. The envelope's `code` is what a client acts on; the status says the same in
 * HTTP's terms, so proxies, logs and `curl -f` tell a caller's mistake (4xx) from the server's trouble (5xx):
 *
 * | code | status | why |
 * |---|---|---|
 * | `bad_input`, `query_syntax` | 400 | the request is malformed; `column`/`field` say where |
 * | `unauthorized` | 401 | no token, or a wrong one |
 * | `forbidden` | 403 | a foreign origin, a method this door does not offer |
 * | `read_only` | 403 | the write is refused: the database cannot be written here (searches still work) |
 * | `not_found` | 404 | |
 * | `cancelled` | 409 | a newer call from the same tab superseded this one |
 * | `conflict` | 409 | the name is taken (a saved search, an investigation) or the case is closed |
 * | `query_too_costly` | 422 | well-formed, but over the search budget: narrow it (the message says how) |
 * | `writer_busy` | 503 | another process is writing the database; try again later |
 * | `stopped` | 503 | the server is shutting down and stopped the write before it wrote anything |
 * | `disk_full` | 507 | Insufficient Storage: the write rolled back, nothing stored before was lost |
 * | `database_damaged`, `db_is_folder`, `schema_too_new`, `not_our_database`, `internal` | 500 | the
 * database or the engine is in trouble; the message says what to do (`check`, re-import, upgrade) |
 */
function statusOf(code: ErrorData['code']): number {
  switch (code) {
    case 'bad_input':
    case 'query_syntax':
      return 400;
    case 'unauthorized':
      return 401;
    case 'forbidden':
    case 'read_only':
      return 403;
    case 'not_found':
      return 404;
    case 'cancelled':
    case 'conflict':
      return 409;
    case 'query_too_costly':
      return 422;
    case 'writer_busy':
    case 'stopped':
      return 503;
    case 'disk_full':
      return 507;
    case 'database_damaged':
    case 'db_is_folder':
    case 'schema_too_new':
    case 'not_our_database':
    case 'internal':
      return 500;
    default:
      return assertNever(code);
  }
}

function assertNever(value: never): never {
  throw new Error(`Unexpected value ${String(value)}`);
}

function readBody(req: http.IncomingMessage): Promise<string | 'too_large'> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > BODY_LIMIT) {
    req.resume();
    return Promise.resolve('too_large');
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT) {
        chunks.push(chunk);
        return;
      }
      // Stop reading at once (the 413 goes out with Connection: close): a client sending gigabytes
      // without a Content-Length is not read to its end.
      req.off('data', onData);
      req.pause();
      resolve('too_large');
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** The Host header values a browser may send for this server. */
function hostNames(host: string, port: number): string[] {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]', urlHost(host.toLowerCase())]);
  if (isWildcard(host)) {
    // Bound to every interface: the machine's own addresses and name are ours too.
    names.add(os.hostname().toLowerCase());
    for (const list of Object.values(os.networkInterfaces()))
      for (const address of list ?? []) names.add(urlHost(address.address.toLowerCase()));
  }
  return [...names].map((name) => `${name}:${port}`);
}

/** Opens a URL in the default browser; best effort (a headless machine has none). */
function openBrowser(url: string, log: (line: string) => void): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => log(`Could not open a browser (${command}); open the URL above yourself.`));
    child.unref();
  } catch {
    log(`Could not open a browser (${command}); open the URL above yourself.`);
  }
}

function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port 0–65535');
  return n;
}

/** Adds `serve` to the CLI. It runs until SIGINT/SIGTERM, then closes the server and the service. */
export function addServeCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('serve')
    .description('the web UI and its API on loopback HTTP (prints the URL with a per-run token first)')
    .option('--db <file>', 'database file')
    .option(
      '--port <port>',
      `port (0 = any free port; default ${DEFAULT_PORT}, or a free one if busy)`,
      portNumber,
    )
    .option(
      '--host <host>',
      'address to bind (default 127.0.0.1; anything else is reachable from the network)',
    )
    .option('--token <token>', 'API token (default: a new random one per run)')
    .option('--open', 'open the URL in the default browser')
    .exitOverride()
    .action(async (opts: { port?: number; host?: string; token?: string; open?: boolean }, cmd: Command) => {
      const log = (line: string) => io.err(line + '\n');
      let server: RunningServer;
      try {
        server = await startServer({
          dbFile: (cmd.optsWithGlobals().db as string | undefined) ?? defaultDbFile(io.env),
          ...(opts.port !== undefined ? { port: opts.port } : {}),
          ...(opts.host !== undefined ? { host: opts.host } : {}),
          ...(opts.token !== undefined ? { token: opts.token } : {}),
          log,
        });
      } catch (error) {
        if (error instanceof ServeOptionsError) {
          io.err(`audit-explorer: ${error.message}\n`);
          setExit(error.message.startsWith('--token') ? 2 : 1);
          return;
        }
        throw error;
      }
      // The first line of stdout is the URL: scripts and tests read it.
      io.out(`${server.url}\n`);
      log(`Audit Explorer is serving ${server.service.dbFile}. Stop with Ctrl+C.`);
      if (opts.open) openBrowser(server.url, log);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await server.close();
      setExit(0);
    });
}
