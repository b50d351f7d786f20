/**
 * What the UI benchmark runs inside the page (through `page.evaluate`): a probe that timestamps Enter and
 * the paint that first shows the new result, and a `requestAnimationFrame` loop that records frame times.
 * Timestamps are the page's own `performance.now()`, so no round trip to Node is in them.
 */
import type { Page } from 'playwright-core';

export interface EnterTiming {
  /** Enter → the first rows of the new result painted, ms. */
  rowsMs: number;
  /** Enter → the new total painted (summary without "searching…"), ms. */
  totalMs: number;
  /** The total as the page shows it. */
  totalText: string;
  /** The search's own time as the summary shows it ("123 ms"). */
  summaryText: string;
}

interface Probe {
  armed: boolean;
  enter: number | null;
  sawBusy: boolean;
  rowsDom: number | null;
  rows: number | null;
  totalDom: number | null;
  total: number | null;
  totalText: string;
  summaryText: string;
  /** The error state's text, when the search failed. */
  error: string | null;
}

interface FrameLog {
  ts: number[];
  /** Per frame: a row in the DOM still said "Loading…". */
  loading: boolean[];
  stop: boolean;
}

type BenchWindow = Window & { __uiProbe?: Probe; __uiFrames?: FrameLog };

/**
 * Installs the probe once per page: a capture listener for Enter (the first thing to see the key) and a
 * MutationObserver that waits for the search to go busy and come back. "Painted" is taken after the next
 * frame: a `requestAnimationFrame` callback, then a message posted from it (delivered once the frame that
 * callback belongs to has been rendered).
 */
export async function installProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as BenchWindow;
    if (w.__uiProbe) return;
    const probe: Probe = {
      armed: false,
      enter: null,
      sawBusy: false,
      rowsDom: null,
      rows: null,
      totalDom: null,
      total: null,
      totalText: '',
      summaryText: '',
      error: null,
    };
    w.__uiProbe = probe;
    const afterPaint = (done: (t: number) => void) =>
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => done(performance.now());
        channel.port2.postMessage(0);
      });
    window.addEventListener(
      'keydown',
      (e) => {
        if (!probe.armed || e.key !== 'Enter' || probe.enter !== null) return;
        const now = performance.now();
        // A trusted event's timeStamp is when the browser got the key (it includes any queueing).
        probe.enter = e.timeStamp > 0 && e.timeStamp <= now ? e.timeStamp : now;
      },
      { capture: true },
    );
    const check = () => {
      if (!probe.armed || probe.enter === null) return;
      if (document.querySelector('main')?.getAttribute('aria-busy') === 'true') {
        probe.sawBusy = true;
        return;
      }
      if (!probe.sawBusy) return;
      const failed = document.querySelector('[data-testid="search-error"]');
      if (failed) probe.error = failed.textContent ?? 'error';
      if (probe.rowsDom === null) {
        const shown =
          document.querySelector('[data-testid="result-row"]:not(.row--loading)') ??
          document.querySelector('[data-testid="empty"]');
        if (shown) {
          probe.rowsDom = performance.now();
          afterPaint((t) => (probe.rows = t));
        }
      }
      if (probe.totalDom === null) {
        const total = document.querySelector('[data-testid="total"]');
        const summary = document.querySelector('[data-testid="summary"]')?.textContent ?? '';
        if (total && !summary.includes('searching')) {
          probe.totalDom = performance.now();
          probe.totalText = total.textContent ?? '';
          probe.summaryText = summary;
          afterPaint((t) => (probe.total = t));
        }
      }
    };
    new MutationObserver(check).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      characterData: true,
    });
  });
}

/** Resets the probe before Enter is pressed. */
export async function armProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const p = (window as BenchWindow).__uiProbe!;
    Object.assign(p, {
      armed: true,
      enter: null,
      sawBusy: false,
      rowsDom: null,
      rows: null,
      totalDom: null,
      total: null,
      totalText: '',
      summaryText: '',
      error: null,
    });
  });
}

/** Waits until the armed probe saw both paints; returns the times from Enter (throws if the search failed). */
export async function probeResult(page: Page, timeoutMs: number): Promise<EnterTiming> {
  const handle = await page.waitForFunction(
    () => {
      const p = (window as BenchWindow).__uiProbe!;
      if (p.error !== null) return { error: p.error };
      if (p.enter === null || p.rows === null || p.total === null) return null;
      p.armed = false;
      return {
        rowsMs: p.rows - p.enter,
        totalMs: p.total - p.enter,
        totalText: p.totalText,
        summaryText: p.summaryText,
      };
    },
    undefined,
    { polling: 25, timeout: timeoutMs },
  );
  const result = (await handle.jsonValue())!;
  if ('error' in result) throw new Error(`the search screen showed an error: ${result.error}`);
  return result;
}

/** Starts recording the timestamp of every animation frame (and whether it showed a "Loading…" row). */
export async function startFrameLog(page: Page): Promise<void> {
  await page.evaluate(() => {
    const log: FrameLog = { ts: [], loading: [], stop: false };
    (window as BenchWindow).__uiFrames = log;
    const loop = (t: number) => {
      log.ts.push(t);
      log.loading.push(document.querySelector('[data-testid="result-row"].row--loading') !== null);
      if (!log.stop) requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  });
}

export async function stopFrameLog(page: Page): Promise<{ ts: number[]; loading: boolean[] }> {
  return page.evaluate(() => {
    const log = (window as BenchWindow).__uiFrames!;
    log.stop = true;
    return { ts: log.ts, loading: log.loading };
  });
}
