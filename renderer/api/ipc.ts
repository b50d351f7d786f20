/**
 * The client inside the desktop window: the preload's `window.auditExplorer` bridge (envelopes over
 * Electron IPC) turned into the same {@link AuditClient} the HTTP client is, with the same {@link ApiError}s,
 * so the UI cannot tell which transport it holds.
 */
import type { AuditBridge } from '../../shared/bridge.ts';
import { contract, type AuditClient, type MethodName, type Result } from '../../shared/contract.ts';
import { ApiError } from './http.ts';

export function createIpcClient(bridge: AuditBridge): AuditClient {
  const client = {} as Record<string, unknown>;
  for (const method of Object.keys(contract) as MethodName[]) {
    const call = bridge[method] as ((input: unknown) => Promise<Result<unknown>>) | undefined;
    client[method] =
      call === undefined
        ? // A method the desktop door does not offer (ingest.paths): the same refusal the door gives.
          () =>
            Promise.reject(
              new ApiError(
                { code: 'forbidden', message: `${method} is not available in the desktop window.` },
                0,
              ),
            )
        : async (input: unknown) => {
            const result = await call(input ?? {});
            if (result.ok) return result.value;
            throw new ApiError(result.error, 0);
          };
  }
  client.subscribe = (listener: Parameters<AuditBridge['subscribe']>[0]) => bridge.subscribe(listener);
  return client as AuditClient satisfies AuditClient;
}
