/**
 * Saved searches, the history, pins and notes, and the investigations screen in Chromium against the
 * real `serve` on a seeded database. The steps build on each other like an auditor's afternoon: empty
 * states first, then a saved search, the history, a case with pinned events and notes, then closing it;
 * then a second case whose description is edited, whose saved search is taken out, closed and reopened.
 * Screenshots (1440×900) go to test-results/screenshots/cases-*.png.
 */
import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SearchPage } from './searchPage.ts';
import { CHROMIUM, launchChromium, seedLines, serveSeeded } from './support.ts';
import { UI_WAIT_MS } from './browser.ts';
import type { Served } from './support.ts';

const haveChromium = fs.existsSync(CHROMIUM);

const seed = seedLines().map((line) => {
  const o = JSON.parse(line) as { userEmail: string; nameHints: string[]; createdAt: number };
  return { user: o.userEmail, action: o.nameHints[0]!, ts: o.createdAt };
});
const count = (pred: (e: (typeof seed)[number]) => boolean) => seed.filter(pred).length;

const CASE = 'INC-7 billing access';
/** Writes start the writer (hundreds of ms on a busy machine): wait longer than expect.poll's second. */
const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: UI_WAIT_MS });
const INJECTION = '<img src=x onerror="window.__pwned=1">';

describe.skipIf(!haveChromium && !process.env.CI)('saved searches, history and investigations (e2e)', () => {
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
  afterEach(async () => {
    const problems = ui?.problems ?? [];
    await context?.close();
    expect(problems).toEqual([]);
  });

  const newPage = async (colorScheme: 'light' | 'dark' = 'light') => {
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme });
    ui = new SearchPage(await context.newPage());
  };
  /** The search screen (with the token, which the page keeps for the tab). */
  const openSearch = async (params = '', colorScheme: 'light' | 'dark' = 'light') => {
    await newPage(colorScheme);
    const url = new URL(served.url);
    await ui.open(`${url.origin}/?${params ? `${params}&` : ''}token=${served.token}`);
  };
  /** A screen by its hash, in the same tab (the token is already kept). */
  const go = async (hash: string) => {
    await ui.page.evaluate((h) => (window.location.hash = h), hash);
    await ui.page.getByTestId('screen-investigations').waitFor();
  };
  const popover = (page: Page) => page.getByTestId('saved-popover');
  const shot = (name: string) => ui.screenshot(`cases-${name}`);

  it('shows what to do when nothing is saved and there are no investigations', async () => {
    await openSearch();
    await ui.page.getByTestId('saved-menu').click();
    await expect
      .poll(() => popover(ui.page).getByTestId('saved-empty').innerText())
      .toMatch(/No saved searches yet/);
    // The filter box has the focus, ready to type.
    expect(await ui.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'saved-filter',
    );
    await shot('01-saved-empty');
    await ui.page.keyboard.press('Escape');

    await go('#/investigations');
    await ui.page.getByTestId('cases-empty').waitFor();
    expect(await ui.page.getByTestId('cases-empty').innerText()).toMatch(/Pin to investigation/);
    await shot('02-list-empty');
  });

  it('saves a search with its range and columns, and the menu runs it again', async () => {
    const from = Date.UTC(2026, 2, 5);
    const to = Date.UTC(2026, 2, 6, 12);
    await openSearch(`q=${encodeURIComponent('user:alice@acme.io')}&range=2026-03-05..2026-03-06T12:00`);
    const expected = count((e) => e.user === 'alice@acme.io' && e.ts >= from && e.ts < to);
    expect(await ui.total()).toBe(expected);

    await ui.page.getByTestId('saved-menu').click();
    await popover(ui.page).getByTestId('saved-save').click();
    const dialog = ui.page.getByTestId('save-dialog');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('user:alice@acme.io');
    await dialog.getByTestId('save-name').fill('Alice, first day and a half');
    await shot('03-save-dialog');
    await dialog.getByTestId('save-submit').click();
    await dialog.waitFor({ state: 'detached' });
    // The button now says the view on screen is a saved search.
    await poll(() => ui.page.getByTestId('saved-menu').getAttribute('title')).toBe(
      'This search is saved as “Alice, first day and a half”',
    );

    // A second one, relative ("last 30 days" moves with the clock), to rename and delete.
    await ui.page.getByTestId('time-range').click();
    await ui.page.getByTestId('range-30d').click();
    await ui.search('outcome:failure');
    await ui.page.getByTestId('saved-menu').click();
    await popover(ui.page).getByTestId('saved-save').click();
    await dialog.getByTestId('save-name').fill('failures');
    expect(await dialog.innerText()).toMatch(/relative/);
    await dialog.getByTestId('save-name').press('Enter');
    await dialog.waitFor({ state: 'detached' });

    // Somewhere else entirely, then back through the menu.
    await ui.page.getByTestId('time-range').click();
    await ui.page.getByTestId('range-all').click();
    await ui.search('action:addTeam');
    await ui.page.getByTestId('saved-menu').click();
    await poll(() => popover(ui.page).getByTestId('saved-item').count()).toBe(2);
    await popover(ui.page).getByTestId('saved-filter').fill('alice');
    await poll(() => popover(ui.page).getByTestId('saved-item').count()).toBe(1);
    await shot('04-saved-menu');
    await popover(ui.page).getByTestId('saved-open').click();
    await ui.waitForUrlQuery('user:alice@acme.io');
    await ui.waitForResults();
    expect(await ui.query()).toBe('user:alice@acme.io');
    expect(new URL(ui.page.url()).searchParams.get('range')).toBe('2026-03-05..2026-03-06T12:00Z');
    expect(await ui.total()).toBe(expected);

    // Rename one and delete the other.
    await ui.page.getByTestId('saved-menu').click();
    const first = popover(ui.page).getByTestId('saved-item').filter({ hasText: 'Alice' });
    await first.getByTestId('saved-rename').click();
    await popover(ui.page).getByTestId('saved-rename-input').fill('Alice early');
    await popover(ui.page).getByTestId('saved-rename-input').press('Enter');
    await poll(() => popover(ui.page).getByTestId('saved-list').innerText()).toContain('Alice early');
    const failures = popover(ui.page).getByTestId('saved-item').filter({ hasText: 'failures' });
    await failures.getByTestId('saved-open').click();
    await ui.waitForUrlQuery('outcome:failure');
    expect(new URL(ui.page.url()).searchParams.get('range')).toBe('30d');
    await ui.page.getByTestId('saved-menu').click();
    await popover(ui.page)
      .getByTestId('saved-item')
      .filter({ hasText: 'failures' })
      .getByTestId('saved-delete')
      .click();
    await popover(ui.page).getByTestId('saved-delete-confirm').click();
    await poll(() => popover(ui.page).getByTestId('saved-item').count()).toBe(1);
    expect(await popover(ui.page).getByTestId('saved-list').innerText()).not.toContain('failures');
  });

  it('lists a search just run in the history, searchable, and runs it again from there', async () => {
    await openSearch();
    await ui.search('action:setPassword');
    const total = count((e) => e.action === 'setPassword');
    await ui.page.getByTestId('saved-menu').click();
    await popover(ui.page).getByTestId('history-tab').click();
    const firstEntry = popover(ui.page).getByTestId('history-item').first();
    await poll(() => firstEntry.innerText()).toContain('action:setPassword');
    expect(await firstEntry.innerText()).toContain(`${total} events`);
    await shot('05-history');

    await popover(ui.page).getByTestId('saved-filter').fill('alice');
    await expect
      .poll(async () =>
        (await popover(ui.page).getByTestId('history-list').innerText()).includes('setPassword'),
      )
      .toBe(false);
    // The newest search by alice (its fixed range, from the saved search), picked with the keyboard: Tab
    // from the filter box to the first entry, Enter runs it with its range.
    await ui.page.keyboard.press('Tab');
    expect(await ui.page.evaluate(() => document.activeElement?.textContent)).toContain('user:alice@acme.io');
    await ui.page.keyboard.press('Enter');
    await ui.waitForUrlQuery('user:alice@acme.io');
    expect(new URL(ui.page.url()).searchParams.get('range')).toBe('2026-03-05..2026-03-06T12:00Z');

    await ui.page.getByTestId('saved-menu').click();
    await popover(ui.page).getByTestId('history-tab').click();
    await popover(ui.page).getByTestId('saved-filter').fill('no such query text');
    await expect
      .poll(() => popover(ui.page).getByTestId('history-empty').innerText())
      .toMatch(/No search in the history/);
  });

  it('pins two events from the detail panel, notes one (Markdown, HTML shown as text), and shows them in the case', async () => {
    await openSearch();
    // The first event: pinned to a new investigation made from the panel.
    await ui.rows.nth(0).click();
    await ui.detail.waitFor();
    const first = {
      user: await ui.detail.getByTestId('field-user').locator('.field__value').innerText(),
      action: await ui.detail.getByTestId('field-action').locator('.field__value').innerText(),
    };
    await ui.detail.getByTestId('casework-none').waitFor();
    await ui.detail.getByTestId('pin-menu').click();
    await ui.page.getByTestId('pin-new').click();
    const dialog = ui.page.getByTestId('new-case-dialog');
    await dialog.getByTestId('case-name').fill(CASE);
    await dialog.getByTestId('case-description').fill('Who changed **billing** access in March?');
    await dialog.getByTestId('case-create').click();
    await dialog.waitFor({ state: 'detached' });
    await poll(() => ui.detail.getByTestId('casework-case').count()).toBe(1);
    expect(await ui.detail.getByTestId('casework-link').innerText()).toBe(CASE);

    // A note with Markdown and an injection attempt: the Markdown renders, the HTML shows as text.
    await ui.detail.getByTestId('casework-note').click();
    await ui.detail.getByTestId('note-text').fill(`**Reset** by \`${first.user}\`\n\n${INJECTION}`);
    await ui.detail.getByTestId('note-save').click();
    const note = ui.detail.getByTestId('casework-note-item');
    await note.waitFor();
    expect(await note.locator('strong').innerText()).toBe('Reset');
    expect(await note.locator('code').innerText()).toBe(first.user);
    expect(await note.innerText()).toContain(INJECTION);
    expect(await note.locator('img').count()).toBe(0);
    await shot('06-detail-pinned');

    // The second event: pinned to the case that now exists, from the menu.
    await ui.rows.nth(1).click();
    await ui.detail.getByTestId('casework-none').waitFor();
    const second = {
      user: await ui.detail.getByTestId('field-user').locator('.field__value').innerText(),
      action: await ui.detail.getByTestId('field-action').locator('.field__value').innerText(),
    };
    // By keyboard: Enter opens the menu on its first entry (the open case), Enter pins.
    await ui.detail.getByTestId('pin-menu').focus();
    await ui.page.keyboard.press('Enter');
    await ui.page.getByTestId('pin-to').filter({ hasText: CASE }).waitFor();
    await ui.page.keyboard.press('Enter');
    await poll(() => ui.detail.getByTestId('casework-case').count()).toBe(1);
    expect(await ui.detail.getByTestId('casework-status').innerText()).toBe(`Pinned to ${CASE}.`);

    // The list: one open case, two pins, one note.
    await ui.page.getByTestId('nav-investigations').click();
    const row = ui.page.getByTestId('case-row');
    await row.waitFor();
    expect(await row.getByTestId('case-status').innerText()).toBe('open');
    expect(await row.getByTestId('case-pinned').innerText()).toBe('2');
    expect(await row.getByTestId('case-notes').innerText()).toBe('1');
    await shot('07-list');

    // The case: its description, both pinned events, the note (rendered safely).
    await row.getByTestId('case-link').click();
    await ui.page.getByTestId('pins-table').waitFor();
    expect(decodeURIComponent(new URL(ui.page.url()).hash)).toBe(`#/investigations/${CASE}`);
    expect(await ui.page.getByTestId('case-title').innerText()).toBe(CASE);
    const pins = ui.page.getByTestId('pin-row');
    expect(await pins.count()).toBe(2);
    const pinText = await pins.allInnerTexts();
    for (const e of [first, second])
      expect(pinText.some((t) => t.includes(e.user) && t.includes(e.action))).toBe(true);
    const notes = ui.page.getByTestId('note');
    expect(await notes.count()).toBe(1);
    expect(await notes.first().innerText()).toContain(INJECTION);
    expect(await ui.page.locator('.markdown img').count()).toBe(0);
    expect(await ui.page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();

    // A note on the case, with a link (opens outside, never javascript:).
    await ui.page
      .getByTestId('note-text')
      .fill('See [the runbook](https://example.com/runbook) and [this](javascript:alert(1))');
    await ui.page.getByTestId('note-save').click();
    await poll(() => notes.count()).toBe(2);
    const link = notes.nth(1).locator('a');
    expect(await link.count()).toBe(1);
    expect(await link.getAttribute('href')).toBe('https://example.com/runbook');
    expect(await link.getAttribute('rel')).toContain('noopener');
    await shot('08-case');

    // A pinned row opens the event's detail beside the case.
    await pins.first().click();
    await ui.detail.waitFor();
    await ui.detail.getByTestId('casework-case').waitFor();
    await shot('09-case-detail');
    await ui.detail.getByTestId('detail-close').click();

    // Unpin one; then close the case: it becomes read-only.
    await pins.first().getByTestId('pin-unpin').click();
    await poll(() => pins.count()).toBe(1);
    await ui.page.getByTestId('case-close').click();
    await ui.page.getByTestId('close-confirm').click();
    await ui.page.getByTestId('case-closed').waitFor();
    expect(await ui.page.getByTestId('case-status').innerText()).toBe('closed');
    expect(await ui.page.getByTestId('pin-unpin').count()).toBe(0);
    expect(await ui.page.getByTestId('note-text').count()).toBe(0);
    expect(await ui.page.getByTestId('case-close').count()).toBe(0);
    await shot('10-case-closed');

    // Back in the list, closed; in the detail panel, no longer offered for pinning.
    await go('#/investigations');
    await ui.page.getByTestId('case-row').waitFor();
    expect(await ui.page.getByTestId('case-row').getByTestId('case-status').innerText()).toBe('closed');
    expect(await ui.page.getByTestId('case-row').getByTestId('case-pinned').innerText()).toBe('1');
  });

  it('a saved search added to the case opens search on it', async () => {
    await openSearch();
    await go('#/investigations');
    await ui.page.getByTestId('new-case').click();
    const dialog = ui.page.getByTestId('new-case-dialog');
    await dialog.getByTestId('case-name').fill(CASE.toLowerCase());
    expect(await dialog.innerText()).toMatch(/exists already/);
    expect(await dialog.getByTestId('case-create').isDisabled()).toBe(true);
    await dialog.getByTestId('case-name').fill('INC-8 alice');
    await dialog.getByTestId('case-create').click();
    await ui.page.getByTestId('case-title').waitFor();
    expect(await ui.page.getByTestId('pins-empty').innerText()).toMatch(/Pin to investigation/);
    await ui.page.getByTestId('case-add-search').click();
    await ui.page.getByRole('menuitem', { name: /Alice early/ }).click();
    await ui.page.getByTestId('case-search').waitFor();
    await ui.page.getByTestId('case-search').click();
    await ui.waitForUrlQuery('user:alice@acme.io');
    await ui.waitForResults();
    expect(new URL(ui.page.url()).searchParams.get('range')).toBe('2026-03-05..2026-03-06T12:00Z');

    // The list: open cases first, closed ones after.
    await go('#/investigations');
    await poll(() => ui.page.getByTestId('case-row').count()).toBe(2);
    expect(await ui.page.getByTestId('case-link').allInnerTexts()).toEqual(['INC-8 alice', CASE]);
    await shot('12-list-open-and-closed');
  });

  it('edits the description (Markdown, kept after a reload), removes a saved search (still saved), closes and reopens', async () => {
    await openSearch();
    await go(`#/investigations/${encodeURIComponent('INC-8 alice')}`);
    await ui.page.getByTestId('description-empty').waitFor();

    // The description, edited with the keyboard: Edit, type, Ctrl+Enter saves; the focus returns to Edit.
    const edit = ui.page.getByRole('button', { name: 'Edit the description' });
    await edit.focus();
    await ui.page.keyboard.press('Enter');
    const text = ui.page.getByTestId('description-text');
    await text.waitFor();
    expect(await ui.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'description-text',
    );
    await text.fill('Did **alice** reach billing?\n\n- scope: `5–6 March`');
    await shot('13-description-edit');
    // Escape drops the edit; the case still has no description.
    await ui.page.keyboard.press('Escape');
    await text.waitFor({ state: 'detached' });
    await ui.page.getByTestId('description-empty').waitFor();
    expect(await ui.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'description-edit',
    );
    await ui.page.keyboard.press('Enter');
    await text.fill(`Did **alice** reach billing?\n\n- scope: \`5–6 March\`\n\n${INJECTION}`);
    await ui.page.keyboard.press('Control+Enter');
    await text.waitFor({ state: 'detached' });
    const description = ui.page.locator('section[aria-labelledby="case-description"] .markdown');
    await description.waitFor();
    await poll(() => ui.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'description-edit',
    );
    await ui.page.reload();
    await description.waitFor();
    expect(await description.locator('strong').innerText()).toBe('alice');
    expect(await description.locator('li code').innerText()).toBe('5–6 March');
    expect(await description.innerText()).toContain(INJECTION);
    expect(await description.locator('img').count()).toBe(0);
    await shot('14-description');
    // Editing starts from the text as saved.
    await ui.page.getByTestId('description-edit').click();
    expect(await text.inputValue()).toContain('Did **alice** reach billing?');
    await ui.page.getByRole('button', { name: 'Cancel' }).click();
    await text.waitFor({ state: 'detached' });

    // The saved search leaves the case, and stays saved: the case's menu offers it again.
    await ui.page.getByRole('button', { name: 'Remove Alice early from the case' }).click();
    await ui.page.getByTestId('searches-empty').waitFor();
    expect(await ui.page.getByTestId('case-search').count()).toBe(0);
    // The focus is not lost with the row: it goes to the Add button.
    await poll(() => ui.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'case-add-search',
    );
    await ui.page.getByTestId('case-add-search').click();
    await ui.page.getByRole('menuitem', { name: /Alice early/ }).waitFor();
    await ui.page.keyboard.press('Escape');
    // And the search screen's ☆ Saved menu still lists it.
    await ui.page.goBack();
    await ui.page.getByTestId('saved-menu').waitFor();
    await ui.page.getByTestId('saved-menu').click();
    await poll(() => popover(ui.page).getByTestId('saved-list').innerText()).toContain('Alice early');
    await ui.page.keyboard.press('Escape');

    // Closed, the case offers Reopen where Close was, and nothing to edit or remove.
    await go(`#/investigations/${encodeURIComponent('INC-8 alice')}`);
    await ui.page.getByTestId('case-close').click();
    await ui.page.getByTestId('close-confirm').click();
    await ui.page.getByTestId('case-closed').waitFor();
    await poll(() => ui.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'case-reopen',
    );
    expect(await ui.page.getByTestId('description-edit').count()).toBe(0);
    expect(await ui.page.getByTestId('case-add-search').count()).toBe(0);
    await shot('15-case-closed-reopen');
    await ui.page.keyboard.press('Enter');
    await ui.page.getByTestId('case-close').waitFor();
    expect(await ui.page.getByTestId('case-status').innerText()).toBe('open');
    expect(await ui.page.getByTestId('case-closed').count()).toBe(0);
    expect(await ui.page.getByTestId('case-reopen').count()).toBe(0);
    await poll(() => ui.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'case-close',
    );
    await ui.page.getByTestId('description-edit').waitFor();
    await ui.page.getByTestId('note-text').waitFor();
  });

  it('follows a dark OS theme (the case view)', async () => {
    await openSearch('', 'dark');
    await go(`#/investigations/${encodeURIComponent(CASE)}`);
    await ui.page.getByTestId('pins-table').waitFor();
    await ui.page.getByTestId('pin-row').first().click();
    await ui.detail.waitFor();
    await shot('11-dark-case');
  });
});
