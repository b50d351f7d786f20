// `sources add|list|show|test|update|remove` and `sync --json`, in process: a round trip where no secret
// appears in any output, nor in the database's bytes.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startS3Server, S3RVER_CREDENTIALS, type S3TestServer } from '../../support/s3Server.ts';
import { lines } from '../sync/support.ts';
import { parseCsv, workspace, type CliResult } from './support.ts';

// s3rver checks the access key id only, so any secret works: a distinctive one to search for.
const SECRET = 'sEcReT-9f3a7c1e-do-not-leak';

let s3: S3TestServer;
beforeAll(async () => {
  s3 = await startS3Server();
  await s3.createBucket('exports');
  await s3.put('exports', 'prod/audit/a.ndjson', lines('s3', 6));
});
afterAll(async () => {
  await s3?.stop();
});

/** Every byte the database and its side files hold (the secrets file is encrypted, and checked apart). */
function databaseBytes(db: string): Buffer {
  return Buffer.concat(
    ['', '-wal', '-journal', '-shm'].flatMap((suffix) =>
      fs.existsSync(db + suffix) ? [fs.readFileSync(db + suffix)] : [],
    ),
  );
}

const noSecret = (r: CliResult) => {
  expect(r.out).not.toContain(SECRET);
  expect(r.err).not.toContain(SECRET);
};

describe('sources CLI', () => {
  test('add, list, show, sync --json, test, update, remove: no secret in any output or in the database', async () => {
    const ws = workspace();
    const folder = path.join(ws.dir, 'exports');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'x.ndjson'), lines('f', 4));
    const s3File = ws.write(
      's3.json',
      JSON.stringify({
        name: 'prod-s3',
        kind: 's3',
        bucket: 'exports',
        prefix: 'prod/audit/',
        endpoint: s3.endpoint,
        forcePathStyle: true,
        credentials: { type: 'keys', accessKeyId: S3RVER_CREDENTIALS.accessKeyId, secretAccessKey: SECRET },
      }),
    );
    const folderFile = ws.write(
      'folder.json',
      JSON.stringify({ name: 'local', kind: 'folder', path: folder }),
    );

    const outputs: CliResult[] = [];
    const run = async (...argv: string[]) => {
      const r = await ws.cli(...argv);
      outputs.push(r);
      noSecret(r);
      return r;
    };
    expect((await run('sources', 'add', '--file', s3File)).code).toBe(0);
    expect((await run('sources', 'add', '--file', folderFile)).code).toBe(0);

    const list = await run('sources', 'list');
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/NAME\s+KIND\s+LOCATION\s+STATUS\s+LAST RUN\s+NEXT RUN\s+EVENTS\s+ERRORS/);
    expect(list.out).toMatch(/prod-s3\s+s3\s+s3:\/\/exports\/prod\/audit\/\s+never/);

    const show = await run('sources', 'show', 'prod-s3', '--json');
    expect(JSON.parse(show.out).config.credentials).toEqual({
      type: 'keys',
      accessKeyId: S3RVER_CREDENTIALS.accessKeyId,
      secretAccessKey: 'stored',
    });
    expect((await run('sources', 'show', 'prod-s3')).out).toContain('"secretAccessKey": "stored"');

    const sync = await run('sync', '--json');
    expect(sync.code).toBe(0);
    const passes = JSON.parse(sync.out) as {
      name: string;
      events: number;
      objects: Record<string, number>;
    }[];
    expect(passes.map((p) => [p.name, p.events])).toEqual([
      ['local', 4],
      ['prod-s3', 6],
    ]);
    expect(passes[1]!.objects).toEqual({ listed: 1, new: 1, changed: 0, skipped: 0, failed: 0 });
    expect(Object.keys(passes[0]!).sort()).toEqual(
      ['bytes', 'duplicates', 'errors', 'events', 'name', 'objects', 'quarantined', 'status'].sort(),
    );

    const again = JSON.parse((await run('sync', '--source', 'prod-s3', '--json')).out);
    expect(again[0]).toMatchObject({ events: 0, objects: { listed: 1, skipped: 1 } });

    expect((await run('sources', 'test', 'prod-s3')).out).toMatch(/^OK: /);
    const listed = JSON.parse((await run('sources', 'list', '--json')).out);
    expect(listed.find((s: { name: string }) => s.name === 'prod-s3')).toMatchObject({
      status: 'ok',
      events: 6,
      errors: 0,
    });

    // What `show` printed, fed back with "stored", keeps the secret; the source still syncs.
    const edited = ws.write(
      'edit.json',
      JSON.stringify({ ...JSON.parse(show.out).config, schedule: '0 */30 * * * *' }),
    );
    expect((await run('sources', 'update', 'prod-s3', '--file', edited)).code).toBe(0);
    expect((await run('sources', 'test', 'prod-s3')).code).toBe(0);

    expect(databaseBytes(ws.db).includes(SECRET)).toBe(false);
    expect(fs.readFileSync(`${ws.db}.secrets`).includes(SECRET)).toBe(false);

    const removed = await run('sources', 'remove', 'prod-s3');
    expect(removed.out).toContain('its events stay');
    expect((await run('search', '--count', 'source:prod-s3')).out.trim()).toBe('6');
    expect((await run('sources', 'list', '--json')).out).not.toContain('prod-s3');
    const gone = await run('sources', 'remove', 'local', '--delete-events');
    expect(gone.out).toContain('4 events');
    expect(databaseBytes(ws.db).includes(SECRET)).toBe(false);
    for (const r of outputs) noSecret(r);
  });

  test('an invalid configuration names the field and says what to write (exit 2), without echoing secrets', async () => {
    const ws = workspace();
    const file = ws.write(
      'bad.json',
      JSON.stringify({
        name: 'x',
        kind: 's3',
        credentials: { type: 'keys', accessKeyId: 'A', secretAccessKey: SECRET },
        schedule: '0 * * * *',
        colour: 1,
      }),
    );
    const r = await ws.cli('sources', 'add', '--file', file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bucket: missing\. Add "bucket"/);
    expect(r.err).toMatch(/unknown field "colour"/);
    noSecret(r);
    const kind = await ws.cli('sources', 'add', '--file', ws.write('k.json', '{"name":"x","kind":"ftp"}'));
    expect(kind.err).toMatch(/kind: write "kind": one of s3, azure, gcs or folder/);
    const cron = await ws.cli(
      'sources',
      'add',
      '--file',
      ws.write('c.json', JSON.stringify({ name: 'x', kind: 'folder', path: ws.dir, schedule: '0 * * * *' })),
    );
    expect(cron.err).toMatch(/schedule: "0 \* \* \* \*" is not a 6-field cron expression/);
    expect((await ws.cli('sources', 'show', 'nope')).err).toMatch(/no source named 'nope'/);
  });

  test('remove --delete-events keeps the events an investigation pins (legal hold) and says how many', async () => {
    const ws = workspace();
    const folder = path.join(ws.dir, 'exports');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'x.ndjson'), lines('f', 5));
    const config = ws.write('local.json', JSON.stringify({ name: 'local', kind: 'folder', path: folder }));
    expect((await ws.cli('sources', 'add', '--file', config)).code).toBe(0);
    expect((await ws.cli('sync')).code).toBe(0);
    const csv = parseCsv((await ws.cli('search', 'source:local', '--format', 'csv', '--all')).out);
    const held = csv[1]![csv[0]!.indexOf('id')]!;
    await ws.cli('investigation', 'create', 'case-1');
    expect((await ws.cli('investigation', 'pin', 'case-1', held)).code).toBe(0);

    const removed = await ws.cli('sources', 'remove', 'local', '--delete-events');
    expect(removed.code).toBe(0);
    expect(removed.out).toContain('its 4 events');
    expect(removed.out).toContain('Kept 1 of its events on legal hold');
    const count = async (query: string) => (await ws.cli('search', '--count', query)).out.trim();
    expect(await count('source:local')).toBe('1');
    const shown = JSON.parse((await ws.cli('investigation', 'show', 'case-1', '--json')).out);
    expect(shown.pins.map((p: { eventId: string; event: unknown }) => [p.eventId, p.event !== null])).toEqual(
      [[held, true]],
    );
    expect((await ws.cli('sources', 'list', '--json')).out).not.toContain('local');

    // Added again, the source reads its files whole: the held event is not counted twice.
    expect((await ws.cli('sources', 'add', '--file', config)).code).toBe(0);
    expect((await ws.cli('sync')).code).toBe(0);
    expect(await count('source:local')).toBe('5');
    const json = await ws.cli('sources', 'remove', 'local', '--delete-events', '--json');
    expect(JSON.parse(json.out)).toEqual({ removed: true, eventsDeleted: 4, eventsHeld: 1 });
  });

  test('retention show|set keeps the settings the agent follows', async () => {
    const ws = workspace();
    expect(JSON.parse((await ws.cli('retention', 'show', '--json')).out)).toEqual({
      retentionDays: null,
      gcSchedule: '0 0 1 * * *',
      gcDisabled: false,
    });
    await ws.cli('retention', 'set', '--days', '90', '--schedule', '0 30 2 * * *');
    expect(JSON.parse((await ws.cli('retention', 'set', '--disable', '--json')).out)).toEqual({
      retentionDays: 90,
      gcSchedule: '0 30 2 * * *',
      gcDisabled: true,
    });
    const bad = await ws.cli('retention', 'set', '--schedule', 'daily');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/gcSchedule: "daily" is not a 6-field cron/);
  });
});
