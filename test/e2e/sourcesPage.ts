/** The sources screen as the e2e flows drive it. */
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { SCREENSHOTS, UI_WAIT_MS } from './browser.ts';

export class SourcesPage {
  readonly page: Page;
  /** Everything the page reported that a strict CSP or a bug would cause. */
  readonly problems: string[] = [];

  constructor(page: Page) {
    this.page = page;
    page.setDefaultTimeout(UI_WAIT_MS);
    page.on('pageerror', (error) => this.problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // A 4xx answer the screen shows as a message (a wrong configuration, a superseded search) is logged
      // by Chromium as a failed fetch; that line alone is not a problem.
      if (message.type() === 'error' && !/status of 4\d\d/.test(message.text()))
        this.problems.push(`console error: ${message.text()}`);
    });
  }

  async open(url: string): Promise<void> {
    await this.page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e: SecurityPolicyViolationEvent) =>
        console.error(`CSP violation: ${e.violatedDirective} at ${e.sourceFile}:${e.lineNumber}`),
      );
    });
    await this.page.goto(url);
    await this.page.locator('.shell').waitFor();
  }

  /** A form field by its configuration name. */
  field(name: string): Locator {
    return this.page.getByTestId(`field-${name}`);
  }

  /** The error shown under a field. */
  error(name: string): Promise<string> {
    return this.page.getByTestId(`error-${name}`).innerText();
  }

  async screenshot(name: string): Promise<void> {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await this.page.screenshot({ path: path.join(SCREENSHOTS, `sources-${name}.png`) });
  }
}
