/**
 * The engine's one RPC helper (electron/agent/rpc/), as every thread boundary uses it: a long call
 * reports progress before its reply and winds up when cancelled (an ingest that is stopped), and errors
 * cross with their stable code.
 */
import { afterEach, expect, test } from 'vitest';
import { RpcClient, RpcError } from '../../../../../electron/agent/rpc/client.ts';
import type { CounterMethods } from './counter.worker.ts';

let client: RpcClient<CounterMethods> | null = null;
afterEach(async () => {
  await client?.close();
  client = null;
});

const start = async () =>
  (client = await RpcClient.start<CounterMethods>(
    new URL('./counter.worker.ts', import.meta.url),
    undefined,
    {
      label: 'counter thread',
    },
  ));

test('progress arrives in order before the reply', async () => {
  const rpc = await start();
  const seen: unknown[] = [];
  const result = await rpc.call('count', { upTo: 5 }, [], { onProgress: (p) => seen.push(p) });
  expect(result).toEqual({ reached: 5, cancelled: false });
  expect(seen).toEqual([1, 2, 3, 4, 5]);
});

test('cancelling a running call lets it wind up and reply with what it did', async () => {
  const rpc = await start();
  const stop = new AbortController();
  const result = await rpc.call('count', { upTo: 1_000_000 }, [], {
    signal: stop.signal,
    onProgress: (p) => {
      if (p === 3) stop.abort();
    },
  });
  expect(result.cancelled).toBe(true);
  expect(result.reached).toBeGreaterThanOrEqual(3);
  expect(result.reached).toBeLessThan(1_000_000);
  // The thread serves the next call as usual.
  expect(await rpc.call('count', { upTo: 2 })).toEqual({ reached: 2, cancelled: false });
});

test('a call cancelled while it waits behind another starts already cancelled; the other runs on', async () => {
  const rpc = await start();
  const stopFirst = new AbortController();
  const stopSecond = new AbortController();
  // The first call runs until it is told to stop, so it cannot end before the second's cancel arrives
  // (a fixed count could, on a loaded machine). Cancels travel one port in order: the thread has the
  // second's before the first's, and the second starts only when the first has ended.
  const first = rpc.call('count', { upTo: 1_000_000 }, [], {
    signal: stopFirst.signal,
    onProgress: (p) => {
      if (p === 3) stopSecond.abort();
      if (p === 20) stopFirst.abort();
    },
  });
  const second = rpc.call('count', { upTo: 50 }, [], { signal: stopSecond.signal });
  expect(await second).toEqual({ reached: 0, cancelled: true });
  // It went on counting after the second was cancelled, until its own cancel.
  expect((await first).reached).toBeGreaterThanOrEqual(20);
});

test('an error crosses with its stable code', async () => {
  const rpc = await start();
  const error = await rpc.call('fail', undefined).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RpcError);
  expect(error).toMatchObject({ code: 'not_found', message: 'no such thing', name: 'Error' });
});

test('terminate ends a busy thread at once: its call rejects with the given error, and so do later ones', async () => {
  const rpc = await start();
  const stopped = new Error('stopped by the caller');
  let exited = false;
  const call = rpc.call('count', { upTo: 1_000_000 }, [], {
    onProgress: (p) => {
      if (p === 3) void rpc.terminate(stopped).then(() => (exited = true));
    },
  });
  await expect(call).rejects.toBe(stopped);
  // The call rejects only once the thread is gone, so the caller can clean up without a race.
  expect(exited).toBe(true);
  await expect(rpc.call('count', { upTo: 1 })).rejects.toBe(stopped);
});
