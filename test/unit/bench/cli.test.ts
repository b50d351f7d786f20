import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import type { CorpusTruth } from '../../bench/generate.ts';

const run = promisify(execFile);
const CLI = path.resolve(import.meta.dirname, '../../bench/generateCli.ts');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cli-'));

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('generateCli', () => {
  test('writes a corpus and prints the truth summary', async () => {
    const out = path.join(tmp, 'a');
    const r = await cli(['--out', out, '--events', '2000', '--seed', '3', '--files', '5']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2000 distinct/);
    expect(r.stdout).toMatch(/questions:/);
    const truth = JSON.parse(fs.readFileSync(path.join(out, 'truth.json'), 'utf8')) as CorpusTruth;
    expect(truth.seed).toBe(3);
    expect(truth.files.length).toBe(5);
  });

  test('--force replaces a previous corpus, and only a corpus', async () => {
    const out = path.join(tmp, 'b');
    expect((await cli(['--out', out, '--events', '300', '--files', '3'])).code).toBe(0);
    expect((await cli(['--out', out, '--events', '300', '--files', '3'])).code).toBe(1);
    expect((await cli(['--out', out, '--events', '400', '--files', '3', '--force', '--json'])).code).toBe(0);
    const other = path.join(tmp, 'c');
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, 'keep.txt'), 'x');
    expect((await cli(['--out', other, '--events', '300', '--force'])).code).toBe(2);
    expect(fs.existsSync(path.join(other, 'keep.txt'))).toBe(true);
  });

  test('usage errors exit 2', async () => {
    expect((await cli(['--events', '10'])).code).toBe(2);
    expect((await cli(['--out', path.join(tmp, 'd')])).code).toBe(2);
    expect((await cli(['--out', path.join(tmp, 'd'), '--events', 'many'])).code).toBe(2);
    expect((await cli(['--bogus'])).code).toBe(2);
  });
});
