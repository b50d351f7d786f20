// @vitest-environment happy-dom
/**
 * The page's root picks the transport: inside the desktop window the preload's bridge (envelopes over IPC),
 * else the HTTP client with the token from the URL. The first run's "load the sample data" goes through
 * the bridge.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditBridge } from '../../../shared/bridge.ts';
import { contract, type MethodName, type Result } from '../../../shared/contract.ts';
import { ApiError } from '../../../renderer/api/http.ts';
import { createIpcClient } from '../../../renderer/api/ipc.ts';
import type { ClientHost } from '../../../renderer/api/pickClient.ts';
import { Root } from '../../../renderer/Root.tsx';
import { createMemoryClient, fixtureEvents } from '../../support/memoryClient.ts';
import { fakeLayout } from './layout.ts';

let restore: () => void;
beforeEach(() => {
  restore = fakeLayout();
  window.history.replaceState(null, '', '/');
  localStorage.clear();
  sessionStorage.clear();
});
afterEach(() => {
  cleanup();
  restore();
});

/** A bridge as the preload builds it (every allowed method answering an envelope) over a memory client. */
function bridgeOver(memory: ReturnType<typeof createMemoryClient>, bridged: string[]): AuditBridge {
  const bridge: Record<string, unknown> = {};
  for (const method of Object.keys(contract) as MethodName[]) {
    if (method === 'ingest.paths') continue;
    bridge[method] = async (input: unknown): Promise<Result<unknown>> => {
      bridged.push(method);
      try {
        return { ok: true, value: await (memory.client[method] as (i: unknown) => Promise<unknown>)(input) };
      } catch (e) {
        const error = e as { code: 'query_syntax'; message: string; column?: number };
        return { ok: false, error: { code: error.code, message: error.message, column: error.column } };
      }
    };
  }
  bridge.subscribe = memory.client.subscribe;
  return bridge as AuditBridge;
}

function host(bridge?: AuditBridge): ClientHost {
  return {
    ...(bridge ? { auditExplorer: bridge } : {}),
    location: window.location,
    history: window.history,
    sessionStorage: window.sessionStorage,
  };
}

describe('Root', () => {
  it('uses window.auditExplorer when present: the first run loads the samples over IPC', async () => {
    const memory = createMemoryClient(fixtureEvents());
    memory.clear();
    const bridged: string[] = [];
    const fetched: unknown[] = [];
    const savedFetch = globalThis.fetch;
    globalThis.fetch = (async (...args: unknown[]) => {
      fetched.push(args);
      throw new Error('no HTTP in the desktop window');
    }) as typeof fetch;
    try {
      render(<Root host={host(bridgeOver(memory, bridged))} />);
      fireEvent.click(await screen.findByTestId('load-samples'));
      await waitFor(() => expect(screen.getByTestId('total').textContent).toBe('60'));
    } finally {
      globalThis.fetch = savedFetch;
    }
    expect(bridged).toContain('stats.get');
    expect(bridged).toContain('samples.load');
    expect(bridged).toContain('events.search');
    expect(fetched).toEqual([]);
  });

  it('without a bridge and without a token it says how to connect', () => {
    render(<Root host={host()} />);
    expect(screen.getByRole('alert').textContent).toContain('needs the token');
  });
});

describe('IPC client', () => {
  it("turns an error envelope into the same ApiError as HTTP's, keeping code and column", async () => {
    const memory = createMemoryClient(fixtureEvents());
    const client = createIpcClient(bridgeOver(memory, []));
    const error = await client['events.count']({ query: 'usr:x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'query_syntax', column: 1 });
    expect(await client['events.count']({ query: '' })).toEqual({ total: 60 });
  });

  it('a method the desktop door does not offer rejects with forbidden', async () => {
    const client = createIpcClient(bridgeOver(createMemoryClient([]), []));
    await expect(client['ingest.paths']({ paths: ['/etc'] })).rejects.toMatchObject({ code: 'forbidden' });
  });
});
