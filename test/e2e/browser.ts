/**
 * Chromium and `serve` for anything that drives the UI in a browser: the e2e tests and the benchmark's UI
 * section. Nothing here imports vitest, so a plain Node process (a benchmark child) can use it too.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

/** The repository root (the binary runs from here). */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
/** The real entry point. */
export const BIN = path.join(REPO_ROOT, 'bin', 'audit-explorer.js');
/** Debian's Chromium (`apt-get install chromium`); never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];
/**
 * How long a step waits for the page (an element, a navigation) before it fails. A passing step returns
 * as soon as the page is ready; the margin is for CI's 2 cores, where the suite's other test process can
 * hold both for seconds (a 10 s wait for a connection test's answer timed out once there). Still well
 * within a test's 30 s, so the stuck step is the one named.
 */
export const UI_WAIT_MS = 20_000;

export const SCREENSHOTS = path.join(REPO_ROOT, 'test-results', 'screenshots');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface ServeProcess {
  /** The first line `serve` printed: its URL with the token. */
  url: string;
  token: string;
  /** The `serve` process's id (to read its /proc entries). */
  pid: number;
  /** SIGTERM, then waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts the real `audit-explorer serve --port 0` on a database; resolves once it printed its URL. */
export async function startServe(db: string, token: string): Promise<ServeProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [BIN, '--db', db, 'serve', '--port', '0', '--token', token],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, AUDIT_EXPLORER_DEBUG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve(line.trim()));
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    token,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
