/** The shell's small models: window bounds, the tray menu, source-health notifications. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { desktopDbFile } from '../../../../electron/shell/dbFile.ts';
import { agentHealth, createHealthWatch } from '../../../../electron/shell/sourceHealth.ts';
import {
  agentStatus,
  findSyncMethod,
  trayMenuModel,
  type TrayState,
} from '../../../../electron/shell/trayMenu.ts';
import {
  DEFAULT_SIZE,
  fitToDisplays,
  readWindowState,
  stateFrom,
  writeWindowState,
} from '../../../../electron/shell/windowState.ts';

const SCREEN = { x: 0, y: 0, width: 1920, height: 1050 };

describe('window state', () => {
  test('saved, read back, and a malformed or missing file gives the default', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ae-window-'));
    try {
      const file = path.join(dir, 'window-state.json');
      expect(readWindowState(file)).toEqual({ ...DEFAULT_SIZE, maximized: false });
      writeWindowState(file, stateFrom({ x: 10.4, y: 20, width: 1000, height: 700 }, true));
      expect(readWindowState(file)).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: true });
      fs.writeFileSync(file, '{"width":"wide"}');
      expect(readWindowState(file)).toEqual({ ...DEFAULT_SIZE, maximized: false });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a position on a display is kept; one on an unplugged display is dropped', () => {
    expect(fitToDisplays({ x: 100, y: 50, width: 1200, height: 800, maximized: false }, [SCREEN])).toEqual({
      x: 100,
      y: 50,
      width: 1200,
      height: 800,
    });
    // The second monitor (x ≥ 1920) is gone.
    expect(fitToDisplays({ x: 2500, y: 50, width: 1200, height: 800, maximized: false }, [SCREEN])).toEqual({
      width: 1200,
      height: 800,
    });
  });

  test('sizes are clamped between the minimum and the largest display', () => {
    expect(fitToDisplays({ width: 100, height: 100, maximized: false }, [SCREEN])).toEqual({
      width: 800,
      height: 560,
    });
    expect(fitToDisplays({ width: 5000, height: 4000, maximized: false }, [SCREEN])).toEqual({
      width: 1920,
      height: 1050,
    });
  });
});

describe('tray menu', () => {
  const state: TrayState = {
    status: '2,008 events',
    warning: null,
    paused: false,
    openAtLogin: false,
    loginItemSupported: true,
  };
  const actions = (items: ReturnType<typeof trayMenuModel>) =>
    items.flatMap((i) => (i.kind === 'action' ? [`${i.action}:${i.enabled ? 'on' : 'off'}`] : []));

  test('status, sync now, open, pause, start at login, quit', () => {
    const items = trayMenuModel(state, 'events.count');
    expect(items[0]).toEqual({ kind: 'label', label: 'Audit Explorer — 2,008 events' });
    expect(actions(items)).toEqual(['syncNow:on', 'open:on', 'pause:on', 'toggleLoginItem:on', 'quit:on']);
  });

  test('without a sync method in the contract, sync now and pause are disabled', () => {
    expect(findSyncMethod(['events.search', 'stats.get'])).toBeNull();
    expect(findSyncMethod(['events.search', 'sources.syncNow'])).toBe('sources.syncNow');
    expect(actions(trayMenuModel(state, null))).toEqual([
      'syncNow:off',
      'open:on',
      'pause:off',
      'toggleLoginItem:on',
      'quit:on',
    ]);
  });

  test('paused offers resume; a warning is shown; no login item where unsupported', () => {
    const items = trayMenuModel(
      { ...state, paused: true, warning: 'not encrypted', loginItemSupported: false },
      null,
    );
    expect(items[1]).toEqual({ kind: 'label', label: '⚠ not encrypted' });
    expect(actions(items)).toEqual(['syncNow:off', 'open:on', 'resume:on', 'quit:on']);
  });
});

describe('tray status from the agent', () => {
  const idle = { paused: false, syncing: [], failing: [] };
  test("nothing going on: the engine's own status", () => {
    expect(agentStatus(null, '2,008 events')).toBe('2,008 events');
    expect(agentStatus(idle, '2,008 events')).toBe('2,008 events');
  });
  test('syncing, failing and paused are said together', () => {
    expect(agentStatus({ ...idle, syncing: ['prod'] }, 'x')).toBe('syncing prod…');
    expect(
      agentStatus(
        { paused: true, syncing: ['a', 'b', 'c'], failing: [{ source: 'legacy', error: 'gone' }] },
        'x',
      ),
    ).toBe('syncing a, b and 1 more… · failing: legacy · paused');
  });
  test('failing sources notify once, and again when they recover', () => {
    const watch = createHealthWatch();
    const failing = { ...idle, failing: [{ source: 'legacy', error: 'The folder is gone.' }] };
    let seen = agentHealth(failing, new Set());
    expect(seen.events.map((e) => watch.next(e))).toEqual([
      { title: "Source 'legacy' is failing", body: 'The folder is gone.' },
    ]);
    seen = agentHealth(failing, seen.failing);
    expect(seen.events.map((e) => watch.next(e))).toEqual([null]);
    seen = agentHealth(idle, seen.failing);
    expect(seen.events.map((e) => watch.next(e))).toEqual([
      { title: "Source 'legacy' recovered", body: 'Its last sync succeeded.' },
    ]);
    expect(seen.failing.size).toBe(0);
  });
});

describe('source health notifications', () => {
  test('only transitions notify: failing once, recovered once', () => {
    const watch = createHealthWatch();
    const status = (source: string, s: string, error?: string) =>
      watch.next({ name: 'source.status', payload: { source, status: s, ...(error ? { error } : {}) } });
    expect(status('prod', 'ok')).toBeNull();
    expect(status('prod', 'failing', 'S3 rejected the key (403).')).toEqual({
      title: "Source 'prod' is failing",
      body: 'S3 rejected the key (403).',
    });
    expect(status('prod', 'failing')).toBeNull();
    expect(status('other', 'error')).not.toBeNull();
    expect(status('prod', 'ok')).toEqual({
      title: "Source 'prod' recovered",
      body: 'Its last sync succeeded.',
    });
    expect(watch.next({ name: 'sync.run', payload: { source: 'x', ok: false } })?.title).toMatch(/failing/);
  });

  test("events that say nothing about a source's health are ignored", () => {
    const watch = createHealthWatch();
    expect(watch.next({ name: 'events.changed', payload: { total: 1, added: 1 } })).toBeNull();
    expect(
      watch.next({ name: 'ingest.progress', payload: { objects: 1, lines: 1, bytes: 1, events: 1 } }),
    ).toBeNull();
    expect(watch.next({ name: 'x', payload: { source: 'a', status: 'syncing' } })).toBeNull();
  });
});

describe('database file', () => {
  test('--db, then AUDIT_EXPLORER_DB, then userData', () => {
    expect(desktopDbFile(['electron', '.', '--db', 'x.db'], { AUDIT_EXPLORER_DB: '/e.db' }, '/ud')).toBe(
      path.resolve('x.db'),
    );
    expect(desktopDbFile(['electron', '.', '--db=/a/y.db'], {}, '/ud')).toBe(path.resolve('/a/y.db'));
    expect(desktopDbFile(['electron', '.'], { AUDIT_EXPLORER_DB: '/e.db' }, '/ud')).toBe('/e.db');
    expect(desktopDbFile(['electron', '.'], {}, '/ud')).toBe(path.join('/ud', 'audit-explorer.db'));
  });
});
