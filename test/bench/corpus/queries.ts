/**
 * The benchmark's fixed queries, in the product's query language (DESIGN §7), derived from the seed so
 * they hit real data, each with a ripgrep pattern that answers the same question over the raw files
 * (for a baseline timing: `rg --search-zip --count [-i] PATTERN DIR`).
 */
import { DAY_MS, DEFAULT_END, DEFAULT_DAYS, DEFAULT_USERS } from './plan.ts';
import { PROPHECY_OPS } from './prophecy.ts';
import { World } from './world.ts';

export type BenchQueryName =
  | 'user-time-range'
  | 'entity-op'
  | 'action'
  | 'outcome-failure'
  | 'op-mutation'
  | 'word-frequent'
  | 'word-rare'
  | 'phrase';

export interface BenchQuery {
  name: BenchQueryName;
  /** The query in the product's language. */
  query: string;
  description: string;
  rg: {
    /** A Rust-regex pattern for ripgrep over the raw lines. */
    pattern: string;
    ignoreCase: boolean;
    /**
     * True when, on a clean (non-hostile) corpus, the number of matching lines equals the query's
     * answer; false when ripgrep can only approximate (e.g. it cannot filter a time range).
     */
    exact: boolean;
  };
}

export interface BenchQueryOptions {
  seed?: number;
  start?: number;
  end?: number;
  users?: number;
}

function regexEscape(s: string): string {
  return s.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/** `YYYY-MM-DDTHH:MMZ`, the query language's minute-precision time. */
export function queryTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16)}Z`;
}

/** The user + time window the `user-time-range` query asks about: the 7 whole days around the middle. */
export function questionWindow(start: number, end: number): { start: number; end: number } {
  if (end - start <= 7 * DAY_MS) return { start, end };
  const mid = start + (end - start) / 2;
  const from = Math.max(
    Math.ceil(start / DAY_MS) * DAY_MS,
    Math.floor((mid - 3.5 * DAY_MS) / DAY_MS) * DAY_MS,
  );
  return { start: from, end: Math.min(end, from + 7 * DAY_MS) };
}

export function benchQueriesFor(world: World, start: number, end: number): BenchQuery[] {
  const top = world.persons[0]!;
  const win = questionWindow(start, end);
  const word = (w: string): string => `[^A-Za-z0-9]${regexEscape(w)}[^A-Za-z0-9]`;
  const projectMutations = [
    ...new Set(
      PROPHECY_OPS.filter((o) => o.entity === 'Project' && o.opType === 'Mutation').map((o) => o.name),
    ),
  ];
  const [a, b] = world.phrase;
  return [
    {
      name: 'user-time-range',
      query: `user:${top.email} after:${queryTime(win.start)} before:${queryTime(win.end)}`,
      description: 'the busiest person over one week (all three formats)',
      rg: {
        pattern: `"(userEmail|user-email|alternativeId)": "${regexEscape(top.email)}"`,
        ignoreCase: false,
        exact: false,
      },
    },
    {
      name: 'entity-op',
      query: 'entity:Project op:Mutation',
      description: 'Project mutations, including removeEntity/updateEntity with entityKind Project',
      rg: {
        pattern: `"nameHints": \\["(${projectMutations.join('|')})"\\]|"nameHints": \\["(removeEntity|updateEntity)"\\].*"entityKind": "\\\\"Project\\\\""`,
        ignoreCase: false,
        exact: true,
      },
    },
    {
      name: 'action',
      query: 'action:releaseProject',
      description: 'an uncommon Prophecy operation',
      rg: { pattern: '"nameHints": \\["releaseProject"\\]', ignoreCase: false, exact: true },
    },
    {
      name: 'outcome-failure',
      query: 'outcome:failure',
      description: 'Prophecy responseCode ≥ 400, DronaHQ level error, Gravitee FAILURE',
      rg: {
        pattern: '"responseCode": [45][0-9][0-9],|"level": "error"|"status": "FAILURE"',
        ignoreCase: false,
        exact: true,
      },
    },
    {
      name: 'op-mutation',
      query: 'op:Mutation',
      description: 'a broad filter (~7% of Prophecy events)',
      rg: { pattern: '"opType": "Mutation"', ignoreCase: false, exact: true },
    },
    {
      name: 'word-frequent',
      query: world.frequentWord,
      description: 'the most frequent topic word (full text)',
      rg: { pattern: word(world.frequentWord), ignoreCase: true, exact: true },
    },
    {
      name: 'word-rare',
      query: world.rareWord,
      description: 'a rare word (~0.04% of events, full text)',
      rg: { pattern: word(world.rareWord), ignoreCase: true, exact: true },
    },
    {
      name: 'phrase',
      query: `"${a} ${b}"`,
      description: 'a two-word phrase (~0.15% of events) whose first word is common on its own',
      rg: { pattern: word(`${a} ${b}`), ignoreCase: true, exact: true },
    },
  ];
}

/** The bench queries for a seed and time range (defaults: seed 1, the 90 days before 2024-04-01). */
export function benchQueries(opts: BenchQueryOptions = {}): BenchQuery[] {
  const end = opts.end ?? DEFAULT_END;
  const start = opts.start ?? end - DEFAULT_DAYS * DAY_MS;
  return benchQueriesFor(new World(opts.seed ?? 1, opts.users ?? DEFAULT_USERS), start, end);
}
