// `vitest run` for `npm test`, with one safety net: when a test process is killed by a signal, the files it
// was running are run once more, and the run passes only if they pass then.
//
// Why: Node 24's V8 now and then crashes a busy process in its garbage collector (SIGSEGV; nodejs/node#62393,
// open, also on Node 26) or in its JIT-page bookkeeping (a failed CHECK that aborts). Here it hit about one
// full run in three, each time in another file, and `--no-sparkplug` (vitest.config.ts) made it rarer, not
// gone. A crash of the runtime says nothing about the tests it interrupted; a test that really crashes the
// process crashes it again on the second run, and fails the run as before. Any other failure — a failed
// test, an unhandled error, a process that exited with a code — fails at once, with no second run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const vitest = path.join(import.meta.dirname, '..', 'node_modules', 'vitest', 'vitest.mjs');

/** Runs vitest with the summary reporter writing its report to a file; answers the exit status and report. */
function runVitest(args) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-explorer-tests-'));
  const reportFile = path.join(dir, 'report.json');
  try {
    const result = spawnSync(process.execPath, [vitest, 'run', ...args], {
      stdio: 'inherit',
      env: { ...process.env, AUDIT_EXPLORER_TEST_REPORT: reportFile },
    });
    if (result.error) throw result.error;
    const report = fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, 'utf8')) : undefined;
    return { status: result.status ?? 1, report };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The one line CI reads to count tests (see test/support/summaryReporter.ts). */
function printSummary(modules) {
  const sum = (key) => modules.reduce((n, m) => n + m[key], 0);
  process.stdout.write(
    `\nvitest: ${sum('passed')} passed, ${sum('failed')} failed, ${sum('skipped')} skipped\n`,
  );
}

const first = runVitest(process.argv.slice(2));
const report = first.report;
if (!report) process.exit(first.status);

const crashed = new Set(report.crashes.map((c) => c.file));
const failedElsewhere =
  report.otherErrors > 0 || report.modules.some((m) => m.failed > 0 && !crashed.has(m.file));
if (first.status === 0 || crashed.size === 0 || failedElsewhere) {
  printSummary(report.modules);
  process.exit(first.status);
}

const crashes = report.crashes.map((c) => `${path.relative(process.cwd(), c.file)} (${c.signal})`);
process.stdout.write(
  `\nA test process was killed by a signal while running ${crashes.join(', ')}; every other file passed.` +
    '\nThat is a crash inside Node (nodejs/node#62393), not a failed assertion: running those files once more.\n\n',
);
const second = runVitest([...crashed]);
const modules = [...report.modules.filter((m) => !crashed.has(m.file)), ...(second.report?.modules ?? [])];
printSummary(modules);
process.exit(second.status);
