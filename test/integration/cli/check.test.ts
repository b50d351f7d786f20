/**
 * `audit-explorer check` and damage met by searches (issue 7, item 5): a sound database checks clean;
 * random overwrites, and damage inside values that SQLite cannot see, are named by `check` (exit 1, with
 * how to recover) and make searches fail with the "damaged" error instead of answering wrong counts.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { readOnlyFile } from '../../support/readOnly.ts';
import { prophecyLine, workspace, type Workspace } from './support.ts';

const EVENTS = 20_000;

async function filled(ws: Workspace): Promise<void> {
  const lines: string[] = [];
  for (let i = 0; i < EVENTS; i++)
    lines.push(
      prophecyLine({
        ts: Date.UTC(2024, 0, 1) + i * 60_000,
        user: `user${i % 300}@acme.example`,
        action: `action${i % 40}`,
        params: { note: `word${i}` },
      }),
    );
  const file = ws.write('data/a.ndjson', lines.join('\n') + '\n');
  expect((await ws.cli('ingest', file)).code).toBe(0);
}

/** Overwrites `count` random pages (never page 1, whose header the open check reads) with random bytes. */
function overwritePages(file: string, count: number, seed: number): void {
  let x = seed;
  const random = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  const pageSize = 4096;
  const pages = fs.statSync(file).size / pageSize;
  const fd = fs.openSync(file, 'r+');
  for (let i = 0; i < count; i++) {
    const page = 1 + Math.floor(random() * (pages - 1));
    const bytes = Buffer.alloc(pageSize);
    for (let j = 0; j < pageSize; j++) bytes[j] = Math.floor(random() * 256);
    fs.writeSync(fd, bytes, 0, pageSize, page * pageSize);
  }
  fs.closeSync(fd);
}

function expectDamaged(r: { code: number; err: string }): void {
  expect(r.code).toBe(1);
  expect(r.err).toContain('is damaged');
  expect(r.err).toContain('audit-explorer check');
  expect(r.err).not.toContain('SQLITE_');
}

describe('check', () => {
  test('a sound database checks clean: every step ok, exit 0', async () => {
    const ws = workspace();
    await filled(ws);
    const r = await ws.cli('check');
    expect(r.code).toBe(0);
    expect(r.out).toContain('ok       SQLite pages, b-trees and indexes (integrity_check)');
    expect(r.out).toContain('ok       full-text index events_fts (FTS5 integrity-check)');
    expect(r.out).toContain('ok       column segments against the events table');
    expect(r.out).toContain('ok       blocks of raw lines');
    expect(r.out).toContain('The database is sound.');
  });

  test.each([1, 2, 3])(
    'random page overwrites (seed %i): check names the damage and how to recover; searches fail as damaged',
    async (seed) => {
      const ws = workspace();
      await filled(ws);
      overwritePages(ws.db, 5, seed * 7919);
      const check = await ws.cli('check');
      expect(check.code).toBe(1);
      expect(check.out).toContain('DAMAGED');
      expect(check.out).toContain('import your sources');
      const count = await ws.cli('search', '--count');
      // Where the damage is detectable a search fails; it never answers a wrong count with exit 0.
      if (count.code === 0) expect(count.out).toBe(`${EVENTS}\n`);
      else expectDamaged(count);
    },
  );

  test('a column segment whose values were altered (invisible to SQLite) is caught by search and check', async () => {
    const ws = workspace();
    await filled(ws);
    const db = new Database(ws.db);
    const { id, data } = db.prepare('SELECT id, data FROM segments ORDER BY id LIMIT 1').get() as {
      id: number;
      data: Buffer;
    };
    // Swap two keys: the blob still has the right size and header, its keys are out of order.
    const pos = new Float64Array(data.buffer.slice(data.byteOffset + 24, data.byteOffset + 40));
    const altered = Buffer.from(data);
    altered.set(new Uint8Array(new Float64Array([pos[1]!, pos[0]!]).buffer), 24);
    db.prepare('UPDATE segments SET data = ? WHERE id = ?').run(altered, id);
    db.close();

    expectDamaged(await ws.cli('search', '--count'));
    expectDamaged(await ws.cli('facets'));
    const check = await ws.cli('check');
    expect(check.code).toBe(1);
    expect(check.out).toContain(`column segment ${id} has keys out of order or range`);
  });

  test('a segment row deleted: check says which events no segment holds', async () => {
    const ws = workspace();
    await filled(ws);
    const db = new Database(ws.db);
    const n = db.prepare('SELECT n FROM segments ORDER BY id LIMIT 1').pluck().get() as number;
    db.prepare('DELETE FROM segments WHERE id = (SELECT min(id) FROM segments)').run();
    db.close();
    const check = await ws.cli('check');
    expect(check.code).toBe(1);
    expect(check.out).toContain(`${n} events are in no column segment`);
  });

  test('a damaged block of raw lines: check names it, and showing its events fails as damaged', async () => {
    const ws = workspace();
    await filled(ws);
    const db = new Database(ws.db);
    const { id, data } = db.prepare('SELECT id, data FROM raw_blocks ORDER BY id DESC LIMIT 1').get() as {
      id: number;
      data: Buffer;
    };
    const altered = Buffer.from(data);
    altered[altered.length - 20]! ^= 0xff;
    db.prepare('UPDATE raw_blocks SET data = ? WHERE id = ?').run(altered, id);
    db.close();
    expectDamaged(await ws.cli('search', '--limit', '5', '--format', 'ndjson'));
    const check = await ws.cli('check');
    expect(check.code).toBe(1);
    expect(check.out).toContain(`block ${id} of raw lines does not decompress`);
  });

  test('a read-only database is checked too; the full-text steps say they were skipped', async () => {
    const ws = workspace();
    await filled(ws);
    readOnlyFile(ws.db);
    const r = await ws.cli('check');
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      'full-text index events_fts (FTS5 integrity-check) (skipped: the database is read-only here)',
    );
    expect(r.out).toContain('ok       column segments against the events table');
  });

  test('check --json reports each step; a text file is refused as not ours', async () => {
    const ws = workspace();
    await filled(ws);
    const report = JSON.parse((await ws.cli('check', '--json')).out) as { ok: boolean; steps: unknown[] };
    expect(report.ok).toBe(true);
    expect(report.steps).toHaveLength(6);
    fs.writeFileSync(ws.db, '');
    expect(await ws.cli('check')).toMatchObject({ code: 0 });
    fs.writeFileSync(ws.db, 'hello\n'.repeat(1000));
    const r = await ws.cli('check');
    expect(r.code).toBe(1);
    expect(r.err).toContain('not an Audit Explorer database');
  });
});
