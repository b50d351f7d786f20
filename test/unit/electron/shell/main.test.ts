/**
 * The main process's wiring with a fake 'electron': the security settings it applies (read off the calls
 * it makes, so removing one fails here), the protocol's CSP, the engine started in a utility process, the
 * tray's status and the basic_text warning, and Quit draining the engine first.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { CSP } from '../../../../shared/csp.ts';
import { APP_ENTRY } from '../../../../electron/shell/appProtocol.ts';
import type { FromEngine, ToEngine } from '../../../../electron/shell/engineProtocol.ts';
import { CALL_CHANNEL } from '../../../../electron/shell/ipcMethods.ts';

const fake = vi.hoisted(() => {
  // vi.hoisted runs before the imports: the one module it needs is required here.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { EventEmitter: Emitter } = require('node:events') as { EventEmitter: typeof EventEmitter };
  let ready!: () => void;
  const whenReady = new Promise<void>((resolve) => (ready = resolve));
  const app = Object.assign(new Emitter(), {
    userData: '',
    lock: true,
    quits: 0,
    setName: () => {},
    requestSingleInstanceLock: () => app.lock,
    quit: () => {
      app.quits++;
      const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
      app.emit('before-quit', event);
    },
    whenReady: () => whenReady,
    getPath: () => app.userData,
    getLoginItemSettings: () => ({ openAtLogin: false }),
    setLoginItemSettings: () => {},
  });
  const windows: { options: Record<string, unknown>; loaded: string[] }[] = [];
  class BrowserWindow extends Emitter {
    loaded: string[] = [];
    webContents = new Emitter();
    readonly options: Record<string, unknown>;
    constructor(options: Record<string, unknown>) {
      super();
      this.options = options;
      windows.push(this);
    }
    isMinimized = () => false;
    restore() {}
    show() {}
    focus() {}
    maximize() {}
    isMaximized = () => false;
    getNormalBounds = () => ({ x: 0, y: 0, width: 1440, height: 900 });
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
  }
  const menus: { label?: string; type?: string }[][] = [];
  class Tray extends Emitter {
    setToolTip() {}
    setContextMenu(menu: { label?: string }[]) {
      menus.push(menu);
    }
  }
  const notifications: { title: string; body: string }[] = [];
  class Notification {
    static isSupported = () => true;
    readonly options: { title: string; body: string };
    constructor(options: { title: string; body: string }) {
      this.options = options;
    }
    show() {
      notifications.push(this.options);
    }
  }
  const children: (InstanceType<typeof Emitter> & { args: string[]; posted: unknown[] })[] = [];
  const utilityProcess = {
    fork(_file: string, args: string[]) {
      const child = Object.assign(new Emitter(), {
        args,
        posted: [] as unknown[],
        postMessage(message: { type: string; id?: number; method?: string }) {
          child.posted.push(message);
          // A tiny engine: stats for the tray, `stopped` for Quit.
          setImmediate(() => {
            if (message.type === 'call')
              child.emit('message', {
                type: 'result',
                id: message.id,
                result: { ok: true, value: { events: 2008 } },
              });
            if (message.type === 'stop') child.emit('message', { type: 'stopped' });
          });
        },
      });
      children.push(child);
      setImmediate(() => child.emit('message', { type: 'ready', dbFile: args[0] }));
      return child;
    },
  };
  const handled = new Map<string, unknown>();
  return {
    ready: () => ready(),
    app,
    windows,
    menus,
    notifications,
    children,
    handled,
    privileged: [] as unknown[],
    protocols: new Map<string, (request: { url: string }) => Promise<Response>>(),
    permissionRequest: null as null | ((...args: unknown[]) => void),
    permissionCheck: null as null | ((...args: unknown[]) => boolean),
    opened: [] as string[],
    electron: {} as Record<string, unknown>,
    BrowserWindow,
    Tray,
    Notification,
    utilityProcess,
  };
});

vi.mock('electron', () => ({
  app: fake.app,
  BrowserWindow: fake.BrowserWindow,
  Tray: fake.Tray,
  Notification: fake.Notification,
  utilityProcess: fake.utilityProcess,
  Menu: { buildFromTemplate: (template: unknown) => template },
  nativeImage: { createFromPath: () => ({ resize: () => ({}) }) },
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1050 } }] },
  shell: { openExternal: (url: string) => fake.opened.push(url) },
  ipcMain: {
    handle: (channel: string, handler: unknown) => fake.handled.set(channel, handler),
    on: () => {},
    removeHandler: () => {},
    removeAllListeners: () => {},
  },
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown[]) => fake.privileged.push(...schemes),
    handle: (scheme: string, handler: (request: { url: string }) => Promise<Response>) =>
      fake.protocols.set(scheme, handler),
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (handler: (...args: unknown[]) => void) =>
        (fake.permissionRequest = handler),
      setPermissionCheckHandler: (handler: (...args: unknown[]) => boolean) =>
        (fake.permissionCheck = handler),
    },
  },
  safeStorage: {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => 'basic_text',
    encryptString: (s: string) => Buffer.from(s),
    decryptString: (b: Buffer) => b.toString(),
  },
}));

const savedPlatform = process.platform;
beforeAll(async () => {
  fake.app.userData = fs.mkdtempSync(path.join(os.tmpdir(), 'ae-main-'));
  // The basic_text warning is a Linux matter.
  Object.defineProperty(process, 'platform', { value: 'linux' });
  await import('../../../../electron/shell/main.ts');
  fake.ready();
  await vi.waitFor(() => expect(fake.menus.at(-1)?.[0]?.label).toBe('Audit Explorer — 2,008 events'));
});
afterAll(() => {
  Object.defineProperty(process, 'platform', { value: savedPlatform });
  fs.rmSync(fake.app.userData, { recursive: true, force: true });
});

describe('main process', () => {
  test('app:// is registered as a standard, secure scheme before ready', () => {
    expect(fake.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  test('the window: context isolation, sandbox, web security on; Node, webviews, insecure content off', () => {
    expect(fake.windows).toHaveLength(1);
    const prefs = fake.windows[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
    expect(String(prefs.preload)).toMatch(/preload\.cjs$/);
    expect(fake.windows[0]!.loaded).toEqual([APP_ENTRY]);
  });

  test('every web contents: navigation away, new windows and webviews refused; https links go to the browser', () => {
    const contents = Object.assign(new EventEmitter(), {
      openHandler: null as null | ((d: { url: string }) => { action: string }),
      setWindowOpenHandler(handler: (d: { url: string }) => { action: string }) {
        contents.openHandler = handler;
      },
    });
    fake.app.emit('web-contents-created', {}, contents);
    const navigate = (event: string, url: string) => {
      const e = { prevented: false, preventDefault: () => (e.prevented = true) };
      contents.emit(event, e, url);
      return e.prevented;
    };
    expect(navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigate('will-redirect', 'https://evil.example/')).toBe(true);
    expect(navigate('will-navigate', 'app://audit-explorer/index.html?q=x')).toBe(false);
    expect(navigate('will-attach-webview', 'app://audit-explorer/')).toBe(true);
    expect(contents.openHandler!({ url: 'https://docs.example.com/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(fake.opened).toEqual(['https://docs.example.com/']);
  });

  test('permission requests and checks are refused (but a clipboard write from our page)', () => {
    const answers: boolean[] = [];
    fake.permissionRequest!(null, 'media', (ok: boolean) => answers.push(ok), { requestingUrl: APP_ENTRY });
    fake.permissionRequest!(null, 'clipboard-sanitized-write', (ok: boolean) => answers.push(ok), {
      requestingUrl: 'https://evil.example/',
    });
    expect(answers).toEqual([false, false]);
    expect(fake.permissionCheck!(null, 'geolocation', 'app://audit-explorer')).toBe(false);
  });

  test('the app:// protocol answers with the strict CSP and nosniff, and never outside the UI folder', async () => {
    const handler = fake.protocols.get('app')!;
    for (const url of [APP_ENTRY, 'app://audit-explorer/%2e%2e%2f%2e%2e%2fpackage.json']) {
      const response = await handler({ url });
      expect(response.headers.get('content-security-policy')).toBe(CSP);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect((await handler({ url: 'app://audit-explorer/..%2f..%2fpackage.json' })).status).toBe(404);
  });

  test('the engine runs in a utility process on the userData database; IPC has its one invoke channel', () => {
    expect(fake.children).toHaveLength(1);
    expect(fake.children[0]!.args).toEqual([path.join(fake.app.userData, 'audit-explorer.db')]);
    expect([...fake.handled.keys()]).toEqual([CALL_CHANNEL]);
  });

  test('Linux basic_text: a warning in the tray and a notification', () => {
    const labels = fake.menus.at(-1)!.map((item) => item.label);
    expect(labels[1]).toMatch(/^⚠ No keyring/);
    expect(fake.notifications[0]!.title).toBe('Credentials are not encrypted by the OS');
  });

  test('a source that starts failing is notified once', () => {
    const child = fake.children[0]!;
    const before = fake.notifications.length;
    const event = (status: string): FromEngine => ({
      type: 'event',
      event: { name: 'source.status', payload: { source: 'prod', status } } as never,
    });
    child.emit('message', event('failing'));
    child.emit('message', event('failing'));
    expect(fake.notifications.slice(before).map((n) => n.title)).toEqual(["Source 'prod' is failing"]);
  });

  test('closing the window leaves the app (and the engine) running in the tray', () => {
    const quits = fake.app.quits;
    fake.app.emit('window-all-closed');
    expect(fake.app.quits).toBe(quits);
    expect(fake.children[0]!.posted).not.toContainEqual({ type: 'stop' });
  });

  test('Quit drains the engine first, then quits', async () => {
    const child = fake.children[0]!;
    fake.app.quit();
    expect((child.posted as ToEngine[]).at(-1)).toEqual({ type: 'stop' });
    await vi.waitFor(() => expect(fake.app.quits).toBe(2));
  });

  test('a second instance (no single-instance lock) quits at once, opening nothing', async () => {
    const quits = fake.app.quits;
    fake.app.lock = false;
    vi.resetModules();
    await import('../../../../electron/shell/main.ts');
    await new Promise((resolve) => setImmediate(resolve));
    expect(fake.app.quits).toBe(quits + 1);
    expect(fake.windows).toHaveLength(1);
    expect(fake.children).toHaveLength(1);
  });
});
