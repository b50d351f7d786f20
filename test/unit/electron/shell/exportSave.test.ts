/**
 * The desktop's `exports.save` without Electron: through the IPC door as the window calls it, with a fake
 * save dialog. The page names an export, never a path; the file lands where the user chose.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { MethodName, Result } from '../../../../shared/contract.ts';
import { APP_ENTRY } from '../../../../electron/shell/appProtocol.ts';
import { withExportSave, type SaveDialogRequest } from '../../../../electron/shell/exportSave.ts';
import { createIpcDoor } from '../../../../electron/shell/ipcDoor.ts';
import { IPC_DOOR } from '../../../../electron/shell/ipcMethods.ts';

const NAME = 'audit-export-20260307T140211Z-user-alice.zip';
let dir: string;
let exportsDir: string;
let downloads: string;
let asked: SaveDialogRequest[];
let answer: string | null;
let engineCalls: MethodName[];

const door = () =>
  createIpcDoor(
    withExportSave(
      async (method) => {
        engineCalls.push(method);
        return { ok: true, value: 'engine' } as Result<unknown>;
      },
      exportsDir,
      async (request) => {
        asked.push(request);
        return answer;
      },
      () => downloads,
    ),
  );

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'h-exportui-save-'));
  exportsDir = path.join(dir, 'exports');
  downloads = path.join(dir, 'Downloads');
  fs.mkdirSync(exportsDir);
  fs.mkdirSync(downloads);
  fs.writeFileSync(path.join(exportsDir, NAME), Buffer.from('PK\u0003\u0004 bundle bytes'));
  asked = [];
  answer = null;
  engineCalls = [];
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('exports.save (desktop)', () => {
  test('is offered to the window; exports.download (an HTTP link) and export.run (any path) are not', () => {
    expect(IPC_DOOR['exports.save']).toBe(true);
    expect(IPC_DOOR['exports.create']).toBe(true);
    expect(IPC_DOOR['exports.download']).toBe(false);
    expect(IPC_DOOR['export.run']).toBe(false);
  });

  test('asks with the save dialog (Downloads, the export name, its kind) and copies the file there', async () => {
    const target = path.join(dir, 'chosen', 'case-42.zip');
    fs.mkdirSync(path.dirname(target));
    answer = target;
    const result = await door().call(APP_ENTRY, 'exports.save', { name: NAME });
    expect(result).toEqual({ ok: true, value: { saved: true, path: target } });
    expect(asked).toEqual([
      {
        title: 'Save the export',
        defaultPath: path.join(downloads, NAME),
        buttonLabel: 'Save',
        filters: [{ name: 'Evidence bundle', extensions: ['zip'] }],
      },
    ]);
    expect(fs.readFileSync(target)).toEqual(fs.readFileSync(path.join(exportsDir, NAME)));
    // Nothing half-written is left beside it, and the engine was not asked.
    expect(fs.readdirSync(path.dirname(target))).toEqual(['case-42.zip']);
    expect(engineCalls).toEqual([]);
  });

  test('cancelling the dialog saves nothing', async () => {
    answer = null;
    const result = await door().call(APP_ENTRY, 'exports.save', { name: NAME });
    expect(result).toEqual({ ok: true, value: { saved: false, path: null } });
    expect(fs.readdirSync(downloads)).toEqual([]);
  });

  test('a path instead of a name is refused before any dialog opens; a missing export is not_found', async () => {
    for (const name of ['../secrets.json', '/etc/passwd', `${NAME}/../../x`]) {
      const result = await door().call(APP_ENTRY, 'exports.save', { name });
      expect(result).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    }
    const missing = await door().call(APP_ENTRY, 'exports.save', {
      name: 'audit-export-20260307T140211Z-gone.csv',
    });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // A link planted under an export's name is not followed.
    const planted = 'audit-export-20260307T140211Z-planted.csv';
    fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(exportsDir, planted));
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'secret');
    expect(await door().call(APP_ENTRY, 'exports.save', { name: planted })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(asked).toEqual([]);
  });

  test('every other method goes to the engine', async () => {
    expect(await door().call(APP_ENTRY, 'exports.list', {})).toEqual({ ok: true, value: 'engine' });
    expect(engineCalls).toEqual(['exports.list']);
  });
});
