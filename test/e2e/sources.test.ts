/**
 * The sources screen in Chromium against the real `serve`: the first run's "Add a source", a folder source
 * added through the form, tested, synced (progress, then a history row with exact counts), searched (the
 * count equals `search --count`), the exact errors of a wrong path and of wrong S3 credentials, an S3
 * source on s3rver, and the secret that never comes back. Screenshots (1440×900) under
 * test-results/screenshots/sources-*.png.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { prophecyLine, runBinary } from '../integration/cli/support.ts';
import { startS3Server, S3RVER_CREDENTIALS, type S3TestServer } from '../support/s3Server.ts';
import { CHROMIUM, launchChromium, serveSeeded, type Served } from './support.ts';
import { SourcesPage } from './sourcesPage.ts';

const haveChromium = fs.existsSync(CHROMIUM);

/** The folder source's files: FILES files of LINES events each, and one bad line in the first. */
const FILES = 30;
const LINES = 3000;
const START = Date.UTC(2026, 1, 1);
const SECRET = 'srcui-e2e-secret-Zq8J2mW4pL0x';

function writeFolder(dir: string): { events: number; bytes: number; quarantined: number } {
  fs.mkdirSync(dir, { recursive: true });
  let bytes = 0;
  let events = 0;
  for (let f = 0; f < FILES; f++) {
    const lines: string[] = [];
    for (let i = 0; i < LINES; i++) {
      lines.push(
        prophecyLine({
          ts: START + (f * LINES + i) * 1000,
          user: `user${(f * LINES + i) % 97}@acme.io`,
          action: i % 3 === 0 ? 'releaseProject' : 'getUser',
          responseCode: i % 11 === 0 ? 403 : 200,
          params: { n: `"${f}-${i}"` },
        }),
      );
      events++;
    }
    if (f === 0) lines.splice(5, 0, '{"truncated": "line');
    const text = `${lines.join('\n')}\n`;
    fs.writeFileSync(path.join(dir, `audit-${String(f).padStart(3, '0')}.ndjson`), text);
    bytes += Buffer.byteLength(text);
  }
  return { events, bytes, quarantined: 1 };
}

describe.skipIf(!haveChromium && !process.env.CI)('sources screen in Chromium (e2e)', () => {
  let served: Served;
  let browser: Browser;
  let s3: S3TestServer;
  let context: BrowserContext;
  let ui: SourcesPage;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'h-srcui-e2e-'));
  const folder = path.join(dir, 'exporter', 'audit');
  const truth = writeFolder(folder);

  beforeAll(async () => {
    [served, browser, s3] = await Promise.all([
      serveSeeded({ empty: true }),
      launchChromium(),
      startS3Server(),
    ]);
    await s3.createBucket('audit');
    await s3.put(
      'audit',
      'ns/audit/2026-02-01.ndjson',
      `${[1, 2, 3, 4].map((i) => prophecyLine({ ts: START + i, user: `s3user${i}@acme.io` })).join('\n')}\n`,
    );
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    await s3?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const open = async (hash: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> => {
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme });
    ui = new SourcesPage(await context.newPage());
    await ui.open(`${new URL(served.url).origin}/?token=${served.token}${hash}`);
    return ui.page;
  };
  afterEach(async () => {
    const problems = ui?.problems ?? [];
    await context?.close();
    expect(problems).toEqual([]);
  });
  const api = async (method: string, input: unknown): Promise<{ status: number; text: string }> => {
    const res = await fetch(`${new URL(served.url).origin}/api/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${served.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    return { status: res.status, text: await res.text() };
  };

  it('first run: an empty database with no source offers "Add a source" beside the sample data', async () => {
    const page = await open('');
    await page.getByTestId('first-run').waitFor();
    await page.getByTestId('load-samples').waitFor();
    await page.getByTestId('first-run-add-source').waitFor();
    await ui.screenshot('01-first-run');
    await page.getByTestId('first-run-add-source').click();
    await page.getByTestId('source-form').waitFor();
    expect(page.url()).toMatch(/#\/sources\/\+new$/);
  });

  it('the sources screen without sources says what a source is and offers to add one', async () => {
    const page = await open('#/sources');
    await page.getByTestId('sources-empty').waitFor();
    expect(await page.getByTestId('sources-empty').innerText()).toMatch(/S3 bucket.*Azure.*Google.*folder/s);
    await ui.screenshot('02-empty');
    await page.getByTestId('empty-add-source').click();
    await page.getByTestId('source-form').waitFor();
  });

  it('the add form has every credential option per kind and validates as you type', async () => {
    const page = await open('#/sources/+new');
    const form = page.getByTestId('source-form');
    await form.waitFor();
    // Folder: name and path, checked with the service's own schema as they are typed.
    await ui.field('name').fill('bad name');
    expect(await ui.error('name')).toMatch(/letters, digits/);
    await ui.field('name').fill('local-audit');
    expect(await page.getByTestId('error-name').count()).toBe(0);
    await ui.field('path').fill('relative/audit');
    expect(await ui.error('path')).toBe(
      '"relative/audit" is not absolute. Write the folder’s full path, e.g. /var/log/audit.',
    );
    await ui.field('schedule').fill('0 */5 * * *');
    expect(await ui.error('schedule')).toMatch(/has 5 fields, not 6/);
    await ui.field('schedule').fill('0 0 */1 * * *');
    await ui.screenshot('03-add-folder-invalid');

    await page.getByTestId('kind-s3').check();
    for (const option of ['default', 'profile', 'keys']) await page.getByTestId(`s3Auth-${option}`).waitFor();
    await page.getByTestId('s3Auth-keys').check();
    for (const field of ['bucket', 'region', 'endpoint', 'accessKeyId', 'secretAccessKey', 'sessionToken'])
      await ui.field(field).waitFor();
    await page.getByTestId('field-forcePathStyle').waitFor();
    await ui.field('endpoint').fill('not a url');
    expect(await ui.error('endpoint')).toMatch(/^Not a URL\./);
    await page.getByTestId('form-save').click();
    expect(await ui.error('bucket')).toMatch(/^Required\. Write the bucket’s name/);
    expect(await ui.error('secretAccessKey')).toMatch(/^Required\./);
    await ui.screenshot('04-add-s3');

    await page.getByTestId('kind-azure').check();
    for (const option of ['connectionString', 'sasUrl', 'accountKey'])
      await page.getByTestId(`azureAuth-${option}`).waitFor();
    await page.getByTestId('azureAuth-accountKey').check();
    for (const field of ['container', 'endpoint', 'accountName', 'accountKey'])
      await ui.field(field).waitFor();
    await ui.screenshot('05-add-azure');

    await page.getByTestId('kind-gcs').check();
    for (const option of ['default', 'serviceAccount']) await page.getByTestId(`gcsAuth-${option}`).waitFor();
    await page.getByTestId('gcsAuth-serviceAccount').check();
    for (const field of ['bucket', 'projectId', 'endpoint', 'json']) await ui.field(field).waitFor();
    await ui.screenshot('06-add-gcs');

    await page.getByTestId('kind-folder').check();
    await ui.field('path').fill('/srv/audit');
    expect(await page.getByTestId('error-path').count()).toBe(0);
    await ui.screenshot('07-add-folder');
  });

  it('a wrong folder path: Test connection shows the exact error, before anything is saved', async () => {
    const page = await open('#/sources/+new');
    await ui.field('name').fill('nowhere');
    const missing = path.join(dir, 'no-such-folder');
    await ui.field('path').fill(missing);
    await page.getByTestId('form-test').click();
    const result = page.getByTestId('test-result');
    await result.waitFor();
    expect(await result.innerText()).toContain('Connection failed');
    const message = await page.getByTestId('test-message').innerText();
    expect(message).toContain(missing);
    expect(message).toMatch(/does not exist|no such|not found/i);
    await ui.screenshot('08-test-wrong-path');
    expect(JSON.parse((await api('sources.list', {})).text).value).toEqual([]);
  });

  it('adds a folder source through the form, tests it, syncs it with progress, then the history row has exact counts', async () => {
    const page = await open('#/sources/+new');
    await ui.field('name').fill('local-audit');
    await ui.field('path').fill(folder);
    await ui.field('include').fill('**/*.ndjson');
    await page.getByTestId('form-test').click();
    await page.getByTestId('test-result').waitFor();
    expect(await page.getByTestId('test-message').innerText()).toMatch(/^Reached folder .*: 5 or more files/);
    await page.getByTestId('form-save').click();
    await page.getByTestId('source-detail').waitFor();
    expect(page.url()).toMatch(/#\/sources\/local-audit$/);
    expect(await page.getByTestId('detail-status').innerText()).toBe('never run');

    await page.getByTestId('test-connection').click();
    await page.getByTestId('test-result').waitFor();
    expect(await page.getByTestId('test-result').innerText()).toContain('Connected');

    await page.getByTestId('sync-now').click();
    // Live progress from the engine's sync.progress events.
    await page.getByTestId('progress-objects').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('progress-objects').innerText()).toMatch(/^\d[\d,]* of 30 objects$/);
    await ui.screenshot('09-sync-progress');
    await page.getByTestId('sync-result').waitFor({ timeout: 60_000 });

    const runs = JSON.parse((await api('sync.runs', { source: 'local-audit' })).text).value as {
      id: number;
    }[];
    const row = page.getByTestId(`run-${runs[0]!.id}`);
    await row.waitFor();
    const cell = (col: string) => row.locator(`[data-col="${col}"]`).innerText();
    // The row showed the pass while it ran; its counts are final once it says ok.
    await expect.poll(() => row.locator('[data-testid="status"]').innerText()).toBe('ok');
    expect(await cell('listed')).toBe('30');
    expect(await cell('new')).toBe('30');
    expect(await cell('changed')).toBe('0');
    expect(await cell('failed')).toBe('0');
    expect(await cell('events')).toBe(truth.events.toLocaleString('en-US'));
    expect(await cell('duplicates')).toBe('0');
    expect(await cell('quarantined')).toBe(String(truth.quarantined));
    expect(await row.locator('[data-col="bytes"]').getAttribute('title')).toBe(
      `${truth.bytes.toLocaleString('en-US')} bytes`,
    );
    expect(await row.innerText()).toContain('ok');
    await expect
      .poll(() => page.getByTestId('detail-events').innerText())
      .toBe(truth.events.toLocaleString('en-US'));
    // The quarantine of this source: object:line and reason.
    const quarantine = await page.getByTestId('quarantine').innerText();
    expect(quarantine).toContain('audit-000.ndjson:6\tnot JSON: the line ends before the JSON does');
    await ui.screenshot('10-detail-history');

    // Search finds them: the count `search --count` gives equals the one shown.
    const counted = await runBinary(['search', '--count', 'source:local-audit'], served.db);
    expect(counted.code).toBe(0);
    expect(Number(counted.out.trim().replace(/,/g, ''))).toBe(truth.events);
    await page.goto(`${new URL(served.url).origin}/?q=${encodeURIComponent('source:local-audit')}#/`);
    await page.getByTestId('total').waitFor();
    await expect
      .poll(async () => Number((await page.getByTestId('total').innerText()).replace(/,/g, '')))
      .toBe(truth.events);
  }, 120_000);

  it('wrong S3 credentials: Test connection shows the exact error; the secret is never sent back', async () => {
    const page = await open('#/sources/+new');
    await page.getByTestId('kind-s3').check();
    await ui.field('name').fill('s3-wrong');
    await ui.field('bucket').fill('audit');
    await ui.field('endpoint').fill(s3.endpoint);
    await page.getByTestId('field-forcePathStyle').check();
    await ui.field('prefix').fill('ns/audit/');
    await page.getByTestId('s3Auth-keys').check();
    await ui.field('accessKeyId').fill('WRONGKEY');
    await ui.field('secretAccessKey').fill(SECRET);
    await page.getByTestId('form-test').click();
    await page.getByTestId('test-result').waitFor({ timeout: 30_000 });
    const message = await page.getByTestId('test-message').innerText();
    expect(message).toMatch(/InvalidAccessKeyId|access key|credential|denied|rejected/i);
    expect(message).not.toContain(SECRET);
    await ui.screenshot('12-test-wrong-s3');
    // Saved anyway and synced: the run fails with the same error, shown on the source.
    await page.getByTestId('form-save').click();
    await page.getByTestId('source-detail').waitFor();
    await page.getByTestId('sync-now').click();
    await page.getByTestId('sync-error').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('sync-error').innerText()).toBe(message);
    await expect.poll(() => page.getByTestId('detail-status').innerText()).toBe('failing');
    expect(await page.getByTestId('sync-result').innerText()).toMatch(/^Sync finished \(failed\)/);
    expect(await page.content()).not.toContain(SECRET);
    await ui.screenshot('13-detail-failing');
  }, 60_000);

  it('an S3 source on s3rver through the form: saved, the secret shows "stored", synced and searched', async () => {
    const page = await open('#/sources/+new');
    await page.getByTestId('kind-s3').check();
    await ui.field('name').fill('bucket-audit');
    await ui.field('bucket').fill('audit');
    await ui.field('endpoint').fill(s3.endpoint);
    await page.getByTestId('field-forcePathStyle').check();
    await ui.field('prefix').fill('ns/audit/');
    await page.getByTestId('s3Auth-keys').check();
    await ui.field('accessKeyId').fill(S3RVER_CREDENTIALS.accessKeyId);
    await ui.field('secretAccessKey').fill(SECRET);
    await page.getByTestId('form-save').click();
    await page.getByTestId('source-detail').waitFor();
    expect(await page.getByTestId('source-config').innerText()).toMatch(
      /credentials\.secretAccessKey\s+stored/,
    );
    await page.getByTestId('sync-now').click();
    await page.getByTestId('sync-result').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('sync-result').innerText()).toContain('4 events added');
    // The result shows at once; the counts follow with the detail's next read.
    await expect.poll(() => page.getByTestId('detail-events').innerText()).toBe('4');
    expect(await page.content()).not.toContain(SECRET);

    // The edit form: the secret field shows "stored" and a Replace button, never the value.
    await page.getByTestId('edit-source').click();
    await page.getByTestId('secret-secretAccessKey').waitFor();
    expect(await page.getByTestId('secret-secretAccessKey').innerText()).toMatch(/^stored\s+Replace$/);
    expect(await page.content()).not.toContain(SECRET);
    await ui.screenshot('14-edit-s3-stored');
    // Saving without replacing keeps the stored secret (the next test still connects).
    await page.getByTestId('form-test').click();
    await page.getByTestId('test-result').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('test-result').innerText()).toContain('Connected');
    await page.getByTestId('replace-secretAccessKey').click();
    expect(await ui.field('secretAccessKey').inputValue()).toBe('');
    // Changed my mind: keep the stored one, and disable the source instead.
    await page.getByTestId('keep-secretAccessKey').click();
    await page.getByTestId('field-enabled').uncheck();
    await page.getByTestId('form-save').click();
    await page.getByTestId('source-detail').waitFor();
    expect(await page.getByTestId('detail-status').innerText()).toBe('disabled');
    await page.getByTestId('test-connection').click();
    await page.getByTestId('test-result').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('test-result').innerText()).toContain('Connected');

    // No API answer carries it back.
    for (const [method, input] of [
      ['sources.get', { name: 'bucket-audit' }],
      ['sources.list', {}],
      ['sync.runs', { source: 'bucket-audit' }],
      ['sync.objects', { source: 'bucket-audit' }],
    ] as const) {
      const reply = await api(method, input);
      expect(reply.status, method).toBe(200);
      expect(reply.text, method).not.toContain(SECRET);
    }
    expect(JSON.parse((await api('sources.get', { name: 'bucket-audit' })).text).value.config).toMatchObject({
      credentials: { type: 'keys', accessKeyId: 'S3RVER', secretAccessKey: 'stored' },
    });
    const counted = await runBinary(['search', '--count', 'source:bucket-audit'], served.db);
    expect(Number(counted.out.trim())).toBe(4);
  }, 60_000);

  it('the list shows the source with its status, last and next run and events', async () => {
    const page = await open('#/sources');
    const row = page.getByTestId('source-row-local-audit');
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain('folder');
    expect(text).toContain(folder);
    expect(text).toMatch(/\bok\b/);
    expect(text).toMatch(/ago/);
    expect(text).toMatch(/in \d+ (minute|second|hour)s?/);
    expect(await row.getByTestId('source-events').innerText()).toBe(truth.events.toLocaleString('en-US'));
    // The source with wrong credentials: failing, with its error on hover and its count of errors.
    const failing = page.getByTestId('source-row-s3-wrong');
    expect(await failing.getByTestId('status').innerText()).toBe('failing');
    expect(await failing.locator('td').last().innerText()).toBe('run failed');
    expect(await failing.locator('td').last().getAttribute('title')).toMatch(/InvalidAccessKeyId/);
    expect(await failing.getByTestId('status').getAttribute('title')).toMatch(/failed/);
    await ui.screenshot('11-list');
    // Opened afresh, the failing source says its last run's error first.
    await page.getByRole('link', { name: 's3-wrong' }).click();
    expect(await page.getByTestId('last-error').innerText()).toMatch(/InvalidAccessKeyId/);
  });

  it('dark theme: the detail with its history', async () => {
    const page = await open('#/sources/local-audit', 'dark');
    await page.getByTestId('run-history').waitFor();
    await ui.screenshot('16-detail-dark');
  });

  it('keyboard: Enter opens a source and Remove; the removal asks, Escape cancels; removing deletes its events', async () => {
    const page = await open('#/sources');
    await page.getByTestId('source-row-bucket-audit').waitFor();
    const link = page.getByRole('link', { name: 'bucket-audit' });
    await link.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('source-detail').waitFor();
    await page.getByTestId('remove-source').focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('remove-dialog');
    await dialog.waitFor();
    expect(await dialog.innerText()).toMatch(/pinned in an investigation are kept/);
    await ui.screenshot('17-remove-dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('remove-source').click();
    await page.getByTestId('remove-delete-events').check();
    await page.getByTestId('remove-confirm').click();
    await page.getByTestId('sources-table').waitFor();
    expect(await page.getByTestId('source-row-bucket-audit').count()).toBe(0);
    const counted = await runBinary(['search', '--count', 'source:bucket-audit'], served.db);
    expect(Number(counted.out.trim())).toBe(0);
  });
});
