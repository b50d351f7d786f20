/**
 * A file of nothing but bad lines (issue 7, item 9): the first 1,000 bad lines of an object are kept with
 * excerpts, the rest are counted per reason; memory and the database stay small, and every count is kept.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, test } from 'vitest';
import { BIN, REPO_ROOT, runBinary, workspace } from './support.ts';

const LINES = 400_000;

/** The real binary with the V8 heap capped: holding every bad line at once would exceed it. */
function ingestCapped(db: string, file: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'ingest', file, '--json'], {
      cwd: REPO_ROOT,
      env: { ...process.env, AUDIT_EXPLORER_DB: db, NODE_OPTIONS: '--max-old-space-size=64' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

describe('quarantine cap', () => {
  test(`${LINES.toLocaleString('en-US')} bad lines: 1,000 kept with excerpts, the rest counted, in bounded memory`, async () => {
    const ws = workspace();
    const lines: string[] = [];
    for (let i = 0; i < LINES; i++) lines.push(i % 2 === 0 ? `bad ${i}` : `[${i}]`);
    const file = ws.write('bad.ndjson', lines.join('\n') + '\n');

    const r = await ingestCapped(ws.db, file);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ quarantined: LINES, events: 0, errors: 0 });
    // Each stored line costs a row; 1,000 of them and two counts are a few hundred KB at most.
    expect(fs.statSync(ws.db).size).toBeLessThan(1_000_000);

    const stats = await ws.cli('stats');
    expect(stats.out).toContain('quarantined  400,000 lines (1,000 kept with excerpts)');
    const q = await ws.cli('quarantine', '--format', 'json');
    expect(JSON.parse(q.out)).toHaveLength(1000);
    const table = await ws.cli('quarantine', '--limit', '2');
    expect(table.err).toBe(
      '400,000 quarantined lines (1,000 kept with excerpts, the rest counted), 2 shown\n',
    );
    expect(table.out).toContain(`${file}:1001…  199,500 more lines: not JSON (counted, no excerpts)`);
    expect(table.out).toContain(
      `${file}:1002…  199,500 more lines: not a JSON object (counted, no excerpts)`,
    );

    // A second import of the same file counts the same lines, not twice as many.
    expect((await ws.cli('ingest', file)).code).toBe(0);
    expect((await ws.cli('stats')).out).toContain('quarantined  400,000 lines (1,000 kept with excerpts)');
    expect(JSON.parse((await runBinary(['stats', '--json'], ws.db)).out)).toMatchObject({
      quarantined: LINES,
      quarantineExcerpts: 1000,
    });
  }, 120_000);
});
