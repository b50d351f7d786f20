/**
 * Saved searches and history entries as search views. A saved search stores the query, a fixed range as
 * epoch ms and the columns; a relative range ("last 7 days") has no fixed ends, so it is stored as the
 * query's `last:` term (what the CLI would run too) and read back into the range picker. History entries
 * hold the query as the engine ran it (text and range combined); the trailing range terms are split off
 * again so picking one restores the query bar and the picker as they were.
 */
import type { MethodOutput } from '../../shared/contract.ts';
import { parseDuration, parseQuery, parseTimeValue } from '../../shared/query/index.ts';
import { COLUMNS } from '../components/columns.ts';
import type { ColumnKey } from '../components/columns.ts';
import type { TimeZoneMode } from './format.ts';
import { ALL_TIME, rangeLabel, rangeTerms, rangeToParam } from './timeRange.ts';
import type { TimeRange } from './timeRange.ts';
import type { ViewState } from './urlState.ts';

export type SavedSearch = MethodOutput<'saved.list'>['searches'][number];
export type HistoryEntry = MethodOutput<'history.list'>['entries'][number];

/** What `saved.add` stores for the current view. */
export function toSavedInput(view: ViewState, columns: readonly ColumnKey[]) {
  const query = view.query.trim();
  if (view.range.kind === 'between')
    return { query, from: view.range.from, to: view.range.to, columns: [...columns] };
  const terms = view.range.kind === 'last' ? rangeTerms(view.range) : '';
  return { query: [query, terms].filter(Boolean).join(' '), from: null, to: null, columns: [...columns] };
}

const RANGE_TAIL = /(?:^|\s+)((?:(?:last|after|before):\S+)(?:\s+(?:last|after|before):\S+)*)\s*$/;

/** Splits trailing `last:`/`after:`/`before:` terms off a query into a range (when they read as one). */
export function splitRange(text: string): ViewState {
  const m = RANGE_TAIL.exec(text);
  if (!m) return { query: text.trim(), range: ALL_TIME };
  const terms = m[1]!.split(/\s+/);
  let range: TimeRange | null = null;
  let from: number | null = null;
  let to: number | null = null;
  for (const term of terms) {
    const [key, value = ''] = [term.slice(0, term.indexOf(':')), term.slice(term.indexOf(':') + 1)];
    if (key === 'last' && terms.length === 1) {
      const d = parseDuration(value);
      if (d.ok) range = { kind: 'last', text: d.text };
    } else if (key === 'after' || key === 'before') {
      const t = parseTimeValue(value);
      if (!t.ok) return { query: text.trim(), range: ALL_TIME };
      if (key === 'after' && from == null) from = t.ms;
      else if (key === 'before' && to == null) to = t.ms;
      else return { query: text.trim(), range: ALL_TIME };
    } else return { query: text.trim(), range: ALL_TIME };
  }
  if (!range && (from != null || to != null)) range = { kind: 'between', from, to };
  if (!range) return { query: text.trim(), range: ALL_TIME };
  let query = text.slice(0, m.index).trim();
  // combineQuery wraps a top-level OR in parentheses so the range binds to every branch: unwrap it.
  if (query.startsWith('(') && query.endsWith(')')) {
    const inner = query.slice(1, -1).trim();
    try {
      if (parseQuery(inner)?.kind === 'or') query = inner;
    } catch {
      // Not a query on its own: keep the parentheses.
    }
  }
  return { query, range };
}

/** A saved search as the view and columns it restores. */
export function fromSaved(saved: SavedSearch): { view: ViewState; columns: ColumnKey[] | null } {
  const view: ViewState =
    saved.from != null || saved.to != null
      ? { query: saved.query, range: { kind: 'between', from: saved.from, to: saved.to } }
      : splitRange(saved.query);
  const known = new Set<string>(COLUMNS.map((c) => c.key));
  const columns = saved.columns.filter((c): c is ColumnKey => known.has(c));
  return { view, columns: columns.length > 0 ? columns : null };
}

/** The range a saved search restores, in words. */
export function savedRangeLabel(saved: SavedSearch, zone: TimeZoneMode): string {
  return rangeLabel(fromSaved(saved).view.range, zone);
}

/** A URL that opens the search screen on this view (the search screen reads `?q=&range=` when it mounts). */
export function searchHref(view: ViewState, pathname: string): string {
  const params = new URLSearchParams();
  if (view.query) params.set('q', view.query);
  params.set('range', rangeToParam(view.range));
  return `${pathname}?${params.toString()}#/`;
}
