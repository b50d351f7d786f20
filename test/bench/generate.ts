/**
 * A seeded generator of realistic audit-log corpora for benchmarks and end-to-end tests.
 *
 * - `generateCorpus(opts)` writes hourly NDJSON objects (some gzipped) under `<dir>/data/` the way the
 *   exporters lay them out (`prophecy/audit/2024-03-04T09.ndjson`, `dronahq/…`, `dronahq-db/…`,
 *   `gravitee-am/…`), plus `<dir>/truth.json` with the ground truth, and returns the truth.
 * - `createEventStream(opts)` yields the same clean lines in-process, without touching the disk.
 * - `BENCH_QUERIES` / `benchQueries(opts)`: fixed queries that hit the generated data, with ripgrep
 *   patterns for a baseline.
 *
 * Same seed and options → byte-identical files. Memory stays bounded: lines are generated, counted and
 * streamed; only counters, a few sample lines and the per-file summary are kept.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import type { Extra, FileHostility } from './corpus/hostile.ts';
import { malformedLine, planHostility } from './corpus/hostile.ts';
import { IsoClock } from './corpus/iso.ts';
import type { CorpusPlan, FilePlan, PlanOptions } from './corpus/plan.ts';
import { planCorpus } from './corpus/plan.ts';
import { Rng } from './corpus/prng.ts';
import type { BenchQuery } from './corpus/queries.ts';
import { benchQueries, benchQueriesFor, questionWindow } from './corpus/queries.ts';
import { FileEventSource, registerAll } from './corpus/source.ts';
import type { CorpusTruth, MalformedKind, TruthFile } from './corpus/truth.ts';
import { byFormat, EventCounter, MALFORMED_KINDS, questionCounts, sortedRecord } from './corpus/truth.ts';
import type { FormatName } from './corpus/world.ts';
import { FORMATS, World } from './corpus/world.ts';
import { FileSink } from './corpus/writer.ts';

export type { BenchQuery, BenchQueryName, BenchQueryOptions } from './corpus/queries.ts';
export type { CorpusTruth, MalformedKind, TruthFile, TruthQuestion } from './corpus/truth.ts';
export type { FormatMix } from './corpus/plan.ts';
export { benchQueries, planCorpus };
export { DEFAULT_END, DEFAULT_DAYS, DEFAULT_FORMATS, DEFAULT_GZIP_RATIO } from './corpus/plan.ts';

export interface CorpusOptions {
  /** Output directory: created if missing, must be empty. Files go to `<dir>/data/`, truth to `<dir>/truth.json`. */
  dir: string;
  /** Default 1. */
  seed?: number;
  /** Distinct valid events to generate (hostile extras — duplicates, malformed, blank lines — come on top). */
  events: number;
  /** Number of hourly files (default: one per ~5,000 events, at least 3; 12 when hostile). */
  files?: number;
  /** Relative share of each format (default 70/15/15). */
  formats?: { prophecy: number; dronahq: number; gravitee: number };
  /** Share of files written gzipped (default 0.25). */
  gzipRatio?: number;
  /** Add duplicates, malformed lines, BOM/CRLF, long lines, secrets, odd gzip (default false). */
  hostile?: boolean;
  /** Epoch ms, inclusive (default: `end` − 90 days). */
  start?: number;
  /** Epoch ms, exclusive (default 2024-04-01T00:00Z, fixed for reproducibility). */
  end?: number;
  /** User population size (default 300). */
  users?: number;
}

export type EventStreamOptions = Omit<CorpusOptions, 'dir' | 'hostile'>;

/** The bench queries for seed 1 over the default time range. */
export const BENCH_QUERIES: readonly BenchQuery[] = benchQueries({ seed: 1 });

const DATA_DIR = 'data';
const RING = 16;
const RESERVOIR = 64;
/** Files whose gzip tail may still be compressing while the next file is generated. */
const MAX_CLOSING = 2;

/**
 * The clean event lines (no line endings) of the corpus `generateCorpus` would write with the same
 * options and `hostile: false`, in the same order (file by file), without touching the disk.
 */
export function* createEventStream(opts: EventStreamOptions): Generator<string, void, undefined> {
  const plan = planCorpus({ ...opts, hostile: false });
  const world = new World(plan.options.seed, plan.options.users);
  registerAll(world);
  for (const file of plan.files) {
    const src = new FileEventSource(world, plan, file);
    for (let k = 0; k < file.events; k++) yield src.next();
  }
}

interface SecretRow {
  marker: string;
  key: string;
  format: FormatName;
  file: string;
  line: number;
}

/** Mutable state of one generation run. */
class Run {
  readonly counter: EventCounter;
  readonly files: TruthFile[] = [];
  readonly malformed: Array<{ file: string; line: number; kind: MalformedKind }> = [];
  readonly malformedByKind = Object.fromEntries(MALFORMED_KINDS.map((k) => [k, 0])) as Record<
    MalformedKind,
    number
  >;
  readonly secrets: SecretRow[] = [];
  readonly longLines: Array<{ file: string; line: number; bytes: number }> = [];
  readonly reservoir: string[][] = [[], [], []];
  lines = 0;
  blank = 0;
  valid = 0;
  dupWithin = 0;
  dupAcross = 0;
  dupCopies = 0;
  readonly dupByFormat = [0, 0, 0];

  constructor(counter: EventCounter) {
    this.counter = counter;
  }
}

function ensureEmptyDir(dir: string): void {
  if (fs.existsSync(dir)) {
    const entries = fs.readdirSync(dir);
    if (entries.length > 0) {
      throw new Error(`${dir} is not empty: generateCorpus writes into a new or empty directory`);
    }
  }
  fs.mkdirSync(path.join(dir, DATA_DIR), { recursive: true });
}

function formatIndex(f: FormatName): number {
  return FORMATS.indexOf(f);
}

async function writeFile(
  world: World,
  plan: CorpusPlan,
  file: FilePlan,
  h: FileHostility | null,
  dataDir: string,
  run: Run,
): Promise<{ stats: TruthFile; closed: Promise<void> }> {
  const abs = path.join(dataDir, file.path);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  const src = new FileEventSource(world, plan, file);
  const sink = new FileSink(abs, file.gzip);
  const fi = formatIndex(file.format);
  const eol = h?.crlf ? '\r\n' : '\n';
  const n = file.events;
  const split = h?.twoMembers ? Math.floor(n / 2) : -1;
  const hrng = h ? new Rng(plan.options.seed, 0x686f7374, file.index) : null;
  const clock = new IsoClock();
  const ring: string[] = [];
  // Lines of this file join the cross-file reservoir only once the file is done.
  const sample: string[] = [];
  const stats: TruthFile = {
    path: file.path,
    format: file.format,
    ...(file.shape ? { shape: file.shape } : {}),
    gzip: file.gzip,
    ...(h?.twoMembers ? { gzipMembers: 2 } : {}),
    bytes: 0,
    lines: 0,
    valid: 0,
    duplicates: 0,
    malformed: 0,
    blank: 0,
    firstTs: 0,
    lastTs: 0,
    features: [],
  };
  if (h) {
    if (h.bom) stats.features.push('bom');
    if (h.crlf) stats.features.push('crlf');
    if (h.noFinalNewline) stats.features.push('no-final-newline');
    if (h.twoMembers) stats.features.push('gzip-two-members');
    if (h.gzipWithoutExtension) stats.features.push('gzip-without-extension');
    if (h.copies.length > 0) stats.features.push('re-exported');
    if (h.bom) sink.write('\uFEFF');
  }
  let prev = '';
  let lineNo = 0;
  for (let k = 0; k < n; k++) {
    const special = h ? (h.specials.get(k) ?? null) : null;
    const line = src.next(special);
    const info = src.info;
    lineNo++;
    if (k === split) {
      const cut = Math.floor(line.length / 2);
      sink.write(line.slice(0, cut));
      await sink.newGzipMember();
      sink.write(line.slice(cut) + eol);
    } else if (k === n - 1 && h?.noFinalNewline) {
      sink.write(line);
    } else {
      sink.write(line + eol);
    }
    run.counter.add(info);
    if (k === 0) stats.firstTs = info.ts;
    if (k === n - 1) stats.lastTs = info.ts;
    if (info.secretMarker !== null) {
      run.secrets.push({
        marker: info.secretMarker,
        key: info.secretKey!,
        format: file.format,
        file: file.path,
        line: lineNo,
      });
    }
    if (h) {
      if (special?.kind === 'long') {
        run.longLines.push({ file: file.path, line: lineNo, bytes: line.length });
      } else if (info.secretMarker === null) {
        prev = line;
        if (ring.length === RING) ring.shift();
        ring.push(line);
        if (sample.length < RESERVOIR) sample.push(line);
        else if (hrng!.chance(0.02)) sample[hrng!.int(RESERVOIR)] = line;
      }
      const extras = h.extras.get(k);
      if (extras)
        lineNo = emitExtras(extras, {
          file,
          sink,
          eol,
          hrng: hrng!,
          clock,
          ring,
          prev,
          info,
          run,
          stats,
          lineNo,
          fi,
        });
    }
    if (sink.needsFlush) await sink.flush();
  }
  const reservoir = run.reservoir[fi]!;
  for (const line of sample) {
    if (reservoir.length < RESERVOIR) reservoir.push(line);
    else reservoir[hrng!.int(RESERVOIR)] = line;
  }
  stats.lines = lineNo;
  stats.valid += n;
  run.lines += lineNo;
  run.valid += n;
  // Compression of the file's tail finishes in the background while the next file is generated.
  const closed = sink.close().then(() => {
    stats.bytes = fs.statSync(abs).size;
  });
  closed.catch(() => undefined); // awaited later; do not report it as unhandled meanwhile
  return { stats, closed };
}

interface ExtraCtx {
  file: FilePlan;
  sink: { write(s: string): void; writeBytes(b: Buffer): void };
  eol: string;
  hrng: Rng;
  clock: IsoClock;
  ring: string[];
  prev: string;
  info: { ts: number };
  run: Run;
  stats: TruthFile;
  lineNo: number;
  fi: number;
}

/** Writes the extra lines after one event; returns the new line count. */
function emitExtras(extras: readonly Extra[], c: ExtraCtx): number {
  let lineNo = c.lineNo;
  for (const e of extras) {
    lineNo++;
    switch (e.kind) {
      case 'blank':
        c.sink.write(e.text + c.eol);
        c.stats.blank++;
        c.run.blank++;
        break;
      case 'malformed': {
        const text = malformedLine(e.malformed, c.prev, c.info.ts, c.hrng, c.clock);
        if (typeof text === 'string') c.sink.write(text + c.eol);
        else {
          c.sink.writeBytes(text);
          c.sink.write(c.eol);
        }
        c.stats.malformed++;
        c.run.malformed.push({ file: c.file.path, line: lineNo, kind: e.malformed });
        c.run.malformedByKind[e.malformed]++;
        break;
      }
      case 'dup-within':
      case 'dup-across': {
        const pool = e.kind === 'dup-within' ? c.ring : c.run.reservoir[c.fi]!;
        const pick = pool[c.hrng.int(pool.length)]!;
        c.sink.write(pick + c.eol);
        c.stats.duplicates++;
        c.stats.valid++;
        c.run.valid++;
        c.run.dupByFormat[c.fi]!++;
        if (e.kind === 'dup-within') c.run.dupWithin++;
        else c.run.dupAcross++;
        break;
      }
    }
  }
  return lineNo;
}

async function writeCopy(
  dataDir: string,
  original: TruthFile,
  copy: { path: string; gzip: boolean },
): Promise<TruthFile> {
  const from = path.join(dataDir, original.path);
  const to = path.join(dataDir, copy.path);
  if (copy.gzip === original.gzip) fs.copyFileSync(from, to);
  else {
    await pipeline(
      fs.createReadStream(from),
      copy.gzip ? zlib.createGzip() : zlib.createGunzip(),
      fs.createWriteStream(to),
    );
  }
  return {
    ...original,
    path: copy.path,
    gzip: copy.gzip,
    bytes: fs.statSync(to).size,
    duplicates: original.valid,
    features: ['whole-file-copy'],
    copyOf: original.path,
  };
}

async function writeTruncated(
  world: World,
  plan: CorpusPlan,
  file: FilePlan,
  dataDir: string,
  counter: EventCounter,
): Promise<{ stats: TruthFile; truth: NonNullable<CorpusTruth['truncatedGzip']> }> {
  const abs = path.join(dataDir, file.path);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  let src = new FileEventSource(world, plan, file);
  const lines: string[] = [];
  for (let k = 0; k < file.events; k++) lines.push(src.next());
  const gz = zlib.gzipSync(lines.join('\n') + '\n');
  const cut = gz.subarray(0, Math.floor(gz.length * 0.6));
  fs.writeFileSync(abs, cut);
  const recovered = zlib.gunzipSync(cut, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString('utf8');
  const complete = recovered.split('\n').length - 1;
  const partial = recovered.length - (recovered.lastIndexOf('\n') + 1);
  src = new FileEventSource(world, plan, file);
  for (let k = 0; k < complete; k++) {
    src.next();
    counter.add(src.info);
  }
  const questions = questionCounts(counter, world);
  return {
    stats: {
      path: file.path,
      format: file.format,
      gzip: true,
      bytes: cut.length,
      lines: complete + (partial > 0 ? 1 : 0),
      valid: complete,
      duplicates: 0,
      malformed: 0,
      blank: 0,
      firstTs: counter.firstTs,
      lastTs: counter.lastTs,
      features: ['truncated-gzip'],
      truncated: true,
    },
    truth: {
      file: file.path,
      eventsWritten: file.events,
      completeLines: complete,
      partialLineBytes: partial,
      compressedBytes: cut.length,
      counts: {
        events: counter.events,
        byFormat: byFormat(counter.byFormat),
        failures: counter.failuresByFormat.reduce((a, b) => a + b, 0),
        questions,
      },
    },
  };
}

/** Writes a corpus and its truth.json; see CorpusOptions. Returns the truth (also in `<dir>/truth.json`). */
export async function generateCorpus(opts: CorpusOptions): Promise<CorpusTruth> {
  const plan = planCorpus(opts as PlanOptions);
  const o = plan.options;
  const world = new World(o.seed, o.users);
  registerAll(world);
  const queries = benchQueriesFor(world, o.start, o.end);
  const win = questionWindow(o.start, o.end);
  const keys = { topUser: world.persons[0]!.user, windowStart: win.start, windowEnd: win.end };
  const run = new Run(new EventCounter(world, keys));
  ensureEmptyDir(opts.dir);
  const dataDir = path.join(opts.dir, DATA_DIR);
  const hostility = o.hostile ? planHostility(plan) : null;
  let truncated: CorpusTruth['truncatedGzip'] = null;
  const copies: Array<{ path: string; copyOf: string }> = [];
  const closing: Array<Promise<void>> = [];

  for (const file of plan.files) {
    if (file.truncated) {
      const t = await writeTruncated(world, plan, file, dataDir, new EventCounter(world, keys));
      run.files.push(t.stats);
      truncated = t.truth;
      continue;
    }
    const h = hostility?.get(file.index) ?? null;
    const { stats, closed } = await writeFile(world, plan, file, h, dataDir, run);
    run.files.push(stats);
    closing.push(closed);
    if (closing.length > MAX_CLOSING) await closing.shift();
    if (h && h.copies.length > 0) await closed;
    for (const copy of h?.copies ?? []) {
      const c = await writeCopy(dataDir, stats, copy);
      run.files.push(c);
      copies.push({ path: c.path, copyOf: stats.path });
      run.lines += c.lines;
      run.valid += c.valid;
      run.dupCopies += c.valid;
      run.dupByFormat[formatIndex(c.format)]! += c.valid;
    }
  }

  await Promise.all(closing);
  const c = run.counter;
  const duplicates = run.dupWithin + run.dupAcross + run.dupCopies;
  const counts = questionCounts(c, world);
  const entityOps: Record<string, Record<string, number>> = {};
  const nOps = world.opTypes.size;
  for (const [entity] of Object.entries(sortedRecord(world.entities.names, c.perEntity))) {
    const e = world.entities.id(entity);
    entityOps[entity] = sortedRecord(world.opTypes.names, c.perEntityOp.subarray(e * nOps, (e + 1) * nOps));
  }
  const topUsers = [...c.perUser.keys()]
    .filter((u) => c.perUser[u]! > 0)
    .sort((a, b) => c.perUser[b]! - c.perUser[a]! || a - b)
    .slice(0, 25)
    .map((u) => ({ user: world.users.names[u]!, events: c.perUser[u]! }));
  const iso = (ms: number): string => new Date(ms).toISOString();
  const truth: CorpusTruth = {
    version: 1,
    seed: o.seed,
    options: {
      events: o.events,
      files: o.files,
      formats: o.formats,
      gzipRatio: o.gzipRatio,
      hostile: o.hostile,
      start: iso(o.start),
      end: iso(o.end),
      users: o.users,
    },
    dataDir: DATA_DIR,
    timeRange: {
      start: iso(o.start),
      end: iso(o.end),
      firstEvent: iso(c.firstTs),
      lastEvent: iso(c.lastTs),
      firstEventMs: c.firstTs,
      lastEventMs: c.lastTs,
    },
    lines: {
      total: run.lines,
      blank: run.blank,
      valid: run.valid,
      duplicate: duplicates,
      malformed: run.malformed.length,
    },
    events: { distinct: c.events, byFormat: byFormat(c.byFormat) },
    duplicates: {
      total: duplicates,
      withinFile: run.dupWithin,
      acrossFiles: run.dupAcross,
      wholeFileCopies: run.dupCopies,
      byFormat: byFormat(run.dupByFormat),
    },
    malformed: { byKind: run.malformedByKind, lines: run.malformed },
    failures: { total: counts['outcome-failure']!, byFormat: byFormat(c.failuresByFormat) },
    users: { distinct: [...c.perUser].filter((n) => n > 0).length, top: topUsers },
    actions: sortedRecord(world.actions.names, c.perAction),
    entities: sortedRecord(world.entities.names, c.perEntity),
    opTypes: sortedRecord(world.opTypes.names, c.perOpType),
    entityOps,
    words: {
      frequent: { word: world.frequentWord, events: c.freq },
      rare: { word: world.rareWord, events: c.rare },
      phrase: { text: `${world.phrase[0]} ${world.phrase[1]}`, events: c.phrase },
    },
    secrets: run.secrets,
    questions: queries.map((q) => ({ ...q, expected: counts[q.name]! })),
    files: run.files,
    truncatedGzip: truncated,
    hostile: o.hostile
      ? {
          bom: run.files.filter((f) => f.features.includes('bom')).map((f) => f.path),
          crlf: run.files.filter((f) => f.features.includes('crlf')).map((f) => f.path),
          noFinalNewline: run.files.filter((f) => f.features.includes('no-final-newline')).map((f) => f.path),
          gzipTwoMembers: run.files.filter((f) => f.features.includes('gzip-two-members')).map((f) => f.path),
          gzipWithoutExtension: run.files
            .filter((f) => f.features.includes('gzip-without-extension'))
            .map((f) => f.path),
          wholeFileCopies: copies,
          longLines: run.longLines,
          blankLines: run.blank,
        }
      : null,
  };
  fs.writeFileSync(path.join(opts.dir, 'truth.json'), JSON.stringify(truth, null, 2) + '\n');
  return truth;
}
