/**
 * The built UI (dist/renderer/, bundled by the test setup as `npm run build` does) loads under serve's
 * strict CSP: relative asset paths, no inline script or style in the page.
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
});
