/** The search screen as the e2e flows drive it: one method per thing a user does or looks at. */
import type { Locator, Page } from 'playwright-core';
import { WatchedPage } from './watchedPage.ts';

export class SearchPage extends WatchedPage {
  constructor(page: Page) {
    // A search superseded by a newer one from the same tab answers 409 `cancelled` by design (the UI
    // drops it); Chromium logs every 4xx fetch, so that one line is not a problem.
    super(page, { expectedErrors: /status of 409 \(Conflict\)/, shotPrefix: '' });
  }

  async open(url: string): Promise<void> {
    await this.goto(url);
    // A first run shows its offer instead of results.
    await this.page.locator('[data-testid="total"]:visible, [data-testid="first-run"]').first().waitFor();
    await this.page.locator('[role="progressbar"]').waitFor({ state: 'detached' });
  }

  get queryInput(): Locator {
    return this.page.getByTestId('query-input');
  }
  get rows(): Locator {
    return this.page.getByTestId('result-row');
  }
  get detail(): Locator {
    return this.page.getByTestId('detail');
  }

  /** The query bar's text. */
  async query(): Promise<string> {
    return (await this.queryInput.evaluate((el) => (el as HTMLElement).innerText))
      .replace(/\u200b/g, '')
      .trim();
  }

  /** The total the summary shows, as a number. */
  async total(): Promise<number> {
    return Number((await this.page.getByTestId('total').innerText()).replace(/,/g, ''));
  }

  /** Waits until a search has finished (no progress bar) and its total is shown. */
  /**
   * Waits until the summary answers the query the URL holds, its search finished, and a total is shown.
   * The URL changes before the new search starts, so the previous total would otherwise pass for it.
   */
  async waitForResults(): Promise<void> {
    await this.page.waitForFunction(() => {
      const summary = document.querySelector('[data-testid="summary"]');
      return (
        summary?.getAttribute('data-settled') === 'true' &&
        summary.getAttribute('data-view-query') === (new URLSearchParams(location.search).get('q') ?? '')
      );
    });
    await this.page.getByTestId('total').waitFor();
    await this.page.locator('[role="progressbar"]').waitFor({ state: 'detached' });
  }

  /**
   * Focuses the query bar with `/`, replaces its text by typing and closes the completion list (so that
   * Enter runs the query instead of accepting an offer); the caret stays in the bar.
   */
  async typeQuery(text: string): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.locator('body').press('/');
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.press('Backspace');
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Escape');
  }

  /** Types a query into the bar (replacing what is there) and presses Enter. */
  async search(text: string): Promise<void> {
    await this.typeQuery(text);
    await this.page.keyboard.press('Enter');
    await this.waitForUrlQuery(text);
    await this.waitForResults();
  }

  async waitForUrlQuery(text: string): Promise<void> {
    await this.page.waitForFunction((q) => new URLSearchParams(location.search).get('q') === q, text);
  }

  facetValue(field: string, value: string): Locator {
    return this.page.getByTestId(`facet-value-${field}-${value}`);
  }
  facetExclude(field: string, value: string): Locator {
    return this.page.getByTestId(`facet-exclude-${field}-${value}`);
  }

  /** Every cell text of a column over the rendered rows. */
  async column(index: number): Promise<string[]> {
    return this.rows.evaluateAll(
      (rows, i) => rows.map((r) => (r.children[i] as HTMLElement | undefined)?.innerText ?? ''),
      index,
    );
  }

  /** Drags across the histogram from one fraction of its width to another. */
  async dragHistogram(fromFraction: number, toFraction: number): Promise<void> {
    const box = (await this.page.getByTestId('histogram').boundingBox())!;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(box.x + box.width * fromFraction, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + box.width * ((fromFraction + toFraction) / 2), y, { steps: 4 });
    await this.page.mouse.move(box.x + box.width * toFraction, y, { steps: 4 });
    await this.page.mouse.up();
  }
}
