/**
 * Runs one benchmark step in its own Node process, so its memory and caches are its own: the child gets
 * its parameters as one JSON argument, prints progress lines on stdout (forwarded here) and writes its
 * report as JSON to `resultFile`. A failing child's stderr is printed and the benchmark stops.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';

// The settings `audit-explorer` runs an import, a sync pass or an export with (scripts/tuning.cjs).
const { TUNED_FLAGS, TUNED_ENV } = createRequire(import.meta.url)('../../../scripts/tuning.cjs') as {
  TUNED_FLAGS: string[];
  TUNED_ENV: Record<string, string>;
};

export class ChildFailed extends Error {
  override name = 'ChildFailed';
}

const STDERR_KEEP = 256 * 1024;

export async function runChild<T>(
  script: string,
  params: { resultFile: string },
  onLine: (line: string) => void,
  /** Run with the settings the CLI gives the command this step measures (an export's, an import's). */
  { tuned = false }: { tuned?: boolean } = {},
): Promise<T> {
  fs.rmSync(params.resultFile, { force: true });
  const child = spawn(process.execPath, [...(tuned ? TUNED_FLAGS : []), script, JSON.stringify(params)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: tuned ? { ...TUNED_ENV, ...process.env } : process.env,
  });
  let stderr = '';
  let pending = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    pending += chunk;
    let nl;
    while ((nl = pending.indexOf('\n')) >= 0) {
      onLine(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
    if (stderr.length > STDERR_KEEP) stderr = stderr.slice(-STDERR_KEEP);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c, signal) => resolve(c ?? (signal ? 128 : null)));
  });
  if (pending) onLine(pending);
  if (code !== 0 || !fs.existsSync(params.resultFile)) {
    throw new ChildFailed(
      `${script} failed (exit code ${code})${stderr ? `; its stderr:\n${stderr.trimEnd()}` : ' with no stderr'}`,
    );
  }
  if (stderr.trim()) process.stderr.write(`[${script}] stderr:\n${stderr.trimEnd()}\n`);
  return JSON.parse(fs.readFileSync(params.resultFile, 'utf8')) as T;
}

/** Parses the single JSON argument a child is started with. */
export function childParams<T>(): T {
  const arg = process.argv[2];
  if (arg === undefined) {
    process.stderr.write('this script is started by test/bench/run.ts with one JSON argument\n');
    process.exit(2);
  }
  return JSON.parse(arg) as T;
}

/** Writes the child's report and exits; any error goes to stderr with exit code 1. */
export function finishChild(resultFile: string, main: () => Promise<unknown>): void {
  main().then(
    (report) => {
      fs.writeFileSync(resultFile, JSON.stringify(report));
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
