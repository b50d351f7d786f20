/**
 * The built UI (dist/renderer/, bundled by the test setup as `npm run build` does) loads under serve's
 * strict CSP: relative asset paths, no inline script or style in the page. It is React's production build
 * even when built under vitest (NODE_ENV=test), since `npm start` serves whatever dist/ holds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const OUT = path.resolve(import.meta.dirname, '../../../dist/renderer');

describe('renderer build', () => {
  it('writes index.html with relative, external scripts and styles only', () => {
    const html = fs.readFileSync(path.join(OUT, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/src="\.\/assets\/[^"]+\.js"/);
      expect(body!.trim()).toBe('');
    }
    expect(html).toMatch(/<link rel="stylesheet"[^>]*href="\.\/assets\/[^"]+\.css"/);
    expect(html).not.toMatch(/<style\b/);
    expect(html).not.toMatch(/\sstyle=/);
    for (const [, asset] of html.matchAll(/(?:src|href)="\.\/([^"]+)"/g))
      expect(fs.existsSync(path.join(OUT, asset!))).toBe(true);
  });

  it("bundles React's production build, not the development one", () => {
    const html = fs.readFileSync(path.join(OUT, 'index.html'), 'utf8');
    for (const [, asset] of html.matchAll(/src="\.\/(assets\/[^"]+\.js)"/g)) {
      const code = fs.readFileSync(path.join(OUT, asset!), 'utf8');
      // A line only React's development build prints.
      expect(code).not.toContain('Download the React DevTools');
      expect(code).not.toContain('jsxDEV');
    }
  });
});
