/**
 * From the investigations screen to the search screen: a saved search, a pinned event, or a pivot or
 * filter from the detail panel opens search on that view (the search screen reads `?q=&range=` and the
 * stored columns when it mounts).
 */
import type { QueryField } from '../../../shared/query/index.ts';
import { fieldTerm } from '../../lib/queryEdit.ts';
import { fromSaved, searchHref } from '../../lib/savedView.ts';
import type { SavedSearch } from '../../lib/savedView.ts';
import { ALL_TIME } from '../../lib/timeRange.ts';
import type { TimeRange } from '../../lib/timeRange.ts';
import type { ViewState } from '../../lib/urlState.ts';
import { saveColumns } from '../columns.ts';
import type { Pivot } from '../DetailDrawer.tsx';

const MINUTE = 60_000;

/** Where the search screen opens for this view. */
export function searchLink(view: ViewState): string {
  return searchHref(view, window.location.pathname);
}

export function openSearch(view: ViewState): void {
  window.location.assign(searchLink(view));
}

/** A saved search as the search screen would run it (its columns become the table's). */
export function openSaved(saved: SavedSearch): void {
  const { view, columns } = fromSaved(saved);
  if (columns) saveColumns(columns);
  openSearch(view);
}

/** One event, found by its id over all time. */
export function eventView(id: string): ViewState {
  return { query: fieldTerm('id', id), range: ALL_TIME };
}

export function filterView(field: QueryField, value: string, negated: boolean): ViewState {
  return { query: fieldTerm(field, value, negated), range: ALL_TIME };
}

/** The detail panel's pivots, as the search screen makes them. */
export function pivotView(p: Pivot): ViewState {
  const ts = p.event.ts ?? 0;
  const around = (minutes: number): TimeRange => ({
    kind: 'between',
    from: ts - minutes * MINUTE,
    to: ts + minutes * MINUTE + 1,
  });
  switch (p.kind) {
    case 'user':
      return { query: fieldTerm('user', p.event.user ?? ''), range: around(30) };
    case 'txn':
      return { query: fieldTerm('txn', p.event.txn ?? ''), range: ALL_TIME };
    case 'target':
      return { query: fieldTerm('target', p.event.target ?? ''), range: ALL_TIME };
    case 'surrounding':
      return { query: '', range: around(p.minutes) };
  }
}
