/**
 * Which transport this page uses: inside the desktop window the preload's bridge (Electron IPC), in a
 * browser the HTTP client to the `serve` that delivered the page. One {@link AuditClient} either way.
 */
import { BRIDGE_GLOBAL, type AuditBridge } from '../../shared/bridge.ts';
import { createHttpClient } from './http.ts';
import { createIpcClient } from './ipc.ts';
import type { AuditClient } from './types.ts';
import { takeToken } from '../lib/urlState.ts';

/** The parts of `window` the choice reads. */
export interface ClientHost {
  readonly [BRIDGE_GLOBAL]?: AuditBridge;
  readonly location: Location;
  readonly history: History;
  readonly sessionStorage: Storage;
}

/** The client, or a sentence saying why there is none (a served page opened without its token). */
export function pickClient(host: ClientHost): AuditClient | string {
  const bridge = host[BRIDGE_GLOBAL];
  if (bridge) return createIpcClient(bridge);
  const token = takeToken(host.location, host.history, host.sessionStorage);
  if (!token)
    return 'This page needs the token that `audit-explorer serve` printed: open the URL it printed (it ends in ?token=…).';
  return createHttpClient({ baseUrl: host.location.origin, token });
}
