#!/usr/bin/env node
// The `audit-explorer` command. Runs the bundle in dist/ (built on install, rebuilt here when a source
// file changed since); without esbuild it runs the TypeScript sources through Node 24's type stripping.
// On an older Node it re-runs itself on the Node 24 that `npm install` put in .tools/.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const { REQUIRED_MAJOR, currentMajor, provision } = createRequire(import.meta.url)('../scripts/node24.cjs');

const args = process.argv.slice(2);
// glibc malloc tuning for an import (three threads: parse, write, main). Every thread that allocates gets
// its own arena, whose free lists added ~25 MB to the peak of a 1M-event import: two arenas are enough.
// Large buffers (compressed blocks, blobs, zstd contexts) freed across threads fragmented the heap, and
// RSS crept up ~0.7 MB/s over a 10M-event import: from 1 MB up they are mapped and returned on free.
const MALLOC_TUNING = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '1048576' };
const wantsArenas = process.platform === 'linux' && args.includes('ingest') && !process.env.MALLOC_ARENA_MAX;

if (currentMajor() < REQUIRED_MAJOR || wantsArenas) {
  const node = currentMajor() < REQUIRED_MAJOR ? provision() : process.execPath;
  const env = wantsArenas ? { ...process.env, ...MALLOC_TUNING } : process.env;
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
    if (process.env.AUDIT_EXPLORER_DEBUG)
      process.stderr.write(`audit-explorer: running from source (${error})\n`);
    return import('../electron/cli/main.ts');
  }
}
