/**
 * Entry of the engine's utility process (`utilityProcess.fork('dist/engineProcess.js', [dbFile])`): wires
 * Electron's parentPort to the engine host. It imports nothing from 'electron': a utility process is Node
 * with a `process.parentPort`.
 */
import type { FromEngine, Port, ToEngine } from './engineProtocol.ts';
import { runEngineHost } from './engineHost.ts';

interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
const dbFile = process.argv[2];
if (parentPort === undefined || dbFile === undefined) {
  process.stderr.write(
    'engineProcess: run me with utilityProcess.fork(file, [dbFile]) from the desktop app.\n',
  );
  process.exitCode = 2;
} else {
  const port: Port<ToEngine, FromEngine> = {
    post: (message) => parentPort.postMessage(message),
    onMessage: (listener) => parentPort.on('message', (event) => listener(event.data as ToEngine)),
  };
  const host = await runEngineHost(port, { dbFile });
  if (host === null) process.exit(1);
  await host.stopped;
  process.exit(0);
}
