/**
 * The benchmark: generate (or reuse) a seeded corpus, ingest it in a child process, time whole search
 * responses for the fixed query set in a fresh process, compare with ripgrep over the raw files, and
 * time the search screen in Chromium through `serve` (Enter → rows painted, frame times while scrolling),
 * time a first sync of the corpus from the S3 and Azure emulators against a local ingest and re-syncs of
 * unchanged buckets (harness/syncSection.ts), and write docs/benchmark.md + docs/benchmark.json.
 *
 *   node test/bench/run.ts [--events 1000000] [--seed 1] [--runs 20] [--no-ui] [--no-sync] [--sync-objects 10000]
 *                          [--keep-db] [--out docs/benchmark.md]
 *
 * The human report goes to stdout, progress to stderr. Exit 1 when a step fails (its stderr is printed)
 * or the disk is too small; target misses and count mismatches are reported, not fatal.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchQueryName } from './generate.ts';
import { duckdbBaseline, ripgrepBaselines } from './harness/baselines.ts';
import { ChildFailed, runChild } from './harness/child.ts';
import {
  cachedCorpusUsable,
  DB_BYTES_PER_EVENT,
  DISK_BYTES_PER_EVENT,
  ensureCorpus,
  freeBytes,
} from './harness/corpus.ts';
import { dbFiles, inspectDb } from './harness/dbInspect.ts';
import { fmtInt, fmtMB } from './harness/format.ts';
import { cpuSnapshot, describeMachine, otherLoad } from './harness/machine.ts';
import { renderText, writeResults } from './harness/report.ts';
import type { SyncParams, SyncReport } from './harness/syncSection.ts';
import { evaluateTargets } from './harness/targets.ts';
import type {
  ExportFormatParams,
  ExportParams,
  ExportReport,
  IngestParams,
  IngestReport,
  QueryParams,
  QueryReport,
  QuerySpec,
  RunResult,
  SyncSection,
  UiParams,
  UiReport,
  UiSection,
} from './harness/types.ts';

const USAGE =
  'usage: node test/bench/run.ts [--events 1000000] [--seed 1] [--runs 20] [--no-ui] [--no-sync] [--sync-objects 10000] [--keep-db] [--out docs/benchmark.md]';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(BENCH_DIR, '..', '..');
const CORPUS_ROOT = path.join(BENCH_DIR, '.corpus');
const WORK_ROOT = path.join(BENCH_DIR, '.work');
const HARNESS = path.join(BENCH_DIR, 'harness');
const UI_CHILD = path.join(BENCH_DIR, 'ui', 'uiChild.ts');
const SYNC_CHILD = path.join(HARNESS, 'syncChild.ts');
/** The browser the UI section drives (Debian's package; never a downloaded one). */
const CHROMIUM = '/usr/bin/chromium';
const FREE_TEXT: ReadonlySet<BenchQueryName> = new Set(['word-frequent', 'word-rare', 'phrase']);
/** Slack on top of the estimate: WAL growth during the merge, temp files. */
const DISK_SLACK = 1e9;

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function positiveInt(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value.replaceAll('_', ''));
  if (!Number.isSafeInteger(n) || n < min)
    fail(`--${name} must be an integer ≥ ${min}, got ${value}\n${USAGE}`);
  return n;
}

function parse() {
  let values;
  try {
    values = parseArgs({
      options: {
        events: { type: 'string' },
        seed: { type: 'string' },
        runs: { type: 'string' },
        'keep-db': { type: 'boolean', default: false },
        ui: { type: 'boolean', default: true },
        sync: { type: 'boolean', default: true },
        'sync-objects': { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowNegative: true,
    }).values;
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  return {
    events: positiveInt('events', values.events, 1_000_000, 1000),
    seed: positiveInt('seed', values.seed, 1, 0),
    runs: positiveInt('runs', values.runs, 20),
    keepDb: values['keep-db'],
    ui: values.ui,
    sync: values.sync,
    syncObjects: positiveInt('sync-objects', values['sync-objects'], 10_000),
    out: path.resolve(values.out ?? path.join(REPO, 'docs', 'benchmark.md')),
  };
}

const log = (line: string) => process.stderr.write(`${line}\n`);

function removeDb(dbFile: string): void {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(dbFile + suffix, { force: true });
}

async function main(): Promise<void> {
  const opts = parse();
  const machine = describeMachine();
  log(`bench: ${fmtInt(opts.events)} events, seed ${opts.seed}, ${opts.runs} runs per query`);

  // Disk: the corpus (unless cached) and the database, with some slack.
  const corpusDir = path.join(CORPUS_ROOT, `${opts.events}-${opts.seed}`);
  const cached = cachedCorpusUsable(corpusDir, opts.events, opts.seed);
  const need =
    (cached ? 0 : opts.events * DISK_BYTES_PER_EVENT) + opts.events * DB_BYTES_PER_EVENT + DISK_SLACK;
  const free = freeBytes(BENCH_DIR);
  if (free < need) {
    fail(
      `not enough disk space: this run needs about ${fmtMB(need)} MB (${cached ? 'the database' : 'corpus + database'}) under ${BENCH_DIR}, ${fmtMB(free)} MB are free`,
      1,
    );
  }

  const corpus = await ensureCorpus(CORPUS_ROOT, opts.events, opts.seed, log);
  const truth = corpus.truth;
  log(
    `corpus: ${fmtInt(truth.events.distinct)} events in ${truth.files.length} files, ${fmtMB(corpus.rawBytes)} MB raw, ${fmtMB(corpus.diskBytes)} MB on disk`,
  );

  const workDir = path.join(WORK_ROOT, `${opts.events}-${opts.seed}`);
  fs.mkdirSync(workDir, { recursive: true });
  const dbFile = path.join(workDir, 'audit.db');
  removeDb(dbFile);

  try {
    // 1. Ingest, alone in its process.
    const ingestParams: IngestParams = {
      dbFile,
      dataDir: corpus.dataDir,
      resultFile: path.join(workDir, 'ingest.json'),
      progressEveryMs: 5000,
    };
    const cpu0 = cpuSnapshot();
    const ingest = await runChild<IngestReport>(path.join(HARNESS, 'ingestChild.ts'), ingestParams, log);
    const cpu1 = cpuSnapshot();
    const files = dbFiles(dbFile);

    // 2. Searches, in a fresh process.
    const queries: QuerySpec[] = truth.questions.map((q) => ({
      name: q.name,
      query: q.query,
      expected: q.expected,
      freeText: FREE_TEXT.has(q.name),
    }));
    const queryParams: QueryParams = {
      dbFile,
      resultFile: path.join(workDir, 'queries.json'),
      queries,
      runs: opts.runs,
    };
    const cpu2 = cpuSnapshot();
    const searched = await runChild<QueryReport>(path.join(HARNESS, 'queryChild.ts'), queryParams, log);
    const cpu3 = cpuSnapshot();

    // 2b. Export everything to an evidence bundle, in a fresh process.
    const exportParams: ExportParams = {
      dbFile,
      out: path.join(workDir, 'bundle.zip'),
      resultFile: path.join(workDir, 'export.json'),
    };
    fs.rmSync(exportParams.out, { force: true });
    // Tuned like `audit-explorer export` runs (scripts/tuning.cjs).
    const exported = await runChild<ExportReport>(path.join(HARNESS, 'exportChild.ts'), exportParams, log, {
      tuned: true,
    });
    fs.rmSync(exportParams.out, { force: true });
    // 2c. What each output costs on its own (events.ndjson with its running hash; events.csv).
    const exportOutput = async (output: ExportFormatParams['output']) => {
      const params: ExportFormatParams = {
        dbFile,
        out: path.join(workDir, `export-${output}`),
        output,
        resultFile: path.join(workDir, `export-${output}.json`),
      };
      fs.rmSync(params.out, { recursive: true, force: true });
      try {
        return await runChild<ExportReport>(path.join(HARNESS, 'exportFormatChild.ts'), params, log, {
          tuned: true,
        });
      } finally {
        fs.rmSync(params.out, { recursive: true, force: true });
      }
    };
    const exportOutputs = { ndjson: await exportOutput('ndjson'), csv: await exportOutput('csv') };

    // 3. Where the bytes went (read-only; after the timings so it warms nothing they measure).
    const facts = inspectDb(dbFile);

    // 4. Baselines over the raw files.
    const ours = (name: BenchQueryName) => {
      const r = searched.results.find((x) => x.name === name);
      return r && { p50: r.latency.p50, expected: r.expected };
    };
    const cpu4 = cpuSnapshot();
    const baselines = [
      ...ripgrepBaselines(corpus.dataDir, truth.questions, ours, log),
      ...duckdbBaseline(corpus.dataDir, ours, log),
    ];
    const cpu5 = cpuSnapshot();

    // 5. The search screen in Chromium through `serve`, on the same database.
    let ui: UiSection;
    const cpu6 = cpuSnapshot();
    if (!opts.ui) ui = { ran: false, reason: '--no-ui was given' };
    else if (!fs.existsSync(CHROMIUM)) {
      ui = { ran: false, reason: `${CHROMIUM} is not installed (apt-get install chromium)` };
      log(`ui: skipped the UI section: ${ui.reason}`);
    } else {
      const uiParams: UiParams = {
        dbFile,
        resultFile: path.join(workDir, 'ui.json'),
        queries,
        runs: opts.runs,
        events: opts.events,
      };
      ui = { ran: true, report: await runChild<UiReport>(UI_CHILD, uiParams, log) };
    }
    const cpu7 = cpuSnapshot();

    // 6. Sync: the corpus from the S3 and Azure emulators against a local ingest, side by side, and
    // re-syncs of unchanged buckets (its own databases; it reports its own contention per step).
    let sync: SyncSection;
    if (!opts.sync) sync = { ran: false, reason: '--no-sync was given' };
    else {
      const syncParams: SyncParams & { resultFile: string } = {
        events: opts.events,
        seed: opts.seed,
        objects: opts.syncObjects,
        stores: ['s3', 'azure'],
        repeat: 1,
        corpusRoot: CORPUS_ROOT,
        resultFile: path.join(workDir, 'sync.json'),
      };
      sync = { ran: true, report: await runChild<SyncReport>(SYNC_CHILD, syncParams, log) };
    }

    const s = ingest.summary;
    const check = (name: string, got: number, want: number) => ({
      name,
      ok: got === want,
      detail: `${fmtInt(got)} (truth ${fmtInt(want)})`,
    });
    const dbBytes = files.bytes + files.walBytes;
    const run: Omit<RunResult, 'targets'> = {
      events: opts.events,
      seed: opts.seed,
      runs: opts.runs,
      machine,
      corpus: {
        dir: path.relative(REPO, corpus.dir),
        files: truth.files.length,
        gzipFiles: corpus.gzipFiles,
        distinctEvents: truth.events.distinct,
        lines: truth.lines.total,
        rawBytes: corpus.rawBytes,
        diskBytes: corpus.diskBytes,
        generatedMs: corpus.generatedMs,
      },
      ingest: {
        ...ingest,
        checks: [
          check('events stored', s.events, truth.events.distinct),
          check('duplicates', s.duplicates, truth.duplicates.total),
          check('quarantined', s.quarantined, truth.lines.malformed),
          check('files read', s.objects, truth.files.length),
          check('file errors', s.errors, 0),
          check('lines read', s.lines, truth.lines.total - truth.lines.blank),
          check('bytes read', s.bytes, corpus.diskBytes),
        ],
        importEventsPerSec: (s.events / ingest.importMs) * 1000,
        totalEventsPerSec: (s.events / (ingest.importMs + ingest.maintenanceMs)) * 1000,
        importRawMBPerSec: ((corpus.rawBytes / ingest.importMs) * 1000) / 1e6,
        ftsSegments: facts.ftsSegments,
      },
      db: {
        bytes: files.bytes,
        walBytes: files.walBytes,
        ratioRaw: dbBytes / corpus.rawBytes,
        ratioDisk: dbBytes / corpus.diskBytes,
        breakdown: facts.breakdown,
      },
      queries: searched,
      export: exported,
      exportOutputs,
      baselines,
      ui,
      sync,
      contention: {
        ingest: otherLoad(cpu0, cpu1),
        queries: otherLoad(cpu2, cpu3),
        baselines: otherLoad(cpu4, cpu5),
        ui: ui.ran ? otherLoad(cpu6, cpu7) : null,
      },
    };
    const result: RunResult = { ...run, targets: evaluateTargets(run) };

    process.stdout.write(`${renderText(result)}\n`);
    const written = await writeResults(opts.out, result);
    log(
      `bench: wrote ${path.relative(process.cwd(), written.md)} and ${path.relative(process.cwd(), written.json)}`,
    );
    const mismatches = [
      ...result.queries.results.filter((q) => !q.ok).map((q) => q.name),
      ...result.ingest.checks.filter((c) => !c.ok).map((c) => c.name),
      ...(ui.ran ? ui.report.queries.filter((q) => !q.ok).map((q) => `ui ${q.name}`) : []),
    ];
    if (mismatches.length > 0) {
      log(`\n!!! MISMATCH against the generator's truth: ${mismatches.join(', ')} !!!\n`);
    }
  } finally {
    for (const name of [
      'ingest.json',
      'queries.json',
      'ui.json',
      'export.json',
      'export-ndjson.json',
      'export-csv.json',
      'sync.json',
      'bundle.zip',
    ])
      fs.rmSync(path.join(workDir, name), { force: true });
    if (opts.keepDb) log(`bench: kept the database: ${path.relative(process.cwd(), dbFile)}`);
    else {
      removeDb(dbFile);
      if (fs.readdirSync(workDir).length === 0) fs.rmdirSync(workDir);
    }
  }
}

main().catch((error: unknown) => {
  if (error instanceof ChildFailed) process.stderr.write(`bench: ${error.message}\n`);
  else
    process.stderr.write(
      `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  process.exit(1);
});
