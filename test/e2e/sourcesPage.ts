/** The sources screen as the e2e flows drive it. */
import type { Locator, Page } from 'playwright-core';
import { WatchedPage } from './watchedPage.ts';

export class SourcesPage extends WatchedPage {
  constructor(page: Page) {
    // A 4xx answer the screen shows as a message (a wrong configuration, a superseded search) is logged
    // by Chromium as a failed fetch; that line alone is not a problem.
    super(page, { expectedErrors: /status of 4\d\d/, shotPrefix: 'sources-' });
  }

  async open(url: string): Promise<void> {
    await this.goto(url);
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
}
