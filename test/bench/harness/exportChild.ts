/**
 * Benchmark step: export every event of a finished database to an evidence bundle (`export.run` with an
 * empty query and a .zip), in a fresh process, and measure events/s and memory as the export goes: peak
 * RSS (VmHWM, every thread) and the RSS at each quarter of the events, which should stay flat.
 *
 *   node test/bench/harness/exportChild.ts '{"dbFile":…,"out":….zip,"resultFile":…}'
 */
import fs from 'node:fs';
import type * as Service from '../../../electron/agent/service.ts';
import { MemorySecretStore } from '../../../electron/agent/sources/secrets/secretStore.ts';
import { childParams, finishChild } from './child.ts';
import type { ExportParams, ExportReport } from './types.ts';

const params = childParams<ExportParams>();

function vm(key: 'VmHWM' | 'VmRSS'): number {
  try {
    const status = fs.readFileSync('/proc/self/status', 'utf8');
    return Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return key === 'VmRSS' ? process.memoryUsage.rss() : 0;
  }
}

/**
 * The engine as users run it: the bundle in dist/ (the ingest step's CLI has just built it), so the export
 * thread runs plain JavaScript; the sources when there is no bundle.
 */
async function engine(): Promise<typeof Service> {
  const dist = new URL('../../../dist/service.js', import.meta.url);
  if (fs.existsSync(dist)) return (await import(dist.href)) as typeof Service;
  return import('../../../electron/agent/service.ts');
}

async function main(p: ExportParams): Promise<ExportReport> {
  const { createService } = await engine();
  // A key in memory: the bench measures the export, not the secret file's key derivation.
  const service = await createService({ dbFile: p.dbFile, secrets: new MemorySecretStore() });
  try {
    // What the process holds before the export (the service: its modules, connection and threads).
    const rssBeforeBytes = vm('VmRSS');
    const rssAt: ExportReport['rssAt'] = [];
    let nextQuarter = 1;
    let eventsMs = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let lastLine = t0;
    const stop = service.subscribe((event) => {
      if (event.name !== 'export.progress' || event.payload.phase !== 'events') return;
      const { exported, total } = event.payload;
      eventsMs = performance.now() - t0;
      // At each quarter of the events (the first after a quarter is written, when the export is warm).
      if (nextQuarter <= 4 && exported >= (nextQuarter * total) / 4) {
        rssAt.push({ exported, rssBytes: vm('VmRSS') });
        while (nextQuarter <= 4 && exported >= (nextQuarter * total) / 4) nextQuarter++;
      }
      if (performance.now() - lastLine > 5000) {
        lastLine = performance.now();
        process.stdout.write(`export: ${exported} of ${total} events\n`);
      }
    });
    const result = await service['export.run']({ query: '', out: p.out });
    stop();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return {
      events: result.exported,
      ms,
      eventsMs,
      eventsPerSec: (result.exported / ms) * 1000,
      cpuMs: (cpu.user + cpu.system) / 1000,
      maxRssBytes: vm('VmHWM'),
      rssBeforeBytes,
      rssAt,
      bundleBytes: fs.statSync(p.out).size,
    };
  } finally {
    await service.close();
  }
}

finishChild(params.resultFile, () => main(params));
