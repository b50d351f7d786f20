/** `ingest PATH... [--json]`: the summary's counts, idempotence and the exit code (DESIGN §3, §8). */
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { FIXTURES_DIR, mixedFolder, ndjson, prophecyLine, workspace } from './support.ts';

interface IngestJson {
  events: number;
  duplicates: number;
  quarantined: number;
  objects: number;
  errors: number;
  failures: { object: string; error: string }[];
}

function summary(out: string): IngestJson {
  const lines = out.split('\n').filter((line) => line !== '');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as IngestJson;
}

/** A gzip of `lines` events cut after 60% of its bytes; returns it and how many whole lines survive. */
function truncatedGzip(count: number): { data: Buffer; completeLines: number } {
  const lines: string[] = [];
  for (let i = 0; i < count; i++)
    lines.push(prophecyLine({ ts: Date.UTC(2024, 1, 1) + i * 60_000, user: `user${i}@acme.example` }));
  const gz = zlib.gzipSync(lines.join('\n') + '\n');
  const data = gz.subarray(0, Math.floor(gz.length * 0.6));
  const recovered = zlib.gunzipSync(data, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString('utf8');
  return { data, completeLines: recovered.split('\n').length - 1 };
}

describe('ingest', () => {
  test('--json prints one object with exact counts for a folder with a bad line, a duplicate and a gzip', async () => {
    const ws = workspace();
    const folder = mixedFolder(ws);
    const r = await ws.cli('ingest', folder.dir, '--json');
    expect(r.code).toBe(0);
    expect(summary(r.out)).toMatchObject({
      events: 5,
      duplicates: 1,
      quarantined: 2,
      objects: 2,
      errors: 0,
      failures: [],
    });
    expect((await ws.cli('search', '--count')).out).toBe('5\n');
  });

  test('a second identical ingest adds no events and counts every valid line as a duplicate', async () => {
    const ws = workspace();
    const folder = mixedFolder(ws);
    expect((await ws.cli('ingest', folder.dir, '--json')).code).toBe(0);
    const again = await ws.cli('ingest', folder.dir, '--json');
    expect(again.code).toBe(0);
    expect(summary(again.out)).toMatchObject({ events: 0, duplicates: 6, objects: 2, errors: 0 });
    expect((await ws.cli('search', '--count')).out).toBe('5\n');
  });

  test('a second identical ingest does not list the bad lines twice in the quarantine', async () => {
    const ws = workspace();
    const folder = mixedFolder(ws);
    await ws.cli('ingest', folder.dir);
    await ws.cli('ingest', folder.dir);
    const entries = JSON.parse((await ws.cli('quarantine', '--format', 'json')).out) as unknown[];
    expect(entries).toHaveLength(2);
  });

  test('a truncated gzip exits 1, counts one error, names the object and keeps its complete lines', async () => {
    const ws = workspace();
    const { data, completeLines } = truncatedGzip(200);
    const cut = ws.write('in/cut.ndjson.gz', data);
    ws.write('in/ok.ndjson', prophecyLine({ ts: Date.UTC(2024, 0, 1), user: 'ok@acme.example' }) + '\n');
    const r = await ws.cli('ingest', `${ws.dir}/in`, '--json');
    expect(r.code).toBe(1);
    const s = summary(r.out);
    expect(s).toMatchObject({
      events: completeLines + 1,
      duplicates: 0,
      quarantined: 0,
      objects: 2,
      errors: 1,
    });
    expect(s.failures.map((f) => f.object)).toEqual([cut]);
  });

  test('without --json the summary is text and a failed object is listed with its error', async () => {
    const ws = workspace();
    const cut = ws.write('cut.ndjson.gz', truncatedGzip(200).data);
    const r = await ws.cli('ingest', cut);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^Ingested \d+ new events from 1 objects? in /);
    expect(r.out).toContain('errors 1');
    expect(r.out).toMatch(/\n {2}error: .*truncated/);
  });

  test('secret values are redacted by default: counted, replaced in raw and not searchable', async () => {
    const ws = workspace();
    const file = ws.write(
      'secret.ndjson',
      prophecyLine({
        ts: Date.UTC(2024, 0, 1),
        user: 'admin@acme.example',
        action: 'setPassword',
        params: { newPassword: '"hunter2-MARKER-q7"' },
      }) + '\n',
    );
    const r = await ws.cli('ingest', file, '--json');
    expect(JSON.parse(r.out)).toMatchObject({ events: 1, redacted: 1 });
    expect((await ws.cli('search', '--count', 'hunter2-MARKER-q7')).out).toBe('0\n');
    const [event] = ndjson<{ raw: string }>((await ws.cli('search', '--format', 'ndjson')).out);
    expect(JSON.parse(event!.raw)).toMatchObject({ requestParams: { newPassword: '[REDACTED]' } });
  });

  test('--no-redact keeps secret values searchable', async () => {
    const ws = workspace();
    const params = { newPassword: '"hunter2-MARKER-q7"' };
    const line = prophecyLine({
      ts: Date.UTC(2024, 0, 1),
      user: 'admin@acme.example',
      action: 'setPassword',
      params,
    });
    const file = ws.write('secret.ndjson', line + '\n');
    const r = await ws.cli('ingest', '--no-redact', file, '--json');
    expect(JSON.parse(r.out)).toMatchObject({ events: 1, redacted: 0 });
    expect((await ws.cli('search', '--count', 'hunter2-MARKER-q7')).out).toBe('1\n');
  });

  test('--source files the events under that name', async () => {
    const ws = workspace();
    await ws.cli('ingest', '--source', 'prod-bucket', FIXTURES_DIR);
    expect((await ws.cli('search', '--count', 'source:prod-bucket')).out).toBe('8\n');
  });

  test('an unknown --format is a usage error (exit 2) that lists the formats', async () => {
    const ws = workspace();
    const r = await ws.cli('ingest', '--format', 'splunk', FIXTURES_DIR);
    expect(r.code).toBe(2);
    expect(r.err).toContain('splunk');
    expect(r.err).toContain('prophecy');
    expect((await ws.cli('search', '--count')).out).toBe('0\n');
  });

  test('a file named twice (directly and inside a given folder) is read once', async () => {
    const ws = workspace();
    const file = path.join(FIXTURES_DIR, 'prophecy.ndjson');
    const r = await ws.cli('ingest', file, FIXTURES_DIR, file, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ events: 8, duplicates: 0, objects: 3 });
  });
});
