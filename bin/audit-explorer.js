#!/usr/bin/env node
// The `audit-explorer` command. Runs the bundle in dist/ (built on install, rebuilt here when a source
// file changed since); without esbuild it runs the TypeScript sources through Node 24's type stripping.
// On an older Node it re-runs itself on the Node 24 that `npm install` put in .tools/.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const { REQUIRED_MAJOR, currentMajor, provision } = createRequire(import.meta.url)('../scripts/node24.cjs');

const args = process.argv.slice(2);
// glibc gives every thread that allocates its own malloc arena, and an import runs three (parse, write,
// main): their free lists alone added ~25 MB to the peak of a 1M-event import. Two arenas are enough.
const wantsArenas = process.platform === 'linux' && args.includes('ingest') && !process.env.MALLOC_ARENA_MAX;

if (currentMajor() < REQUIRED_MAJOR || wantsArenas) {
  const node = currentMajor() < REQUIRED_MAJOR ? provision() : process.execPath;
  const env = wantsArenas ? { ...process.env, MALLOC_ARENA_MAX: '2' } : process.env;
  const result = spawnSync(node, [process.argv[1], ...args], { stdio: 'inherit', env });
  process.exit(result.status ?? 1);
} else {
  const { main } = await loadCli();
  process.exitCode = await main(args);
}

async function loadCli() {
  try {
    const { buildDist, distIsStale } = await import('../scripts/build.js');
    if (distIsStale()) await buildDist();
    return await import('../dist/main.js');
  } catch (error) {
    // esbuild missing (a production install) or the build failed: the sources run as they are.
    if (process.env.AUDIT_EXPLORER_DEBUG) process.stderr.write(`audit-explorer: running from source (${error})\n`);
    return import('../electron/cli/main.ts');
  }
}
