#!/usr/bin/env node
// The `audit-explorer` command. The CLI is TypeScript run by Node 24's type stripping (no build step);
// on an older Node this re-runs itself on the Node 24 that `npm install` put in .tools/.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const { REQUIRED_MAJOR, currentMajor, provision } = createRequire(import.meta.url)('../scripts/node24.cjs');

if (currentMajor() < REQUIRED_MAJOR) {
  const node = provision();
  const result = spawnSync(node, [process.argv[1], ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
} else {
  const { main } = await import('../electron/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
}
