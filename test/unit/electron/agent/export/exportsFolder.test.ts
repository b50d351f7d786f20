/** The exports folder's names and download tickets, with a clock the test moves. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { EXPORT_NAME_PATTERN } from '../../../../../shared/contract.ts';
import {
  DOWNLOAD_TTL_MS,
  ExportsFolder,
  exportFileName,
  exportSlug,
  slugSource,
} from '../../../../../electron/agent/export/exportsFolder.ts';

const AT = Date.UTC(2026, 2, 7, 14, 2, 11, 456);
let dir: string;
let folder: ExportsFolder;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'h-exportui-folder-'));
  folder = new ExportsFolder(path.join(dir, 'exports'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function commitOne(text = 'user:alice'): string {
  const staging = folder.stage();
  const produced = path.join(staging, 'x.csv');
  fs.writeFileSync(produced, 'ts,user\n');
  const file = folder.commit(
    produced,
    text,
    {
      format: 'csv',
      createdAt: AT,
      query: text,
      investigation: null,
      matched: 0,
      exported: 0,
      reconciled: true,
      pseudonymized: false,
      bom: false,
      fingerprint: null,
      seconds: 0,
    },
    'f'.repeat(64),
  );
  folder.discard(staging);
  return file.name;
}

describe('names', () => {
  test('UTC to the second, the query words, the format', () => {
    expect(exportFileName(AT, 'user:alice@acme.io outcome:failure', 'bundle')).toBe(
      'audit-export-20260307T140211Z-user-alice-acme-io-outcome-failure.zip',
    );
    expect(exportFileName(AT, '', 'csv')).toBe('audit-export-20260307T140211Z-all-events.csv');
    expect(exportFileName(AT, '"é ü" ../../etc', 'html', 2)).toBe(
      'audit-export-20260307T140211Z-e-u-etc-3.html',
    );
    expect(exportSlug('x'.repeat(100))).toHaveLength(40);
    expect(slugSource('(a OR b) after:2026-03-01 before:"2026-03-02 10:00" last:7d')).toMatch(
      /^\(a OR b\)\s+$/,
    );
    for (const name of [
      exportFileName(AT, 'anything at all: ../', 'ndjson'),
      exportFileName(AT, '', 'bundle', 5),
    ])
      expect(name).toMatch(EXPORT_NAME_PATTERN);
  });
});

describe('tickets', () => {
  test('one use each, dead after the TTL, and only for files in the folder', async () => {
    const name = commitOne();
    const first = folder.ticket(name, AT);
    expect(first.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(first.expiresAt).toBe(AT + DOWNLOAD_TTL_MS);
    const opened = await folder.redeem(first.id, AT + 1000);
    expect(opened).toMatchObject({ name, bytes: 8, contentType: 'text/csv; charset=utf-8' });
    await opened!.handle.close();
    expect(await folder.redeem(first.id, AT + 2000)).toBeNull();

    const late = folder.ticket(name, AT);
    expect(await folder.redeem(late.id, AT + DOWNLOAD_TTL_MS)).toBeNull();
    // An expired ticket is gone even if asked for again within its time (it was used up by the try).
    expect(await folder.redeem(late.id, AT)).toBeNull();

    expect(() => folder.ticket('audit-export-20260307T140211Z-missing.csv', AT)).toThrow(/no export/);
    expect(() => folder.ticket('../audit.db', AT)).toThrow(/no export/);
    // Removing the export kills its tickets.
    const pending = folder.ticket(name, AT);
    expect(folder.remove(name)).toBe(true);
    expect(await folder.redeem(pending.id, AT)).toBeNull();
  });

  test('list skips staging folders and what has no record', () => {
    const name = commitOne();
    const staging = folder.stage();
    fs.writeFileSync(path.join(folder.dir, 'audit-export-20260307T140211Z-stray.csv'), 'x');
    expect(folder.list(10).map((f) => f.name)).toEqual([name]);
    folder.discard(staging);
    expect(fs.existsSync(staging)).toBe(false);
  });
});
