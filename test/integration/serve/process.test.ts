// `audit-explorer serve` as the real binary: the URL with its token is the first line of stdout, it binds
// loopback, and SIGTERM stops it cleanly.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { BIN } from '../cli/support.ts';
import { makeTempDir } from '../engine/support.ts';
import { send } from './support.ts';

let child: ChildProcess | null = null;
let dir: string | null = null;
afterEach(() => {
  if (child !== null && child.exitCode === null) child.kill('SIGKILL');
  child = null;
  if (dir !== null) fs.rmSync(dir, { recursive: true, force: true });
  dir = null;
});

/** Starts serve and resolves with its first stdout line; stderr is collected. */
function startServe(args: string[]): Promise<{
  first: string;
  stderrMatches: (re: RegExp) => Promise<string>;
  exited: Promise<number | null>;
}> {
  dir = makeTempDir();
  const proc = spawn(process.execPath, [BIN, 'serve', '--db', path.join(dir, 'audit.sqlite'), ...args], {
    env: { ...process.env, HOME: dir, XDG_CONFIG_HOME: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let err = '';
  const waiting: (() => void)[] = [];
  proc.stderr!.on('data', (c: Buffer) => {
    err += c.toString();
    for (const w of waiting.splice(0)) w();
  });
  // stdout and stderr are separate pipes: what was written to stderr first may be read after stdout.
  const stderrMatches = (re: RegExp): Promise<string> =>
    re.test(err) ? Promise.resolve(err) : new Promise((r) => waiting.push(() => r(stderrMatches(re))));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const end = out.indexOf('\n');
      if (end !== -1) resolve({ first: out.slice(0, end), stderrMatches, exited });
    });
    proc.on('exit', (code) => reject(new Error(`serve exited (${code}) before printing its URL: ${err}`)));
  });
}

test('prints http://127.0.0.1:PORT/?token=TOKEN first, binds loopback, answers with the token, stops on SIGTERM', async () => {
  const { first, stderrMatches, exited } = await startServe(['--port', '0']);
  const match = /^http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]{32})$/.exec(first);
  expect(match, first).not.toBeNull();
  const port = Number(match![1]);
  const token = match![2]!;
  // The empty database got the sample corpus, like `start`.
  await stderrMatches(/loaded the bundled sample corpus/);
  const headers = { host: `127.0.0.1:${port}`, authorization: `Bearer ${token}` };
  const stats = await send(port, { method: 'POST', path: '/api/stats.get', headers, body: '{}' });
  expect(stats.json).toMatchObject({ ok: true, value: { sources: 1 } });
  expect(
    (await send(port, { method: 'POST', path: '/api/stats.get', headers: { host: headers.host } })).status,
  ).toBe(401);
  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a !== undefined && !a.internal && a.family === 'IPv4');
  if (external !== undefined) {
    await expect(send(port, { path: '/' }, external.address)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  }
  child!.kill('SIGTERM');
  expect(await exited).toBe(0);
});

test('--host other than loopback warns on stderr that the API is reachable from the network', async () => {
  const { first, stderrMatches } = await startServe(['--port', '0', '--host', '0.0.0.0']);
  expect(first).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
  expect(await stderrMatches(/reachable from the network/)).toMatch(/--host|0\.0\.0\.0/);
});

test('a short --token is a usage error', async () => {
  dir = makeTempDir();
  const proc = spawn(
    process.execPath,
    [BIN, 'serve', '--db', path.join(dir, 'a.sqlite'), '--port', '0', '--token', 'short'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child = proc;
  let err = '';
  proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((resolve) => proc.on('exit', resolve));
  expect(code).toBe(2);
  expect(err).toMatch(/at least 16 characters/);
});
