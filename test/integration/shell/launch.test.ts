/**
 * `npm start` and `npm run dist` where no window can open and the Electron binary is absent (these
 * machines): start falls back to serve with one clear line, dist says why it cannot package and stops.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { decideLaunch, findElectron, missingDisplay } from '../../../scripts/launch.js';
import { REPO_ROOT } from '../cli/support.ts';
import { makeTempDir } from '../engine/support.ts';

const START = path.join(REPO_ROOT, 'scripts', 'start.js');
const DIST = path.join(REPO_ROOT, 'scripts', 'dist.js');
/** The environment of a machine without a display (and without a downloaded Electron binary). */
function headless(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir, XDG_CONFIG_HOME: dir };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  delete env.ELECTRON_OVERRIDE_DIST_PATH;
  return env;
}

let child: ChildProcess | null = null;
const dirs: string[] = [];
afterEach(() => {
  if (child !== null && child.exitCode === null) child.kill('SIGKILL');
  child = null;
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('npm start', () => {
  test('the script npm start runs is scripts/start.js', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.start).toBe('node scripts/start.js');
    expect(pkg.main).toBe('dist/shell/main.js');
  });

  test('without a display it serves the web UI: one line says why, stdout starts with the URL', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const proc = spawn(process.execPath, [START, '--db', path.join(dir, 'a.db'), '--port', '0'], {
      env: headless(dir),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let err = '';
    proc.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const first = await new Promise<string>((resolve, reject) => {
      let out = '';
      proc.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const nl = out.indexOf('\n');
        if (nl >= 0) resolve(out.slice(0, nl));
      });
      proc.on('exit', (code) => reject(new Error(`start exited (${code}) before printing a URL: ${err}`)));
    });
    expect(first).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{16,}$/);
    const reply = await fetch(new URL('/api/stats.get', first), {
      method: 'POST',
      headers: { Authorization: `Bearer ${new URL(first).searchParams.get('token')}` },
      body: '{}',
    });
    expect(reply.status).toBe(200);
    expect(err).toMatch(
      /^Audit Explorer: the desktop window cannot open here: no display is available \(DISPLAY and WAYLAND_DISPLAY are unset\).*Serving the web UI instead: open the URL below in a browser\.\n/,
    );
    proc.kill('SIGTERM');
    expect(await new Promise((resolve) => proc.on('exit', resolve))).toBe(0);
  });

  test('the choice: Electron only with a display and the binary, serve otherwise with every reason', () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const fakeRoot = path.join(dir, 'root');
    const pkg = path.join(fakeRoot, 'node_modules', 'electron');
    fs.mkdirSync(path.join(pkg, 'dist'), { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), '{}');
    expect(findElectron(fakeRoot, {}).missing).toMatch(/binary is not installed.*install\.js/);
    fs.writeFileSync(path.join(pkg, 'path.txt'), 'electron');
    expect(findElectron(fakeRoot, {}).missing).toMatch(/binary is not installed/);
    fs.writeFileSync(path.join(pkg, 'dist', 'electron'), '');
    expect(findElectron(fakeRoot, {})).toEqual({ binary: path.join(pkg, 'dist', 'electron') });

    expect(missingDisplay({}, 'linux')).toMatch(/no display/);
    expect(missingDisplay({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBeNull();
    expect(missingDisplay({}, 'darwin')).toBeNull();
    expect(decideLaunch(fakeRoot, { DISPLAY: ':0' }, 'linux')).toEqual({
      mode: 'electron',
      binary: path.join(pkg, 'dist', 'electron'),
    });
    expect(decideLaunch(fakeRoot, {}, 'linux')).toMatchObject({
      mode: 'serve',
      reason: expect.stringMatching(/no display/),
    });
    expect(decideLaunch(path.join(dir, 'none'), { DISPLAY: ':0' }, 'linux')).toMatchObject({
      mode: 'serve',
      reason: expect.stringMatching(/electron package is not installed/),
    });
  });
});

// Where the Electron binary is present, dist would really package (minutes, and downloads): not here.
const binaryPresent = findElectron(REPO_ROOT).missing === undefined;

describe('npm run dist', () => {
  test.skipIf(binaryPresent)(
    binaryPresent
      ? 'says why it cannot build the installer (skipped: the Electron binary is installed, so dist would package)'
      : 'says in one sentence why it cannot build the installer here, and exits 1 without a stack',
    () => {
      const dir = makeTempDir();
      dirs.push(dir);
      const r = spawnSync(process.execPath, [DIST], {
        env: headless(dir),
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /^npm run dist: cannot build the installer on this machine: the Electron binary is not installed .* Run npm run dist on a workstation that can reach GitHub\.\n$/,
      );
      expect(r.stderr).not.toMatch(/\n\s+at /);
    },
  );
});
