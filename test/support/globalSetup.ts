/**
 * Runs once before the tests: bundles dist/ so that the tests that start the real `bin/audit-explorer.js`
 * find it ready (install scripts are off, so nothing else has built it on a fresh clone).
 */
export default async function setup(): Promise<void> {
  // @ts-expect-error: a plain JavaScript build script without type declarations.
  const { buildDist, distIsStale } = await import('../../scripts/build.js');
  if (distIsStale()) await buildDist();
}
