/**
 * The desktop app's main process: lifecycle, the window, the tray and the engine's utility process. It
 * stays thin: every decision is a plain function in a sibling module (appProtocol, ipcDoor, windowState,
 * trayMenu, sourceHealth, safeStorageSecretStore) that the tests check without Electron.
 *
 * Security (Electron's checklist, DESIGN §9): pages come from our own `app://` protocol with a strict CSP,
 * never `file://` or remote content; contextIsolation, sandbox and webSecurity on, nodeIntegration off, no
 * webview; navigation and new windows denied (only `https:` links leave, to the default browser); every
 * permission request denied; IPC answers our own page only and validates every input; fuses are set at
 * packaging (scripts/afterPack.cjs).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  Notification,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  Tray,
  utilityProcess,
  type MenuItemConstructorOptions,
  type WebContents,
} from 'electron';
import { CSP } from '../../shared/csp.ts';
import { PRODUCT_NAME } from '../agent/paths.ts';
import type { SecretStore } from '../agent/sources/secrets/secretStore.ts';
import {
  allowPermission,
  APP_CONTENT_TYPES,
  APP_ENTRY,
  APP_SCHEME,
  isExternalLink,
  isOwnPage,
  resolveAppFile,
} from './appProtocol.ts';
import { desktopDbFile } from './dbFile.ts';
import { createEngineClient, type EngineClient } from './engineClient.ts';
import type { FromEngine, ToEngine } from './engineProtocol.ts';
import { registerIpc } from './ipc.ts';
import { createIpcDoor } from './ipcDoor.ts';
import { withExportSave } from './exportSave.ts';
import { exportsDirFor } from '../agent/export/exportsFolder.ts';
import { SafeStorageSecretStore, storageWarning } from './safeStorageSecretStore.ts';
import type { AgentState } from './engineProtocol.ts';
import { agentHealth, createHealthWatch } from './sourceHealth.ts';
import { agentStatus, trayMenuModel, type TrayAction, type TrayItem } from './trayMenu.ts';
import { fitToDisplays, readWindowState, stateFrom, writeWindowState } from './windowState.ts';

/** dist/shell/ (this bundle), dist/ (the engine bundles) and dist/renderer/ (the UI). */
const SHELL_DIR = path.dirname(fileURLToPath(import.meta.url));
const DIST_DIR = path.dirname(SHELL_DIR);
const RENDERER_DIR = path.join(DIST_DIR, 'renderer');
/** How long Quit waits for the engine to finish writes and close the database (ms). */
const STOP_TIMEOUT_MS = 15_000;

// userData follows the product name (~/.config/Audit Explorer), the folder the CLI uses by default too.
app.setName(PRODUCT_NAME);
// Privileged before `ready`: a standard, secure scheme gets an origin and module scripts like https.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

if (!app.requestSingleInstanceLock()) {
  // Another Audit Explorer owns the database; it shows its window (second-instance below).
  app.quit();
} else {
  let window: BrowserWindow | null = null;
  let tray: Tray | null = null;
  let engine: EngineClient | null = null;
  let quitting = false;
  let status = 'starting…';
  let paused = false;
  let agent: AgentState | null = null;
  let warning: string | null = null;
  const stateFile = () => path.join(app.getPath('userData'), 'window-state.json');

  app.on('second-instance', () => showWindow());
  // macOS: clicking the Dock icon with no window open opens one.
  app.on('activate', () => {
    if (engine !== null) showWindow();
  });

  // Every web contents, now and later: no navigation away, no new windows, no webviews.
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isOwnPage(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isOwnPage(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Links to the web open in the default browser; anything else (file:, javascript:, app:) nowhere.
      if (isExternalLink(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });

  app.on('before-quit', (event) => {
    if (quitting || engine === null) return;
    // Drain the engine (writes in flight, checkpoint) before the process ends.
    event.preventDefault();
    quitting = true;
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS).unref());
    void Promise.race([engine.stop(), timeout]).finally(() => app.quit());
  });

  // The window closing leaves the agent running in the tray; Quit (tray or app menu) ends it.
  app.on('window-all-closed', () => {
    if (tray === null) app.quit();
  });

  void app.whenReady().then(start);

  async function start(): Promise<void> {
    lockDownSession();
    serveAppProtocol();
    const userData = app.getPath('userData');
    const dbFile = desktopDbFile(process.argv, process.env, userData);
    // Credentials live in the main process, the only one that can use safeStorage; the engine asks for
    // them through its port (the sync API, with the sources screen, is their first user).
    const secrets = new SafeStorageSecretStore(path.join(userData, 'secrets.json'), safeStorage);
    engine = startEngine(dbFile, secrets);
    const client = engine;
    const door = createIpcDoor(
      withExportSave(
        (method, input, supersede) => client.call(method, input, supersede),
        // The engine's exports folder (service.ts: exportsDirFor beside the database).
        exportsDirFor(dbFile),
        async (request) => {
          const owner = BrowserWindow.getFocusedWindow();
          const answer = owner
            ? await dialog.showSaveDialog(owner, request)
            : await dialog.showSaveDialog(request);
          return answer.canceled || !answer.filePath ? null : answer.filePath;
        },
        () => app.getPath('downloads'),
      ),
    );
    registerIpc(ipcMain, door, (listener) => client.subscribe(listener));

    warning = storageWarning(safeStorage);
    if (warning !== null) {
      process.stderr.write(`Audit Explorer: ${warning}\n`);
      notify('Credentials are not encrypted by the OS', warning);
    }

    const health = createHealthWatch();
    client.subscribe((event) => {
      const notice = health.next(event);
      if (notice !== null) notify(notice.title, notice.body);
      if (event.name === 'events.changed') setStatus(`${event.payload.total.toLocaleString('en-US')} events`);
    });
    // The agent (the schedules in the engine process): syncing / failing / paused in the tray, and a
    // notification when a source starts failing or recovers.
    let failing = new Set<string>();
    client.onAgent((state) => {
      agent = state;
      paused = state.paused;
      const seen = agentHealth(state, failing);
      failing = seen.failing;
      for (const event of seen.events) {
        const notice = health.next(event);
        if (notice !== null) notify(notice.title, notice.body);
      }
      renderTray();
    });
    createTray();
    showWindow();
    try {
      await client.ready;
      const stats = await client.call('stats.get', {});
      setStatus(
        stats.ok ? `${(stats.value as { events: number }).events.toLocaleString('en-US')} events` : 'running',
      );
    } catch (error) {
      setStatus(`stopped: ${(error as Error).message}`);
    }
  }

  function startEngine(dbFile: string, secrets: SecretStore): EngineClient {
    const child = utilityProcess.fork(path.join(DIST_DIR, 'engineProcess.js'), [dbFile], {
      serviceName: `${PRODUCT_NAME} engine`,
      stdio: 'inherit',
    });
    const client = createEngineClient(
      {
        post: (message: ToEngine) => child.postMessage(message),
        onMessage: (listener) => child.on('message', (message: FromEngine) => listener(message)),
      },
      secrets,
    );
    child.on('exit', (code) => {
      client.exited(`the engine process exited with code ${code}`);
      if (!quitting) setStatus(`stopped (exit code ${code})`);
    });
    return client;
  }

  function lockDownSession(): void {
    const ses = session.defaultSession;
    // No page of ours needs the camera, notifications from the page, geolocation…: every request is
    // refused but a clipboard write from our own page (allowPermission says which).
    ses.setPermissionRequestHandler((contents, permission, callback, details) =>
      callback(allowPermission(permission, details.requestingUrl ?? contents?.getURL())),
    );
    ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
      allowPermission(permission, requestingOrigin),
    );
  }

  /** app://audit-explorer/… → the built renderer, with the same CSP `serve` sends. */
  function serveAppProtocol(): void {
    protocol.handle(APP_SCHEME, async (request) => {
      const file = resolveAppFile(RENDERER_DIR, request.url);
      const headers = {
        'Content-Security-Policy': CSP,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      };
      if (file === null) return new Response('Not found.\n', { status: 404, headers });
      try {
        const body = await fs.promises.readFile(file);
        const type = APP_CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
        return new Response(body, { status: 200, headers: { ...headers, 'Content-Type': type } });
      } catch {
        return new Response('Not found.\n', { status: 404, headers });
      }
    });
  }

  function showWindow(): void {
    if (window !== null) {
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
      return;
    }
    const saved = readWindowState(stateFile());
    const bounds = fitToDisplays(
      saved,
      screen.getAllDisplays().map((d) => d.workArea),
    );
    const created = new BrowserWindow({
      ...bounds,
      minWidth: 800,
      minHeight: 560,
      show: false,
      title: PRODUCT_NAME,
      icon: iconImage(),
      webPreferences: {
        preload: path.join(SHELL_DIR, 'preload.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        spellcheck: false,
      },
    });
    window = created;
    if (saved.maximized) created.maximize();
    created.once('ready-to-show', () => created.show());
    created.on('close', () => {
      writeWindowState(stateFile(), stateFrom(created.getNormalBounds(), created.isMaximized()));
    });
    created.on('closed', () => {
      window = null;
    });
    if (process.env.AUDIT_EXPLORER_SMOKE === '1') smokeTest(created);
    void created.loadURL(APP_ENTRY);
  }

  /**
   * For the test that launches the real binary (test/integration/shell/electron.test.ts): once the page
   * has loaded, report what it can reach — the bridge's keys, a call through it, whether Node leaked in —
   * on stdout, then quit.
   */
  function smokeTest(target: BrowserWindow): void {
    target.webContents.once('did-finish-load', () => {
      void target.webContents
        .executeJavaScript(
          `(async () => { const b = window.auditExplorer; const stats = await b['stats.get']({});` +
            ` return JSON.stringify({ bridge: Object.keys(b).sort(), stats, require: typeof require,` +
            ` process: typeof process, origin: location.origin }); })()`,
        )
        .then(
          (report: string) => process.stdout.write(`SMOKE ${report}\n`),
          (error: Error) => process.stdout.write(`SMOKE ${JSON.stringify({ error: error.message })}\n`),
        )
        .finally(() => app.quit());
    });
  }

  function createTray(): void {
    try {
      tray = new Tray(iconImage().resize({ width: 22, height: 22 }));
    } catch {
      // No system tray on this desktop: closing the window then quits (window-all-closed).
      tray = null;
      return;
    }
    tray.setToolTip(PRODUCT_NAME);
    tray.on('click', () => showWindow());
    renderTray();
  }

  function renderTray(): void {
    if (tray === null) return;
    const loginItemSupported = process.platform === 'darwin' || process.platform === 'win32';
    const shown = agentStatus(agent, status);
    tray.setToolTip(`${PRODUCT_NAME} — ${shown}`);
    const model = trayMenuModel({
      status: shown,
      warning,
      paused,
      openAtLogin: loginItemSupported && app.getLoginItemSettings().openAtLogin,
      loginItemSupported,
    });
    tray.setContextMenu(Menu.buildFromTemplate(model.map(toMenuItem)));
  }

  function toMenuItem(item: TrayItem): MenuItemConstructorOptions {
    switch (item.kind) {
      case 'label':
        return { label: item.label, enabled: false };
      case 'separator':
        return { type: 'separator' };
      case 'action':
        return {
          label: item.label,
          enabled: item.enabled,
          ...(item.checked !== undefined ? { type: 'checkbox' as const, checked: item.checked } : {}),
          click: () => act(item.action),
        };
    }
  }

  function act(action: TrayAction): void {
    switch (action) {
      case 'open':
        showWindow();
        break;
      case 'syncNow':
        // Through the scheduler's run-now: a source already syncing on its schedule is joined, not doubled.
        engine?.syncNow();
        break;
      case 'pause':
      case 'resume':
        paused = action === 'pause';
        engine?.pause(paused);
        break;
      case 'toggleLoginItem':
        app.setLoginItemSettings({ openAtLogin: !app.getLoginItemSettings().openAtLogin });
        break;
      case 'quit':
        app.quit();
        break;
    }
    renderTray();
  }

  function setStatus(text: string): void {
    status = text;
    renderTray();
  }

  function notify(title: string, body: string): void {
    if (Notification.isSupported()) new Notification({ title, body }).show();
  }

  function iconImage(): Electron.NativeImage {
    return nativeImage.createFromPath(path.join(RENDERER_DIR, 'app-icon.png'));
  }
}
