/** What every screen's page object shares: how long a step waits, what counts as a problem, screenshots. */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { SCREENSHOTS, UI_WAIT_MS } from './browser.ts';

export class WatchedPage {
  readonly page: Page;
  /** Everything the page reported that a strict CSP or a bug would cause. */
  readonly problems: string[] = [];
  private readonly shotPrefix: string;

  /**
   * `expectedErrors`: console errors the screen causes by design (none unless given). Chromium logs every
   * 4xx fetch as an error, also one the screen answers with a message of its own.
   */
  constructor(page: Page, options: { expectedErrors?: RegExp; shotPrefix: string }) {
    this.page = page;
    this.shotPrefix = options.shotPrefix;
    page.setDefaultTimeout(UI_WAIT_MS);
    page.on('pageerror', (error) => this.problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !options.expectedErrors?.test(message.text()))
        this.problems.push(`console error: ${message.text()}`);
    });
  }

  /** Goes to `url`, with any CSP violation reported as a console error (so as a problem). */
  async goto(url: string): Promise<void> {
    await this.page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e: SecurityPolicyViolationEvent) =>
        console.error(`CSP violation: ${e.violatedDirective} at ${e.sourceFile}:${e.lineNumber}`),
      );
    });
    await this.page.goto(url);
  }

  async screenshot(name: string): Promise<void> {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await this.page.screenshot({ path: path.join(SCREENSHOTS, `${this.shotPrefix}${name}.png`) });
  }
}
