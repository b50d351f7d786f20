/**
 * `exports.save`, the desktop's way to get an export out of the app's exports folder: the main process asks
 * where with the native save dialog and copies the file there. The page names only an export (a name the
 * engine gave, checked against the one pattern), never a path: the path is what the user picked. Plain
 * Node, so it is tested without Electron; main.ts hands it `dialog.showSaveDialog`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { EXPORT_NAME_PATTERN, type MethodName, type Result } from '../../shared/contract.ts';
import type { EngineCall } from './ipcDoor.ts';

/** What the save dialog needs (Electron's `dialog.showSaveDialog` options, the part used here). */
export interface SaveDialogRequest {
  title: string;
  defaultPath: string;
  buttonLabel: string;
  filters: { name: string; extensions: string[] }[];
}
/** Shows the dialog; resolves with the chosen path, or null when the user cancelled. */
export type AskSavePath = (request: SaveDialogRequest) => Promise<string | null>;

const KINDS: Record<string, string> = {
  zip: 'Evidence bundle',
  ndjson: 'NDJSON',
  csv: 'CSV',
  html: 'HTML report',
};

/**
 * Answers `exports.save {name}` (input already validated by the door): asks for a target starting in
 * `defaultFolder` (the user's Downloads), copies the export there, streamed, through a temporary name so
 * the target is complete or absent.
 */
export async function saveExport(
  exportsDir: string,
  name: string,
  ask: AskSavePath,
  defaultFolder: string,
): Promise<Result<{ saved: boolean; path: string | null }>> {
  if (!EXPORT_NAME_PATTERN.test(name))
    return { ok: false, error: { code: 'not_found', message: `There is no export named ${name}.` } };
  const source = path.join(exportsDir, name);
  const stat = fs.lstatSync(source, { throwIfNoEntry: false });
  if (stat === undefined || !stat.isFile())
    return {
      ok: false,
      error: { code: 'not_found', message: `There is no export named ${name}: export again.` },
    };
  const ext = path.extname(name).slice(1);
  const target = await ask({
    title: 'Save the export',
    defaultPath: path.join(defaultFolder, name),
    buttonLabel: 'Save',
    filters: [{ name: KINDS[ext] ?? ext, extensions: [ext] }],
  });
  if (target === null) return { ok: true, value: { saved: false, path: null } };
  const partial = `${target}.partial-${crypto.randomBytes(4).toString('hex')}`;
  try {
    await pipeline(fs.createReadStream(source), fs.createWriteStream(partial, { flags: 'wx' }));
    // The dialog already asked the user whether to replace an existing file.
    fs.renameSync(partial, target);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    return {
      ok: false,
      error: {
        code: 'internal',
        message: `Could not save to ${target}: ${(error as Error).message}. Choose another place.`,
      },
    };
  }
  return { ok: true, value: { saved: true, path: target } };
}

/**
 * The engine call the IPC door uses in the desktop: `exports.save` answered here (the dialog lives in the
 * main process), everything else passed to the engine.
 */
export function withExportSave(
  engine: EngineCall,
  exportsDir: string,
  ask: AskSavePath,
  defaultFolder: () => string,
): EngineCall {
  return (method: MethodName, input: unknown, supersede?: string) => {
    if (method !== 'exports.save') return engine(method, input, supersede);
    return saveExport(exportsDir, (input as { name: string }).name, ask, defaultFolder());
  };
}
