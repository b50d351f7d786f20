/** The global `--db FILE` option (DESIGN §8): before or after the command name, else $AUDIT_EXPLORER_DB. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { FIXTURES_DIR, runMain, workspace } from './support.ts';

describe('--db', () => {
  test('works before the command name', async () => {
    const ws = workspace();
    const db = path.join(ws.dir, 'before.db');
    const env = { AUDIT_EXPLORER_DB: path.join(ws.dir, 'env.db') };
    expect((await runMain(['--db', db, 'ingest', FIXTURES_DIR], env)).code).toBe(0);
    expect((await runMain(['--db', db, 'search', '--count'], env)).out).toBe('8\n');
    expect(fs.existsSync(env.AUDIT_EXPLORER_DB)).toBe(false);
  });

  test('works after the command name', async () => {
    const ws = workspace();
    const db = path.join(ws.dir, 'after.db');
    const env = { AUDIT_EXPLORER_DB: path.join(ws.dir, 'env.db') };
    expect((await runMain(['ingest', '--db', db, FIXTURES_DIR], env)).code).toBe(0);
    expect((await runMain(['search', '--count', '--db', db], env)).out).toBe('8\n');
    expect(fs.existsSync(env.AUDIT_EXPLORER_DB)).toBe(false);
  });

  test('before and after the command name open the same database', async () => {
    const ws = workspace();
    const db = path.join(ws.dir, 'same.db');
    const env = { AUDIT_EXPLORER_DB: path.join(ws.dir, 'env.db') };
    await runMain(['ingest', FIXTURES_DIR, '--db', db], env);
    expect((await runMain(['--db', db, 'search', '--count'], env)).out).toBe('8\n');
  });

  test('without --db the CLI uses $AUDIT_EXPLORER_DB', async () => {
    const ws = workspace();
    const env = { AUDIT_EXPLORER_DB: path.join(ws.dir, 'env.db') };
    await runMain(['ingest', FIXTURES_DIR], env);
    const stats = JSON.parse((await runMain(['stats', '--json'], env)).out) as {
      file: string;
      events: number;
    };
    expect(stats).toMatchObject({ file: env.AUDIT_EXPLORER_DB, events: 8 });
  });

  test('the database folder is created when it does not exist', async () => {
    const ws = workspace();
    const db = path.join(ws.dir, 'new', 'nested', 'audit.db');
    const r = await runMain(['--db', db, 'stats', '--json'], {
      AUDIT_EXPLORER_DB: path.join(ws.dir, 'env.db'),
    });
    expect(r.code).toBe(0);
    expect(fs.existsSync(db)).toBe(true);
  });
});
