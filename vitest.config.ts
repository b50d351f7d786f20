import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/unit/**/*.test.ts',
      // Component tests of the UI; each picks its DOM with `// @vitest-environment happy-dom`.
      'test/unit/**/*.test.tsx',
      'test/integration/**/*.test.ts',
      // Chromium against the real `serve` (playwright-core with the system's /usr/bin/chromium).
      'test/e2e/**/*.test.ts',
    ],
    globalSetup: ['./test/support/globalSetup.ts'],
    // Node 24's V8 now and then crashes a busy process in its garbage collector (SIGSEGV, nodejs/node#62393,
    // still open); runs reported there without Sparkplug (the baseline compiler) showed no crash, so test
    // processes run without it (the product's processes are not affected by this setting). It did not stop
    // the crashes seen here: those came from WebAssembly type stripping in short-lived threads (see `env`).
    // Should a signal still kill a test process, `npm test` (scripts/runTests.js) runs its file once more.
    execArgv: ['--no-sparkplug'],
    // The engine's threads run the built workers (dist/, rebuilt by the global setup when stale), not the
    // TypeScript sources: see electron/agent/workerUrl.ts for the V8 abort that WebAssembly type stripping
    // in short-lived threads caused.
    env: { AUDIT_EXPLORER_WORKERS: 'dist' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/support/summaryReporter.ts'],
  },
});
