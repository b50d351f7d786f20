/**
 * The corpus layout: which files exist, which format and hour each covers, how many events each holds,
 * which are gzipped, and where the rare word and the phrase are forced in. Pure function of the options.
 *
 * Uniqueness by construction: every file owns a disjoint time window (an hour, or a slice of one when
 * there are more files than hours), and timestamps strictly increase inside a file, so no two clean
 * events of one format share a timestamp, and lines of different formats never look alike. The truth
 * can therefore count duplicates without remembering lines.
 */
import { Rng } from './prng.ts';
import type { DronaShape } from './dronahq.ts';
import type { FormatName } from './world.ts';
import { FORMATS } from './world.ts';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
/** Default end of the time range: fixed, so runs are reproducible. */
export const DEFAULT_END = Date.UTC(2024, 3, 1);
export const DEFAULT_DAYS = 90;
export const DEFAULT_FORMATS = { prophecy: 0.7, dronahq: 0.15, gravitee: 0.15 } as const;
export const DEFAULT_GZIP_RATIO = 0.25;
export const DEFAULT_USERS = 300;
/** Events the (hostile-only) truncated gzip file holds before it is cut. */
export const TRUNCATED_EVENTS = 300;

export interface FormatMix {
  prophecy: number;
  dronahq: number;
  gravitee: number;
}

export interface PlanOptions {
  seed?: number;
  events: number;
  files?: number;
  formats?: FormatMix;
  gzipRatio?: number;
  hostile?: boolean;
  /** Epoch ms, inclusive. */
  start?: number;
  /** Epoch ms, exclusive. */
  end?: number;
  /** Size of the user population. */
  users?: number;
}

export interface ResolvedOptions {
  seed: number;
  events: number;
  files: number;
  formats: FormatMix;
  gzipRatio: number;
  hostile: boolean;
  start: number;
  end: number;
  users: number;
}

export interface FilePlan {
  /** Position in generation order; also the file's random stream id. */
  index: number;
  /** Path relative to the data directory, with '/' separators. */
  path: string;
  namespace: string;
  hourLabel: string;
  part: number;
  format: FormatName;
  shape: DronaShape | null;
  windowStart: number;
  windowEnd: number;
  events: number;
  gzip: boolean;
  /** Index of this file's first event among all clean events of its format (generation order). */
  formatOffset: number;
  /** DronaHQ database-row id of the first row. */
  rowIdBase: number;
  /** The hostile corpus's truncated gzip file (not part of `events`). */
  truncated: boolean;
}

export interface CorpusPlan {
  options: ResolvedOptions;
  files: FilePlan[];
  /** Global Prophecy event indices carrying the rare word (sorted). */
  rare: number[];
  /** Global Prophecy event indices carrying the phrase (sorted). */
  phrase: number[];
}

export function resolveOptions(o: PlanOptions): ResolvedOptions {
  const seed = o.seed ?? 1;
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
  if (!Number.isInteger(o.events) || o.events < 1)
    throw new Error(`events must be a positive integer, got ${o.events}`);
  const hostile = o.hostile ?? false;
  const end = o.end ?? DEFAULT_END;
  const start = o.start ?? end - DEFAULT_DAYS * DAY_MS;
  if (!(end > start)) throw new Error('end must be after start');
  const formats = o.formats ?? { ...DEFAULT_FORMATS };
  const total = formats.prophecy + formats.dronahq + formats.gravitee;
  if (!(total > 0) || formats.prophecy < 0 || formats.dronahq < 0 || formats.gravitee < 0) {
    throw new Error('formats weights must be ≥ 0 with a positive sum');
  }
  const files = o.files ?? Math.max(hostile ? 12 : 3, Math.round(o.events / 5000));
  if (!Number.isInteger(files) || files < 1)
    throw new Error(`files must be a positive integer, got ${files}`);
  if (hostile && files < 4) throw new Error('hostile corpora need at least 4 files');
  if (files > o.events) throw new Error(`files (${files}) cannot exceed events (${o.events})`);
  const gzipRatio = o.gzipRatio ?? DEFAULT_GZIP_RATIO;
  if (!(gzipRatio >= 0 && gzipRatio <= 1)) throw new Error('gzipRatio must be in [0, 1]');
  return {
    seed,
    events: o.events,
    files,
    formats,
    gzipRatio,
    hostile,
    start,
    end,
    users: o.users ?? DEFAULT_USERS,
  };
}

/** Splits `total` in proportion to `weights` (largest remainder), deterministic. */
export function apportion(total: number, weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (sum > 0 ? (w * total) / sum : 0));
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact
    .map((e, i) => [e - Math.floor(e), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k]![1]]! += 1;
  return out;
}

function hourLabel(ms: number): string {
  return new Date(ms).toISOString().slice(0, 13);
}

const NAMESPACE: Record<string, string> = {
  prophecy: 'prophecy',
  'dronahq:logger': 'dronahq',
  'dronahq:row': 'dronahq-db',
  gravitee: 'gravitee-am',
};

export function filePath(f: Pick<FilePlan, 'namespace' | 'hourLabel' | 'part'>, gzipSuffix: boolean): string {
  return `${f.namespace}/audit/${f.hourLabel}${f.part > 0 ? `-part${f.part}` : ''}.ndjson${gzipSuffix ? '.gz' : ''}`;
}

/** Relative activity of an hour: office hours busy, nights and weekends quiet. */
function activity(hourStart: number): number {
  const d = new Date(hourStart);
  const h = d.getUTCHours();
  const dow = d.getUTCDay();
  const base = h >= 8 && h <= 18 ? 1 : h >= 19 && h <= 22 ? 0.45 : 0.15;
  return dow === 0 || dow === 6 ? base * 0.35 : base;
}

export function planCorpus(input: PlanOptions): CorpusPlan {
  const o = resolveOptions(input);
  const rng = new Rng(o.seed, 0x706c616e); // 'plan'
  const firstHour = Math.ceil(o.start / HOUR_MS) * HOUR_MS;
  const lastHourEnd = Math.floor(o.end / HOUR_MS) * HOUR_MS;
  const hours = (lastHourEnd - firstHour) / HOUR_MS;
  if (hours < 1) throw new Error('the time range must contain at least one whole UTC hour');

  const weights = FORMATS.map((f) => o.formats[f]);
  const eventsPerFormat = apportion(o.events, weights);
  const active = FORMATS.map((_, i) => eventsPerFormat[i]! > 0);
  const activeCount = active.filter(Boolean).length;
  if (o.files < activeCount) throw new Error(`files must be at least ${activeCount} for this format mix`);
  // Every active format gets a file; the rest follow the event split. No file may be empty.
  const filesPerFormat = apportion(o.files - activeCount, eventsPerFormat).map((n, i) =>
    active[i] ? Math.min(n + 1, eventsPerFormat[i]!) : 0,
  );
  let spare = o.files - filesPerFormat.reduce((a, b) => a + b, 0);
  for (let i = 0; spare > 0 && i < 3; i++) {
    const room = eventsPerFormat[i]! - filesPerFormat[i]!;
    const add = Math.min(room, spare);
    filesPerFormat[i]! += add;
    spare -= add;
  }

  const files: FilePlan[] = [];
  FORMATS.forEach((format, fi) => {
    const n = filesPerFormat[fi]!;
    if (n === 0) return;
    const extra = o.hostile && format === 'prophecy' ? 1 : 0;
    const slots = n + extra;
    const truncatedSlot = extra ? Math.floor(slots / 2) : -1;
    // Hour of slot i, centred; slots sharing an hour split it into equal parts.
    const hourOf = (i: number): number => Math.min(hours - 1, Math.floor(((i + 0.5) * hours) / slots));
    const perHour = new Map<number, number>();
    for (let i = 0; i < slots; i++) perHour.set(hourOf(i), (perHour.get(hourOf(i)) ?? 0) + 1);
    const seenInHour = new Map<number, number>();
    const formatFiles: FilePlan[] = [];
    for (let i = 0; i < slots; i++) {
      const h = hourOf(i);
      const part = seenInHour.get(h) ?? 0;
      seenInHour.set(h, part + 1);
      const parts = perHour.get(h)!;
      const hourStart = firstHour + h * HOUR_MS;
      const width = Math.floor(HOUR_MS / parts);
      const shape: DronaShape | null =
        format === 'dronahq' ? (n >= 2 && formatFiles.length % 3 === 1 ? 'row' : 'logger') : null;
      const namespace = NAMESPACE[format === 'dronahq' ? `dronahq:${shape}` : format]!;
      const label = hourLabel(hourStart);
      const truncated = i === truncatedSlot;
      const f: FilePlan = {
        index: 0,
        path: '',
        namespace,
        hourLabel: label,
        part,
        format,
        shape,
        windowStart: hourStart + part * width,
        windowEnd: part === parts - 1 ? hourStart + HOUR_MS : hourStart + (part + 1) * width,
        events: truncated ? TRUNCATED_EVENTS : 0,
        gzip: truncated || rng.chance(o.gzipRatio),
        formatOffset: 0,
        rowIdBase: 0,
        truncated,
      };
      f.path = filePath(f, f.gzip);
      if (!truncated) formatFiles.push(f);
      files.push(f);
    }
    // Events per file: proportional to the hour's activity with jitter, at least one each.
    const counts = apportion(
      eventsPerFormat[fi]! - formatFiles.length,
      formatFiles.map(
        (f) => activity(f.windowStart) * (0.7 + 0.6 * rng.float()) * (f.windowEnd - f.windowStart),
      ),
    );
    formatFiles.forEach((f, i) => {
      f.events = counts[i]! + 1;
      if (f.events > f.windowEnd - f.windowStart - 2) {
        throw new Error(
          `${f.events} events do not fit in ${f.path}'s window of ${f.windowEnd - f.windowStart} ms; use more files`,
        );
      }
    });
  });

  const nsOrder = ['prophecy', 'dronahq', 'dronahq-db', 'gravitee-am'];
  files.sort(
    (a, b) => a.windowStart - b.windowStart || nsOrder.indexOf(a.namespace) - nsOrder.indexOf(b.namespace),
  );
  const offsets: Record<string, number> = { prophecy: 0, dronahq: 0, gravitee: 0 };
  let rowId = 100_000 + rng.int(50_000);
  files.forEach((f, i) => {
    f.index = i;
    if (f.truncated) return;
    f.formatOffset = offsets[f.format]!;
    offsets[f.format]! += f.events;
    if (f.shape === 'row') {
      f.rowIdBase = rowId;
      rowId += f.events + rng.int(50);
    }
  });

  // Rare word in ~0.04% of all events, the phrase in ~0.15%: at least one each, in Prophecy messages.
  const nProphecy = offsets.prophecy!;
  const rareCount = nProphecy > 0 ? Math.min(nProphecy, Math.max(1, Math.round(o.events * 0.0004))) : 0;
  const phraseCount = Math.min(nProphecy - rareCount, Math.max(1, Math.round(o.events * 0.0015)));
  const taken = new Set<number>();
  const draw = (count: number): number[] => {
    const out: number[] = [];
    while (out.length < count) {
      const i = rng.int(nProphecy);
      if (taken.has(i)) continue;
      taken.add(i);
      out.push(i);
    }
    return out.sort((a, b) => a - b);
  };
  const rare = draw(rareCount);
  const phrase = draw(Math.max(0, phraseCount));
  return { options: o, files, rare, phrase };
}
