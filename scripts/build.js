// Bundles the CLI and the engine's worker threads into dist/ (plain JavaScript: no TypeScript stripping at
// run time, which costs every thread ~13 MB and the CLI ~0.3 s to start). Install scripts are off (see
// .npmrc), so bin/audit-explorer.js builds on first use and again whenever a source file is newer than
// the bundles; the test setup builds once before the tests start.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const ENTRY_POINTS = [
  'electron/cli/main.ts',
  // The engine on its own, for programs that drive it directly (the benchmark, later the Electron shell).
  'electron/agent/service.ts',
  'electron/agent/ingest/writer.worker.ts',
  'electron/agent/ingest/ingest.worker.ts',
  'electron/agent/export/export.worker.ts',
  'electron/agent/store/query.worker.ts',
];

/** Builds dist/; resolves when done. */
export async function buildDist() {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ENTRY_POINTS,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    outdir: 'dist',
    entryNames: '[name]',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
    write: false,
  });
  // Two processes may build at once (two commands started together on a fresh clone): each file is
  // written whole under a temporary name and renamed, so no process ever loads a half-written bundle.
  const files = [
    ...result.outputFiles.map((file) => ({ path: file.path, contents: file.contents })),
    { path: path.join(root, 'dist', 'package.json'), contents: '{"type":"module"}\n' },
  ];
  fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
  // main.js last: its time is what distIsStale() compares with the sources.
  files.sort(
    (a, b) => Number(a.path.endsWith(`${path.sep}main.js`)) - Number(b.path.endsWith(`${path.sep}main.js`)),
  );
  for (const file of files) {
    const temporary = `${file.path}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, file.contents);
    fs.renameSync(temporary, file.path);
  }
}

/** True when some source file is newer than the bundles (or there are none). */
export function distIsStale() {
  let built;
  try {
    built = fs.statSync(path.join(root, 'dist', 'main.js')).mtimeMs;
  } catch {
    return true;
  }
  const newer = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (newer(full)) return true;
      } else if (entry.name.endsWith('.ts') && fs.statSync(full).mtimeMs > built) return true;
    }
    return false;
  };
  return ['electron', 'shared'].some((dir) => newer(path.join(root, dir)));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildDist();
}
