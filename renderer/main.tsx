/**
 * The renderer's entry: mounts the root, which picks the transport (Electron's preload bridge when
 * present, else HTTP to the `serve` that delivered this page).
 */
// First: it configures zod before the contract's schemas are built (see csp.ts).
import { fitStrictCsp } from './lib/csp.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { ClientHost } from './api/pickClient.ts';
import { Root } from './Root.tsx';
import './styles.css';

fitStrictCsp(document);
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root host={window as unknown as ClientHost} />
  </StrictMode>,
);
