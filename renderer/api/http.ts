/**
 * The browser's client over `serve`'s HTTP door (DESIGN §2): one POST per method, the engine's events over
 * an EventSource. It satisfies the same {@link AuditClient} type as every other transport, so the UI cannot
 * tell which one it holds.
 */
import {
  contract,
  events as eventSchemas,
  type AuditClient,
  type ErrorCode,
  type ErrorData,
  type MethodName,
  type ServiceEvent,
} from '../../shared/contract.ts';

/** An error the API answered with (or a transport failure, as code `internal`). */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly code: ErrorCode;
  /** 1-based column in the query the error is about. */
  readonly column?: number;
  /** The input field a schema failure is about. */
  readonly field?: string;
  /** The HTTP status (0 when no answer arrived). */
  readonly status: number;

  constructor(error: ErrorData, status: number) {
    super(error.message);
    this.code = error.code;
    this.status = status;
    if (error.column !== undefined) this.column = error.column;
    if (error.field !== undefined) this.field = error.field;
  }
}

export interface HttpClientOptions {
  /** The server's origin, e.g. `http://127.0.0.1:4417` (or '' for the page's own origin). */
  readonly baseUrl: string;
  /** The token from the page's `?token=`. */
  readonly token: string;
  /**
   * Names this tab to the server: its newer call of a method cancels its older one still running (the
   * older rejects with code `cancelled`). Default: a random id per client.
   */
  readonly clientId?: string;
  /** Transports to use instead of the globals (tests). */
  readonly fetch?: typeof fetch;
  readonly EventSource?: new (url: string) => EventSourceLike;
}

/** What the client needs of an EventSource. */
export interface EventSourceLike {
  onmessage: ((event: { data: string }) => void) | null;
  close(): void;
}

/**
 * The client for a page that `serve` served: `createHttpClient({ baseUrl: '', token })` with the token from
 * the page's `?token=` (relative URLs then reach the same server). Calls reject with {@link ApiError};
 * code `unauthorized` means the page was opened without the URL serve printed (or serve was restarted).
 */
export function createHttpClient(options: HttpClientOptions): AuditClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const clientId = options.clientId ?? randomId();
  // Numbers the tab's calls in the order it makes them: they travel over several connections and can
  // arrive out of order, and serve lets a call supersede only the older ones (by this number).
  let seq = 0;

  const call = async (method: MethodName, input: unknown): Promise<unknown> => {
    let response: Response;
    try {
      response = await doFetch(`${base}/api/${method}`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${options.token}`,
          'Content-Type': 'application/json',
          'X-Client-Id': clientId,
          'X-Client-Seq': String(++seq),
        },
        body: JSON.stringify(input ?? {}),
      });
    } catch (error) {
      throw new ApiError(
        {
          code: 'internal',
          message: `Audit Explorer did not answer (${String(error)}). Is serve still running?`,
        },
        0,
      );
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new ApiError(
        { code: 'internal', message: `Audit Explorer answered ${response.status} without a JSON body.` },
        response.status,
      );
    }
    const envelope = body as { ok?: boolean; value?: unknown; error?: ErrorData };
    if (envelope.ok === true) return envelope.value;
    throw new ApiError(
      envelope.error ?? { code: 'internal', message: `Audit Explorer answered ${response.status}.` },
      response.status,
    );
  };

  // One event stream per client, opened for the first listener and closed after the last.
  const listeners = new Set<(event: ServiceEvent) => void>();
  let source: EventSourceLike | null = null;
  const open = () => {
    const Source =
      options.EventSource ?? (globalThis.EventSource as unknown as HttpClientOptions['EventSource']);
    if (Source === undefined) return;
    source = new Source(`${base}/api/events?token=${encodeURIComponent(options.token)}`);
    source.onmessage = (message) => {
      let event: ServiceEvent;
      try {
        event = JSON.parse(message.data) as ServiceEvent;
      } catch {
        return;
      }
      // Events this build does not know (a newer server) are skipped, not guessed at.
      const schema = eventSchemas[event.name as keyof typeof eventSchemas];
      if (schema === undefined || !schema.safeParse(event.payload).success) return;
      for (const listener of listeners) listener(event);
    };
  };

  const client = {} as Record<string, unknown>;
  for (const method of Object.keys(contract) as MethodName[])
    client[method] = (input: unknown) => call(method, input);
  client.subscribe = (listener: (event: ServiceEvent) => void) => {
    listeners.add(listener);
    if (source === null) open();
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && source !== null) {
        source.close();
        source = null;
      }
    };
  };
  return client as AuditClient satisfies AuditClient;
}

function randomId(): string {
  // getRandomValues works in every context (randomUUID needs a secure one; `--host` may serve plain http).
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
