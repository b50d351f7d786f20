/**
 * The desktop's engine path without Electron: the IPC door → the main process's engine client → a port
 * (structured-cloned, asynchronous, like a utility process's) → the engine host running the real service
 * on a temporary database. The first run's "load the sample data" works over it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { Result, ServiceEvent } from '../../../shared/contract.ts';
import { MemorySecretStore } from '../../../electron/agent/sources/secrets/secretStore.ts';
import { APP_ENTRY } from '../../../electron/shell/appProtocol.ts';
import { createEngineClient, type EngineClient } from '../../../electron/shell/engineClient.ts';
import { runEngineHost, type EngineHost } from '../../../electron/shell/engineHost.ts';
import type { AgentState, FromEngine, Port, ToEngine } from '../../../electron/shell/engineProtocol.ts';
import { createIpcDoor, type IpcDoor } from '../../../electron/shell/ipcDoor.ts';
import { makeTempDir } from '../engine/support.ts';
import { Gate } from '../serve/support.ts';

/** Two ends of a message channel: every message is cloned and delivered on a later turn. */
function channel(): { main: Port<FromEngine, ToEngine>; engine: Port<ToEngine, FromEngine> } {
  const toMain: ((m: FromEngine) => void)[] = [];
  const toEngine: ((m: ToEngine) => void)[] = [];
  const deliver = <T>(listeners: ((m: T) => void)[], message: T) => {
    const copy = structuredClone(message);
    setImmediate(() => listeners.forEach((l) => l(copy)));
  };
  return {
    main: { post: (m) => deliver(toEngine, m), onMessage: (l) => toMain.push(l) },
    engine: { post: (m) => deliver(toMain, m), onMessage: (l) => toEngine.push(l) },
  };
}

interface Desktop {
  dir: string;
  door: IpcDoor;
  client: EngineClient;
  host: EngineHost;
  secrets: MemorySecretStore;
}

const open: Desktop[] = [];
afterEach(async () => {
  for (const d of open.splice(0)) {
    await d.client.stop();
    fs.rmSync(d.dir, { recursive: true, force: true });
  }
});

async function desktop(testGate?: SharedArrayBuffer): Promise<Desktop> {
  const dir = makeTempDir();
  const { main, engine } = channel();
  const secrets = new MemorySecretStore();
  const client = createEngineClient(main, secrets);
  const host = await runEngineHost(engine, {
    dbFile: path.join(dir, 'audit-explorer.db'),
    ...(testGate ? { service: { testGate } } : {}),
  });
  expect(host).not.toBeNull();
  await client.ready;
  const d = { dir, door: createIpcDoor((m, i, s) => client.call(m, i, s)), client, host: host!, secrets };
  open.push(d);
  return d;
}

/** A sync pass on a loaded machine takes a few seconds. */
const WAIT = { timeout: 20_000, interval: 100 };

const ok = <T>(result: Result<T>): T => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
};

describe('desktop engine over IPC', () => {
  test('first run: an empty database, then "load the sample data" fills it and tells the window', async () => {
    const d = await desktop();
    const before = ok(await d.door.call(APP_ENTRY, 'stats.get', {})) as { events: number; sources: number };
    expect(before).toMatchObject({ events: 0, sources: 0 });
    const seen: ServiceEvent[] = [];
    d.client.subscribe((e) => seen.push(e));
    const loaded = ok(await d.door.call(APP_ENTRY, 'samples.load', {})) as {
      events: number;
      alreadyLoaded: boolean;
    };
    expect(loaded.alreadyLoaded).toBe(false);
    expect(loaded.events).toBeGreaterThan(1000);
    const after = ok(await d.door.call(APP_ENTRY, 'stats.get', undefined)) as { events: number };
    expect(after.events).toBe(loaded.events);
    const changed = seen.filter((e) => e.name === 'events.changed');
    expect(changed.at(-1)).toMatchObject({ payload: { total: loaded.events } });
    const search = ok(
      await d.door.call(APP_ENTRY, 'events.search', { query: 'outcome:failure', limit: 5 }),
    ) as {
      total: number;
      events: unknown[];
    };
    expect(search.total).toBeGreaterThan(0);
    expect(search.events).toHaveLength(5);
  });

  test('a newer search from the same page supersedes the older (code cancelled); another page is not affected', async () => {
    const gate = new Gate(true);
    const d = await desktop(gate.buffer);
    // Cancellation is checked as a search works through its data: give it some.
    ok(await d.door.call(APP_ENTRY, 'samples.load', {}));
    gate.close();
    const posted = Atomics.load(new Int32Array(gate.buffer), 2);
    const older = d.door.call(APP_ENTRY, 'events.search', { query: 'user:a*' }, 1);
    await gate.arrivals(1);
    const newer = d.door.call(APP_ENTRY, 'events.search', { query: 'user:b*' }, 1);
    const otherPage = d.door.call(APP_ENTRY, 'events.search', { query: '' }, 2);
    await gate.posted(posted + 3);
    gate.open();
    const [a, b, c] = await Promise.all([older, newer, otherPage]);
    expect(a).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(b).toMatchObject({ ok: true });
    expect(c).toMatchObject({ ok: true });
  });

  test("the engine's errors arrive as envelopes with their code and column", async () => {
    const d = await desktop();
    const result = await d.door.call(APP_ENTRY, 'events.count', { query: 'usr:alice' });
    expect(result).toMatchObject({ ok: false, error: { code: 'query_syntax', column: 1 } });
  });

  test("the engine reaches the main process's secret store through the port", async () => {
    const d = await desktop();
    await d.host.secrets.set('prod.secretAccessKey', 's3cr3t');
    expect(await d.secrets.get('prod.secretAccessKey')).toBe('s3cr3t');
    expect(await d.host.secrets.get('prod.secretAccessKey')).toBe('s3cr3t');
    await d.host.secrets.delete('prod.secretAccessKey');
    expect(await d.host.secrets.get('prod.secretAccessKey')).toBeNull();
  });

  test('pause from the tray reaches the engine', async () => {
    const d = await desktop();
    d.client.pause(true);
    await vi.waitFor(() => expect(d.host.paused).toBe(true));
  });

  test("the tray's Sync now runs every enabled source through the scheduler; Pause stops its jobs; the state reaches the tray", async () => {
    const d = await desktop();
    const states: AgentState[] = [];
    d.client.onAgent((state) => states.push(state));
    const logs = path.join(d.dir, 'logs');
    fs.mkdirSync(logs);
    fs.writeFileSync(
      path.join(logs, 'a.ndjson'),
      `${JSON.stringify({ opType: 'Query', createdAt: Date.UTC(2026, 0, 2), nameHints: ['User'], userEmail: 'a@acme.io', responseCode: 200 })}\n`,
    );
    ok(await d.client.call('sources.add', { config: { name: 'logs', kind: 'folder', path: logs } }));
    ok(
      await d.client.call('sources.add', {
        config: { name: 'gone', kind: 'folder', path: path.join(d.dir, 'gone') },
      }),
    );
    d.client.syncNow();
    // Both ran as manual passes (run-now), one after the other; the missing folder is failing.
    await vi.waitFor(async () => {
      const runs = ok(await d.client.call('sync.runs', {})) as {
        source: string;
        trigger: string;
        status: string;
      }[];
      expect(runs.map((r) => `${r.source}:${r.trigger}:${r.status}`).sort()).toEqual([
        'gone:manual:failed',
        'logs:manual:ok',
      ]);
    }, WAIT);
    await vi.waitFor(() =>
      expect(states.at(-1)).toMatchObject({ syncing: [], failing: [{ source: 'gone' }] }),
    );
    expect(states.some((s) => s.syncing.length > 0)).toBe(true);
    expect(ok(await d.client.call('events.count', { query: '' }))).toMatchObject({ total: 1 });
    // Adding them scheduled them at once (the scheduler tells sources.list their next run), and a new
    // schedule applies at once too; pause clears them.
    expect([...d.host.scheduler.nextRuns().keys()].sort()).toEqual(['gone', 'logs']);
    ok(await d.client.call('sources.setSchedule', { name: 'logs', schedule: '0 0 0 1 1 *' }));
    const listed = ok(await d.client.call('sources.list', {})) as { name: string; nextRun: number }[];
    const next = new Date(listed.find((s) => s.name === 'logs')!.nextRun);
    expect([next.getMonth(), next.getDate(), next.getHours(), next.getMinutes()]).toEqual([0, 1, 0, 0]);
    d.client.pause(true);
    await vi.waitFor(() => expect(states.at(-1)?.paused).toBe(true), WAIT);
    expect([d.host.scheduler.paused, d.host.scheduler.nextRuns().size]).toEqual([true, 0]);
    d.client.pause(false);
    await vi.waitFor(() => expect(states.at(-1)?.paused).toBe(false), WAIT);
    expect(d.host.scheduler.nextRuns().size).toBe(2);
  });

  test('after the engine process is gone, calls are answered with internal, not left hanging', async () => {
    const d = await desktop();
    d.client.exited('the engine process exited with code 9');
    const result = await d.door.call(APP_ENTRY, 'stats.get', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(!result.ok && result.error.message).toMatch(/exited with code 9.*Restart/);
    // Close the real service behind it (the afterEach stop would find the client gone).
    await d.host.service.close();
  });

  test('a database the engine cannot open is reported, not thrown', async () => {
    const dir = makeTempDir();
    try {
      const file = path.join(dir, 'not-a-db.db');
      fs.writeFileSync(file, 'this is not SQLite, just text that is long enough to be looked at'.repeat(100));
      const { main, engine } = channel();
      const client = createEngineClient(main);
      expect(await runEngineHost(engine, { dbFile: file })).toBeNull();
      await expect(client.ready).rejects.toThrow(/./);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
