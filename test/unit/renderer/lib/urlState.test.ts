// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { readView, takeToken, viewUrl } from '../../../../renderer/lib/urlState.ts';

afterEach(() => {
  sessionStorage.clear();
  window.history.replaceState(null, '', '/');
});

describe('URL state', () => {
  it('keeps the token for the tab and strips it from the visible URL', () => {
    window.history.replaceState(null, '', '/?token=secret-123&q=user%3Aa');
    expect(takeToken(window.location, window.history, sessionStorage)).toBe('secret-123');
    expect(window.location.search).toBe('?q=user%3Aa');
    // A reload (no token in the URL any more) finds it in this tab's storage.
    expect(takeToken(window.location, window.history, sessionStorage)).toBe('secret-123');
  });

  it('writes query and range into the URL and reads them back', () => {
    const url = viewUrl({ query: 'user:a "x y"', range: { kind: 'last', text: '7d' } }, window.location);
    window.history.replaceState(null, '', url);
    expect(readView(window.location)).toEqual({ query: 'user:a "x y"', range: { kind: 'last', text: '7d' } });
  });
});
