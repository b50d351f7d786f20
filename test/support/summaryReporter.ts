import fs from 'node:fs';
import type { SerializedError } from 'vitest';
import type { Reporter, TestModule } from 'vitest/node';

/** One test file's counts. */
interface ModuleCounts {
  file: string;
  passed: number;
  failed: number;
  skipped: number;
}

/** What `scripts/runTests.js` reads after a run (written where AUDIT_EXPLORER_TEST_REPORT says). */
export interface TestReport {
  modules: ModuleCounts[];
  /** Test processes killed by a signal, and the file each was running. */
  crashes: { file: string; signal: string }[];
  /** Unhandled errors other than those crashes. */
  otherErrors: number;
}

/** vitest's words when a test process dies: "Worker exited unexpectedly with signal SIGSEGV … test file F". */
const CRASH =
  /Worker exited unexpectedly with signal (SIG\w+) during \w+ state while running test files? (.+)$/;

/** The files a test process was running when a signal killed it; none when the error is anything else. */
function crashesOf(error: SerializedError): { file: string; signal: string }[] {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const match = CRASH.exec(String((e as { message?: unknown }).message ?? ''));
    if (match) return match[2]!.split(', ').map((file) => ({ signal: match[1]!, file }));
  }
  return [];
}

function countsOf(mod: TestModule): ModuleCounts {
  const counts = { file: mod.moduleId, passed: 0, failed: 0, skipped: 0 };
  for (const test of mod.children.allTests()) {
    const state = test.result().state;
    if (state === 'passed') counts.passed++;
    else if (state === 'skipped') counts.skipped++;
    // A test still pending when the run ends did not pass: CI must not read it as skipped.
    else counts.failed++;
  }
  if (mod.state() === 'failed' && counts.passed + counts.failed + counts.skipped === 0) counts.failed++;
  return counts;
}

/**
 * Ends the run with one plain line, `vitest: N passed, N failed, N skipped`, which CI reads to count
 * tests (it does not parse vitest's own summary). Under `npm test`, scripts/runTests.js prints that line
 * instead, from the report this writes, since it may run crashed files a second time.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
  ): void {
    const modules = testModules.map(countsOf);
    const reportFile = process.env.AUDIT_EXPLORER_TEST_REPORT;
    if (reportFile) {
      const crashes = unhandledErrors.map(crashesOf);
      const report: TestReport = {
        modules,
        crashes: crashes.flat(),
        otherErrors: crashes.filter((c) => c.length === 0).length,
      };
      fs.writeFileSync(reportFile, JSON.stringify(report));
      return;
    }
    const sum = (key: 'passed' | 'failed' | 'skipped') => modules.reduce((n, m) => n + m[key], 0);
    process.stdout.write(
      `\nvitest: ${sum('passed')} passed, ${sum('failed')} failed, ${sum('skipped')} skipped\n`,
    );
  }
}
