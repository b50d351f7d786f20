/**
 * The preload's surface with a fake contextBridge and ipcRenderer: `window.auditExplorer` holds exactly the
 * contract methods the IPC door allows (derived from the contract, never a second hand-written list) plus
 * `subscribe`, and each method is one invoke on the call channel.
 */
import { beforeAll, describe, expect, test, vi } from 'vitest';
import { BRIDGE_GLOBAL } from '../../../../shared/bridge.ts';
import { contract, type MethodName } from '../../../../shared/contract.ts';
import {
  CALL_CHANNEL,
  EVENT_CHANNEL,
  IPC_DOOR,
  SUBSCRIBE_CHANNEL,
} from '../../../../electron/shell/ipcMethods.ts';

const fake = vi.hoisted(() => {
  const exposed = new Map<string, unknown>();
  const invoked: unknown[][] = [];
  const sent: unknown[][] = [];
  const on = new Map<string, ((...args: unknown[]) => void)[]>();
  return {
    exposed,
    invoked,
    sent,
    on,
    electron: {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
      ipcRenderer: {
        invoke: (...args: unknown[]) => {
          invoked.push(args);
          return Promise.resolve({ ok: true, value: 'answer' });
        },
        send: (...args: unknown[]) => sent.push(args),
        on: (channel: string, listener: (...args: unknown[]) => void) =>
          on.set(channel, [...(on.get(channel) ?? []), listener]),
        removeListener: (channel: string, listener: (...args: unknown[]) => void) =>
          on.set(
            channel,
            (on.get(channel) ?? []).filter((l) => l !== listener),
          ),
      },
    },
  };
});
vi.mock('electron', () => fake.electron);

let bridge: Record<string, unknown>;
beforeAll(async () => {
  await import('../../../../electron/shell/preload.ts');
  bridge = fake.exposed.get(BRIDGE_GLOBAL) as Record<string, unknown>;
});

describe('preload', () => {
  test('exposes one global, with exactly the allowed contract methods and subscribe', () => {
    expect([...fake.exposed.keys()]).toEqual([BRIDGE_GLOBAL]);
    const allowed = (Object.keys(contract) as MethodName[]).filter((m) => IPC_DOOR[m]);
    expect(Object.keys(bridge).sort()).toEqual([...allowed, 'subscribe'].sort());
    expect(bridge).not.toHaveProperty('ingest.paths');
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function');
  });

  test('a method is one invoke on the call channel, answering the envelope', async () => {
    const count = bridge['events.count'] as (input: unknown) => Promise<unknown>;
    await expect(count({ query: 'x' })).resolves.toEqual({ ok: true, value: 'answer' });
    const stats = bridge['stats.get'] as (input?: unknown) => Promise<unknown>;
    await stats();
    expect(fake.invoked).toEqual([
      [CALL_CHANNEL, 'events.count', { query: 'x' }],
      [CALL_CHANNEL, 'stats.get', {}],
    ]);
  });

  test('subscribe opens one stream for all listeners and closes it after the last', () => {
    const subscribe = bridge.subscribe as (l: (e: unknown) => void) => () => void;
    const a: unknown[] = [];
    const b: unknown[] = [];
    const stopA = subscribe((e) => a.push(e));
    const stopB = subscribe((e) => b.push(e));
    expect(fake.sent).toEqual([[SUBSCRIBE_CHANNEL, true]]);
    for (const l of fake.on.get(EVENT_CHANNEL) ?? []) l({}, { name: 'events.changed', payload: {} });
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(1);
    stopA();
    stopA();
    expect(fake.sent).toHaveLength(1);
    stopB();
    expect(fake.sent).toEqual([
      [SUBSCRIBE_CHANNEL, true],
      [SUBSCRIBE_CHANNEL, false],
    ]);
    expect(fake.on.get(EVENT_CHANNEL)).toEqual([]);
  });
});
