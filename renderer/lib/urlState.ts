/**
 * The query and time range live in the URL so a link reproduces the view and Back restores the previous
 * search. The API token arrives as `?token=`; it is kept for the tab (sessionStorage) and taken out of the
 * visible URL so it does not end up in history, bookmarks or screenshots.
 */
import { rangeFromParam, rangeToParam } from './timeRange.ts';
import type { TimeRange } from './timeRange.ts';

export interface ViewState {
  query: string;
  range: TimeRange;
}

const TOKEN_KEY = 'audit-explorer.token';

export function readView(location: Location): ViewState {
  const params = new URLSearchParams(location.search);
  return { query: params.get('q') ?? '', range: rangeFromParam(params.get('range')) };
}

export function viewUrl(view: ViewState, location: Location): string {
  const params = new URLSearchParams(location.search);
  params.delete('token');
  if (view.query) params.set('q', view.query);
  else params.delete('q');
  params.set('range', rangeToParam(view.range));
  return `${location.pathname}?${params.toString()}${location.hash}`;
}

/** Reads the token from the URL (then removes it there) or from this tab's storage. */
export function takeToken(location: Location, history: History, storage: Storage): string | null {
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    storage.setItem(TOKEN_KEY, fromUrl);
    params.delete('token');
    const rest = params.toString();
    history.replaceState(history.state, '', `${location.pathname}${rest ? `?${rest}` : ''}${location.hash}`);
    return fromUrl;
  }
  return storage.getItem(TOKEN_KEY);
}
