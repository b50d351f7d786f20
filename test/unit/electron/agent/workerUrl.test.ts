/**
 * Where the engine's threads come from: next to the bundle in dist/, next to the source when run from
 * source, and the built ones in dist/ when AUDIT_EXPLORER_WORKERS=dist (the test suite's setting, which
 * keeps WebAssembly type stripping out of short-lived threads; see workerUrl.ts).
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test, vi } from 'vitest';
import { workerUrl } from '../../../../electron/agent/workerUrl.ts';

afterEach(() => {
  vi.unstubAllEnvs();
});

test('a bundle starts the worker bundle beside it', () => {
  expect(workerUrl('writer.worker', 'file:///opt/app/dist/main.js').href).toBe(
    'file:///opt/app/dist/writer.worker.js',
  );
});

test('from source, the worker source beside the caller', () => {
  vi.stubEnv('AUDIT_EXPLORER_WORKERS', '');
  expect(workerUrl('query.worker', 'file:///repo/electron/agent/store/queryClient.ts').href).toBe(
    'file:///repo/electron/agent/store/query.worker.ts',
  );
});

test('under the test suite, the built worker in dist/, which exists', () => {
  expect(process.env.AUDIT_EXPLORER_WORKERS).toBe('dist');
  for (const name of ['writer.worker', 'query.worker', 'ingest.worker', 'export.worker']) {
    const url = workerUrl(name, 'file:///repo/electron/agent/store/anything.ts');
    expect(url.pathname.endsWith(`/dist/${name}.js`)).toBe(true);
    expect(fs.existsSync(fileURLToPath(url))).toBe(true);
  }
});
