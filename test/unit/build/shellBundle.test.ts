/**
 * The built shell (dist/shell/, bundled by scripts/build.js before the tests): a sandboxed preload can
 * `require` only 'electron', so the preload bundle must be one CommonJS file that needs nothing else; the
 * main bundle is ESM with 'electron' left to Electron.
 */
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { expect, test } from 'vitest';
import { IPC_METHODS } from '../../../electron/shell/ipcMethods.ts';

const dist = path.resolve(import.meta.dirname, '../../../dist');

test('the preload bundle runs with a require that knows only electron, and exposes the allowed methods', () => {
  const code = fs.readFileSync(path.join(dist, 'shell', 'preload.cjs'), 'utf8');
  const required: string[] = [];
  let exposed: Record<string, unknown> | null = null;
  const electron = {
    contextBridge: { exposeInMainWorld: (_key: string, api: Record<string, unknown>) => (exposed = api) },
    ipcRenderer: { invoke: () => Promise.resolve(), on: () => {}, send: () => {}, removeListener: () => {} },
  };
  const sandboxRequire = (name: string) => {
    required.push(name);
    if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
    return electron;
  };
  const module = { exports: {} };
  vm.runInNewContext(code, { require: sandboxRequire, module, exports: module.exports });
  expect(required).toEqual(['electron']);
  expect(Object.keys(exposed!).sort()).toEqual([...IPC_METHODS, 'subscribe'].sort());
});

test('the main bundle imports electron as a module and the engine entry sits beside the workers', () => {
  const main = fs.readFileSync(path.join(dist, 'shell', 'main.js'), 'utf8');
  expect(main).toMatch(/^import \{[^}]*\bapp\b[^}]*\} from "electron";$/m);
  expect(main).not.toMatch(/better-sqlite3/);
  for (const file of ['engineProcess.js', 'writer.worker.js', 'query.worker.js'])
    expect(fs.existsSync(path.join(dist, file)), file).toBe(true);
});
