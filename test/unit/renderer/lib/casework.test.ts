// @vitest-environment happy-dom
/**
 * Saved searches and history entries back into search views, the investigations route, and notes'
 * Markdown rendered without any HTML from the note.
 */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../../renderer/components/cases/Markdown.tsx';
import { parseRoute, routeHash } from '../../../../renderer/lib/route.ts';
import { fromSaved, splitRange, toSavedInput } from '../../../../renderer/lib/savedView.ts';
import type { SavedSearch } from '../../../../renderer/lib/savedView.ts';
import { combineQuery } from '../../../../renderer/lib/timeRange.ts';
import type { TimeRange } from '../../../../renderer/lib/timeRange.ts';

const saved = (s: Partial<SavedSearch>): SavedSearch => ({
  name: 'x',
  query: '',
  from: null,
  to: null,
  columns: [],
  createdAt: 0,
  updatedAt: 0,
  ...s,
});

describe('saved searches and history as views', () => {
  const ranges: TimeRange[] = [
    { kind: 'all' },
    { kind: 'last', text: '7d' },
    { kind: 'between', from: Date.UTC(2026, 2, 5), to: Date.UTC(2026, 2, 6, 12) },
    { kind: 'between', from: Date.UTC(2026, 2, 5, 1, 2, 3, 4), to: null },
  ];
  const queries = ['', 'user:alice@acme.io', 'a OR b', '-outcome:success "billing api"'];

  it('reads back the query and range that the engine ran (history entries)', () => {
    for (const query of queries)
      for (const range of ranges) expect(splitRange(combineQuery(query, range))).toEqual({ query, range });
  });

  it('keeps range-like text that is not a trailing range in the query', () => {
    expect(splitRange('after:nonsense user:a')).toEqual({
      query: 'after:nonsense user:a',
      range: { kind: 'all' },
    });
    expect(splitRange('user:a last:zz')).toEqual({ query: 'user:a last:zz', range: { kind: 'all' } });
  });

  it('stores a fixed range as its ends and a relative one as a last: term, and restores both', () => {
    for (const range of ranges) {
      const input = toSavedInput({ query: 'user:a', range }, ['ts', 'user']);
      if (range.kind === 'between') expect([input.from, input.to]).toEqual([range.from, range.to]);
      else expect([input.from, input.to]).toEqual([null, null]);
      const back = fromSaved(saved(input));
      expect(back.view).toEqual({ query: 'user:a', range });
      expect(back.columns).toEqual(['ts', 'user']);
    }
  });

  it('drops columns this version does not know, and [] keeps the current ones', () => {
    expect(fromSaved(saved({ columns: ['ts', 'nope'] })).columns).toEqual(['ts']);
    expect(fromSaved(saved({ columns: [] })).columns).toBeNull();
  });
});

describe('investigations route', () => {
  it('carries the case name, any characters', () => {
    const name = 'INC-7 billing / access #2';
    expect(parseRoute(routeHash({ screen: 'investigations', name }))).toEqual({
      screen: 'investigations',
      name,
    });
    expect(parseRoute('#/investigations')).toEqual({ screen: 'investigations' });
  });
});

describe('note Markdown', () => {
  it('renders Markdown and shows HTML in the note as text', () => {
    const html = renderMarkdown(
      '**Reset** by `alice`\n\n<img src=x onerror="alert(1)"> <script>alert(2)</script>',
    );
    const div = document.createElement('div');
    div.innerHTML = html;
    expect(div.querySelector('strong')?.textContent).toBe('Reset');
    expect(div.querySelector('code')?.textContent).toBe('alice');
    expect(div.querySelector('img, script')).toBeNull();
    expect(div.textContent).toContain('<img src=x onerror="alert(1)">');
    expect(div.textContent).toContain('<script>alert(2)</script>');
  });

  it('refuses javascript: and data: links, opens others outside, and shows an image as a link to it', () => {
    const div = document.createElement('div');
    div.innerHTML = renderMarkdown(
      '[a](javascript:alert(1)) [b](https://example.com/x) ![c](https://example.com/c.png) [d](data:text/html,hi)',
    );
    const links = [...div.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      'https://example.com/x',
      'https://example.com/c.png',
    ]);
    expect(links[0]!.getAttribute('target')).toBe('_blank');
    expect(links[0]!.getAttribute('rel')).toBe('noopener noreferrer');
    expect(div.querySelector('img')).toBeNull();
  });

  it('aligns table cells with classes, not style attributes (the CSP refuses inline styles)', () => {
    const html = renderMarkdown('| a | b |\n|--:|:-:|\n| 1 | 2 |');
    expect(html).not.toContain('style=');
    expect(html).toContain('class="md-align-right"');
  });
});
