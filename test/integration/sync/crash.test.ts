// Crash safety of sync: the real `audit-explorer sync` process is killed with SIGKILL at random points of
// its pass, over 20+ trials; after another pass the event set equals the expected set exactly (nothing
// lost, nothing doubled), for a folder source (ranged resumes, a gzip file, a growing file) and an S3 one.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { S3RVER_CREDENTIALS, startS3Server, type S3TestServer } from '../../support/s3Server.ts';
import { runMain, startBinary } from '../cli/support.ts';
import { lines, tempDir, usersOf } from './support.ts';

const TRIALS = 20;
let s3: S3TestServer;
let template: string;
let expected: string[];
let fullRunMs = 0;

/** Runs the in-process CLI on `db`; returns stdout (throws on a failure exit). */
async function cli(db: string, ...argv: string[]): Promise<string> {
  const r = await runMain(['--db', db, ...argv], {});
  if (r.code !== 0) throw new Error(`${argv.join(' ')} exited ${r.code}: ${r.err}`);
  return r.out;
}

/** Every event's user in `db`, sorted. */
async function usersIn(db: string): Promise<string[]> {
  const out = await cli(db, 'search', '--all', '--format', 'ndjson');
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { user: string }).user)
    .sort();
}

beforeAll(async () => {
  s3 = await startS3Server();
  await s3.createBucket('crash');
  for (let i = 0; i < 6; i++) await s3.put('crash', `audit/${i}.ndjson`, lines(`s${i}`, 1500));
  template = tempDir();
  const exports = path.join(template, 'exports');
  fs.mkdirSync(exports);
  for (let i = 0; i < 12; i++) fs.writeFileSync(path.join(exports, `${i}.ndjson`), lines(`f${i}`, 1500));
  fs.writeFileSync(path.join(exports, 'z.gz'), zlib.gzipSync(lines('gz', 3000)));
  const db = path.join(template, 'audit.db');
  fs.writeFileSync(
    path.join(template, 'folder.json'),
    JSON.stringify({ name: 'folder', kind: 'folder', path: exports }),
  );
  fs.writeFileSync(
    path.join(template, 's3.json'),
    JSON.stringify({
      name: 'bucket',
      kind: 's3',
      bucket: 'crash',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: {
        type: 'keys',
        accessKeyId: S3RVER_CREDENTIALS.accessKeyId,
        secretAccessKey: 'crash-secret',
      },
    }),
  );
  await cli(db, 'sources', 'add', '--file', path.join(template, 'folder.json'));
  await cli(db, 'sources', 'add', '--file', path.join(template, 's3.json'));
  expected = usersOf(
    ...Array.from({ length: 6 }, (_, i): [string, number] => [`s${i}`, 1500]),
    ...Array.from({ length: 12 }, (_, i): [string, number] => [`f${i}`, 1500]),
    ['gz', 3000],
  );
  // One uninterrupted pass, timed, so the kills land anywhere in a pass.
  const trial = copyTemplate();
  const started = performance.now();
  const run = startBinary(['--db', trial.db, 'sync'], trial.db, { tuned: false });
  const result = await run.result;
  fullRunMs = performance.now() - started;
  expect(result.code, result.err).toBe(0);
  expect(await usersIn(trial.db)).toEqual(expected);
}, 240_000);

afterAll(async () => {
  await s3?.stop();
  if (template) fs.rmSync(template, { recursive: true, force: true });
});

/** The template's database, secrets file and key in a new folder (the sources point at the same data). */
function copyTemplate(): { dir: string; db: string } {
  const dir = tempDir();
  for (const name of fs.readdirSync(template))
    if (name.startsWith('audit.db')) fs.copyFileSync(path.join(template, name), path.join(dir, name));
  return { dir, db: path.join(dir, 'audit.db') };
}

test(`SIGKILL at random points of a sync, ${TRIALS} trials: after another pass the event set is exact`, async () => {
  let killedMidPass = 0;
  for (let t = 0; t < TRIALS; t++) {
    const trial = copyTemplate();
    try {
      const run = startBinary(['--db', trial.db, 'sync'], trial.db, { tuned: false });
      const delay = Math.random() * fullRunMs;
      await new Promise((resolve) => setTimeout(resolve, delay));
      const alive = run.child.exitCode === null;
      run.child.kill('SIGKILL');
      await run.result;
      if (alive) killedMidPass++;
      // Another pass (a restarted agent) finishes what the killed one left.
      const after = JSON.parse(await cli(trial.db, 'sync', '--json')) as { status: string }[];
      expect(after.map((p) => p.status)).toEqual(['ok', 'ok']);
      expect(await usersIn(trial.db), `trial ${t}, killed after ${Math.round(delay)} ms`).toEqual(expected);
      // And nothing is read again on the pass after that.
      const again = JSON.parse(await cli(trial.db, 'sync', '--json')) as { events: number; bytes: number }[];
      expect(again.map((p) => [p.events, p.bytes])).toEqual([
        [0, 0],
        [0, 0],
      ]);
    } finally {
      fs.rmSync(trial.dir, { recursive: true, force: true });
    }
  }
  expect(killedMidPass).toBeGreaterThan(TRIALS / 2);
}, 900_000);
