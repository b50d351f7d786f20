/**
 * What the benchmark's child processes are given and report back, and the shape of one run's result
 * (written to docs/benchmark.json, rendered into docs/benchmark.md).
 */
import type { MethodOutput } from '../../../shared/contract.ts';
import type { BenchQueryName } from '../generate.ts';
import type { SyncReport } from './syncSection.ts';

/** Input of `ingestChild.ts` (one JSON argument). */
export interface IngestParams {
  dbFile: string;
  dataDir: string;
  /** Where the child writes its {@link IngestReport} as JSON. */
  resultFile: string;
  /** Milliseconds between progress lines on stdout. */
  progressEveryMs: number;
}

export interface IngestReport {
  /** createService (open + migrate) until it resolved. */
  openMs: number;
  /** From calling `ingest.paths` until the last progress event: reading, parsing, writing, FTS inserts. */
  importMs: number;
  /** From the last progress event until `ingest.paths` resolved: the full-text merge (`maintain`). */
  maintenanceMs: number;
  /** `ingest.paths` as a whole. */
  ingestCallMs: number;
  /** service.close(): writer checkpoint (wal_checkpoint TRUNCATE) and close. */
  closeMs: number;
  summary: Omit<MethodOutput<'ingest.paths'>, 'perObject' | 'skipped' | 'sampleEventsRemoved' | 'indexMs'>;
  /** Peak RSS (VmHWM) of the CLI process that did the import, every thread included, in bytes. */
  maxRssBytes: number;
  /** User + system CPU time of the process, ms. */
  cpuMs: number;
}

export interface QuerySpec {
  name: BenchQueryName;
  query: string;
  expected: number;
  freeText: boolean;
}

/** Input of `queryChild.ts`. */
export interface QueryParams {
  dbFile: string;
  resultFile: string;
  queries: QuerySpec[];
  runs: number;
}

export interface LatencyStats {
  runs: number;
  p50: number;
  p95: number;
  max: number;
  min: number;
  mean: number;
}

export interface QueryResult {
  name: BenchQueryName;
  query: string;
  freeText: boolean;
  expected: number;
  total: number;
  /** total === expected. */
  ok: boolean;
  pageEvents: number;
  /** Whole search responses (page of 100, exact count, default facets, histogram), ms. */
  latency: LatencyStats;
  /** The engine's own breakdown of the median run (ms). */
  engine: { plan: number; scan: number; fetch: number; total: number };
  /** The second page (cursor, no facets, no histogram); null when there is no second page. */
  nextPage: (LatencyStats & { pageEvents: number; ordered: boolean }) | null;
  /**
   * The same first page with `raw: false` (no raw JSON per event), when the API has that option; the
   * default response includes the raw lines.
   */
  withoutRaw: LatencyStats | null;
  facets: number;
  histogramBuckets: number;
}

export interface QueryReport {
  openMs: number;
  /** The first search after opening (pays for loading the column segments). */
  cold: {
    name: BenchQueryName;
    ms: number;
    engine: { plan: number; scan: number; fetch: number; total: number };
  };
  results: QueryResult[];
  maxRssBytes: number;
}

/** Input of `ui/uiChild.ts`. */
export interface UiParams {
  dbFile: string;
  resultFile: string;
  queries: QuerySpec[];
  /** Timed Enter presses per query. */
  runs: number;
  /** Events in the database (picks the scroll test's query). */
  events: number;
}

export interface UiQueryResult {
  name: BenchQueryName;
  query: string;
  freeText: boolean;
  expected: number;
  /** The total the page showed. */
  total: number;
  ok: boolean;
  /** Enter pressed → the new result's first rows painted, ms. */
  rowsMs: LatencyStats;
  /** Enter pressed → the new total painted (the summary line without "searching…"), ms. */
  totalMs: LatencyStats;
  /** The UI's own figure: request sent → answer in hand (`useSearch`'s elapsed), median, ms. */
  apiMs: number;
}

export interface UiClassResult {
  freeText: boolean;
  queries: number;
  rowsMs: LatencyStats;
  totalMs: LatencyStats;
}

export interface FrameStats {
  frames: number;
  p50: number;
  p95: number;
  max: number;
  /** Frames longer than 50 ms (a visible hitch). */
  long: number;
}

export interface UiScroll {
  /** The query the UI showed ('' = every event, possibly with a time term to keep it near 1M). */
  query: string;
  total: number;
  /** Passes of `durationMs / passes` each, one after the other down the list; their frames are pooled. */
  passes: number;
  /** Each pass's own frame-time p95, ms. */
  passP95: number[];
  /** All passes together. */
  durationMs: number;
  /** Wheel events asked for (interval and delta) and actually sent. */
  wheelIntervalMs: number;
  wheelDeltaPx: number;
  wheelEvents: number;
  /** Rows scrolled past (from the scroll offset). */
  rowsScrolled: number;
  frames: FrameStats;
  /** Of the long frames, those in which a page of rows arrived (a "Loading…" row before, none after). */
  longAtArrival: number;
  /** Frames that showed at least one row still "Loading…" (its chunk not yet fetched). */
  placeholderFrames: number;
}

export interface UiReport {
  /** `serve` started → its URL printed, ms (includes building dist/ when stale). */
  serveStartMs: number;
  /** page.goto → the first result's total visible, ms. */
  firstPageMs: number;
  chromium: string;
  viewport: { width: number; height: number };
  queries: UiQueryResult[];
  /** Per class (structured, free text): every timed Enter of its queries pooled. */
  classes: UiClassResult[];
  scroll: UiScroll;
  /** Console errors and page errors seen while measuring. */
  problems: string[];
}

/** The sync section of a run (syncSection.ts): its report, or why it did not run. */
export type SyncSection =
  | { ran: true; report: SyncReport }
  /** Why not, as a clause: "--no-sync was given". */
  | { ran: false; reason: string };

/** The UI section of a run: its report, or why it did not run. */
export type UiSection =
  | { ran: true; report: UiReport }
  /** Why not, as a clause: "--no-ui was given", "/usr/bin/chromium is not installed (…)". */
  | { ran: false; reason: string };

export interface BaselineResult {
  tool: 'ripgrep' | 'duckdb';
  version: string;
  name: BenchQueryName;
  command: string;
  /** Median of the timed runs, ms. */
  ms: number;
  runsMs: number[];
  count: number;
  /** Whether the tool answers exactly the same question (else: an approximation, e.g. no time filter). */
  exact: boolean;
  /** Our p50 for the same query, ms. */
  oursMs: number;
  /** Baseline time ÷ ours. */
  ratio: number;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryBytes: number;
  /** cgroup memory limit, when there is one. */
  memoryLimitBytes: number | null;
  os: string;
  node: string;
  date: string;
}

export interface TargetResult {
  name: string;
  target: string;
  value: string;
  /** Null when it could not be measured here (e.g. ripgrep not installed). */
  pass: boolean | null;
  note?: string;
}

export interface RunResult {
  events: number;
  seed: number;
  runs: number;
  machine: Machine;
  corpus: {
    dir: string;
    files: number;
    gzipFiles: number;
    distinctEvents: number;
    lines: number;
    /** Uncompressed NDJSON bytes. */
    rawBytes: number;
    /** Bytes on disk (some files gzipped). */
    diskBytes: number;
    /** Null when the cached corpus was reused. */
    generatedMs: number | null;
  };
  ingest: IngestReport & {
    /** Per-check outcomes against the truth. */
    checks: { name: string; ok: boolean; detail: string }[];
    importEventsPerSec: number;
    totalEventsPerSec: number;
    importRawMBPerSec: number;
    ftsSegments: number | null;
  };
  db: {
    bytes: number;
    walBytes: number;
    ratioRaw: number;
    ratioDisk: number;
    /** Bytes per table/index (dbstat), largest first; null when dbstat is unavailable. */
    breakdown: { name: string; bytes: number }[] | null;
  };
  queries: QueryReport;
  /** Export of every event to an evidence bundle (null in results from before the export step). */
  export?: ExportReport | null;
  /** Each output on its own, to a folder (bundleBytes: the files' bytes); absent in older runs. */
  exportOutputs?: { ndjson: ExportReport; csv: ExportReport } | null;
  baselines: BaselineResult[];
  /** Absent in runs recorded before the UI section existed. */
  ui?: UiSection;
  /** Absent in runs recorded before the sync section existed. */
  sync?: SyncSection;
  /**
   * CPUs kept busy on average by other processes on the machine while each step ran (null off Linux):
   * anything well above 0 means the timings competed with other work.
   */
  contention: {
    ingest: number | null;
    queries: number | null;
    baselines: number | null;
    ui?: number | null;
  };
  targets: TargetResult[];
}

/** Input of `exportChild.ts`. */
export interface ExportParams {
  dbFile: string;
  /** The bundle to write (a .zip path; removed afterwards by the runner). */
  out: string;
  resultFile: string;
}

/** One export output on its own (exportFormatChild.ts): events.ndjson (+ index, running hash) or events.csv. */
export interface ExportFormatParams {
  dbFile: string;
  /** A folder to write into (removed afterwards by the runner). */
  out: string;
  output: 'ndjson' | 'csv';
  resultFile: string;
}

export interface ExportReport {
  events: number;
  /** The whole `export.run` call: events, CSV, report, manifest, signature and the zip. */
  ms: number;
  /** Until the last event was written (before the report, manifest and zip). */
  eventsMs: number;
  eventsPerSec: number;
  /** CPU time of the process (every thread, user + system) during the call, ms: what contention cannot inflate. */
  cpuMs: number;
  /** Peak RSS of the process (VmHWM, all threads), bytes. */
  maxRssBytes: number;
  /** RSS just before the export began (the process without it), bytes; absent in older runs. */
  rssBeforeBytes?: number;
  /** RSS as the export went on: at each quarter of the events, bytes. */
  rssAt: { exported: number; rssBytes: number }[];
  bundleBytes: number;
}
