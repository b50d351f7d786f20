/**
 * `npm test` runs vitest through scripts/runTests.js, which runs a file a second time only when a signal
 * killed the test process running it (Node 24's V8 crash, nodejs/node#62393) — never after a failed test.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';

const root = path.join(import.meta.dirname, '..', '..', '..');
const fixtures = path.join(root, 'test', 'fixtures', 'testRunner');
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs the fixture suite's named files through runTests.js; answers its exit status and output. */
function runTests(...files: string[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-test-runner-'));
  dirs.push(dir);
  // The fixture kills its own test process with SIGSEGV: with no core file (`ulimit -c 0`), so a machine
  // that keeps core dumps does not get one per run in the fixture's folder.
  const runner = [process.execPath, path.join(root, 'scripts', 'runTests.js')].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('/bin/sh', ['-c', `ulimit -c 0 && exec ${runner}`], {
    cwd: fixtures,
    encoding: 'utf8',
    env: { ...process.env, RUNNER_FIXTURES: files.join(','), RUNNER_MARKER: path.join(dir, 'crashed') },
  });
  return { code: r.status, out: r.stdout, last: r.stdout.trim().split('\n').at(-1) };
}

test('a file whose test process died of a signal runs again, and the run passes when it passes then', () => {
  const r = runTests('passes', 'crashesOnce');
  expect(r.out).toContain('killed by a signal while running crashesOnce.test.ts (SIGSEGV)');
  expect(r.last).toBe('vitest: 3 passed, 0 failed, 1 skipped');
  expect(r.code).toBe(0);
});

test('a file that crashes its process every time fails the run', () => {
  const r = runTests('passes', 'crashesAlways');
  expect(r.last).toBe('vitest: 2 passed, 1 failed, 1 skipped');
  expect(r.code).toBe(1);
});

test('after a failed test nothing runs again, crashed or not', () => {
  const r = runTests('fails', 'crashesOnce');
  expect(r.out).not.toContain('once more');
  expect(r.last).toBe('vitest: 0 passed, 2 failed, 0 skipped');
  expect(r.code).toBe(1);
});
