import path from 'node:path';

/**
 * The desktop's database: `--db FILE` on the command line (`npm start -- --db FILE`, as for `serve`), else
 * $AUDIT_EXPLORER_DB, else `audit-explorer.db` in Electron's userData — the same folder the CLI uses by
 * default, so both see one index.
 */
export function desktopDbFile(argv: readonly string[], env: NodeJS.ProcessEnv, userData: string): string {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--db' && argv[i + 1]) return path.resolve(argv[i + 1]!);
    if (arg.startsWith('--db=') && arg.length > 5) return path.resolve(arg.slice(5));
  }
  return env.AUDIT_EXPLORER_DB || path.join(userData, 'audit-explorer.db');
}
