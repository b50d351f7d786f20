/**
 * Benchmark step: the search screen in Chromium through the real `audit-explorer serve` on the bench's
 * database. For every query of the search section, Enter is pressed in the query bar and the page itself
 * times the paint that first shows the new rows and the new total; then a result of about a million
 * matches is scrolled with the mouse wheel for a few seconds while a `requestAnimationFrame` loop records
 * frame times.
 *
 *   node test/bench/ui/uiChild.ts '{"dbFile":…,"resultFile":…,"queries":[…],"runs":20,"events":1000000}'
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SearchResult } from '../../../shared/contract.ts';
import { formatTime } from '../../../shared/query/index.ts';
import { launchChromium, startServe } from '../../e2e/browser.ts';
import { SearchPage } from '../../e2e/searchPage.ts';
import { childParams, finishChild } from '../harness/child.ts';
import { frameStats, latencyStats, median } from '../harness/stats.ts';
import type { UiParams, UiQueryResult, UiReport, UiScroll } from '../harness/types.ts';
import { armProbe, installProbe, probeResult, startFrameLog, stopFrameLog } from './probes.ts';

const params = childParams<UiParams>();

const VIEWPORT = { width: 1440, height: 900 };
/** The scroll test wants a result of about this many matches. */
const SCROLL_MATCHES = 1_000_000;
const SCROLL_MS = 5000;
/** Scroll passes, each going on down from where the last one stopped; their frames are pooled. */
const SCROLL_PASSES = 3;
/** One wheel notch every 20 ms, 120 px each: 6,000 px/s, about 214 rows a second. */
const WHEEL_INTERVAL_MS = 20;
const WHEEL_DELTA_PX = 120;
const ROW_HEIGHT = 28;
const LONG_FRAME_MS = 50;
/** A pause after typing, as a user makes before Enter (lets the linter and completion settle). */
const SETTLE_MS = 250;
const SEARCH_TIMEOUT_MS = 120_000;

const out = (line: string) => process.stdout.write(`${line}\n`);

async function api<T>(origin: string, token: string, method: string, input: unknown): Promise<T> {
  const res = await fetch(`${origin}/api/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${method}: ${body.error?.message ?? res.status}`);
  return body.value!;
}

/**
 * The query for the scroll test: every event when there are about a million, else the newest ~million
 * (an `after:` at a histogram bucket's start, from the engine's exact counts).
 */
async function scrollQuery(origin: string, token: string, events: number): Promise<string> {
  if (events <= SCROLL_MATCHES * 1.2) return '';
  const r = await api<SearchResult>(origin, token, 'events.search', {
    query: '',
    limit: 0,
    facets: false,
    histogram: true,
  });
  const h = r.histogram;
  if (!h) return '';
  let sum = 0;
  for (let b = h.counts.length - 1; b >= 0; b--) {
    sum += h.counts[b]!;
    if (sum >= SCROLL_MATCHES) return `after:${formatTime(h.from + b * h.bucketMs)}`;
  }
  return '';
}

function parseCount(text: string): number {
  return Number(text.replace(/[^0-9]/g, ''));
}

/** "· 123 ms" / "· 1.2 s" at the end of the summary → ms. */
function parseElapsed(summary: string): number {
  const m = /([\d.]+)\s*(ms|s)\s*$/.exec(summary.trim());
  if (!m) return NaN;
  return Number(m[1]) * (m[2] === 's' ? 1000 : 1);
}

async function main(p: UiParams): Promise<UiReport> {
  const token = randomBytes(18).toString('base64url');
  const t0 = performance.now();
  const serve = await startServe(p.dbFile, token);
  const serveStartMs = performance.now() - t0;
  out(`ui: serve up in ${serveStartMs.toFixed(0)} ms`);
  const origin = new URL(serve.url).origin;
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light' });
    const ui = new SearchPage(await context.newPage());
    const page = ui.page;
    page.setDefaultTimeout(SEARCH_TIMEOUT_MS);

    // (a) Enter → painted, for every query, round-robin so that each Enter runs a different text.
    const t1 = performance.now();
    await ui.open(`${origin}/?range=all&token=${token}`);
    const firstPageMs = performance.now() - t1;
    out(`ui: first page in ${firstPageMs.toFixed(0)} ms`);
    await installProbe(page);
    const samples = new Map(
      p.queries.map((q) => [
        q.name,
        { rows: [] as number[], total: [] as number[], api: [] as number[], shown: -1 },
      ]),
    );
    for (let run = -1; run < p.runs; run++) {
      for (const q of p.queries) {
        await ui.typeQuery(q.query);
        await sleep(SETTLE_MS);
        await armProbe(page);
        await page.keyboard.press('Enter');
        const t = await probeResult(page, SEARCH_TIMEOUT_MS).catch((error: unknown) => {
          throw new Error(`${q.name} (${q.query}): ${(error as Error).message}`);
        });
        if (run < 0) continue; // warm-up pass
        const s = samples.get(q.name)!;
        s.rows.push(t.rowsMs);
        s.total.push(t.totalMs);
        s.api.push(parseElapsed(t.summaryText));
        s.shown = parseCount(t.totalText);
      }
      if (run >= 0 && (run + 1) % 5 === 0)
        out(`ui: ${run + 1}/${p.runs} rounds of ${p.queries.length} queries`);
    }
    const queries: UiQueryResult[] = p.queries.map((q) => {
      const s = samples.get(q.name)!;
      const rowsMs = latencyStats(s.rows);
      out(
        `ui: ${q.name.padEnd(16)} total ${s.shown.toLocaleString('en-US').padStart(10)}  Enter→rows p50 ${rowsMs.p50.toFixed(1)} ms p95 ${rowsMs.p95.toFixed(1)} ms`,
      );
      return {
        name: q.name,
        query: q.query,
        freeText: q.freeText,
        expected: q.expected,
        total: s.shown,
        ok: s.shown === q.expected,
        rowsMs,
        totalMs: latencyStats(s.total),
        apiMs: median(s.api.filter((x) => Number.isFinite(x))),
      };
    });

    const classes = [false, true].flatMap((freeText) => {
      const qs = p.queries.filter((q) => q.freeText === freeText);
      if (qs.length === 0) return [];
      const pooled = (key: 'rows' | 'total') => qs.flatMap((q) => samples.get(q.name)![key]);
      return [
        {
          freeText,
          queries: qs.length,
          rowsMs: latencyStats(pooled('rows')),
          totalMs: latencyStats(pooled('total')),
        },
      ];
    });

    // (b) Frame times while wheel-scrolling a ~1M-match result.
    const query = await scrollQuery(origin, token, p.events);
    const params = new URLSearchParams({ range: 'all', token });
    if (query) params.set('q', query);
    await ui.open(`${origin}/?${params.toString()}`);
    const total = await ui.total();
    const results = page.getByTestId('results');
    const box = (await results.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const top0 = await results.evaluate((el) => el.scrollTop);
    const recordings: number[][] = [];
    let wheelEvents = 0;
    let durationMs = 0;
    let placeholderFrames = 0;
    let longAtArrival = 0;
    for (let pass = 0; pass < SCROLL_PASSES; pass++) {
      await sleep(500);
      await startFrameLog(page);
      const s0 = performance.now();
      let sent = 0;
      while (performance.now() - s0 < SCROLL_MS) {
        await page.mouse.wheel(0, WHEEL_DELTA_PX);
        sent++;
        const wait = s0 + sent * WHEEL_INTERVAL_MS - performance.now();
        if (wait > 0) await sleep(wait);
      }
      durationMs += performance.now() - s0;
      wheelEvents += sent;
      const log = await stopFrameLog(page);
      recordings.push(log.ts);
      placeholderFrames += log.loading.filter(Boolean).length;
      // A long gap before a frame whose rows all arrived while the previous one still waited: the work
      // that delayed the frame included rendering a new page of rows.
      for (let i = 1; i < log.ts.length; i++) {
        if (log.ts[i]! - log.ts[i - 1]! > LONG_FRAME_MS && log.loading[i - 1] && !log.loading[i])
          longAtArrival++;
      }
      const f = frameStats([log.ts]);
      out(
        `ui: scroll pass ${pass + 1}: ${f.frames} frames, p50 ${f.p50.toFixed(1)} ms p95 ${f.p95.toFixed(1)} ms max ${f.max.toFixed(1)} ms`,
      );
    }
    const top1 = await results.evaluate((el) => el.scrollTop);
    const scroll: UiScroll = {
      query,
      total,
      passes: SCROLL_PASSES,
      passP95: recordings.map((ts) => frameStats([ts]).p95),
      durationMs,
      wheelIntervalMs: WHEEL_INTERVAL_MS,
      wheelDeltaPx: WHEEL_DELTA_PX,
      wheelEvents,
      rowsScrolled: Math.round((top1 - top0) / ROW_HEIGHT),
      frames: frameStats(recordings, LONG_FRAME_MS),
      longAtArrival,
      placeholderFrames,
    };
    out(
      `ui: scroll ${total.toLocaleString('en-US')} matches: ${scroll.frames.frames} frames, p50 ${scroll.frames.p50.toFixed(1)} ms p95 ${scroll.frames.p95.toFixed(1)} ms max ${scroll.frames.max.toFixed(1)} ms, ${scroll.rowsScrolled} rows`,
    );
    await context.close();
    return {
      serveStartMs,
      firstPageMs,
      chromium: browser.version(),
      viewport: VIEWPORT,
      queries,
      classes,
      scroll,
      problems: ui.problems,
    };
  } finally {
    await browser.close();
    await serve.stop();
  }
}

finishChild(params.resultFile, () => main(params));
