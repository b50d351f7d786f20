/**
 * The Schedule & retention screen in Chromium against the real `serve`: two folder sources synced from
 * events spread over the last 60 days (and one whose folder is gone), the engine's clock in a fixed zone
 * (Asia/Kolkata, +05:30, no DST) so next run times are known. Checked against the CLI on the same
 * database: `sources list --json`, `search --count`, `retention show`. Screenshots (1440×900) under
 * test-results/screenshots/schedule-*.png.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { prophecyLine, runBinary } from '../integration/cli/support.ts';
import { CHROMIUM, launchChromium, startServe, type ServeProcess } from './browser.ts';
import { WatchedPage } from './watchedPage.ts';

const haveChromium = fs.existsSync(CHROMIUM);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The engine's zone: schedules are read in it (the scheduler's), and it has no DST. */
const AGENT_ZONE = 'Asia/Kolkata';
const RETENTION_DAYS = 30;

/** Events every `stepHours` from `days` ago until now, off the hour by 17 minutes so none sits near a cut. */
function spread(t0: number, days: number, stepHours: number, user: string): string[] {
  const lines: string[] = [];
  for (let t = t0 - days * DAY + 17 * 60_000; t < t0 - HOUR; t += stepHours * HOUR)
    lines.push(prophecyLine({ ts: t, user, action: 'releaseProject', opType: 'Mutation' }));
  return lines;
}

async function cli(db: string, ...args: string[]): Promise<string> {
  const r = await runBinary(args, db);
  if (r.code !== 0) throw new Error(`audit-explorer ${args.join(' ')} exited ${r.code}: ${r.err}`);
  return r.out;
}

describe.skipIf(!haveChromium && !process.env.CI)('schedule & retention screen in Chromium (e2e)', () => {
  const t0 = Date.now();
  let dir: string;
  let db: string;
  let serve: ServeProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let watched: WatchedPage;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'h-schedui-e2e-'));
    db = path.join(dir, 'audit.db');
    const sources = [
      { name: 'billing-api', lines: spread(t0, 60, 7, 'alice@acme.io') },
      { name: 'identity', lines: spread(t0, 45, 5, 'bob@acme.io') },
    ];
    for (const s of sources) {
      const folder = path.join(dir, s.name, 'audit');
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(path.join(folder, 'events.ndjson'), `${s.lines.join('\n')}\n`);
      fs.writeFileSync(
        path.join(dir, `${s.name}.json`),
        JSON.stringify({ name: s.name, kind: 'folder', path: path.join(dir, s.name) }),
      );
      await cli(db, 'sources', 'add', '--file', path.join(dir, `${s.name}.json`));
    }
    // A third source whose folder is gone: the screen shows it failing, with the error.
    fs.writeFileSync(
      path.join(dir, 'legacy.json'),
      JSON.stringify({
        name: 'legacy-drop',
        kind: 'folder',
        path: path.join(dir, 'gone'),
        schedule: '0 0 */6 * * *',
      }),
    );
    await cli(db, 'sources', 'add', '--file', path.join(dir, 'legacy.json'));
    await runBinary(['sync'], db);
    const expected = sources.reduce((n, s) => n + s.lines.length, 0);
    expect(Number(await cli(db, 'search', '--count', ''))).toBe(expected);

    // serve's process reads schedules in AGENT_ZONE (as the agent would on a machine set to it).
    const tz = process.env.TZ;
    process.env.TZ = AGENT_ZONE;
    try {
      serve = await startServe(db, 'e2e-schedule-token-0123456789');
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const open = async (colorScheme: 'light' | 'dark' = 'light') => {
    // The browser's own zone differs from the agent's and from UTC, so each choice shows something else.
    context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      colorScheme,
      timezoneId: 'America/New_York',
    });
    watched = new WatchedPage(await context.newPage(), { shotPrefix: 'schedule-' });
    page = watched.page;
    const url = new URL(serve.url);
    await watched.goto(`${url.origin}/?token=${serve.token}#/schedule`);
    await page.getByTestId('source-row').first().waitFor();
  };
  afterEach(async () => {
    await context?.close();
    expect(watched?.problems ?? []).toEqual([]);
  });
  const shot = (name: string) => watched.screenshot(name);
  const row = (name: string) => page.locator(`[data-testid="source-row"][data-source="${name}"]`);

  it('lists each source with its status, schedule in words and next run', async () => {
    await open();
    expect(await page.getByTestId('source-row').count()).toBe(3);
    await expect.poll(() => row('billing-api').getByTestId('source-status').innerText()).toBe('ok');
    expect(await row('legacy-drop').getByTestId('source-status').innerText()).toBe('failing');
    expect(await row('billing-api').getByTestId('source-schedule').innerText()).toBe('0 0 */1 * * *');
    expect(await row('billing-api').getByTestId('source-schedule-description').innerText()).toBe(
      'Every hour',
    );
    expect(await row('legacy-drop').getByTestId('source-schedule-description').innerText()).toBe(
      'On the hour, every 6 hours',
    );
    // Hourly on the agent's clock (+05:30): the next run is within the hour, in words, and at half past
    // an hour in UTC (the default zone).
    const next = await row('billing-api').getByTestId('source-next-run').innerText();
    expect(next).toMatch(/^in (\d+ (minute|second)s?|a few seconds|1 hour)\n\d{4}-\d\d-\d\d \d\d:30:00$/);
    await expect.poll(() => page.getByTestId('gc-cron-description').innerText()).toBe('At 01:00');
    await shot('01-screen');
  });

  it('sets a source schedule: words, next five runs right in UTC and in a chosen zone, saved', async () => {
    await open();
    await row('billing-api').getByTestId('edit-schedule').click();
    const input = page.getByTestId('source-cron-input');
    await expect.poll(() => input.evaluate((el) => el === document.activeElement)).toBe(true);
    await input.fill('0 30 2 * * *');
    const description = page.getByTestId('source-cron-description');
    await expect.poll(() => description.innerText()).toBe('At 02:30');
    // 02:30 on the agent's clock (Kolkata, +05:30) is 21:00 UTC the day before.
    const times = page.getByTestId('source-cron').getByTestId('source-cron-time');
    await expect.poll(() => times.count()).toBe(5);
    const utc = await times.allInnerTexts();
    for (const t of utc) expect(t).toMatch(/^\d{4}-\d\d-\d\d 21:00:00$/);
    // One a day, the first within a day from now.
    const ms = utc.map((t) => Date.parse(`${t.replace(' ', 'T')}Z`));
    for (let i = 1; i < ms.length; i++) expect(ms[i]! - ms[i - 1]!).toBe(DAY);
    expect(ms[0]! - Date.now()).toBeGreaterThan(0);
    expect(ms[0]! - Date.now()).toBeLessThanOrEqual(DAY);
    await shot('02-cron-field-utc');

    // The same runs in the agent's zone read 02:30; in the browser's (New York, −05:00 in winter or
    // −04:00 in summer) 16:00 or 17:00.
    await page.getByTestId('zone-mode').selectOption('other');
    await page.getByTestId('zone-other').fill(AGENT_ZONE);
    await expect.poll(async () => (await times.allInnerTexts())[0]).toMatch(/ 02:30:00$/);
    for (const t of await times.allInnerTexts()) expect(t).toMatch(/ 02:30:00$/);
    await page.getByTestId('zone-mode').selectOption('local');
    await expect.poll(async () => (await times.allInnerTexts())[0]).toMatch(/ 1[67]:00:00$/);
    await shot('03-cron-field-zone');

    await page.getByTestId('zone-mode').selectOption('UTC');
    await page.getByTestId('save-schedule').click();
    await page.getByTestId('schedule-editor').waitFor({ state: 'detached' });
    expect(await row('billing-api').getByTestId('source-schedule').innerText()).toBe('0 30 2 * * *');
    expect(await row('billing-api').getByTestId('source-schedule-description').innerText()).toBe('At 02:30');
    expect(await row('billing-api').getByTestId('source-next-run').innerText()).toMatch(
      new RegExp(`\\n${utc[0]}$`),
    );
    // Stored: the CLI sees the new schedule, and nothing else of the source changed.
    const listed = JSON.parse(await cli(db, 'sources', 'list', '--json')) as {
      name: string;
      schedule: string;
      location: string;
    }[];
    const billing = listed.find((s) => s.name === 'billing-api')!;
    expect(billing.schedule).toBe('0 30 2 * * *');
    expect(billing.location).toBe(path.join(dir, 'billing-api'));
  });

  it('run now from the keyboard: the source syncs and the row says what the pass did', async () => {
    await open();
    // New events arrived in the folder since the last pass; Run now takes them.
    const extra = [Date.now() - 2 * HOUR, Date.now() - HOUR].map((ts) =>
      prophecyLine({ ts, user: 'carol@acme.io', action: 'addTeam', opType: 'Mutation' }),
    );
    fs.writeFileSync(path.join(dir, 'identity', 'audit', 'later.ndjson'), `${extra.join('\n')}\n`);
    const before = Number((await cli(db, 'search', '--count', 'source:identity')).trim());
    const run = row('identity').getByTestId('run-source');
    await run.focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => row('identity').getByTestId('run-result').innerText(), { timeout: 20_000 })
      .toBe('Synced · 2 new events, 2 objects listed');
    expect(Number((await cli(db, 'search', '--count', 'source:identity')).trim())).toBe(before + 2);
    expect(await row('identity').getByTestId('source-status').innerText()).toBe('ok');
    // The failing source says why, in its row.
    await row('legacy-drop').getByTestId('run-source').click();
    await expect
      .poll(() => row('legacy-drop').getByTestId('run-result').innerText(), { timeout: 20_000 })
      .toMatch(
        /^Failed · 0 new events, 0 objects listed · The folder .*gone of folder source 'legacy-drop' does not exist/,
      );
  });

  it('an invalid cron shows the error at the field and cannot be saved', async () => {
    await open();
    await row('identity').getByTestId('edit-schedule').click();
    const input = page.getByTestId('source-cron-input');
    await input.fill('0 0 25 * * *');
    const error = page.getByTestId('source-cron-error');
    await expect
      .poll(() => error.innerText())
      .toBe('"0 0 25 * * *": hours "25" is not valid. Write 0–23, */N, a list or a range.');
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('save-schedule').isDisabled()).toBe(true);
    await shot('06-invalid-cron');
    // Five fields (no seconds): the message says six are needed, seconds first.
    await input.fill('0 * * * *');
    await expect.poll(() => error.innerText()).toMatch(/is not a 6-field cron expression \(it has 5\)/);
    expect(await page.getByTestId('save-schedule').isDisabled()).toBe(true);
    // Escape closes the editor and gives the focus back to its button; nothing was stored.
    await input.press('Escape');
    await page.getByTestId('schedule-editor').waitFor({ state: 'detached' });
    await expect
      .poll(() =>
        row('identity')
          .getByTestId('edit-schedule')
          .evaluate((el) => el === document.activeElement),
      )
      .toBe(true);
    expect(await row('identity').getByTestId('source-schedule').innerText()).toBe('0 0 */1 * * *');
  });

  it('retention: set days, the dry run matches search --count per source, run it, the events are gone', async () => {
    await open();
    const cutIso = new Date(t0 - RETENTION_DAYS * DAY).toISOString();
    const countOf = async (query: string) => Number((await cli(db, 'search', '--count', query)).trim());
    const expected = {
      'billing-api': await countOf(`source:billing-api before:${cutIso}`),
      identity: await countOf(`source:identity before:${cutIso}`),
    };
    const totalBefore = await countOf('');
    expect(expected['billing-api']).toBeGreaterThan(0);
    expect(expected.identity).toBeGreaterThan(0);

    await expect.poll(() => page.getByTestId('preview-off').isVisible()).toBe(true);
    await page.getByTestId('retention-days').fill(String(RETENTION_DAYS));
    await expect.poll(() => page.getByTestId('preview-source').count()).toBe(2);
    const perSource = async (kind: 'preview' | 'result') =>
      Object.fromEntries(
        await page
          .getByTestId(`${kind}-source`)
          .evaluateAll((rows) =>
            rows.map((r) => [
              r.getAttribute('data-source'),
              Number(r.querySelector('[data-testid$="-source-events"]')!.textContent!.replace(/,/g, '')),
            ]),
          ),
      );
    expect(await perSource('preview')).toEqual(expected);
    const total = expected['billing-api'] + expected.identity;
    expect(await page.getByTestId('preview-total').innerText()).toBe(total.toLocaleString('en-US'));
    expect(await page.getByTestId('preview-held').innerText()).toMatch(/none kept on legal hold/);

    // Save: retention show reads the same settings back.
    await page.getByTestId('gc-disabled').check();
    await page.getByTestId('save-retention').click();
    await expect.poll(() => page.getByTestId('retention-note').innerText()).toMatch(/^Saved/);
    expect(JSON.parse(await cli(db, 'retention', 'show', '--json'))).toEqual({
      retentionDays: RETENTION_DAYS,
      gcSchedule: '0 0 1 * * *',
      gcDisabled: true,
    });
    await shot('04-dry-run');

    await page.getByTestId('run-retention').click();
    const dialog = page.getByTestId('retention-confirm');
    await dialog.waitFor();
    expect(await dialog.getByTestId('confirm-count').innerText()).toBe(total.toLocaleString('en-US'));
    expect(await dialog.getByTestId('confirm-retention').innerText()).toBe(
      `Delete ${total.toLocaleString('en-US')} events`,
    );
    await shot('05-confirm');
    await dialog.getByTestId('confirm-retention').click();
    await page.getByTestId('retention-result').waitFor();
    await dialog.waitFor({ state: 'detached' });
    expect(await perSource('result')).toEqual(expected);
    expect(await page.getByTestId('result-total').innerText()).toBe(total.toLocaleString('en-US'));
    // Gone: nothing before the cut-off, everything after it still there.
    expect(await countOf(`before:${cutIso}`)).toBe(0);
    expect(await countOf('')).toBe(totalBefore - total);
    // The preview is counted again: nothing left to delete.
    await expect.poll(() => page.getByTestId('preview-total').innerText()).toBe('0');
    await shot('07-result');
  });

  it('reads well in the dark theme', async () => {
    await open('dark');
    await row('identity').getByTestId('edit-schedule').click();
    await page.getByTestId('source-cron-input').fill('0 */15 9-17 * * mon-fri');
    await expect
      .poll(() => page.getByTestId('source-cron-description').innerText())
      .toBe('Every 15 minutes, between 09:00 and 17:59, Monday through Friday');
    await page.getByTestId('retention-days').fill('20');
    await expect.poll(() => page.getByTestId('preview-source').count()).toBeGreaterThan(0);
    await shot('08-dark');
  });
});
