// Bundles the CLI, the engine's worker threads and the desktop shell (dist/shell/) into dist/ (plain JavaScript: no TypeScript stripping at
// run time, which costs every thread ~13 MB and the CLI ~0.3 s to start), and the web UI into
// dist/renderer/ (Vite) for `serve` and the desktop window. Install scripts are off (see .npmrc), so
// bin/audit-explorer.js builds on first use and again whenever a source file is newer than the bundles;
// the test setup builds once before the tests start.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const ENTRY_POINTS = [
  'electron/cli/main.ts',
  // The engine on its own, for programs that drive it directly (the benchmark, later the Electron shell).
  'electron/agent/service.ts',
  'electron/agent/store/writer.worker.ts',
  'electron/agent/ingest/ingest.worker.ts',
  'electron/agent/export/export.worker.ts',
  'electron/agent/store/query.worker.ts',
  // The engine's host inside the desktop app's utility process (next to the workers it starts).
  'electron/shell/engineProcess.ts',
];

/** Builds what is stale in dist/ (everything with `force`); resolves when done. */
export async function buildDist({ force = false } = {}) {
  if (force || nodeIsStale()) await buildNode();
  if (force || rendererIsStale()) await buildRenderer();
}

/** Builds the UI into dist/renderer/: relative asset paths, no inline script or style (a strict CSP). */
export async function buildRenderer() {
  const { build: viteBuild } = await import('vite');
  const { default: react } = await import('@vitejs/plugin-react');
  const out = path.join(root, 'dist', 'renderer');
  // Built beside the target and swapped in whole, so `serve` never sends half of an old and a new build.
  const staging = `${out}.${process.pid}.tmp`;
  // Always React's production build, whoever builds: Vite takes NODE_ENV as it finds it, and under vitest
  // (NODE_ENV=test) it would bundle the development build, with StrictMode's doubled effects — which
  // `npm start` would then serve to the user, since dist/ is fresh.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await viteBuild({
      configFile: false,
      root: path.join(root, 'renderer'),
      base: './',
      logLevel: 'warn',
      mode: 'production',
      plugins: [react()],
      build: {
        outDir: staging,
        emptyOutDir: true,
        target: 'es2022',
        sourcemap: true,
        // The polyfill is for browsers without modulepreload; Chromium and Electron have it.
        modulePreload: { polyfill: false },
        // Every asset a file of its own: an inlined data: URL would need a looser CSP.
        assetsInlineLimit: 0,
        chunkSizeWarningLimit: 1500,
      },
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  fs.rmSync(out, { recursive: true, force: true });
  try {
    fs.renameSync(staging, out);
  } catch (error) {
    // Another process swapped its identical build in first.
    fs.rmSync(staging, { recursive: true, force: true });
    if (!fs.existsSync(out)) throw error;
  }
}

async function buildNode() {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ENTRY_POINTS,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    outdir: 'dist',
    entryNames: '[name]',
    // Code shared by the entries, and modules loaded with import() (each source kind with its SDK: see
    // sources/openSource.ts), go to chunks of their own beside the entries (flat, so import.meta.url still
    // names dist/), instead of every external package being imported when main.js loads.
    splitting: true,
    chunkNames: 'chunk-[name]-[hash]',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
    write: false,
  });
  // The desktop shell: the main process (ESM, like every bundle here) and the window's preload, which
  // must be one CommonJS file because a sandboxed preload can `require` nothing but 'electron'.
  const shell = await Promise.all(
    [
      { entry: 'electron/shell/main.ts', format: 'esm', out: 'dist/shell/main.js' },
      { entry: 'electron/shell/preload.ts', format: 'cjs', out: 'dist/shell/preload.cjs' },
    ].map(({ entry, format, out }) =>
      build({
        absWorkingDir: root,
        entryPoints: [entry],
        bundle: true,
        platform: 'node',
        format,
        target: 'node22',
        outfile: out,
        external: ['electron'],
        packages: format === 'esm' ? 'external' : undefined,
        sourcemap: 'linked',
        logLevel: 'warning',
        write: false,
      }),
    ),
  );
  // Two processes may build at once (two commands started together on a fresh clone): each file is
  // written whole under a temporary name and renamed, so no process ever loads a half-written bundle.
  const files = [
    ...[result, ...shell].flatMap((r) =>
      r.outputFiles.map((file) => ({ path: file.path, contents: file.contents })),
    ),
    { path: path.join(root, 'dist', 'package.json'), contents: '{"type":"module"}\n' },
  ];
  fs.mkdirSync(path.join(root, 'dist', 'shell'), { recursive: true });
  // main.js last: its time is what distIsStale() compares with the sources.
  files.sort(
    (a, b) => Number(a.path.endsWith(`${path.sep}main.js`)) - Number(b.path.endsWith(`${path.sep}main.js`)),
  );
  for (const file of files) {
    const temporary = `${file.path}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, file.contents);
    fs.renameSync(temporary, file.path);
  }
  // Chunks of earlier builds (their names carry a content hash): nothing imports them any more.
  const written = new Set(files.map((file) => path.basename(file.path)));
  for (const name of fs.readdirSync(path.join(root, 'dist')))
    if (/^chunk-.*\.js(\.map)?$/.test(name) && !written.has(name))
      fs.rmSync(path.join(root, 'dist', name), { force: true });
}

/** True when some source file is newer than the bundles (or there are none). */
export function distIsStale() {
  return nodeIsStale() || rendererIsStale();
}

function nodeIsStale() {
  return isStale(path.join(root, 'dist', 'main.js'), ['electron', 'shared'], /\.ts$/);
}

function rendererIsStale() {
  return isStale(
    path.join(root, 'dist', 'renderer', 'index.html'),
    ['renderer', 'shared'],
    /\.(ts|tsx|css|html)$/,
  );
}

/** Whether `stamp` is missing or older than any file under `dirs` whose name matches `pattern`. */
function isStale(stamp, dirs, pattern) {
  let built;
  try {
    built = fs.statSync(stamp).mtimeMs;
  } catch {
    return true;
  }
  const newer = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (newer(full)) return true;
      } else if (pattern.test(entry.name) && fs.statSync(full).mtimeMs > built) return true;
    }
    return false;
  };
  return dirs.some((dir) => newer(path.join(root, dir)));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildDist({ force: true });
}
