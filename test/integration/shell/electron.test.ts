/**
 * The real desktop app, where the Electron binary and a display exist (a workstation, a CI job with xvfb):
 * it starts, loads our page from app://, the page sees exactly the bridge and no Node, and a call crosses
 * IPC to the engine's utility process. Skipped here: npm does not download the Electron binary on these
 * machines (install scripts are off, and GitHub is not reachable).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { findElectron, missingDisplay } from '../../../scripts/launch.js';
import { IPC_METHODS } from '../../../electron/shell/ipcMethods.ts';
import { REPO_ROOT } from '../cli/support.ts';
import { makeTempDir } from '../engine/support.ts';

const electron = findElectron(REPO_ROOT);
const display = missingDisplay();
const why = electron.missing ?? display;
const electronBinaryAvailable = why === null;

test.skipIf(!electronBinaryAvailable)(
  electronBinaryAvailable
    ? 'the desktop app opens its window and answers over IPC from a sandboxed page'
    : `the desktop app opens its window (skipped: ${why})`,
  async () => {
    const dir = makeTempDir();
    try {
      const proc = spawn(electron.binary!, [REPO_ROOT], {
        env: {
          ...process.env,
          AUDIT_EXPLORER_SMOKE: '1',
          AUDIT_EXPLORER_DB: path.join(dir, 'a.db'),
          HOME: dir,
          XDG_CONFIG_HOME: dir,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        proc.stdout!.on('data', (c: Buffer) => {
          out += c.toString();
          const match = /^SMOKE (.*)$/m.exec(out);
          if (match) resolve(match[1]!);
        });
        proc.on('exit', (code) => reject(new Error(`electron exited (${code}) before reporting`)));
      });
      const report = JSON.parse(line);
      expect(report.origin).toBe('app://audit-explorer');
      expect(report.bridge).toEqual([...IPC_METHODS, 'subscribe'].sort());
      expect(report.require).toBe('undefined');
      expect(report.process).toBe('undefined');
      expect(report.stats).toMatchObject({ ok: true, value: { events: 0 } });
      await new Promise((resolve) => proc.on('exit', resolve));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
  60_000,
);
