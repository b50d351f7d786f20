/**
 * A loopback HTTP proxy for fault injection: point a client's endpoint at `proxy.url` and every request is
 * forwarded to `target` unchanged, unless the interceptor returns a fault. It knows nothing about the
 * protocol; tests build protocol-specific answers (an S3 XML error, say) themselves. Faults:
 * - `respond`: answer without forwarding (a 503 SlowDown burst, an injected 403);
 * - `resetAfter`: forward, pass the response head and the first `bytes` of the body, then destroy the
 *   connection (a reset mid-body, after the client has already seen a 200);
 * - `reset`: destroy the connection before answering.
 * The interceptor may be async and act before the request goes on (e.g. rewrite an object between a
 * listing and its read). Every request is recorded with the fault it got, so tests count attempts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  readonly method: string;
  /** Path and query, as received. */
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
}

export type Fault =
  | {
      readonly kind: 'respond';
      readonly status: number;
      readonly headers?: Record<string, string>;
      readonly body?: string;
    }
  | { readonly kind: 'resetAfter'; readonly bytes: number }
  | { readonly kind: 'reset' };

export type Interceptor = (request: ProxiedRequest) => Fault | undefined | Promise<Fault | undefined>;

export interface RecordedRequest extends ProxiedRequest {
  /** The fault injected, or undefined when the request was forwarded untouched. */
  readonly fault: Fault['kind'] | undefined;
  /**
   * From the request's arrival to the end of its response, ms (undefined until then): how long the client
   * waited on the server (a benchmark tells the server's listing time from the client's own).
   */
  ms?: number;
}

export interface FaultProxy {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Every request seen, in order. */
  readonly requests: RecordedRequest[];
  /** Sets (or with null, clears) the interceptor. */
  intercept(interceptor: Interceptor | null): void;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const requests: RecordedRequest[] = [];
  let interceptor: Interceptor | null = null;
  const agent = new http.Agent({ keepAlive: true });

  const server = http.createServer((req, res) => {
    void (async () => {
      const request: ProxiedRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
      };
      const arrived = performance.now();
      const fault = interceptor ? await interceptor(request) : undefined;
      const recorded: RecordedRequest = { ...request, fault: fault?.kind };
      requests.push(recorded);
      res.once('close', () => (recorded.ms = performance.now() - arrived));
      if (fault?.kind === 'respond') {
        req.resume();
        res.writeHead(fault.status, { 'content-type': 'application/xml', ...fault.headers });
        res.end(fault.body ?? '');
        return;
      }
      if (fault?.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      const forwarded = http.request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
          agent,
        },
        (upstreamRes) => {
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
          if (fault?.kind !== 'resetAfter') {
            upstreamRes.pipe(res);
            return;
          }
          let remaining = fault.bytes;
          upstreamRes.on('data', (chunk: Buffer) => {
            if (remaining <= 0) return;
            const part = chunk.subarray(0, remaining);
            remaining -= part.length;
            // Destroy only once those bytes are on the wire, so the client sees exactly `bytes`.
            res.write(part, () => {
              if (remaining <= 0) {
                upstreamRes.destroy();
                res.socket?.destroy();
              }
            });
          });
          // A body shorter than `bytes` passes whole.
          upstreamRes.on('end', () => {
            if (remaining > 0) res.end();
          });
        },
      );
      forwarded.on('error', () => res.socket?.destroy());
      req.pipe(forwarded);
    })().catch(() => res.socket?.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    intercept(next) {
      interceptor = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

/** An interceptor that applies `fault` to the first `count` requests `matches` accepts, then forwards. */
export function faultTimes(
  count: number,
  fault: Fault,
  matches: (request: ProxiedRequest) => boolean = () => true,
): Interceptor {
  let left = count;
  return (request) => {
    if (left <= 0 || !matches(request)) return undefined;
    left--;
    return fault;
  };
}
