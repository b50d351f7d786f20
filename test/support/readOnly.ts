/**
 * Read-only storage for tests, as a user meets it. Root ignores permission bits, so as root a folder is
 * made read-only with a read-only bind mount (a read-only mount, as on a locked-down share) and a file
 * with the immutable attribute; as anyone else, with chmod.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';

const isRoot = process.getuid?.() === 0;

/** A read-only view of `dir` for the rest of the test: returns the path to use. */
export function readOnlyFolder(dir: string): string {
  if (!isRoot) {
    fs.chmodSync(dir, 0o555);
    onTestFinished(() => fs.chmodSync(dir, 0o755));
    return dir;
  }
  const mount = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-ro-'));
  execFileSync('mount', ['--bind', '-o', 'ro', dir, mount]);
  onTestFinished(() => {
    execFileSync('umount', [mount]);
    fs.rmdirSync(mount);
  });
  return mount;
}

/** Makes `file` unwritable for the rest of the test. */
export function readOnlyFile(file: string): void {
  if (!isRoot) {
    fs.chmodSync(file, 0o444);
    onTestFinished(() => fs.chmodSync(file, 0o644));
    return;
  }
  execFileSync('chattr', ['+i', file]);
  onTestFinished(() => {
    execFileSync('chattr', ['-i', file]);
  });
}
