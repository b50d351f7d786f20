/**
 * The sync benchmark (issue 8 item 6): the seeded corpus uploaded once to s3rver, then, in the same run,
 * a plain local-folder `ingest` of the files and a first `sync` of the bucket through the real CLI
 * (target: sync ≥ 80% of the local ingest's speed); a re-sync of the unchanged bucket, and one of a bucket
 * of many small objects (target: 0 object reads — counted at a proxy in front of s3rver — list calls only,
 * ≤ 3 s). Prints a markdown section on stdout; progress on stderr.
 *
 *   node test/bench/syncBench.ts [--events 1000000] [--seed 1] [--objects 10000] [--out FILE]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { S3Source } from '../../electron/agent/sources/s3.ts';
import { MemorySecretStore } from '../../electron/agent/sources/secrets/secretStore.ts';
import { S3SourceSchema } from '../../shared/sourceConfig.ts';
import { startFaultProxy } from '../support/faultProxy.ts';
import { S3RVER_CREDENTIALS, startS3Server } from '../support/s3Server.ts';
import { ensureCorpus } from './harness/corpus.ts';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.resolve(BENCH_DIR, '../../bin/audit-explorer.js');
const log = (line: string) => process.stderr.write(`${line}\n`);

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    objects: { type: 'string', default: '10000' },
    out: { type: 'string' },
  },
});
const events = Number(values.events);
const seed = Number(values.seed);
const manyObjects = Number(values.objects);

/** Runs the CLI; resolves with its parsed --json output and the wall time. */
async function cli(db: string, ...args: string[]): Promise<{ json: unknown; ms: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, '--db', db, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  const ms = performance.now() - t0;
  if (code !== 0) throw new Error(`audit-explorer ${args.join(' ')} exited ${code}:\n${err}`);
  return { json: out.trim().startsWith('{') || out.trim().startsWith('[') ? JSON.parse(out) : out, ms };
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

async function pool<T>(items: readonly T[], n: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}

type Pass = { events: number; bytes: number; objects: { listed: number; new: number; skipped: number } };

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ae-sync-bench-'));
  const corpus = await ensureCorpus(path.join(BENCH_DIR, '.corpus'), events, seed, log);
  const s3 = await startS3Server();
  const proxy = await startFaultProxy(s3.endpoint);
  const isList = (url: string) => url.includes('list-type=2');
  const reads = () => proxy.requests.filter((r) => r.method === 'GET' && !isList(r.url)).length;
  const lists = () => proxy.requests.filter((r) => r.method === 'GET' && isList(r.url)).length;
  try {
    await s3.createBucket('corpus');
    const files = filesUnder(corpus.dataDir);
    log(`upload: ${files.length} files to s3rver`);
    let t0 = performance.now();
    await pool(files, 8, async (file) =>
      s3.put('corpus', path.relative(corpus.dataDir, file).split(path.sep).join('/'), fs.readFileSync(file)),
    );
    log(`upload: ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const local = await cli(
      path.join(work, 'local.db'),
      'ingest',
      corpus.dataDir,
      '--source',
      'bench',
      '--json',
    );
    const localEvents = (local.json as { events: number }).events;
    log(`local ingest: ${localEvents} events in ${(local.ms / 1000).toFixed(1)} s`);

    const syncDb = path.join(work, 'sync.db');
    const source = (name: string, bucket: string) => {
      const file = path.join(work, `${name}.json`);
      fs.writeFileSync(
        file,
        JSON.stringify({
          name,
          kind: 's3',
          bucket,
          endpoint: proxy.url,
          forcePathStyle: true,
          credentials: {
            type: 'keys',
            accessKeyId: S3RVER_CREDENTIALS.accessKeyId,
            secretAccessKey: 'bench',
          },
        }),
      );
      return file;
    };
    await cli(syncDb, 'sources', 'add', '--file', source('corpus', 'corpus'));
    const first = await cli(syncDb, 'sync', '--source', 'corpus', '--json');
    const firstPass = (first.json as Pass[])[0]!;
    log(`first sync: ${firstPass.events} events in ${(first.ms / 1000).toFixed(1)} s`);
    const readsBefore = reads();
    const listsBefore = lists();
    const again = await cli(syncDb, 'sync', '--source', 'corpus', '--json');
    const againReads = reads() - readsBefore;
    const againLists = lists() - listsBefore;

    await s3.createBucket('many');
    log(`upload: ${manyObjects} small objects`);
    t0 = performance.now();
    const keys = Array.from({ length: manyObjects }, (_, i) => `audit/${String(i).padStart(6, '0')}.ndjson`);
    await pool(keys, 16, (key) =>
      s3.put(
        'many',
        key,
        JSON.stringify({
          createdAt: 1_700_000_000_000,
          userEmail: `${key}@x`,
          nameHints: ['login'],
          opType: 'Query',
          responseCode: 200,
        }) + '\n',
      ),
    );
    log(`upload: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await cli(syncDb, 'sources', 'add', '--file', source('many', 'many'));
    const manyFirst = await cli(syncDb, 'sync', '--source', 'many', '--json');
    const r0 = reads();
    const l0 = lists();
    const manyAgain = await cli(syncDb, 'sync', '--source', 'many', '--json');
    const manyPass = (manyAgain.json as Pass[])[0]!;
    const manyReads = reads() - r0;
    const manyLists = lists() - l0;
    // The emulator's own share: the same listing by the S3 client alone (s3rver reads a metadata file
    // per object it lists).
    const lister = new S3Source(
      S3SourceSchema.parse({
        name: 'lister',
        kind: 's3',
        bucket: 'many',
        endpoint: s3.endpoint,
        forcePathStyle: true,
        credentials: { type: 'keys', accessKeyId: S3RVER_CREDENTIALS.accessKeyId, secretAccessKey: 'x' },
      }),
      { secrets: new MemorySecretStore() },
    );
    t0 = performance.now();
    let token: string | undefined;
    do token = (await lister.list({ pageToken: token })).next ?? undefined;
    while (token !== undefined);
    const listingMs = performance.now() - t0;
    await lister.close();

    const ratio = local.ms / first.ms;
    const rows = [
      '## Sync (S3 emulator)',
      '',
      `Corpus: ${events.toLocaleString('en-US')} events (seed ${seed}), ${files.length} objects, ${(corpus.diskBytes / 1e6).toFixed(0)} MB on disk. Wall times of the CLI process, in the same run.`,
      '',
      '| step | events | time | events/s | object reads | list calls | target |',
      '|---|---:|---:|---:|---:|---:|---|',
      `| local folder ingest | ${localEvents} | ${(local.ms / 1000).toFixed(1)} s | ${Math.round((localEvents / local.ms) * 1000)} | – | – | |`,
      `| first sync of the bucket | ${firstPass.events} | ${(first.ms / 1000).toFixed(1)} s | ${Math.round((firstPass.events / first.ms) * 1000)} | ${readsBefore} | ${listsBefore} | ≥ 80% of local: ${(ratio * 100).toFixed(0)}% ${ratio >= 0.8 ? 'met' : 'MISSED'} |`,
      `| re-sync, unchanged | ${(again.json as Pass[])[0]!.events} | ${(again.ms / 1000).toFixed(1)} s | | ${againReads} | ${againLists} | 0 reads: ${againReads === 0 ? 'met' : 'MISSED'} |`,
      `| first sync of ${manyObjects} small objects | ${(manyFirst.json as Pass[])[0]!.events} | ${(manyFirst.ms / 1000).toFixed(1)} s | | | | |`,
      `| re-sync of ${manyObjects} unchanged objects | ${manyPass.events} | ${(manyAgain.ms / 1000).toFixed(1)} s | | ${manyReads} | ${manyLists} | 0 reads, ≤ 3 s: ${manyReads === 0 && manyAgain.ms <= 3000 ? 'met' : 'MISSED'} |`,
      '',
      `s3rver's own listing of the ${manyObjects} objects (the S3 client alone): ${(listingMs / 1000).toFixed(1)} s of the re-sync's ${(manyAgain.ms / 1000).toFixed(1)} s (the rest: starting the CLI, the database and the writer, and the decisions).`,
      '',
      `Events agree with the local ingest: ${firstPass.events === localEvents ? 'yes' : `NO (${firstPass.events} vs ${localEvents})`}.`,
      '',
    ];
    const report = rows.join('\n');
    process.stdout.write(report + '\n');
    if (values.out) fs.writeFileSync(values.out, report + '\n');
  } finally {
    await proxy.close();
    await s3.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

await main();
