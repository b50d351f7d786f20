/**
 * Helpers for the `serve` tests: a server on a temp database with a fixture page, raw HTTP requests (so a
 * test can send any Host, Origin or body), an event-stream reader, and the query worker's test gate.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { startServer, type RunningServer, type ServerOptions } from '../../../electron/cli/serve.ts';
import { FIXED_NOW, makeTempDir } from '../engine/support.ts';

export interface TestServer {
  readonly dir: string;
  readonly server: RunningServer;
  /** `127.0.0.1:PORT`: the Host header a browser sends. */
  readonly hostHeader: string;
  request(options: RequestOptions): Promise<Reply>;
  /** POST /api/<method> with the token and a JSON body. */
  api(method: string, input?: unknown, headers?: Record<string, string>): Promise<Reply>;
  dispose(): Promise<void>;
}

export interface RequestOptions {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: unknown;
}

/** The fixture renderer: a page, a script and a stylesheet. */
export function writeFixturePage(dir: string): string {
  const root = path.join(dir, 'renderer');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'index.html'),
    '<!doctype html><html><head><script type="module" src="/assets/app.js"></script>' +
      '<link rel="stylesheet" href="/assets/app.css"></head><body>fixture page</body></html>\n',
  );
  fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log("fixture");\n');
  fs.writeFileSync(path.join(root, 'assets', 'app.css'), 'body { color: black; }\n');
  return root;
}

export async function openServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const dir = makeTempDir();
  const staticDir = options.staticDir ?? writeFixturePage(dir);
  const server = await startServer({
    dbFile: path.join(dir, 'audit.sqlite'),
    port: 0,
    loadSamples: false,
    staticDir,
    log: () => {},
    ...options,
    service: { now: () => FIXED_NOW, ...options.service },
  });
  const hostHeader = `127.0.0.1:${server.port}`;
  const request = (o: RequestOptions) =>
    send(server.port, { ...o, headers: { host: hostHeader, ...o.headers } });
  return {
    dir,
    server,
    hostHeader,
    request,
    api: (method, input = {}, headers = {}) =>
      request({
        method: 'POST',
        path: `/api/${method}`,
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(input),
      }),
    async dispose() {
      try {
        await server.close();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** One HTTP request to 127.0.0.1:port, any headers allowed (Host included). */
export function send(port: number, options: RequestOptions, address = '127.0.0.1'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: address,
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Reads server-sent events from `GET /api/events` until `until` accepts one (or the stream ends). */
export function openEventStream(
  port: number,
  pathAndQuery: string,
  headers: Record<string, string>,
): Promise<{ status: number; next(until: (event: unknown) => boolean): Promise<unknown>; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: pathAndQuery, headers, agent: false },
      (res) => {
        let buffer = '';
        const seen: unknown[] = [];
        let waiter: { until: (e: unknown) => boolean; resolve: (e: unknown) => void } | null = null;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block
              .split('\n')
              .filter((l) => l.startsWith('data: '))
              .map((l) => l.slice(6))
              .join('\n');
            if (data === '') continue;
            const event: unknown = JSON.parse(data);
            seen.push(event);
            if (waiter?.until(event)) {
              waiter.resolve(event);
              waiter = null;
            }
          }
        });
        resolve({
          status: res.statusCode ?? 0,
          next: (until) =>
            new Promise((done) => {
              const found = seen.find(until);
              if (found !== undefined) done(found);
              else waiter = { until, resolve: done };
            }),
          close: () => req.destroy(),
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The query worker's test gate: reads pause at its start until opened. */
export class Gate {
  readonly buffer = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
  private readonly view = new Int32Array(this.buffer);

  constructor(open: boolean) {
    if (open) this.open();
  }

  open(): void {
    Atomics.store(this.view, 0, 1);
    Atomics.notify(this.view, 0);
  }

  close(): void {
    Atomics.store(this.view, 0, 0);
  }

  /** Resolves once `n` reads in all have reached the gate. */
  arrivals(n: number): Promise<void> {
    return this.waitFor(1, n);
  }

  /** Resolves once `n` reads in all have been posted to the worker. */
  posted(n: number): Promise<void> {
    return this.waitFor(2, n);
  }

  private async waitFor(index: number, n: number): Promise<void> {
    for (;;) {
      const current = Atomics.load(this.view, index);
      if (current >= n) return;
      const wait = waitAsync(this.view, index, current, 10_000);
      if (wait.async) await wait.value;
    }
  }
}

/** Atomics.waitAsync (Node has it; the test project's ES2023 lib does not declare it yet). */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      view: Int32Array,
      index: number,
      value: number,
      timeout: number,
    ): { async: false; value: string } | { async: true; value: Promise<string> };
  }
).waitAsync;
