/** `quarantine`: the lines that could not be read as events, with where they were and why. */
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { mixedFolder, parseCsv, prophecyLine, workspace } from './support.ts';

interface Entry {
  source: string;
  object: string;
  line: number;
  reason: string;
  excerpt: string;
}

describe('quarantine', () => {
  test('lists source, object, line and reason for every bad line', async () => {
    const ws = workspace();
    const folder = mixedFolder(ws);
    await ws.cli('ingest', folder.dir);
    const r = await ws.cli('quarantine');
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    lines.forEach((line, i) => {
      const bad = folder.badLines[i]!;
      expect(line.startsWith(`import  ${bad.object}:${bad.line}  `)).toBe(true);
      expect(line.length).toBeGreaterThan(`import  ${bad.object}:${bad.line}  `.length);
    });
    expect(r.err).toBe('2 quarantined lines\n');
  });

  test('--format json prints one object per bad line with its object, line and excerpt', async () => {
    const ws = workspace();
    const folder = mixedFolder(ws);
    await ws.cli('ingest', folder.dir);
    const r = await ws.cli('quarantine', '--format', 'json');
    expect(r.code).toBe(0);
    const entries = JSON.parse(r.out) as Entry[];
    expect(entries).toEqual(
      folder.badLines.map((bad) =>
        expect.objectContaining({ source: 'import', ...bad, reason: expect.stringMatching(/\S/) }),
      ),
    );
  });

  test('--format csv has a header and quotes what needs quoting', async () => {
    const ws = workspace();
    const folder = mixedFolder(ws);
    await ws.cli('ingest', folder.dir);
    const rows = parseCsv((await ws.cli('quarantine', '--format', 'csv')).out);
    expect(rows[0]).toEqual(['source', 'object', 'line', 'reason', 'excerpt']);
    expect(rows.slice(1).map((row) => [row[1], row[2], row[4]])).toEqual(
      folder.badLines.map((bad) => [bad.object, String(bad.line), bad.excerpt]),
    );
  });

  test('a bad line inside a gzip object is reported with its line number in the decompressed text', async () => {
    const ws = workspace();
    const good = (i: number) => prophecyLine({ ts: Date.UTC(2024, 0, 1, i), user: `u${i}@acme.example` });
    const file = ws.write('in/z.log', zlib.gzipSync([good(1), good(2), 'oops', good(3)].join('\n') + '\n'));
    await ws.cli('ingest', path.join(ws.dir, 'in'));
    const entries = JSON.parse((await ws.cli('quarantine', '--format', 'json')).out) as Entry[];
    expect(entries.map((e) => [e.object, e.line, e.excerpt])).toEqual([[file, 3, 'oops']]);
  });

  test('the excerpt of a very long bad line is cut to at most 1 KiB', async () => {
    const ws = workspace();
    const long = `{"broken": "${'x'.repeat(5000)}`;
    ws.write('long.ndjson', long + '\n');
    await ws.cli('ingest', path.join(ws.dir, 'long.ndjson'));
    const [entry] = JSON.parse((await ws.cli('quarantine', '--format', 'json')).out) as Entry[];
    expect(entry!.line).toBe(1);
    expect(Buffer.byteLength(entry!.excerpt)).toBeLessThanOrEqual(1024);
    expect(long.startsWith(entry!.excerpt.replace(/…$/, ''))).toBe(true);
  });

  test('an empty quarantine prints nothing and says so on stderr', async () => {
    const ws = workspace();
    const r = await ws.cli('quarantine');
    expect(r).toEqual({ code: 0, out: '', err: '0 quarantined lines\n' });
  });
});
