import { describe, expect, it } from 'vitest';
import { fromInputValue, formatTimestamp, toInputValue } from '../../../../renderer/lib/format.ts';
import { fieldTerm, termState, toggleFieldTerm } from '../../../../renderer/lib/queryEdit.ts';
import { combineQuery, rangeFromParam, rangeToParam } from '../../../../renderer/lib/timeRange.ts';

describe('facet clicks edit the query text', () => {
  it('appends field:value, quoting values the language would split', () => {
    expect(toggleFieldTerm('', 'user', 'alice@acme.io', false)).toBe('user:alice@acme.io');
    expect(toggleFieldTerm('disk', 'target', 'Billing API', true)).toBe('disk -target:"Billing API"');
    expect(fieldTerm('opType', 'Mutation')).toBe('op:Mutation');
  });

  it('takes a term out when clicked again, and flips its sign from the other button', () => {
    expect(toggleFieldTerm('user:alice@acme.io entity:User', 'user', 'alice@acme.io', false)).toBe(
      'entity:User',
    );
    expect(toggleFieldTerm('-entity:User x', 'entity', 'User', true)).toBe('x');
    expect(toggleFieldTerm('a -entity:User', 'entity', 'User', false)).toBe('a entity:User');
  });

  it('says whether a value is filtered in or out', () => {
    expect(termState('user:a -entity:B', 'user', 'a')).toBe(1);
    expect(termState('user:a -entity:B', 'entity', 'b')).toBe(-1);
    expect(termState('user:a*', 'user', 'a')).toBe(0);
    expect(termState('user:a OR', 'user', 'a')).toBe(0);
  });
});

describe('the time range joins the query sent', () => {
  it('appends last:/after:/before: and parenthesises a top-level OR', () => {
    expect(combineQuery('user:a', { kind: 'last', text: '7d' })).toBe('user:a last:7d');
    expect(combineQuery('a OR b', { kind: 'last', text: '1h' })).toBe('(a OR b) last:1h');
    expect(
      combineQuery('', { kind: 'between', from: Date.UTC(2026, 2, 5), to: Date.UTC(2026, 2, 5, 12) }),
    ).toBe('after:2026-03-05 before:2026-03-05T12:00Z');
    expect(combineQuery('  x  ', { kind: 'all' })).toBe('x');
  });

  it('round-trips through the URL parameter', () => {
    for (const r of [
      { kind: 'all' } as const,
      { kind: 'last', text: '24h' } as const,
      { kind: 'between', from: Date.UTC(2026, 0, 1, 10, 30), to: null } as const,
    ])
      expect(rangeFromParam(rangeToParam(r))).toEqual(r);
    expect(rangeFromParam('nonsense')).toEqual({ kind: 'all' });
  });
});

describe('times on screen', () => {
  it('prints ISO order with milliseconds in UTC', () => {
    expect(formatTimestamp(Date.UTC(2026, 2, 7, 14, 2, 11, 412), 'utc')).toBe('2026-03-07 14:02:11.412');
    expect(formatTimestamp(null, 'utc')).toBe('—');
  });

  it('reads a datetime-local value back in the chosen zone', () => {
    const ms = Date.UTC(2026, 2, 7, 14, 2);
    expect(fromInputValue(toInputValue(ms, 'utc'), 'utc')).toBe(ms);
    expect(fromInputValue(toInputValue(ms, 'local'), 'local')).toBe(ms);
    expect(fromInputValue('garbage', 'utc')).toBeNull();
    expect(fromInputValue('2026-02-30', 'utc')).toBeNull();
    expect(fromInputValue('2026-03-07', 'utc')).toBe(Date.UTC(2026, 2, 7));
  });
});
