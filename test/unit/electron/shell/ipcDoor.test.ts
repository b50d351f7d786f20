/**
 * The IPC door with a fake ipcMain (the registrar in ipc.ts over the decisions in ipcDoor.ts): exploit
 * tests for every way a call may be refused, and the envelope a good call gets.
 */
import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, test } from 'vitest';
import type { MethodName, Result, ServiceEvent } from '../../../../shared/contract.ts';
import { APP_ENTRY } from '../../../../electron/shell/appProtocol.ts';
import { registerIpc, type IpcMainLike } from '../../../../electron/shell/ipc.ts';
import { createIpcDoor } from '../../../../electron/shell/ipcDoor.ts';
import {
  CALL_CHANNEL,
  EVENT_CHANNEL,
  IPC_METHODS,
  SUBSCRIBE_CHANNEL,
} from '../../../../electron/shell/ipcMethods.ts';

/** ipcMain as far as the registrar uses it; `invoke` behaves like Electron's for unregistered channels. */
class FakeIpcMain implements IpcMainLike {
  handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  listeners = new Map<string, ((event: unknown, ...args: unknown[]) => void)[]>();
  handle(channel: string, handler: (event: never, ...args: never[]) => unknown) {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, handler as never);
  }
  on(channel: string, listener: (event: never, ...args: never[]) => void) {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener as never]);
    return this as never;
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  removeAllListeners(channel?: string) {
    if (channel !== undefined) this.listeners.delete(channel);
    return this as never;
  }
  async invoke(frameUrl: string | null, channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (handler === undefined) throw new Error(`No handler registered for '${channel}'`);
    return handler({ sender: { id: 7 }, senderFrame: frameUrl === null ? null : { url: frameUrl } }, ...args);
  }
  send(sender: FakeWebContents, frameUrl: string, channel: string, ...args: unknown[]) {
    for (const l of this.listeners.get(channel) ?? []) l({ sender, senderFrame: { url: frameUrl } }, ...args);
  }
}

class FakeWebContents extends EventEmitter {
  sent: { channel: string; payload: unknown }[] = [];
  destroyed = false;
  isDestroyed() {
    return this.destroyed;
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
}

let ipc: FakeIpcMain;
let calls: { method: MethodName; input: unknown; supersede?: string }[];
let emit: (event: ServiceEvent) => void;
const listeners = new Set<(event: ServiceEvent) => void>();

beforeEach(() => {
  ipc = new FakeIpcMain();
  calls = [];
  listeners.clear();
  emit = (event) => listeners.forEach((l) => l(event));
  const door = createIpcDoor(async (method, input, supersede) => {
    calls.push({ method, input, ...(supersede !== undefined ? { supersede } : {}) });
    if (method === 'events.count' && (input as { query: string }).query === 'boom')
      throw new Error('the engine process exited');
    return { ok: true, value: { total: 7 } };
  });
  registerIpc(ipc, door, (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  });
});

const call = (frame: string | null, method: unknown, input?: unknown) =>
  ipc.invoke(frame, CALL_CHANNEL, method, input) as Promise<Result<unknown>>;

describe('IPC door', () => {
  test('a good call from our page is validated (defaults applied) and answered with the envelope', async () => {
    expect(await call(APP_ENTRY, 'events.count', { query: 'outcome:failure' })).toEqual({
      ok: true,
      value: { total: 7 },
    });
    expect(await call('app://audit-explorer/some/route?q=x', 'events.count', {})).toEqual({
      ok: true,
      value: { total: 7 },
    });
    // Each call names its page and method, so a newer search from the page supersedes an older one.
    expect(calls).toEqual([
      {
        method: 'events.count',
        input: { query: 'outcome:failure', record: false },
        supersede: 'page-7\nevents.count',
      },
      { method: 'events.count', input: { query: '', record: false }, supersede: 'page-7\nevents.count' },
    ]);
  });

  test('an unknown method is rejected with not_found and never reaches the engine', async () => {
    for (const method of ['events.delete', '__proto__', 'constructor', 42, null]) {
      const result = await call(APP_ENTRY, method, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
    expect(calls).toEqual([]);
  });

  test('ingest.paths (reads any local path) is refused over IPC', async () => {
    const result = await call(APP_ENTRY, 'ingest.paths', { paths: ['/etc/passwd'] });
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(calls).toEqual([]);
  });

  test('export.run (writes files to any path it is given) is refused over IPC', async () => {
    const result = await call(APP_ENTRY, 'export.run', { query: '', out: '/etc/cron.d/x' });
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(calls).toEqual([]);
  });

  test('source configuration reaches the engine (the sources screen adds, edits and removes sources)', async () => {
    const config = { name: 'audit', kind: 'folder', path: '/var/log/audit' };
    for (const [method, input] of [
      ['sources.add', { config }],
      ['sources.update', { name: 'audit', config }],
      ['sources.remove', { name: 'audit' }],
      ['sources.test', { config }],
    ] as const) {
      expect(await call(APP_ENTRY, method, input), method).toMatchObject({ ok: true });
    }
    expect(calls.map((c) => c.method)).toEqual([
      'sources.add',
      'sources.update',
      'sources.remove',
      'sources.test',
    ]);
  });

  test('quarantine.list over IPC never shows the excerpts of objects without events, whatever the page asks', async () => {
    await call(APP_ENTRY, 'quarantine.list', { excerpts: 'all', source: 'etc' });
    expect(calls).toEqual([
      {
        method: 'quarantine.list',
        input: { limit: 1000, source: 'etc', excerpts: 'auditObjects' },
        supersede: 'page-7\nquarantine.list',
      },
    ]);
  });

  test('input failing the schema is rejected with bad_input naming the field, and not sent on', async () => {
    const result = await call(APP_ENTRY, 'events.search', { query: 'x', limit: -1 });
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_input', field: 'limit' } });
    expect(await call(APP_ENTRY, 'events.count', { query: 'x', extra: true })).toMatchObject({
      ok: false,
      error: { code: 'bad_input' },
    });
    expect(await call(APP_ENTRY, 'stats.get', 'not an object')).toMatchObject({
      ok: false,
      error: { code: 'bad_input' },
    });
    expect(calls).toEqual([]);
  });

  test('a sender from another origin (or a gone frame) is rejected before anything else', async () => {
    for (const frame of [
      'https://evil.example/',
      'file:///home/user/dist/renderer/index.html',
      'app://evil/index.html',
      'app://audit-explorer.evil.example/index.html',
      'app://audit-explorer:8080/index.html',
      'http://127.0.0.1:4417/',
      'data:text/html,<script>1</script>',
      'about:blank',
      '',
      null,
    ]) {
      const result = await call(frame, 'events.count', { query: '' });
      expect(result, String(frame)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(calls).toEqual([]);
  });

  test('an invoke on any other channel is rejected (no handler is registered)', async () => {
    await expect(ipc.invoke(APP_ENTRY, 'audit-explorer:exec', 'rm -rf /')).rejects.toThrow(/No handler/);
    expect([...ipc.handlers.keys()]).toEqual([CALL_CHANNEL]);
  });

  test('an engine that cannot answer still gives an envelope (code internal)', async () => {
    expect(await call(APP_ENTRY, 'events.count', { query: 'boom' })).toEqual({
      ok: false,
      error: { code: 'internal', message: 'the engine process exited' },
    });
  });

  test('events reach our page after it subscribes, stop when it unsubscribes or goes away', () => {
    const page = new FakeWebContents();
    const event: ServiceEvent = { name: 'events.changed', payload: { total: 3, added: 3 } };
    ipc.send(page as never, APP_ENTRY, SUBSCRIBE_CHANNEL, true);
    emit(event);
    expect(page.sent).toEqual([{ channel: EVENT_CHANNEL, payload: event }]);
    ipc.send(page as never, APP_ENTRY, SUBSCRIBE_CHANNEL, false);
    emit(event);
    expect(page.sent).toHaveLength(1);
    for (let i = 0; i < 20; i++) ipc.send(page as never, APP_ENTRY, SUBSCRIBE_CHANNEL, i % 2 === 0);
    ipc.send(page as never, APP_ENTRY, SUBSCRIBE_CHANNEL, true);
    expect(listeners.size).toBe(1);
    expect(page.listenerCount('destroyed')).toBe(1);
    page.emit('destroyed');
    expect(listeners.size).toBe(0);
  });

  test('a foreign page that subscribes gets no events', () => {
    const page = new FakeWebContents();
    ipc.send(page as never, 'https://evil.example/', SUBSCRIBE_CHANNEL, true);
    emit({ name: 'events.changed', payload: { total: 1, added: 1 } });
    expect(page.sent).toEqual([]);
    expect(listeners.size).toBe(0);
  });

  test('the door answers exactly the allowlisted methods', async () => {
    const answered: string[] = [];
    for (const method of IPC_METHODS) {
      const result = await call(APP_ENTRY, method, method === 'events.get' ? undefined : {});
      if (result.ok || result.error.code === 'bad_input') answered.push(method);
    }
    expect(answered).toEqual(IPC_METHODS);
  });
});
