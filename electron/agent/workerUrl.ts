/**
 * The URL of a worker script that sits next to the calling module: `name.ts` when running from source
 * (Node's type stripping, vitest), `name.js` when running from the bundles in dist/ (which are flat, so the
 * workers sit next to the bundle that starts them). Pass the caller's `import.meta.url`.
 *
 * With AUDIT_EXPLORER_WORKERS=dist, code running from source starts the built workers in dist/ instead. The
 * test suite sets it (vitest.config.ts; its global setup rebuilds dist/ first when a source is newer):
 * Node strips a `.ts` worker's types with a WebAssembly compiler in every new thread, and Node 24's V8 now
 * and then aborts a process where threads come and go while that code is freed (a failed
 * `jit_page.has_value()` CHECK in ThreadIsolation::UnregisterWasmAllocation, from a core dump of a test
 * process). The bundles need no stripping, so no WebAssembly runs in the engine's threads.
 */
export function workerUrl(name: string, callerUrl: string): URL {
  if (!callerUrl.endsWith('.ts')) return new URL(`./${name}.js`, callerUrl);
  if (process.env.AUDIT_EXPLORER_WORKERS === 'dist') return new URL(`../../dist/${name}.js`, import.meta.url);
  return new URL(`./${name}.ts`, callerUrl);
}
