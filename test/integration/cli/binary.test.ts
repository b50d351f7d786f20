/**
 * Smoke tests through the real entry point, `node bin/audit-explorer.js …`, run from the repository root
 * with AUDIT_EXPLORER_DB pointing into the test's temp directory (DESIGN §8: exit 0 ok, 1 failure, 2 usage).
 */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { FIXTURES_DIR, runBinary, workspace } from './support.ts';

describe('bin/audit-explorer.js', () => {
  test('--help exits 0 and lists every command', async () => {
    const ws = workspace();
    const r = await runBinary(['--help'], ws.db);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const commands = [...r.out.matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]);
    expect(commands).toEqual([
      'ingest',
      'search',
      'facets',
      'quarantine',
      'gc',
      'stats',
      'start',
      'saved',
      'history',
      'investigation',
      'export',
      'key',
      'verify',
      'check',
      'serve',
      'sources',
      'sync',
      'agent',
      'retention',
      'help',
    ]);
  });

  test('an unknown command exits 2, names it on stderr and suggests the close one', async () => {
    const ws = workspace();
    const r = await runBinary(['serch', 'outcome:failure'], ws.db);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain("unknown command 'serch'");
    expect(r.err).toContain('Did you mean search?');
    expect(r.err).toContain('--help');
  });

  test('ingest of the format fixtures, then search --count prints the exact number', async () => {
    const ws = workspace();
    const ingest = await runBinary(['ingest', FIXTURES_DIR], ws.db);
    expect(ingest.code).toBe(0);
    const r = await runBinary(['search', '--count'], ws.db);
    expect(r).toEqual({ code: 0, out: '8\n', err: '' });
  });

  test('a query with a syntax error exits 2 and the message names the column', async () => {
    const ws = workspace();
    const r = await runBinary(['search', 'outcome:failure )'], ws.db);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^audit-explorer: .*\bcolumn 17\b/);
  });

  test('ingest of a path that does not exist exits 1 (a failure, not a usage error) naming the path', async () => {
    const ws = workspace();
    const missing = path.join(ws.dir, 'no-such-folder', 'exports.ndjson');
    const r = await runBinary(['ingest', missing], ws.db);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain(missing);
  });
});
