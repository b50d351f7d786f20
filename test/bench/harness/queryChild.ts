/**
 * Benchmark step: open the service on a finished database in a fresh process and time whole search
 * responses (`events.search` with its defaults: first page of 100 newest, exact total, the default facets,
 * a histogram), then the next page of each.
 *
 *   node test/bench/harness/queryChild.ts '{"dbFile":…,"resultFile":…,"queries":[…],"runs":20}'
 */
import { SearchInputSchema, type SearchResult } from '../../../shared/contract.ts';
import { createService, type AuditService } from '../../../electron/agent/service.ts';
import { childParams, finishChild } from './child.ts';
import { latencyStats, median } from './stats.ts';
import type { LatencyStats, QueryParams, QueryReport, QueryResult, QuerySpec } from './types.ts';

const params = childParams<QueryParams>();

const PAGE = 100;
/** Whether `events.search` takes `raw: false` (leave out each event's raw JSON). */
const HAS_RAW_OPTION = 'raw' in SearchInputSchema.shape;

async function timed(fn: () => Promise<SearchResult>): Promise<{ ms: number; result: SearchResult }> {
  const t0 = performance.now();
  const result = await fn();
  return { ms: performance.now() - t0, result };
}

async function measure(service: AuditService, q: QuerySpec, runs: number): Promise<QueryResult> {
  const first = () => service['events.search']({ query: q.query, limit: PAGE });
  const warm = await first();
  const samples: Array<{ ms: number; result: SearchResult }> = [];
  for (let i = 0; i < runs; i++) samples.push(await timed(first));
  const times = samples.map((s) => s.ms);
  const mid = median(times);
  const medianRun = samples.find((s) => s.ms === mid)!.result;
  for (const s of samples) {
    if (s.result.total !== warm.total) throw new Error(`${q.name}: total changed between runs`);
  }

  let nextPage: QueryResult['nextPage'] = null;
  if (warm.nextCursor !== null) {
    const next = () =>
      service['events.search']({
        query: q.query,
        limit: PAGE,
        cursor: warm.nextCursor,
        facets: false,
        histogram: false,
      });
    const page2 = await next();
    const nextTimes: number[] = [];
    for (let i = 0; i < runs; i++) nextTimes.push((await timed(next)).ms);
    const lastTs = warm.events[warm.events.length - 1]?.ts ?? Infinity;
    const seen = new Set(warm.events.map((e) => e.id));
    let ordered = page2.events.every((e) => !seen.has(e.id) && (e.ts ?? -Infinity) <= (lastTs ?? Infinity));
    for (let i = 1; i < page2.events.length; i++) {
      if ((page2.events[i]!.ts ?? -Infinity) > (page2.events[i - 1]!.ts ?? -Infinity)) ordered = false;
    }
    nextPage = { ...latencyStats(nextTimes), pageEvents: page2.events.length, ordered };
  }

  let withoutRaw: LatencyStats | null = null;
  if (HAS_RAW_OPTION) {
    // Through the same door, with the option the input schema may not have had when this was written.
    const search = service['events.search'] as (input: Record<string, unknown>) => Promise<SearchResult>;
    const lean = () => search({ query: q.query, limit: PAGE, raw: false });
    await lean();
    const leanTimes: number[] = [];
    for (let i = 0; i < runs; i++) leanTimes.push((await timed(lean)).ms);
    withoutRaw = latencyStats(leanTimes);
  }

  process.stdout.write(
    `query: ${q.name.padEnd(16)} total ${warm.total.toLocaleString('en-US').padStart(10)}  p50 ${mid.toFixed(1)} ms\n`,
  );
  return {
    name: q.name,
    query: q.query,
    freeText: q.freeText,
    expected: q.expected,
    total: warm.total,
    ok: warm.total === q.expected,
    pageEvents: warm.events.length,
    latency: latencyStats(times),
    engine: medianRun.timing,
    nextPage,
    withoutRaw,
    facets: Object.keys(warm.facets).length,
    histogramBuckets: warm.histogram?.counts.length ?? 0,
  };
}

async function main(p: QueryParams): Promise<QueryReport> {
  const t0 = performance.now();
  const service = await createService({ dbFile: p.dbFile });
  const openMs = performance.now() - t0;
  try {
    const q0 = p.queries[0]!;
    const cold = await timed(() => service['events.search']({ query: q0.query, limit: PAGE }));
    process.stdout.write(`query: cold first search (${q0.name}) ${cold.ms.toFixed(1)} ms\n`);
    const results: QueryResult[] = [];
    for (const q of p.queries) results.push(await measure(service, q, p.runs));
    return {
      openMs,
      cold: { name: q0.name, ms: cold.ms, engine: cold.result.timing },
      results,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  } finally {
    await service.close();
  }
}

finishChild(params.resultFile, () => main(params));
