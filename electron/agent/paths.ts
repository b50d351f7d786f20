import os from 'node:os';
import path from 'node:path';

/** The product's name as the OS shows it; Electron derives its userData folder from the same name. */
export const PRODUCT_NAME = 'Audit Explorer';

/**
 * The OS data folder Audit Explorer keeps its database in — the same folder Electron's
 * `app.getPath('userData')` gives the desktop app, so the CLI and the app share one index by default.
 */
export function dataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32')
    return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', PRODUCT_NAME);
  return path.join(env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), PRODUCT_NAME);
}

/** The database file: `--db`, else $AUDIT_EXPLORER_DB, else `audit-explorer.db` in the data folder. */
export function defaultDbFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.AUDIT_EXPLORER_DB || path.join(dataDir(env), 'audit-explorer.db');
}
