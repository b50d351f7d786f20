/**
 * Azurite's blob service for tests: a child process from the project's own devDependency (pinned to
 * 3.35.0, DESIGN §10), in memory, on a free loopback port, stopped by its pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  /** The blob endpoint with the account: `http://127.0.0.1:PORT/devstoreaccount1`. */
  readonly blobEndpoint: string;
  readonly connectionString: string;
  /** The server's process (a benchmark counts its CPU time apart from the client's). */
  readonly pid: number;
  stop(): Promise<void>;
}

export async function startAzurite(): Promise<Azurite> {
  const require = createRequire(import.meta.url);
  const main = path.join(path.dirname(require.resolve('azurite/package.json')), 'dist/src/blob/main.js');
  // In memory (azurite refuses --location with it); run it in a temp dir of its own in case it writes a file.
  const location = fs.mkdtempSync(path.join(os.tmpdir(), 'ae-azurite-'));
  const child = spawn(
    process.execPath,
    [
      main,
      '--silent',
      '--inMemoryPersistence',
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      '0',
      // storage-blob sends a newer API version than azurite 3.35 knows: without this every call is 400.
      '--skipApiVersionCheck',
      '--disableTelemetry',
    ],
    { cwd: location, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`azurite did not start within 30 s:\n${output}`)), 30_000);
    const onExit = (code: number | null) => fail(new Error(`azurite exited with ${code}:\n${output}`));
    const done = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', fail);
    };
    function fail(error: Error) {
      done();
      child.kill();
      reject(error);
    }
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (m) {
        done();
        resolve(Number(m[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', onExit);
    child.once('error', fail);
  });
  child.stdout?.resume();
  child.stderr?.resume();
  const blobEndpoint = `http://127.0.0.1:${port}/${DEV_ACCOUNT}`;
  return {
    blobEndpoint,
    pid: child.pid!,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};BlobEndpoint=${blobEndpoint};`,
    stop: () => stop(child, location),
  };
}

async function stop(child: ChildProcess, location: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
  fs.rmSync(location, { recursive: true, force: true });
}
