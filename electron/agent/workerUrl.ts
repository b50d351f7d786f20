/**
 * The URL of a worker script that sits next to the calling module: `name.ts` when running from source
 * (Node's type stripping, vitest), `name.js` when running from the bundles in dist/ (which are flat, so the
 * workers sit next to the bundle that starts them). Pass the caller's `import.meta.url`.
 */
export function workerUrl(name: string, callerUrl: string): URL {
  return new URL(`./${name}${callerUrl.endsWith('.ts') ? '.ts' : '.js'}`, callerUrl);
}
