/**
 * What `ingest` does with paths that are not plain NDJSON files (issue 7, item 9): a missing path, a FIFO,
 * links, UTF-16 text and an empty folder are each reported, and never cost the rest of the run.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { FIXTURES_DIR, fixtureLines, prophecyLine, workspace } from './support.ts';

interface IngestJson {
  events: number;
  quarantined: number;
  objects: number;
  errors: number;
  failures: { object: string; error: string }[];
  skipped: { path: string; message: string }[];
}

const summary = (out: string) => JSON.parse(out) as IngestJson;

describe('ingest of awkward paths', () => {
  test('a missing path among good ones is reported, the rest is imported, and the run exits 1', async () => {
    const ws = workspace();
    const missing = path.join(ws.dir, 'no-such-folder');
    const r = await ws.cli('ingest', missing, FIXTURES_DIR, '--json');
    expect(r.code).toBe(1);
    const s = summary(r.out);
    expect(s).toMatchObject({ events: 8, errors: 1 });
    expect(s.failures).toEqual([{ object: missing, error: expect.stringContaining('does not exist') }]);
    expect((await ws.cli('search', '--count')).out).toBe('8\n');
  });

  test('only missing paths: exit 1 with the reason, and no database file is left behind', async () => {
    const ws = workspace();
    const r = await ws.cli('ingest', path.join(ws.dir, 'nope.ndjson'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('nope.ndjson does not exist');
    expect(fs.existsSync(ws.db)).toBe(false);
  });

  test('a FIFO in a folder or given by name is skipped with a message instead of hanging the run', async () => {
    const ws = workspace();
    ws.write('in/a.ndjson', fixtureLines('prophecy').join('\n') + '\n');
    const fifo = path.join(ws.dir, 'in', 'pipe.ndjson');
    execFileSync('mkfifo', [fifo]);
    const r = await ws.cli('ingest', path.join(ws.dir, 'in'), fifo, '--json');
    expect(r.code).toBe(0);
    const s = summary(r.out);
    expect(s).toMatchObject({ events: 3, errors: 0, objects: 1 });
    expect(s.skipped.map((k) => k.message)).toEqual([
      `${fifo} is a FIFO (named pipe), not a file: skipped`,
      `${fifo} is a FIFO (named pipe), not a file: skipped`,
    ]);
  });

  test('a link to a file inside the folder is followed; a link leaving the folder is reported', async () => {
    const ws = workspace();
    const lines = fixtureLines('prophecy');
    // The link's target sits in a hidden folder, which the walk itself passes over.
    ws.write('in/.store/real.ndjson', lines[0] + '\n');
    fs.symlinkSync(
      path.join(ws.dir, 'in', '.store', 'real.ndjson'),
      path.join(ws.dir, 'in', 'inside.ndjson'),
    );
    const outside = ws.write('elsewhere/other.ndjson', lines[1] + '\n');
    fs.symlinkSync(outside, path.join(ws.dir, 'in', 'outside.ndjson'));
    fs.symlinkSync(path.join(ws.dir, 'gone.ndjson'), path.join(ws.dir, 'in', 'broken.ndjson'));
    const r = await ws.cli('ingest', path.join(ws.dir, 'in'), '--json');
    expect(r.code).toBe(0);
    const s = summary(r.out);
    expect(s).toMatchObject({ events: 1, objects: 1, errors: 0 });
    const messages = s.skipped.map((k) => k.message).join('\n');
    expect(messages).toContain(`outside.ndjson links outside the folder (to ${outside})`);
    expect(messages).toContain('broken.ndjson is a broken link');
  });

  test.each([
    [
      'UTF-16LE with a byte order mark',
      (t: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]),
    ],
    [
      'UTF-16BE with a byte order mark',
      (t: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(t, 'utf16le').swap16()]),
    ],
    ['UTF-16LE without a byte order mark', (t: string) => Buffer.from(t, 'utf16le')],
  ])('a %s file is read as text, not quarantined line by line', async (_name, encode) => {
    const ws = workspace();
    const lines = [
      prophecyLine({ ts: Date.UTC(2024, 0, 1), user: 'zoë@acme.example' }),
      prophecyLine({ ts: Date.UTC(2024, 0, 2), user: 'bob@acme.example', action: 'release😀' }),
    ];
    const file = ws.write('utf16.ndjson', encode(lines.join('\r\n') + '\r\n'));
    const r = await ws.cli('ingest', file, '--json');
    expect(r.code).toBe(0);
    expect(summary(r.out)).toMatchObject({ events: 2, quarantined: 0 });
    expect((await ws.cli('search', 'user:zoë@acme.example', '--count')).out).toBe('1\n');
  });

  test('an empty folder says that no files were found under it', async () => {
    const ws = workspace();
    const empty = path.join(ws.dir, 'empty');
    fs.mkdirSync(empty);
    const r = await ws.cli('ingest', empty);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`no files found under ${empty}`);
  });
});
