/**
 * Ground truth: counts kept while generating (never inferred afterwards), and the JSON written as
 * truth.json next to the corpus. Counting is by typed-array index so it costs almost nothing per event.
 */
import type { BenchQuery } from './queries.ts';
import type { EventInfo, FormatName, World } from './world.ts';
import { FLAG_FREQ, FLAG_PHRASE, FLAG_RARE } from './world.ts';

export const MALFORMED_KINDS = [
  'truncated-json',
  'trailing-comma',
  'plain-text',
  'json-array',
  'json-number',
  'unknown-object',
  'invalid-utf8',
  'nul-bytes',
] as const;
export type MalformedKind = (typeof MALFORMED_KINDS)[number];

/** What the bench questions need to recognise while counting. */
export interface QuestionKeys {
  topUser: number;
  windowStart: number;
  windowEnd: number;
}

export class EventCounter {
  events = 0;
  readonly byFormat = [0, 0, 0];
  readonly failuresByFormat = [0, 0, 0];
  readonly perUser: Int32Array;
  readonly perAction: Int32Array;
  readonly perEntity: Int32Array;
  readonly perOpType: Int32Array;
  readonly perEntityOp: Int32Array;
  freq = 0;
  rare = 0;
  phrase = 0;
  userWindow = 0;
  firstTs = Infinity;
  lastTs = -Infinity;
  private readonly opTypes: number;
  private readonly keys: QuestionKeys;

  constructor(world: World, keys: QuestionKeys) {
    this.perUser = new Int32Array(world.users.size);
    this.perAction = new Int32Array(world.actions.size);
    this.perEntity = new Int32Array(world.entities.size);
    this.opTypes = world.opTypes.size;
    this.perOpType = new Int32Array(this.opTypes);
    this.perEntityOp = new Int32Array(world.entities.size * this.opTypes);
    this.keys = keys;
  }

  add(e: EventInfo): void {
    this.events++;
    this.byFormat[e.format]!++;
    if (e.failure) this.failuresByFormat[e.format]!++;
    this.perUser[e.user]!++;
    this.perAction[e.action]!++;
    this.perEntity[e.entity]!++;
    this.perOpType[e.opType]!++;
    this.perEntityOp[e.entity * this.opTypes + e.opType]!++;
    if (e.flags !== 0) {
      if (e.flags & FLAG_FREQ) this.freq++;
      if (e.flags & FLAG_RARE) this.rare++;
      if (e.flags & FLAG_PHRASE) this.phrase++;
    }
    if (e.user === this.keys.topUser && e.ts >= this.keys.windowStart && e.ts < this.keys.windowEnd) {
      this.userWindow++;
    }
    if (e.ts < this.firstTs) this.firstTs = e.ts;
    if (e.ts > this.lastTs) this.lastTs = e.ts;
  }
}

export interface TruthFile {
  /** Relative to the data directory. */
  path: string;
  format: FormatName;
  /** DronaHQ only: external-logger lines or database rows. */
  shape?: 'logger' | 'row';
  /** Gzip by content (magic bytes), whatever the name says. */
  gzip: boolean;
  /** Number of concatenated gzip members (2 for the multi-member file). */
  gzipMembers?: number;
  /** Bytes on disk. */
  bytes: number;
  /** Lines as a reader sees them (a final line without a newline counts). */
  lines: number;
  /** Lines that are valid events (including duplicates). */
  valid: number;
  duplicates: number;
  malformed: number;
  blank: number;
  /** First and last event timestamps (epoch ms). */
  firstTs: number;
  lastTs: number;
  /** Hostile features: bom, crlf, no-final-newline, gzip-two-members, gzip-without-extension, … */
  features: string[];
  /** A whole-file re-export: the path of the file it duplicates. */
  copyOf?: string;
  /** The truncated gzip file: excluded from every other count (see truncatedGzip). */
  truncated?: boolean;
}

export interface TruthQuestion extends BenchQuery {
  /** Distinct valid events that answer the query (the truncated gzip file excluded). */
  expected: number;
}

export interface CorpusTruth {
  version: 1;
  seed: number;
  options: {
    events: number;
    files: number;
    formats: { prophecy: number; dronahq: number; gravitee: number };
    gzipRatio: number;
    hostile: boolean;
    start: string;
    end: string;
    users: number;
  };
  /** Where the corpus files live, relative to truth.json's directory. */
  dataDir: string;
  /** Configured range and the actual first/last event (ISO, UTC). */
  timeRange: {
    start: string;
    end: string;
    firstEvent: string;
    lastEvent: string;
    firstEventMs: number;
    lastEventMs: number;
  };
  lines: {
    /** Every line of every file except the truncated gzip file. */
    total: number;
    /** Empty or whitespace-only lines. */
    blank: number;
    /** Lines that are valid events of a known format, duplicates included. */
    valid: number;
    /** Valid lines whose text (trimmed of whitespace and BOM) was already seen. */
    duplicate: number;
    malformed: number;
  };
  events: { distinct: number; byFormat: Record<FormatName, number> };
  duplicates: {
    total: number;
    withinFile: number;
    acrossFiles: number;
    /** Lines in whole-file re-exports. */
    wholeFileCopies: number;
    byFormat: Record<FormatName, number>;
  };
  malformed: {
    byKind: Record<MalformedKind, number>;
    /** 1-based line numbers. */
    lines: Array<{ file: string; line: number; kind: MalformedKind }>;
  };
  failures: { total: number; byFormat: Record<FormatName, number> };
  users: { distinct: number; top: Array<{ user: string; events: number }> };
  /** Distinct events per action (nameHints[0] / event-id / event_type), most frequent first. */
  actions: Record<string, number>;
  /** Distinct events per entity (DESIGN §4 rules), most frequent first. */
  entities: Record<string, number>;
  /** Distinct events per opType; "(none)" when the format has none. */
  opTypes: Record<string, number>;
  /** entity → opType → distinct events. */
  entityOps: Record<string, Record<string, number>>;
  words: {
    frequent: { word: string; events: number };
    rare: { word: string; events: number };
    phrase: { text: string; events: number };
  };
  /** Every secret value written (unique marker strings): grep the database and exports for them. */
  secrets: Array<{ marker: string; key: string; format: FormatName; file: string; line: number }>;
  /** The bench queries with their expected counts over this corpus. */
  questions: TruthQuestion[];
  files: TruthFile[];
  /** Hostile corpora only. */
  truncatedGzip: null | {
    file: string;
    /** Events written before compression. */
    eventsWritten: number;
    /** Complete (newline-terminated) lines a reader recovers before the truncation. */
    completeLines: number;
    /** Bytes of the cut-off line after the last complete one. */
    partialLineBytes: number;
    compressedBytes: number;
    /**
     * The complete lines are valid, distinct events that appear nowhere else. A reader may keep them
     * (then add these counts to the totals) or drop the whole file; they are in no other count here.
     */
    counts: {
      events: number;
      byFormat: Record<FormatName, number>;
      failures: number;
      questions: Record<string, number>;
    };
  };
  hostile: null | {
    bom: string[];
    crlf: string[];
    noFinalNewline: string[];
    gzipTwoMembers: string[];
    gzipWithoutExtension: string[];
    wholeFileCopies: Array<{ path: string; copyOf: string }>;
    longLines: Array<{ file: string; line: number; bytes: number }>;
    blankLines: number;
  };
}

export function byFormat(values: readonly number[]): Record<FormatName, number> {
  return { prophecy: values[0]!, dronahq: values[1]!, gravitee: values[2]! };
}

export function sortedRecord(names: readonly string[], counts: ArrayLike<number>): Record<string, number> {
  const rows: Array<[string, number]> = [];
  for (let i = 0; i < names.length; i++) if (counts[i]! > 0) rows.push([names[i]!, counts[i]!]);
  rows.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return Object.fromEntries(rows);
}

export function questionCounts(c: EventCounter, world: World): Record<string, number> {
  const project = world.entities.id('Project');
  const mutation = world.opTypes.id('Mutation');
  const opTypes = world.opTypes.size;
  return {
    'user-time-range': c.userWindow,
    'entity-op': c.perEntityOp[project * opTypes + mutation]!,
    action: c.perAction[world.actions.id('releaseProject')]!,
    'outcome-failure': c.failuresByFormat.reduce((a, b) => a + b, 0),
    'op-mutation': c.perOpType[mutation]!,
    'word-frequent': c.freq,
    'word-rare': c.rare,
    phrase: c.phrase,
  };
}
