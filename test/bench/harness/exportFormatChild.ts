/**
 * Benchmark step: what one export output costs on its own — every event of a finished database to
 * events.ndjson (with events.index and the running hash) or to events.csv, in a folder — through the
 * exporter's own writeEvents, on a thread with the export thread's heap limits, in a fresh process (no
 * service loaded, so its RSS is lower than the bundle step's). Measures as exportChild does.
 *
 *   node test/bench/harness/exportFormatChild.ts '{"dbFile":…,"out":<folder>,"output":"ndjson"|"csv","resultFile":…}'
 */
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { EXPORT_THREAD_LIMITS } from '../../../electron/agent/export/exportThread.ts';
import { childParams, finishChild } from './child.ts';
import type { ExportFormatMessage } from './exportFormatWorker.ts';
import type { ExportFormatParams, ExportReport } from './types.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** Beside the benchmark's databases: packages resolve from the repository's node_modules. */
const WORKER_BUNDLE = path.join(HERE, '..', '.work', 'exportFormatWorker.mjs');

function vm(key: 'VmHWM' | 'VmRSS'): number {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  return Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
}

async function main(p: ExportFormatParams): Promise<ExportReport> {
  // Plain JavaScript like the export thread's bundle: type stripping would add its own memory to the RSS.
  await build({
    entryPoints: [path.join(HERE, 'exportFormatWorker.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    outfile: WORKER_BUNDLE,
    packages: 'external',
    logLevel: 'warning',
  });
  const rssBeforeBytes = vm('VmRSS');
  const rssAt: ExportReport['rssAt'] = [];
  let nextQuarter = 1;
  let eventsMs = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const worker = new Worker(WORKER_BUNDLE, { workerData: p, resourceLimits: EXPORT_THREAD_LIMITS });
  const events = await new Promise<number>((resolve, reject) => {
    worker.on('message', (m: ExportFormatMessage) => {
      if ('done' in m) return resolve(m.done);
      eventsMs = performance.now() - t0;
      if (nextQuarter <= 4 && m.exported >= (nextQuarter * m.total) / 4) {
        rssAt.push({ exported: m.exported, rssBytes: vm('VmRSS') });
        while (nextQuarter <= 4 && m.exported >= (nextQuarter * m.total) / 4) nextQuarter++;
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`the export thread stopped (exit code ${code})`)));
  });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await worker.terminate();
  fs.rmSync(WORKER_BUNDLE, { force: true });
  const bytes = fs.readdirSync(p.out).reduce((n, f) => n + fs.statSync(path.join(p.out, f)).size, 0);
  return {
    events,
    ms,
    eventsMs,
    eventsPerSec: (events / ms) * 1000,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssBytes: vm('VmHWM'),
    rssBeforeBytes,
    rssAt,
    bundleBytes: bytes,
  };
}

const params = childParams<ExportFormatParams>();
finishChild(params.resultFile, () => main(params));
