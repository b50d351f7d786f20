/**
 * What the CLI says when the database file is unusable for a reason other than being someone else's
 * (issue 7, item 4): each case names what is wrong and the next step, and none of them tells the user to
 * point --db at a new file — advice that would make them throw away good data.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { readOnlyFile, readOnlyFolder } from '../../support/readOnly.ts';
import { FIXTURES_DIR, runMain, workspace, type Workspace } from './support.ts';

const FOREIGN = 'not an Audit Explorer database';

async function filled(ws: Workspace): Promise<void> {
  expect((await ws.cli('ingest', FIXTURES_DIR)).code).toBe(0);
}

const cli = (db: string, ...argv: string[]) => runMain(['--db', db, ...argv], {});

describe('a read-only database', () => {
  test('in a read-only folder (mount) still answers searches; a write says it needs permission', async () => {
    const ws = workspace();
    await filled(ws);
    const before = fs.readFileSync(ws.db);
    const db = path.join(readOnlyFolder(ws.dir), path.basename(ws.db));

    const count = await cli(db, 'search', '--count');
    expect(count).toMatchObject({ code: 0, out: '8\n' });
    expect((await cli(db, 'stats', '--json')).code).toBe(0);
    const write = await cli(db, 'ingest', FIXTURES_DIR);
    expect(write.code).toBe(1);
    expect(write.err).toContain('read-only');
    expect(write.err).toContain('searches work');
    expect(write.err).not.toContain(FOREIGN);
    expect(fs.readFileSync(ws.db).equals(before)).toBe(true);
  });

  test('left in WAL mode in a read-only folder: says why it cannot be read and how to fix it', async () => {
    const ws = workspace();
    await filled(ws);
    // As an import still running elsewhere (or killed) leaves it.
    const raw = new Database(ws.db);
    raw.pragma('journal_mode = WAL');
    raw.close();
    const db = path.join(readOnlyFolder(ws.dir), path.basename(ws.db));
    const r = await cli(db, 'search', '--count');
    expect(r.code).toBe(1);
    expect(r.err).toContain('cannot be read here');
    expect(r.err).toContain('-shm');
    expect(r.err).not.toContain(FOREIGN);
  });

  test('a read-only file in a writable folder still answers searches; a write says it needs permission', async () => {
    const ws = workspace();
    await filled(ws);
    readOnlyFile(ws.db);
    expect(await ws.cli('search', '--count')).toMatchObject({ code: 0, out: '8\n' });
    const write = await ws.cli('gc', '--older-than', '1d');
    expect(write.code).toBe(1);
    expect(write.err).toMatch(/read-only.*the file is not writable/);
    expect(write.err).not.toContain(FOREIGN);
  });

  test('a new database in a read-only folder says the folder is not writable and creates nothing', async () => {
    const ws = workspace();
    const dir = readOnlyFolder(fs.mkdtempSync(path.join(ws.dir, 'empty-')));
    const db = path.join(dir, 'audit.db');
    const r = await cli(db, 'ingest', FIXTURES_DIR);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`Cannot create the database ${db}`);
    expect(r.err).toContain('not writable');
    expect(r.err).not.toContain(FOREIGN);
    expect(fs.existsSync(db)).toBe(false);
  });
});

describe('--db naming a folder', () => {
  test('says it is a folder and suggests a file name inside it', async () => {
    const ws = workspace();
    const r = await cli(ws.dir, 'search', '--count');
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${ws.dir} is a folder, not a database file`);
    expect(r.err).toContain(path.join(ws.dir, 'audit-explorer.db'));
    expect(r.err).not.toContain(FOREIGN);
  });
});

describe('a damaged database', () => {
  test('cut to half its size is "damaged" with the check command and re-import, and left as it is', async () => {
    const ws = workspace();
    await filled(ws);
    const size = fs.statSync(ws.db).size;
    fs.truncateSync(ws.db, Math.floor(size / 2) + 100);
    const before = fs.readFileSync(ws.db);
    for (const argv of [['search', '--count'], ['ingest', FIXTURES_DIR], ['stats']]) {
      const r = await ws.cli(...argv);
      expect(r.code).toBe(1);
      expect(r.err).toContain('is damaged');
      expect(r.err).toContain('truncated');
      expect(r.err).toContain('audit-explorer check');
      expect(r.err).toContain('import your sources again');
      expect(r.err).not.toContain(FOREIGN);
    }
    expect(fs.readFileSync(ws.db).equals(before)).toBe(true);
  });

  test('cut inside its header is damaged, not foreign', async () => {
    const ws = workspace();
    await filled(ws);
    fs.truncateSync(ws.db, 10);
    const r = await ws.cli('search', '--count');
    expect(r.code).toBe(1);
    expect(r.err).toContain('is damaged');
    expect(r.err).not.toContain(FOREIGN);
  });

  test('with its first bytes overwritten is damaged, not foreign (the application id is still ours)', async () => {
    const ws = workspace();
    await filled(ws);
    const fd = fs.openSync(ws.db, 'r+');
    fs.writeSync(fd, Buffer.alloc(16, 0x41), 0, 16, 0);
    fs.closeSync(fd);
    const r = await ws.cli('search', '--count');
    expect(r.code).toBe(1);
    expect(r.err).toContain('the file header is overwritten');
    expect(r.err).not.toContain(FOREIGN);
  });

  test('a text file is still "not an Audit Explorer database" and left as it is', async () => {
    const ws = workspace();
    const file = ws.write('notes.txt', 'my notes\n'.repeat(100));
    const r = await cli(file, 'search', '--count');
    expect(r.code).toBe(1);
    expect(r.err).toContain(FOREIGN);
    expect(fs.readFileSync(file, 'utf8')).toBe('my notes\n'.repeat(100));
  });
});
