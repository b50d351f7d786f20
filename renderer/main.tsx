/**
 * The renderer's entry: picks the transport (Electron's preload bridge when present, else HTTP to the
 * `serve` that delivered this page) and mounts the search screen.
 */
// First: it configures zod before the contract's schemas are built (see csp.ts).
import { fitStrictCsp } from './lib/csp.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createHttpClient } from './api/http.ts';
import type { AuditClient } from './api/types.ts';
import { takeToken } from './lib/urlState.ts';
import { SearchScreen } from './screens/SearchScreen.tsx';
import './styles.css';

function pickClient(): AuditClient | string {
  const bridge = (window as { auditExplorer?: AuditClient }).auditExplorer;
  if (bridge) return bridge;
  const token = takeToken(window.location, window.history, window.sessionStorage);
  if (!token)
    return 'This page needs the token that `audit-explorer serve` printed: open the URL it printed (it ends in ?token=…).';
  return createHttpClient({ baseUrl: window.location.origin, token });
}

fitStrictCsp(document);
const root = createRoot(document.getElementById('root')!);
const client = pickClient();
root.render(
  <StrictMode>
    {typeof client === 'string' ? (
      <div className="state state--error" role="alert">
        <h1>Not connected</h1>
        <p>{client}</p>
      </div>
    ) : (
      <SearchScreen client={client} />
    )}
  </StrictMode>,
);
