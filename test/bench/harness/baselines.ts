/**
 * Baselines over the raw files for the same questions: ripgrep (when `rg` is on PATH) and, optionally,
 * DuckDB's NDJSON reader (when `duckdb` is). Each is run a few times; the median counts.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { BenchQuery, BenchQueryName } from '../generate.ts';
import { median } from './stats.ts';
import type { BaselineResult } from './types.ts';

/** The queries timed against ripgrep: a user, a frequent word and a rare word. */
export const RG_QUERIES: readonly BenchQueryName[] = ['user-time-range', 'word-frequent', 'word-rare'];
const RUNS = 3;

function version(tool: string): string | null {
  const r = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  return (r.stdout.split('\n')[0] ?? '').trim();
}

/** A path as the report shows it: relative to the working directory when inside it. */
function shown(dir: string): string {
  const rel = path.relative(process.cwd(), dir);
  return rel.startsWith('..') || path.isAbsolute(rel) ? dir : rel;
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

function time(tool: string, args: readonly string[]): { ms: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(tool, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  // ripgrep exits 1 when nothing matched: a count of zero, not a failure.
  if (r.status !== 0 && !(tool === 'rg' && r.status === 1)) {
    throw new Error(
      `${tool} ${args.map(shellQuote).join(' ')} failed (exit ${r.status}): ${r.stderr.trim()}`,
    );
  }
  return { ms, stdout: r.stdout };
}

/** Our p50 and the expected answer for a query, if it was measured. */
export type OursFor = (name: BenchQueryName) => { p50: number; expected: number } | undefined;

/**
 * ripgrep over the raw files (gzip included) for the user and word queries: `--count` counts matching
 * lines, i.e. events, the same number the product answers (the user query is broader for ripgrep,
 * which cannot filter the time range).
 */
export function ripgrepBaselines(
  dataDir: string,
  queries: readonly BenchQuery[],
  ours: OursFor,
  log: (line: string) => void,
): BaselineResult[] {
  const v = version('rg');
  if (v === null) {
    log('ripgrep: rg is not on PATH; skipping the baseline (apt-get install ripgrep)');
    return [];
  }
  const out: BaselineResult[] = [];
  for (const name of RG_QUERIES) {
    const q = queries.find((x) => x.name === name);
    const mine = ours(name);
    if (!q || !mine) continue;
    const args = [
      '--no-config',
      '--no-ignore',
      '--search-zip',
      '--count',
      '--no-filename',
      ...(q.rg.ignoreCase ? ['-i'] : []),
      '-e',
      q.rg.pattern,
      dataDir,
    ];
    const runs: number[] = [];
    let count = 0;
    for (let i = 0; i < RUNS; i++) {
      const r = time('rg', args);
      runs.push(r.ms);
      count = r.stdout
        .split('\n')
        .filter((l) => l.trim() !== '')
        .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(':') + 1)), 0);
    }
    const ms = median(runs);
    log(`ripgrep: ${name.padEnd(16)} ${ms.toFixed(0)} ms, ${count.toLocaleString('en-US')} lines`);
    out.push({
      tool: 'ripgrep',
      version: v,
      name,
      command: ['rg', ...args.slice(0, -1), shown(dataDir)].map(shellQuote).join(' '),
      ms,
      runsMs: runs,
      count,
      exact: q.rg.exact,
      oursMs: mine.p50,
      ratio: ms / mine.p50,
    });
  }
  return out;
}

/** DuckDB's NDJSON reader for the broad op:Mutation filter (only Prophecy events carry an opType). */
export function duckdbBaseline(
  dataDir: string,
  ours: OursFor,
  log: (line: string) => void,
): BaselineResult[] {
  const v = version('duckdb');
  const mine = ours('op-mutation');
  if (v === null || !mine) return [];
  const glob = path.join(dataDir, 'prophecy', '**', '*.ndjson*').replaceAll("'", "''");
  const sql = `SELECT count(*) FROM read_ndjson_auto('${glob}', union_by_name = true) WHERE "opType" = 'Mutation'`;
  const args = ['-noheader', '-csv', '-c', sql];
  try {
    const runs: number[] = [];
    let count = 0;
    for (let i = 0; i < RUNS; i++) {
      const r = time('duckdb', args);
      runs.push(r.ms);
      count = Number(r.stdout.trim().split('\n').pop());
    }
    const ms = median(runs);
    log(`duckdb: op-mutation ${ms.toFixed(0)} ms, ${count.toLocaleString('en-US')} rows`);
    return [
      {
        tool: 'duckdb',
        version: v,
        name: 'op-mutation',
        command: ['duckdb', ...args].map(shellQuote).join(' ').replaceAll(dataDir, shown(dataDir)),
        ms,
        runsMs: runs,
        count,
        exact: true,
        oursMs: mine.p50,
        ratio: ms / mine.p50,
      },
    ];
  } catch (error) {
    log(`duckdb: skipped (${error instanceof Error ? error.message : String(error)})`);
    return [];
  }
}
