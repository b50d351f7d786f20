#!/usr/bin/env node
// The `audit-explorer` command. Runs the bundle in dist/ (built on install, rebuilt here when a source
// file changed since); without esbuild it runs the TypeScript sources through Node 24's type stripping.
// On an older Node it re-runs itself on the Node 24 that `npm install` put in .tools/.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const { REQUIRED_MAJOR, currentMajor, provision } = createRequire(import.meta.url)('../scripts/node24.cjs');

if (currentMajor() < REQUIRED_MAJOR) {
  const node = provision();
  const result = spawnSync(node, [process.argv[1], ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
} else {
  const { main } = await loadCli();
  process.exitCode = await main(process.argv.slice(2));
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
