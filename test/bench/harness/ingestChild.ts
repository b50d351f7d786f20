/**
 * Benchmark step: ingest a corpus into a new database the way a user does — `audit-explorer ingest --json`,
 * the bundled CLI with its launcher — and measure that process alone: its peak RSS (VmHWM, every thread)
 * and CPU time from /proc while it runs, its own split of the time from the JSON summary.
 *
 *   node test/bench/harness/ingestChild.ts '{"dbFile":…,"dataDir":…,"resultFile":…,"progressEveryMs":2000}'
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { childParams, finishChild } from './child.ts';
import type { IngestParams, IngestReport } from './types.ts';

const params = childParams<IngestParams>();
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/audit-explorer.js');
const MB = 1e6;

/** Peak RSS and CPU ms so far of a process (and, through /proc, of what it exec'd in its place). */
function readProc(pid: number): { hwm: number; rss: number; cpuMs: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const ticks = Number(stat[11]) + Number(stat[12]);
    return { hwm: kb('VmHWM'), rss: kb('VmRSS'), cpuMs: (ticks * 1000) / 100 };
  } catch {
    return null;
  }
}

async function main(p: IngestParams): Promise<IngestReport> {
  const args = [BIN, '--db', p.dbFile, 'ingest', p.dataDir, '--source', 'bench', '--json'];
  const t0 = performance.now();
  // The CLI re-runs itself once (to set MALLOC_ARENA_MAX for an import); the grandchild does the work.
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  let peak = 0;
  let cpuMs = 0;
  let lastPrinted = t0;
  const watch = setInterval(() => {
    for (const pid of [child.pid!, ...descendants(child.pid!)]) {
      const proc = readProc(pid);
      if (proc === null) continue;
      peak = Math.max(peak, proc.hwm);
      cpuMs = Math.max(cpuMs, proc.cpuMs);
      if (performance.now() - lastPrinted >= p.progressEveryMs && proc.rss > 50 * MB) {
        lastPrinted = performance.now();
        process.stdout.write(
          `ingest: ${((lastPrinted - t0) / 1000).toFixed(0)} s, RSS ${(proc.rss / MB).toFixed(0)} MB\n`,
        );
      }
    }
  }, 100);
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  clearInterval(watch);
  const wallMs = performance.now() - t0;
  if (code !== 0 && out.trim() === '') throw new Error(`audit-explorer ingest failed (exit ${code}): ${err}`);
  const summary = JSON.parse(out) as IngestReport['summary'] & { seconds: number; indexMs: number };
  const ingestCallMs = summary.seconds * 1000;
  return {
    openMs: 0,
    importMs: ingestCallMs - summary.indexMs,
    maintenanceMs: summary.indexMs,
    ingestCallMs,
    // Everything around the import: start-up, opening the database, the closing checkpoint.
    closeMs: wallMs - ingestCallMs,
    summary: {
      events: summary.events,
      duplicates: summary.duplicates,
      quarantined: summary.quarantined,
      objects: summary.objects,
      errors: summary.errors,
      redacted: summary.redacted,
      lines: summary.lines,
      bytes: summary.bytes,
      stopped: summary.stopped,
    },
    maxRssBytes: peak,
    cpuMs,
  };
}

/** Pids of a process's children, grandchildren… (the CLI's re-run for MALLOC_ARENA_MAX). */
function descendants(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      const children = fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const c of children ? children.split(' ').map(Number) : []) out.push(c, ...descendants(c));
    }
  } catch {
    // The process has gone.
  }
  return out;
}

finishChild(params.resultFile, () => main(params));
