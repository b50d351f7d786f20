/**
 * The sync benchmark (issue 8 item 6), run by `npm run bench` (its sync section) and `npm run bench:sync`:
 * - the corpus uploaded once to each object-store emulator (s3rver, Azurite);
 * - side by side in one run: a plain local-folder `ingest` of the files and a first `sync` of each bucket,
 *   every one a fresh CLI process on a fresh database (target: each sync ≥ 80% of the local ingest's speed).
 *   The first syncs talk to the emulator directly: a proxy hop would charge the sync CPU the local ingest
 *   does not pay;
 * - a re-sync of each unchanged bucket, and of a bucket of many small objects (target: 0 object reads,
 *   list calls only, ≤ 3 s), through a proxy that counts reads at the wire and times the listing requests,
 *   so the emulator's own listing time is reported apart from ours.
 * Wall times are of whole CLI processes; CPU times (every thread, user + system) are what contention with
 * other work on the machine cannot inflate.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAzureStore, startS3Store, type TestStore } from '../../integration/sync/stores.ts';
import { ensureCorpus } from './corpus.ts';
import { fmtInt, fmtMB, fmtSec, mdTable, type Table } from './format.ts';
import { cpuSnapshot, otherLoad, type CpuSnapshot } from './machine.ts';
import type { TargetResult } from './types.ts';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/audit-explorer.js');

export type SyncStoreKind = 's3' | 'azure';
export const SYNC_RATIO_TARGET = 0.8;
export const RESYNC_MS_TARGET = 3000;

export interface SyncParams {
  events: number;
  seed: number;
  /** Small objects in the bucket re-synced unchanged. */
  objects: number;
  stores: SyncStoreKind[];
  /** Times the local ingest and first syncs are repeated (side by side each time; medians reported). */
  repeat: number;
  /** Where the corpus is generated or reused. */
  corpusRoot: string;
}

export interface Timed {
  /** Wall time of the CLI process, ms (medians when repeated). */
  ms: number;
  /** Its CPU time, every thread, user + system, ms. */
  cpuMs: number;
  /** CPUs kept busy by other processes meanwhile (the emulator not counted), null off Linux. */
  otherLoad: number | null;
}

export interface ResyncReport extends Timed {
  events: number;
  /** Object downloads seen at the wire (target 0). */
  reads: number;
  listCalls: number;
  /** Time the listing requests took at the wire: the emulator's share of the wall time, ms. */
  listMs: number;
}

export interface SyncStoreReport {
  store: SyncStoreKind;
  uploadMs: number;
  first: Timed & { events: number; bytes: number };
  /** The corpus bucket again, unchanged. */
  again: ResyncReport;
  many: { objects: number; uploadMs: number; first: Timed & { events: number }; again: ResyncReport };
}

export interface SyncReport {
  events: number;
  seed: number;
  files: number;
  diskBytes: number;
  rawBytes: number;
  repeat: number;
  local: Timed & { events: number; bytes: number };
  stores: SyncStoreReport[];
  /** A CLI process that starts, opens the database and answers `sources list`: the fixed cost of any run. */
  cliStartMs: number;
}

type Pass = { events: number; bytes: number };

/** CPU ticks of this process's reaped children (the CLI processes, and what they ran and waited for). */
function childTicks(): number {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[13]) + Number(f[14]);
}

/** CPU ticks of a running process (an emulator), 0 when it cannot be read. */
function processTicks(pid: number | null): number {
  if (pid === null) return 0;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** Runs the CLI once; resolves with its parsed --json output, wall and CPU time. */
async function cli(
  db: string,
  args: string[],
  emulatorPid: number | null = null,
): Promise<Timed & { json: unknown }> {
  const ticks0 = childTicks();
  const emu0 = processTicks(emulatorPid);
  const snap0 = cpuSnapshot();
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, '--db', db, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  const ms = performance.now() - t0;
  const snap1 = cpuSnapshot();
  if (code !== 0) throw new Error(`audit-explorer ${args.join(' ')} exited ${code}:\n${err}`);
  const emulator = processTicks(emulatorPid) - emu0;
  const trimmed = out.trim();
  return {
    json: trimmed.startsWith('{') || trimmed.startsWith('[') ? JSON.parse(trimmed) : trimmed,
    ms,
    cpuMs: (childTicks() - ticks0) * TICK_MS,
    otherLoad: otherLoadBesides(snap0, snap1, emulator),
  };
}

/** Other load, with the emulator's own CPU (serving this run) taken out of it. */
function otherLoadBesides(a: CpuSnapshot | null, b: CpuSnapshot | null, emulatorTicks: number) {
  const load = otherLoad(a, b);
  if (load === null || a === null || b === null) return load;
  const cpus = os.cpus().length;
  return Math.max(0, load - (emulatorTicks / (b.total - a.total)) * cpus);
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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
function medianOf<T extends Timed>(runs: T[]): T {
  const pick = median(runs.map((r) => r.ms));
  const loads = runs.map((r) => r.otherLoad).filter((x): x is number => x !== null);
  return {
    ...runs.find((r) => r.ms === pick)!,
    cpuMs: median(runs.map((r) => r.cpuMs)),
    otherLoad: loads.length > 0 ? median(loads) : null,
  };
}

export async function runSyncBench(p: SyncParams, log: (line: string) => void): Promise<SyncReport> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ae-sync-bench-'));
  const corpus = await ensureCorpus(p.corpusRoot, p.events, p.seed, log);
  const files = filesUnder(corpus.dataDir);
  const keyOf = (file: string) => path.relative(corpus.dataDir, file).split(path.sep).join('/');
  const stores: TestStore[] = [];
  let n = 0;
  const db = () => path.join(work, `db-${++n}.db`);
  /** Adds (or with `update`, repoints) source `name` to `config`. */
  const configure = async (file: string, name: string, config: Record<string, unknown>, update = false) => {
    const json = path.join(work, `${name}-${++n}.json`);
    fs.writeFileSync(json, JSON.stringify({ ...config, name }));
    await cli(
      file,
      update ? ['sources', 'update', name, '--file', json] : ['sources', 'add', '--file', json],
    );
  };
  try {
    for (const kind of p.stores) stores.push(kind === 's3' ? await startS3Store() : await startAzureStore());
    const buckets: Record<string, unknown>[] = [];
    const uploads: number[] = [];
    for (const store of stores) {
      const config = await store.bucket('corpus');
      log(`sync bench: uploading ${files.length} objects (${fmtMB(corpus.diskBytes)} MB) to ${store.kind}`);
      const t0 = performance.now();
      await pool(files, 8, (file) => store.put(config, keyOf(file), fs.readFileSync(file)));
      uploads.push(performance.now() - t0);
      buckets.push(config);
    }

    // Side by side: local ingest, then a first sync of each store, `repeat` times.
    const locals: (Timed & { events: number; bytes: number })[] = [];
    const firsts: (Timed & { events: number; bytes: number; db: string })[][] = stores.map(() => []);
    for (let r = 0; r < p.repeat; r++) {
      const local = await cli(db(), ['ingest', corpus.dataDir, '--source', 'bench', '--json']);
      const s = local.json as Pass;
      locals.push({ ...local, events: s.events, bytes: s.bytes });
      log(`sync bench: local ingest ${fmtInt(s.events)} events in ${fmtSec(local.ms)}`);
      for (const [i, store] of stores.entries()) {
        const file = db();
        await configure(file, 'corpus', store.direct(buckets[i]!));
        const first = await cli(file, ['sync', '--source', 'corpus', '--json'], store.pid);
        const pass = (first.json as Pass[])[0]!;
        firsts[i]!.push({ ...first, events: pass.events, bytes: pass.bytes, db: file });
        log(`sync bench: first ${store.kind} sync ${fmtInt(pass.events)} events in ${fmtSec(first.ms)}`);
      }
    }

    const report: SyncReport = {
      events: p.events,
      seed: p.seed,
      files: files.length,
      diskBytes: corpus.diskBytes,
      rawBytes: corpus.rawBytes,
      repeat: p.repeat,
      local: medianOf(locals),
      stores: [],
      cliStartMs: 0,
    };
    for (const [i, store] of stores.entries()) {
      const first = medianOf(firsts[i]!);
      const file = firsts[i]!.at(-1)!.db;
      // The same source, now through the counting proxy: its stored state is untouched by the repoint.
      await configure(file, 'corpus', buckets[i]!, true);
      const again = await resync(store, file, 'corpus');

      const many = await store.bucket('many');
      log(`sync bench: uploading ${fmtInt(p.objects)} small objects to ${store.kind}`);
      const t0 = performance.now();
      const keys = Array.from({ length: p.objects }, (_, k) => `audit/${String(k).padStart(6, '0')}.ndjson`);
      await pool(keys, 16, (key) => store.put(many, key, smallObject(key)));
      const uploadMs = performance.now() - t0;
      const manyDb = db();
      await configure(manyDb, 'many', store.direct(many));
      const manyFirst = await cli(manyDb, ['sync', '--source', 'many', '--json'], store.pid);
      log(
        `sync bench: first sync of ${fmtInt(p.objects)} small ${store.kind} objects in ${fmtSec(manyFirst.ms)}`,
      );
      await configure(manyDb, 'many', many, true);
      const manyAgain = await resync(store, manyDb, 'many');
      log(
        `sync bench: re-sync of ${fmtInt(p.objects)} unchanged ${store.kind} objects in ${fmtSec(manyAgain.ms)} (listing ${fmtSec(manyAgain.listMs)}, ${manyAgain.reads} reads)`,
      );
      report.stores.push({
        store: p.stores[i]!,
        uploadMs: uploads[i]!,
        first: {
          ms: first.ms,
          cpuMs: first.cpuMs,
          otherLoad: first.otherLoad,
          events: first.events,
          bytes: first.bytes,
        },
        again,
        many: {
          objects: p.objects,
          uploadMs,
          first: { ...manyFirst, events: (manyFirst.json as Pass[])[0]!.events },
          again: manyAgain,
        },
      });
      if (i === 0) report.cliStartMs = (await cli(manyDb, ['sources', 'list'])).ms;
    }
    for (const s of report.stores) {
      delete (s.many.first as { json?: unknown }).json;
    }
    return report;
  } finally {
    for (const store of stores) await store.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }

  async function resync(store: TestStore, file: string, name: string): Promise<ResyncReport> {
    const reads0 = store.reads();
    const lists0 = store.lists();
    const listMs0 = store.listMs();
    const run = await cli(file, ['sync', '--source', name, '--json'], store.pid);
    return {
      ms: run.ms,
      cpuMs: run.cpuMs,
      otherLoad: run.otherLoad,
      events: (run.json as Pass[])[0]!.events,
      reads: store.reads() - reads0,
      listCalls: store.lists() - lists0,
      listMs: store.listMs() - listMs0,
    };
  }
}

function smallObject(key: string): string {
  return (
    JSON.stringify({
      createdAt: 1_700_000_000_000,
      userEmail: `${key}@x`,
      nameHints: ['login'],
      opType: 'Query',
      responseCode: 200,
    }) + '\n'
  );
}

const STORE_NAMES: Record<SyncStoreKind, string> = { s3: 'S3 (s3rver)', azure: 'Azure Blob (Azurite)' };
const rate = (n: number, ms: number) => (n / ms) * 1000;
const load = (x: number | null) => (x === null ? '–' : x.toFixed(1));

function firstTable(r: SyncReport): Table {
  const row = (name: string, t: Timed & { events: number; bytes: number }, ratio: string) => [
    name,
    fmtInt(t.events),
    fmtSec(t.ms),
    fmtInt(rate(t.events, t.ms)),
    (rate(t.bytes, t.ms) / 1e6).toFixed(1),
    fmtSec(t.cpuMs),
    load(t.otherLoad),
    ratio,
  ];
  return {
    head: ['step', 'events', 'wall', 'events/s', 'MB/s', 'CPU', 'other load', 'speed vs local (CPU)'],
    right: [false, true, true, true, true, true, true, false],
    rows: [
      row('local folder ingest', r.local, ''),
      ...r.stores.map((s) =>
        row(
          `first sync, ${STORE_NAMES[s.store]}`,
          s.first,
          `${pct(r.local.ms / s.first.ms)} (${pct(r.local.cpuMs / s.first.cpuMs)})`,
        ),
      ),
    ],
  };
}

function resyncTable(r: SyncReport): Table {
  const row = (name: string, a: ResyncReport) => [
    name,
    fmtSec(a.ms),
    fmtSec(a.listMs),
    fmtSec(Math.max(0, a.ms - a.listMs)),
    String(a.reads),
    String(a.listCalls),
    fmtInt(a.events),
    load(a.otherLoad),
  ];
  return {
    head: [
      're-sync, unchanged',
      'wall',
      'emulator listing',
      'the rest',
      'object reads',
      'list calls',
      'new events',
      'other load',
    ],
    right: [false, true, true, true, true, true, true, true],
    rows: r.stores.flatMap((s) => [
      row(`${STORE_NAMES[s.store]}: the corpus (${fmtInt(r.files)} objects)`, s.again),
      row(`${STORE_NAMES[s.store]}: ${fmtInt(s.many.objects)} small objects`, s.many.again),
    ]),
  };
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** The section's two tables (first syncs vs the local ingest; re-syncs), for the terminal report. */
export function syncTables(r: SyncReport): Table[] {
  return [firstTable(r), resyncTable(r)];
}

/** The targets of issue 8 item 6, against one run. */
export function syncTargets(r: SyncReport): TargetResult[] {
  return r.stores.flatMap((s) => {
    const ratio = r.local.ms / s.first.ms;
    const cpuRatio = r.local.cpuMs / s.first.cpuMs;
    const many = s.many.again;
    return [
      {
        name: `First sync, ${STORE_NAMES[s.store]}`,
        target: `≥ ${pct(SYNC_RATIO_TARGET)} of a local ingest's speed, same run`,
        value: `${pct(ratio)} (${fmtSec(s.first.ms)} vs ${fmtSec(r.local.ms)}; CPU ${pct(cpuRatio)})`,
        pass: ratio >= SYNC_RATIO_TARGET,
        ...(ratio < SYNC_RATIO_TARGET && cpuRatio >= SYNC_RATIO_TARGET
          ? { note: 'wall time missed while the CPU time passes: contention, see "other load"' }
          : {}),
      },
      {
        name: `Re-sync of ${fmtInt(s.many.objects)} unchanged objects, ${STORE_NAMES[s.store]}`,
        target: `0 object reads, list calls only, ≤ ${fmtSec(RESYNC_MS_TARGET)}`,
        value: `${many.reads} reads, ${many.listCalls} list calls, ${fmtSec(many.ms)} (emulator listing ${fmtSec(many.listMs)}, the rest ${fmtSec(many.ms - many.listMs)})`,
        pass: many.reads === 0 && many.ms <= RESYNC_MS_TARGET,
        ...(many.reads === 0 && many.listMs >= RESYNC_MS_TARGET
          ? { note: "the emulator's listing alone takes longer than the target" }
          : {}),
      },
    ];
  });
}

/** The Markdown section. */
export function renderSync(r: SyncReport, heading = '###'): string {
  const agree = r.stores.every((s) => s.first.events === r.local.events);
  return [
    `${heading} Sync`,
    '',
    `The corpus (${fmtInt(r.events)} events, seed ${r.seed}: ${fmtInt(r.files)} objects, ${fmtMB(r.diskBytes)} MB stored, ${fmtMB(r.rawBytes)} MB of NDJSON) uploaded once to each emulator (${r.stores.map((s) => `${s.store} ${fmtSec(s.uploadMs)}`).join(', ')}); then, side by side in the same run${r.repeat > 1 ? ` (${r.repeat} times; medians)` : ''}, a local \`ingest\` of the files and a first \`sync\` of each bucket, each a fresh CLI process on a new database, the syncs straight to the emulator. Wall time and CPU (every thread of the CLI process; the emulator not counted); "other load" is the CPUs other processes kept busy meanwhile (the emulator not counted).`,
    '',
    mdTable(firstTable(r)),
    '',
    `Events agree with the local ingest: ${agree ? 'yes' : `NO (${r.stores.map((s) => `${s.store} ${s.first.events}`).join(', ')} vs ${r.local.events})`}.`,
    '',
    `Re-syncs through a proxy that counts object reads at the wire and times the listing requests ("emulator listing": from a listing request's arrival to the end of its response, summed). "The rest" is ours: starting the CLI process (a \`sources list\` takes ${fmtSec(r.cliStartMs)} here), the writer, the state of every object in one query, and the decisions.`,
    '',
    mdTable(resyncTable(r)),
    '',
  ].join('\n');
}
