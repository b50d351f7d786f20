/**
 * The export dialog in Chromium against the real `serve` on a seeded database: export what the query and
 * time range match, watch the progress, see the count reconciled with the search's, download the file
 * through the browser and check it as a recipient would (`verify` on the bundle, the first bytes of the
 * CSV). Screenshots (1440×900) under test-results/screenshots/export-*.png.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runBinary } from '../integration/cli/support.ts';
import { startServe, type ServeProcess } from './browser.ts';
import { SearchPage } from './searchPage.ts';
import { CHROMIUM, launchChromium, seedLines, serveSeeded } from './support.ts';
import type { Served } from './support.ts';

const haveChromium = fs.existsSync(CHROMIUM);

const seed = seedLines().map((line) => {
  const o = JSON.parse(line) as { userEmail: string; createdAt: number };
  return { user: o.userEmail, ts: o.createdAt };
});
const FROM = Date.UTC(2026, 2, 5, 12);
const TO = Date.UTC(2026, 2, 7, 6);
const ALICE_IN_RANGE = seed.filter((e) => e.user === 'alice@acme.io' && e.ts >= FROM && e.ts < TO).length;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');

describe.skipIf(!haveChromium && !process.env.CI)('export dialog in Chromium (e2e)', () => {
  let served: Served;
  let browser: Browser;
  let context: BrowserContext;
  let ui: SearchPage;
  let tmp: string;

  beforeAll(async () => {
    [served, browser] = await Promise.all([serveSeeded(), launchChromium()]);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'h-exportui-e2e-'));
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });
  afterEach(async () => {
    const problems = ui?.problems ?? [];
    await context?.close();
    expect(problems).toEqual([]);
  });

  const openPage = async (query: string, colorScheme: 'light' | 'dark' = 'light') => {
    context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      colorScheme,
      acceptDownloads: true,
    });
    ui = new SearchPage(await context.newPage());
    const url = new URL(served.url);
    const params = new URLSearchParams({ q: query, range: `${iso(FROM)}..${iso(TO)}`, token: served.token });
    await ui.open(`${url.origin}/?${params}`);
  };
  const dialog = () => ui.page.getByTestId('export-dialog');
  const api = async <T>(method: string, input: unknown): Promise<T> => {
    const res = await fetch(`${new URL(served.url).origin}/api/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${served.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    const body = (await res.json()) as { ok: boolean; value: T };
    expect(body.ok).toBe(true);
    return body.value;
  };

  it('exports a bundle of what the query and range match: progress, reconciled count, download that verifies', async () => {
    await openPage('user:alice@acme.io');
    const total = await ui.total();
    expect(total).toBe(ALICE_IN_RANGE);
    expect(total).toBeGreaterThan(0);

    await ui.page.getByTestId('export-open').click();
    await expect
      .poll(() => dialog().getByTestId('export-matched').innerText())
      .toContain(`${total} events match`);
    // The bundle is the default, and the button says how many events it will write.
    expect(await dialog().getByTestId('export-format-bundle').isChecked()).toBe(true);
    const start = dialog().getByTestId('export-start');
    expect(await start.innerText()).toBe(`Export ${total} events`);
    // The key a bundle is signed with is shown before starting.
    const key = await api<{ fingerprint: string }>('keys.show', {});
    expect(await dialog().innerText()).toContain(key.fingerprint);
    await ui.screenshot('export-01-dialog');

    // Hold the answer (the engine has finished) so the progress it reported can be seen and pictured.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await ui.page.route('**/api/exports.create', async (route: Route) => {
      const response = await route.fetch();
      await held;
      await route.fulfill({ response });
    });
    // Keyboard: the primary action is reachable and runs with Enter.
    await start.focus();
    await ui.page.keyboard.press('Enter');
    const progress = dialog().getByTestId('export-progress');
    await expect
      .poll(() => progress.innerText())
      .toMatch(
        new RegExp(`Packing the bundle… ${total} events written|Exporting… ${total} of ${total} events`),
      );
    expect(await dialog().getByTestId('export-cancel').isVisible()).toBe(true);
    await ui.screenshot('export-02-progress');
    release();

    const reconciled = dialog().getByTestId('export-reconciled');
    await reconciled.waitFor();
    // The count at the end equals the engine's count for the same selection, and the search's total.
    expect(await reconciled.innerText()).toBe(`✓ ${total} exported = ${total} matched`);
    const name = await dialog().getByTestId('export-file').innerText();
    // Named after the query (the time range is in the manifest, not the name).
    expect(name).toMatch(/^audit-export-\d{8}T\d{6}Z-user-alice-acme-io\.zip$/);
    const sha = await dialog().getByTestId('export-sha256').innerText();
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    expect(await dialog().getByTestId('export-fingerprint').innerText()).toBe(key.fingerprint);
    expect(await dialog().getByTestId('export-verify').innerText()).toBe(
      `audit-explorer verify ${name} --key ${key.fingerprint}`,
    );
    await ui.screenshot('export-03-done');

    const [download] = await Promise.all([
      ui.page.waitForEvent('download'),
      dialog().getByTestId('export-download').click(),
    ]);
    expect(download.suggestedFilename()).toBe(name);
    const file = path.join(tmp, name);
    await download.saveAs(file);
    const bytes = fs.readFileSync(file);
    expect(crypto.createHash('sha256').update(bytes).digest('hex')).toBe(sha);
    expect((await dialog().getByTestId('export-size').innerText()).replace(/,/g, '')).toContain(
      `${bytes.length} bytes`,
    );
    // What the recipient runs, in a fresh process with no database.
    const verified = await runBinary(['verify', file, '--key', key.fingerprint], path.join(tmp, 'none.db'));
    expect(verified.err).toBe('');
    expect(verified.code).toBe(0);
    expect(verified.out).toContain(`${total} events`);
  });

  it('exports CSV with a byte order mark for Excel', async () => {
    await openPage('user:bob@acme.io');
    const total = await ui.total();
    await ui.page.getByTestId('export-open').click();
    await dialog().getByTestId('export-start').waitFor();
    // The BOM option belongs to CSV: off until CSV is chosen.
    expect(await dialog().getByTestId('export-bom').isDisabled()).toBe(true);
    await dialog().getByTestId('export-format-csv').check();
    await dialog().getByTestId('export-bom').check();
    await dialog().getByTestId('export-start').click();
    await dialog().getByTestId('export-reconciled').waitFor();
    expect(await dialog().getByTestId('export-reconciled').innerText()).toBe(
      `✓ ${total} exported = ${total} matched`,
    );
    // A single CSV is not signed: no key, no verify line.
    expect(await dialog().getByTestId('export-fingerprint').count()).toBe(0);
    const [download] = await Promise.all([
      ui.page.waitForEvent('download'),
      dialog().getByTestId('export-download').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const file = path.join(tmp, download.suggestedFilename());
    await download.saveAs(file);
    const bytes = fs.readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^ts,/);
    expect(lines).toHaveLength(1 + total);
    // Every row is bob's.
    expect(lines.slice(1).every((l) => l.includes('bob@acme.io'))).toBe(true);
    // The same export is in the app's exports folder, listed with its record.
    const listed = await api<{ exports: { name: string; bom: boolean; matched: number }[] }>(
      'exports.list',
      {},
    );
    expect(listed.exports.find((e) => e.name === download.suggestedFilename())).toMatchObject({
      bom: true,
      matched: total,
    });
  });

  it("exports an investigation's pinned events from the case view, reconciled with the pins", async () => {
    const page = await api<{ events: { id: string }[] }>('events.search', {
      query: 'user:dave@initech.net',
      limit: 3,
      raw: false,
    });
    expect(page.events).toHaveLength(3);
    await api('investigations.create', { name: 'INC-9 export', description: 'three of dave’s events' });
    await api('investigations.pin', { name: 'INC-9 export', eventIds: page.events.map((e) => e.id) });
    await openPage('');
    await ui.page.goto(`${new URL(served.url).origin}/#/investigations/INC-9%20export`);
    await ui.page.getByTestId('case-export').click();
    await expect.poll(() => dialog().getByTestId('export-matched').innerText()).toContain('3');
    await dialog().getByTestId('export-start').click();
    await dialog().getByTestId('export-reconciled').waitFor();
    expect(await dialog().getByTestId('export-reconciled').innerText()).toBe('✓ 3 exported = 3 matched');
    // Named after the case.
    expect(await dialog().getByTestId('export-file').innerText()).toMatch(
      /^audit-export-\d{8}T\d{6}Z-inc-9-export\.zip$/i,
    );
    await ui.screenshot('export-06-case');
  });

  it('is reachable by keyboard and follows a dark OS theme', async () => {
    await openPage('user:carol@acme.io', 'dark');
    await ui.page.getByTestId('export-open').focus();
    await ui.page.keyboard.press('Enter');
    await dialog().getByTestId('export-start').waitFor();
    // Arrow keys move between formats (native radios); Tab reaches the options and the buttons.
    await dialog().getByTestId('export-format-bundle').focus();
    await ui.page.keyboard.press('ArrowDown');
    expect(await dialog().getByTestId('export-format-ndjson').isChecked()).toBe(true);
    await ui.page.keyboard.press('ArrowUp');
    expect(await dialog().getByTestId('export-format-bundle').isChecked()).toBe(true);
    await ui.screenshot('export-04-dark');
    // Tab from the formats reaches the start button (through the options) without the mouse.
    const testId = () => ui.page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    for (let i = 0; i < 10 && (await testId()) !== 'export-start'; i++) await ui.page.keyboard.press('Tab');
    expect(await testId()).toBe('export-start');
    await ui.page.keyboard.press('Enter');
    await dialog().getByTestId('export-reconciled').waitFor();
    // The focus lands on the download, the action left to take.
    expect(await testId()).toBe('export-download');
    await ui.screenshot('export-04b-dark-done');
    // Esc closes it and gives the focus back to the button that opened it.
    await ui.page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
    // Radix gives the focus back as the dialog unmounts, which can come a moment after it is gone.
    await expect.poll(testId).toBe('export-open');
  });
});

describe.skipIf(!haveChromium && !process.env.CI)('a large export in Chromium (e2e)', () => {
  const BIG = 80_000;
  let serve: ServeProcess;
  let browser: Browser;
  let context: BrowserContext;
  let ui: SearchPage;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'h-exportui-big-'));
    const db = path.join(dir, 'audit.db');
    const file = path.join(dir, 'big.ndjson');
    const base = Date.UTC(2026, 2, 5);
    const lines: string[] = [];
    for (let i = 0; i < BIG; i++)
      lines.push(
        JSON.stringify({
          opType: 'Query',
          createdAt: base + i * 2000,
          nameHints: ['getProject'],
          userEmail: `u${i % 50}@acme.io`,
          customerName: 'acme.io',
          responseCode: i % 7 ? 200 : 403,
          requestParams: {},
          requestPayload: '[]',
          latencyInMillis: 5,
        }),
      );
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const ingest = await runBinary(['ingest', file], db);
    if (ingest.code !== 0) throw new Error(`seeding failed: ${ingest.err}`);
    [serve, browser] = await Promise.all([startServe(db, 'e2e-token-0123456789abcdef'), launchChromium()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    const problems = ui?.problems ?? [];
    await context?.close();
    // The cancelled export answers 409 by design; Chromium logs it like any 4xx.
    expect(problems.filter((p) => !/status of 409/.test(p))).toEqual([]);
  });

  it('shows the events exported of the total as they are written, and Cancel keeps nothing', async () => {
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    ui = new SearchPage(await context.newPage());
    const origin = new URL(serve.url).origin;
    await ui.open(`${origin}/?token=${serve.token}`);
    expect(await ui.total()).toBe(BIG);
    await ui.page.getByTestId('export-open').click();
    const dialog = ui.page.getByTestId('export-dialog');
    await dialog.getByTestId('export-start').click();
    const progress = dialog.getByTestId('export-progress');
    // Part-way: some events written, not all, the bar between.
    await expect
      .poll(
        async () => {
          const m = /Exporting… ([\d,]+) of 80,000 events/.exec(await progress.innerText());
          const n = m ? Number(m[1]!.replace(/,/g, '')) : 0;
          return n > 0 && n < BIG;
        },
        { timeout: 20_000, interval: 50 },
      )
      .toBe(true);
    const bar = dialog.locator('progress[aria-label="Events exported"]');
    expect(Number(await bar.getAttribute('max'))).toBe(BIG);
    await ui.screenshot('export-02b-progress-midway');

    await dialog.getByTestId('export-cancel').click();
    await expect
      .poll(() => dialog.innerText(), { timeout: 20_000 })
      .toContain('The export was cancelled; nothing was kept.');
    const res = await fetch(`${origin}/api/exports.list`, {
      method: 'POST',
      headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(((await res.json()) as { value: { exports: unknown[] } }).value.exports).toEqual([]);
    expect(fs.readdirSync(path.join(dir, 'exports')).filter((n) => n !== '.meta')).toEqual([]);
    await ui.screenshot('export-05-cancelled');
  }, 60_000);
});
