// PENDING(h-serve): a stand-in with the shape the engine branch's client will have; the merge replaces it.
import type { MethodName } from '../../shared/contract.ts';
import type { AuditClient, ClientEvent } from './types.ts';

export class HttpApiError extends Error {
  override name = 'HttpApiError';
  readonly code: string;
  readonly column?: number;
  constructor(message: string, code: string, column?: number) {
    super(message);
    this.code = code;
    this.column = column;
  }
}

export function createHttpClient(options: { baseUrl: string; token: string }) {
  const call = async (method: string, input: unknown): Promise<unknown> => {
    const response = await fetch(`${options.baseUrl}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
      body: JSON.stringify(input ?? {}),
    });
    const body = (await response.json()) as
      { ok: true; value: unknown } | { ok: false; error: { code: string; message: string; column?: number } };
    if (!body.ok) throw new HttpApiError(body.error.message, body.error.code, body.error.column);
    return body.value;
  };
  const methods = Object.fromEntries(
    (
      [
        'events.search',
        'events.count',
        'events.facet',
        'events.get',
        'values.list',
        'ingest.paths',
        'samples.load',
        'quarantine.list',
        'stats.get',
        'retention.run',
      ] satisfies (MethodName | 'events.get' | 'values.list')[]
    ).map((m) => [m, (input: unknown) => call(m, input)]),
  ) as Omit<AuditClient, 'subscribe'>;
  return {
    ...methods,
    subscribe(listener: (event: ClientEvent) => void) {
      const source = new EventSource(`${options.baseUrl}/api/events?token=${encodeURIComponent(options.token)}`);
      source.onmessage = (message) => listener(JSON.parse(message.data as string) as ClientEvent);
      return () => source.close();
    },
  } satisfies AuditClient;
}
