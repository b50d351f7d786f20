/**
 * The time range beside the query bar. It lives apart from the query text (so a preset can change without
 * editing what the user typed) and is appended as `last:`/`after:`/`before:` terms when a search is sent.
 */
import { formatTime, parseDuration, parseQuery, parseTimeValue } from '../../shared/query/index.ts';
import { formatMinute } from './format.ts';
import type { TimeZoneMode } from './format.ts';

export type TimeRange =
  | { kind: 'all' }
  | { kind: 'last'; text: string }
  /** `from` inclusive, `to` exclusive, epoch ms; either end may be open. */
  | { kind: 'between'; from: number | null; to: number | null };

export const PRESETS: readonly { text: string; label: string }[] = [
  { text: '15m', label: 'Last 15 minutes' },
  { text: '1h', label: 'Last hour' },
  { text: '24h', label: 'Last 24 hours' },
  { text: '7d', label: 'Last 7 days' },
  { text: '30d', label: 'Last 30 days' },
];

export const ALL_TIME: TimeRange = { kind: 'all' };

/** The terms a range adds to the query sent to the engine ('' for all time). */
export function rangeTerms(range: TimeRange): string {
  switch (range.kind) {
    case 'all':
      return '';
    case 'last':
      return `last:${range.text}`;
    case 'between':
      return [
        range.from != null ? `after:${formatTime(range.from)}` : '',
        range.to != null ? `before:${formatTime(range.to)}` : '',
      ]
        .filter(Boolean)
        .join(' ');
  }
}

/**
 * The query the engine runs: the user's text AND the range. A top-level OR is parenthesised so the range
 * applies to every branch (`a OR b last:1h` would otherwise bind the range to `b` only); otherwise the text
 * is kept as typed so error columns from the engine still point into what the user sees.
 */
export function combineQuery(query: string, range: TimeRange): string {
  const terms = rangeTerms(range);
  if (!terms) return query.trim();
  if (!query.trim()) return terms;
  let root: ReturnType<typeof parseQuery> | undefined;
  try {
    root = parseQuery(query);
  } catch {
    root = undefined;
  }
  return root?.kind === 'or' ? `(${query.trim()}) ${terms}` : `${query.trim()} ${terms}`;
}

/** The range as a URL parameter: `all`, `7d`, or `<from>..<to>` in the query language's UTC form. */
export function rangeToParam(range: TimeRange): string {
  switch (range.kind) {
    case 'all':
      return 'all';
    case 'last':
      return range.text;
    case 'between':
      return `${range.from != null ? formatTime(range.from) : ''}..${range.to != null ? formatTime(range.to) : ''}`;
  }
}

/** Reads a URL parameter back; anything unreadable is all time. */
export function rangeFromParam(param: string | null): TimeRange {
  if (!param || param === 'all') return ALL_TIME;
  const between = /^(.*)\.\.(.*)$/.exec(param);
  if (between) {
    const end = (text: string | undefined): number | null => {
      if (!text) return null;
      const r = parseTimeValue(text);
      return r.ok ? r.ms : null;
    };
    const from = end(between[1]);
    const to = end(between[2]);
    return from == null && to == null ? ALL_TIME : { kind: 'between', from, to };
  }
  const d = parseDuration(param);
  return d.ok ? { kind: 'last', text: d.text } : ALL_TIME;
}

/** What the picker's button says. */
export function rangeLabel(range: TimeRange, zone: TimeZoneMode): string {
  switch (range.kind) {
    case 'all':
      return 'All time';
    case 'last':
      return PRESETS.find((p) => p.text === range.text)?.label ?? `Last ${range.text}`;
    case 'between': {
      const from = range.from != null ? formatMinute(range.from, zone) : '…';
      const to = range.to != null ? formatMinute(range.to, zone) : 'now';
      return `${from} → ${to}`;
    }
  }
}
