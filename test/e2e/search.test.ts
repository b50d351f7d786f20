/**
 * The search screen in Chromium against the real `serve` on a seeded database: the flows an auditor uses,
 * checked against counts computed from the seed itself, with a screenshot of each state (1440×900) under
 * test-results/screenshots/.
 */
import fs from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SearchPage } from './searchPage.ts';
import { CHROMIUM, launchChromium, seedLines, serveSeeded } from './support.ts';
import type { Served } from './support.ts';

// CI installs Chromium (.ci/run); elsewhere, without it, these tests are skipped rather than failed.
const haveChromium = fs.existsSync(CHROMIUM);

interface Seed {
  user: string;
  action: string;
  opType: string;
  failure: boolean;
  ts: number;
}
const seed: Seed[] = seedLines().map((line) => {
  const o = JSON.parse(line) as {
    userEmail: string;
    nameHints: string[];
    opType: string;
    responseCode: number;
    createdAt: number;
  };
  return {
    user: o.userEmail,
    action: o.nameHints[0]!,
    opType: o.opType,
    failure: o.responseCode >= 400,
    ts: o.createdAt,
  };
});
const count = (pred: (e: Seed) => boolean) => seed.filter(pred).length;

describe.skipIf(!haveChromium && !process.env.CI)('search screen in Chromium (e2e)', () => {
  let served: Served;
  let browser: Browser;
  let context: BrowserContext;
  let ui: SearchPage;

  beforeAll(async () => {
    [served, browser] = await Promise.all([serveSeeded(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  const openPage = async (path = '', colorScheme: 'light' | 'dark' = 'light') => {
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme });
    ui = new SearchPage(await context.newPage());
    const url = new URL(served.url);
    await ui.open(`${url.origin}/${path}${path.includes('?') ? '&' : '?'}token=${served.token}`);
  };
  afterEach(async () => {
    const problems = ui?.problems ?? [];
    await context?.close();
    expect(problems).toEqual([]);
  });

  it('opens with every event, strips the token from the URL and shows the histogram stacked by outcome', async () => {
    await openPage();
    expect(await ui.total()).toBe(seed.length);
    expect(ui.page.url()).not.toContain('token=');
    expect(await ui.page.locator('.histogram__seg.outcome-fill--failure').count()).toBeGreaterThan(0);
    expect(await ui.page.locator('.histogram__seg.outcome-fill--success').count()).toBeGreaterThan(0);
    await ui.screenshot('01-all-events');
  });

  it('searches by user: every row is that user and the total is exact', async () => {
    await openPage();
    await ui.search('user:alice@acme.io');
    expect(await ui.total()).toBe(count((e) => e.user === 'alice@acme.io'));
    const users = await ui.column(1);
    expect(users.length).toBeGreaterThan(5);
    expect(new Set(users)).toEqual(new Set(['alice@acme.io']));
    await ui.screenshot('02-search-by-user');
  });

  it('searches by entity and opType', async () => {
    await openPage();
    await ui.search('entity:Project op:Mutation');
    expect(await ui.total()).toBe(count((e) => e.action === 'releaseProject'));
    expect(new Set(await ui.column(2))).toEqual(new Set(['Project']));
    expect(new Set(await ui.column(4))).toEqual(new Set(['Mutation']));
  });

  it('a facet click adds field:value, the exclude control adds -field:value, and the counts follow', async () => {
    await openPage();
    await ui.facetValue('user', 'bob@acme.io').click();
    await ui.waitForUrlQuery('user:bob@acme.io');
    await ui.waitForResults();
    expect(await ui.query()).toBe('user:bob@acme.io');
    expect(await ui.total()).toBe(count((e) => e.user === 'bob@acme.io'));

    await ui.facetExclude('action', 'setPassword').click();
    await ui.waitForUrlQuery('user:bob@acme.io -action:setPassword');
    await ui.waitForResults();
    expect(await ui.query()).toBe('user:bob@acme.io -action:setPassword');
    expect(await ui.total()).toBe(count((e) => e.user === 'bob@acme.io' && e.action !== 'setPassword'));
    expect(await ui.page.getByTestId('facet-exclude-action-setPassword').getAttribute('aria-pressed')).toBe(
      'true',
    );
    await ui.screenshot('03-facet-include-exclude');

    // Alt-click excludes too.
    await ui.facetValue('opType', 'Query').click({ modifiers: ['Alt'] });
    await ui.waitForUrlQuery('user:bob@acme.io -action:setPassword -op:Query');
    await ui.waitForResults();
    expect(await ui.total()).toBe(
      count((e) => e.user === 'bob@acme.io' && e.action !== 'setPassword' && e.opType !== 'Query'),
    );
  });

  it('dragging over the histogram narrows the time range to the selection', async () => {
    await openPage();
    await ui.dragHistogram(0.3, 0.6);
    await ui.page.waitForFunction(() => new URLSearchParams(location.search).get('range')?.includes('..'));
    await ui.waitForResults();
    const [from, to] = new URLSearchParams(new URL(ui.page.url()).search)
      .get('range')!
      .split('..')
      .map((t) => Date.parse(t));
    expect(await ui.total()).toBe(count((e) => e.ts >= from! && e.ts < to!));
    expect(await ui.total()).toBeLessThan(seed.length);
    expect(await ui.page.getByTestId('time-range').innerText()).toContain('→');
    await ui.screenshot('04-histogram-drag');
  });

  it('opens a detail with the redacted value marked, pivots to the same user ±30 min, and Back restores the query', async () => {
    await openPage();
    await ui.search('action:setPassword');
    const before = await ui.total();
    await ui.rows.first().click();
    await ui.detail.waitFor();
    await ui.page.locator('[data-testid="raw-json"] .redacted').first().waitFor();
    expect(await ui.page.locator('[data-testid="raw-json"] .redacted').first().innerText()).toBe(
      '"[REDACTED]"',
    );
    await ui.screenshot('05-detail');

    const user = (await ui.page.getByTestId('field-user').locator('.field__value').innerText()).trim();
    const tsText = (await ui.rows.first().locator('.cell--ts').innerText()).trim();
    const ts = Date.parse(`${tsText.replace(' ', 'T')}Z`);
    await ui.page.getByTestId('pivot-user').click();
    await ui.waitForUrlQuery(`user:${user}`);
    await ui.waitForResults();
    expect(await ui.query()).toBe(`user:${user}`);
    expect(await ui.total()).toBe(
      count((e) => e.user === user && e.ts >= ts - 30 * 60_000 && e.ts <= ts + 30 * 60_000),
    );
    expect(new Set(await ui.column(1))).toEqual(new Set([user]));
    await ui.screenshot('06-pivot-same-user');

    await ui.page.goBack();
    await ui.waitForUrlQuery('action:setPassword');
    await ui.waitForResults();
    expect(await ui.query()).toBe('action:setPassword');
    expect(await ui.total()).toBe(before);
  });

  it('works from the keyboard alone: / to type, Enter to run, ↓ and Enter to open, Esc to close, ? for help', async () => {
    await openPage();
    await ui.page.keyboard.press('/');
    await ui.page.keyboard.type('outcome:failure');
    await ui.page.keyboard.press('Escape');
    await ui.page.keyboard.press('Enter');
    await ui.waitForUrlQuery('outcome:failure');
    await ui.waitForResults();
    expect(await ui.total()).toBe(count((e) => e.failure));
    await ui.page.getByTestId('results').focus();
    await ui.page.keyboard.press('ArrowDown');
    await ui.page.keyboard.press('ArrowDown');
    await ui.page.keyboard.press('Enter');
    await ui.detail.waitFor();
    expect(await ui.page.locator('.row--selected').getAttribute('data-index')).toBe('2');
    expect(await ui.page.locator('.row--selected').getAttribute('class')).toContain('row--failure');
    await ui.screenshot('07-keyboard-detail');
    await ui.page.keyboard.press('Escape');
    await ui.detail.waitFor({ state: 'detached' });
    await ui.page.keyboard.press('?');
    await ui.page.getByTestId('shortcuts').waitFor();
    await ui.screenshot('08-shortcuts');
    await ui.page.keyboard.press('Escape');
    await ui.page.getByTestId('shortcuts').waitFor({ state: 'detached' });
  });

  it('completes values with their counts in the query bar', async () => {
    await openPage();
    await ui.page.keyboard.press('/');
    await ui.page.keyboard.type('user:ca');
    const option = ui.page.locator('.cm-tooltip-autocomplete li', { hasText: 'carol@acme.io' });
    await option.waitFor();
    expect(await option.innerText()).toMatch(
      new RegExp(`carol@acme\\.io\\s+${count((e) => e.user === 'carol@acme.io')}`),
    );
    await ui.screenshot('09-autocomplete');
  });

  it('says what the database holds when nothing matches, and where a query error is', async () => {
    await openPage();
    await ui.search('user:nobody@acme.io');
    const empty = ui.page.getByTestId('empty');
    await empty.waitFor();
    expect(await empty.innerText()).toContain(`The database holds ${seed.length} events`);
    await ui.screenshot('10-empty');

    await ui.page.keyboard.press('/');
    await ui.page.keyboard.press('Control+A');
    await ui.page.keyboard.type('user:alice@acme.io OR');
    await ui.page.keyboard.press('Escape');
    await ui.page.keyboard.press('Enter');
    const error = ui.page.getByTestId('query-error');
    await error.waitFor();
    expect(await error.innerText()).toContain('Column 20');
    await ui.screenshot('11-query-error');
  });

  it('End jumps to the oldest match', async () => {
    await openPage();
    await ui.page.getByTestId('results').focus();
    await ui.page.keyboard.press('End');
    const last = ui.page.locator(`[data-testid="result-row"][data-index="${seed.length - 1}"]`);
    await last.locator('.cell--ts').waitFor();
    const oldest = Math.min(...seed.map((e) => e.ts));
    expect(Date.parse(`${(await last.locator('.cell--ts').innerText()).replace(' ', 'T')}Z`)).toBe(oldest);
  });

  it('follows a dark OS theme', async () => {
    await openPage('', 'dark');
    const background = await ui.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(21, 23, 28)');
    await ui.rows.nth(1).click();
    await ui.detail.waitFor();
    await ui.screenshot('12-dark-detail');
  });

  it('shows a loading state while a search runs', async () => {
    await openPage();
    // Hold the next search at the door so the state can be seen.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await ui.page.route('**/api/events.search', async (route) => {
      await held;
      await route.continue();
    });
    await ui.page.keyboard.press('/');
    await ui.page.keyboard.type('op:Query');
    await ui.page.keyboard.press('Escape');
    await ui.page.keyboard.press('Enter');
    await ui.page.locator('[role="progressbar"]').waitFor();
    expect(await ui.page.getByTestId('summary').innerText()).toContain('searching…');
    // The previous answer stays but dims (after a short delay, so fast searches do not flicker).
    await ui.page.waitForFunction(
      () => getComputedStyle(document.querySelector('.results-area')!).opacity === '0.55',
    );
    await ui.screenshot('13-loading');
    release();
    await ui.waitForUrlQuery('op:Query');
    await ui.waitForResults();
    expect(await ui.total()).toBe(count((e) => e.opType === 'Query'));
  });

  it('picks an absolute range typed in ISO order from the keyboard', async () => {
    await openPage();
    await ui.page.getByTestId('time-range').focus();
    await ui.page.keyboard.press('Enter');
    await ui.page.getByTestId('range-from').fill('2026-03-06');
    await ui.page.getByTestId('range-to').fill('2026-03-06 12:00');
    await ui.screenshot('14-time-range');
    await ui.page.getByTestId('range-to').press('Enter');
    await ui.page.waitForFunction(
      () => new URLSearchParams(location.search).get('range') === '2026-03-06..2026-03-06T12:00Z',
    );
    await ui.waitForResults();
    const from = Date.UTC(2026, 2, 6);
    expect(await ui.total()).toBe(count((e) => e.ts >= from && e.ts < from + 12 * 3_600_000));
  });

  it('deep links: a URL with q and range reproduces the view', async () => {
    await openPage('?q=user%3Acarol%40acme.io&range=2026-03-06..2026-03-07');
    expect(await ui.query()).toBe('user:carol@acme.io');
    const from = Date.UTC(2026, 2, 6);
    const to = Date.UTC(2026, 2, 7);
    expect(await ui.total()).toBe(count((e) => e.user === 'carol@acme.io' && e.ts >= from && e.ts < to));
  });
});

describe.skipIf(!haveChromium && !process.env.CI)('first run in Chromium (e2e)', () => {
  it('an empty database offers the sample data and loading it fills the screen', async () => {
    const [served, browser] = await Promise.all([serveSeeded({ empty: true }), launchChromium()]);
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      const ui = new SearchPage(page);
      await ui.open(`${new URL(served.url).origin}/?token=${served.token}`);
      await page.getByTestId('first-run').waitFor();
      await ui.screenshot('15-first-run');
      await page.getByTestId('load-samples').click();
      await page.getByTestId('result-row').first().waitFor({ timeout: 20_000 });
      expect(await ui.total()).toBeGreaterThan(1000);
      expect(ui.problems).toEqual([]);
    } finally {
      await browser.close();
      await served.stop();
    }
  });
});
