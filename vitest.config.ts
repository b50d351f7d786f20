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
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/support/summaryReporter.ts'],
  },
});
