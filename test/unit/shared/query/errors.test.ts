import { describe, expect, test } from 'vitest';

import { parseQuery, QuerySyntaxError, tokenizeForHighlight } from '../../../../shared/query/index.ts';
import { syntaxErrorOf } from './support.ts';

describe('QuerySyntaxError', () => {
  test('is an Error named QuerySyntaxError', () => {
    const error = syntaxErrorOf('usr:bob');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('QuerySyntaxError');
  });

  test('parseQuery throws it', () => {
    expect(() => parseQuery('(a')).toThrow(QuerySyntaxError);
  });

  test('the column is the 1-based start of the span', () => {
    const error = syntaxErrorOf('a b usr:x');
    expect([error.column, error.span]).toEqual([5, { start: 4, end: 7 }]);
  });

  test('columns count UTF-16 code units, like the search box', () => {
    expect(syntaxErrorOf('🙂 usr:x').column).toBe(4);
  });

  test('the leftmost problem is reported', () => {
    expect(syntaxErrorOf('a usr:x (').column).toBe(3);
  });
});

describe('unknown fields', () => {
  test('a near-miss suggests the closest field', () => {
    expect(syntaxErrorOf('usr:bob').message).toBe("Unknown field 'usr' at column 1. Did you mean 'user'?");
  });

  test('the column points at the field name after other terms', () => {
    expect(syntaxErrorOf('action:x usr:bob').column).toBe(10);
  });

  test('the column skips a leading -', () => {
    expect(syntaxErrorOf('-usr:bob').column).toBe(2);
  });

  test('a swapped pair of letters is one edit away', () => {
    expect(syntaxErrorOf('uesr:bob').message).toContain("Did you mean 'user'?");
  });

  test('common synonyms are suggested', () => {
    expect(syntaxErrorOf('since:2023-07-28').message).toContain("Did you mean 'after'?");
  });

  test('a URL is an unknown field whose message tells how to search for it', () => {
    const error = syntaxErrorOf('http://x');
    expect([error.column, error.message]).toEqual([
      1,
      'Unknown field \'http\' at column 1. To search for the text, put it in quotes: "http://x"',
    ]);
  });

  test('a:b with a not a field is an error at a', () => {
    expect(syntaxErrorOf('x a:b').column).toBe(3);
  });
});

describe('bad values', () => {
  test('an invalid outcome points at the value', () => {
    const error = syntaxErrorOf('outcome:failed');
    expect([error.column, error.message]).toEqual([
      9,
      "Invalid outcome 'failed' at column 9: use success, failure or unknown",
    ]);
  });

  test('an outcome prefix is an invalid outcome', () => {
    expect(syntaxErrorOf('x outcome:fail*').column).toBe(11);
  });

  test('an empty value points at the field', () => {
    expect(syntaxErrorOf('a user: b').column).toBe(3);
  });

  test('an empty value at the end of the query', () => {
    expect(syntaxErrorOf('user:').message).toMatch(
      /^Missing value for 'user:' at column 1: write user:VALUE/,
    );
  });

  test('empty quotes as a value are an empty value', () => {
    expect(syntaxErrorOf('x target:""').column).toBe(3);
  });

  test('empty quotes as a phrase are an error', () => {
    expect(syntaxErrorOf('a ""').column).toBe(3);
  });
});

describe('bad dates and durations', () => {
  test('an unreadable date points at the value and lists the forms', () => {
    const error = syntaxErrorOf('before:yesterday');
    expect([error.column, error.message]).toEqual([
      8,
      "Invalid date 'yesterday' at column 8: use YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS[.mmm]] " +
        'optionally followed by Z or ±HH:MM, or epoch seconds (10 digits) or milliseconds (13 digits)',
    ]);
  });

  test('a number that is neither a year nor epoch seconds or milliseconds is refused', () => {
    const error = syntaxErrorOf('after:20230728');
    expect(error.column).toBe(7);
    expect(error.message).toContain('20230728 is ambiguous: write a date such as 2023-07-28');
  });

  test('a day past the end of the month is rejected, not rolled over', () => {
    const error = syntaxErrorOf('after:2023-02-30');
    expect([error.column, error.message]).toEqual([
      7,
      "Invalid date '2023-02-30' at column 7: February 2023 has 28 days",
    ]);
  });

  test('February 29 of a non-leap century is rejected', () => {
    expect(syntaxErrorOf('after:1900-02-29').message).toContain('February 1900 has 28 days');
  });

  test('month 13 is rejected', () => {
    expect(syntaxErrorOf('x after:2023-13-01').column).toBe(9);
  });

  test('hour 24 is rejected', () => {
    expect(syntaxErrorOf('after:2023-07-28T24:00Z').message).toContain('hour 24 does not exist');
  });

  test('an offset without a colon is rejected', () => {
    expect(syntaxErrorOf('after:2023-07-28T10:00+0200').column).toBe(7);
  });

  test('a * on a date is rejected', () => {
    expect(syntaxErrorOf('after:2023*').message).toContain("Invalid date '2023*'");
  });

  test('an unknown duration unit is rejected at the value', () => {
    expect(syntaxErrorOf('last:7x').column).toBe(6);
  });

  test('upper-case duration units are rejected (M is not minutes)', () => {
    expect(syntaxErrorOf('last:1M').message).toContain('s, m, h, d, w or y');
  });

  test('a zero duration is rejected', () => {
    expect(syntaxErrorOf('last:0d').message).toContain('greater than zero');
  });
});

describe('negated time filters', () => {
  test('-after: is rejected at the -', () => {
    const error = syntaxErrorOf('-after:2023-01-01');
    expect([error.column, error.message]).toEqual([
      1,
      "Time filters cannot be negated ('-' at column 1): remove the '-'; for the opposite of after:X write" +
        ' before:X, and of before:X write after:X',
    ]);
  });

  test('NOT last: is rejected at the NOT', () => {
    expect(syntaxErrorOf('x NOT last:7d').column).toBe(3);
  });

  test('a negated group containing a time filter is rejected', () => {
    expect(syntaxErrorOf('a -(b before:2023-01-01)').column).toBe(3);
  });
});

describe('structure', () => {
  test('an unmatched ( points at it', () => {
    expect(syntaxErrorOf('a (b (c)').column).toBe(3);
  });

  test("an unmatched ( says to add a ')'", () => {
    expect(syntaxErrorOf('(a').message).toBe("Unmatched '(' at column 1: add a ')' to close it or remove it");
  });

  test('an unmatched ) points at it', () => {
    expect(syntaxErrorOf('(a)) b').column).toBe(4);
  });

  test('a leading ) is unmatched', () => {
    expect(syntaxErrorOf(') a').message).toMatch(/^Unmatched '\)' at column 1/);
  });

  test('empty parentheses are an error at the (', () => {
    expect(syntaxErrorOf('a ( )').column).toBe(3);
  });

  test('an unterminated quote points at the quote', () => {
    expect(syntaxErrorOf('error "disk').message).toBe(
      'Unterminated quote starting at column 7: close it with "',
    );
  });

  test('an escaped closing quote leaves the phrase unterminated', () => {
    expect(syntaxErrorOf('"abc\\"').column).toBe(1);
  });

  test('an unterminated quoted value points at its quote', () => {
    expect(syntaxErrorOf('target:"Billing').column).toBe(8);
  });

  test('a dangling OR at the end points at the OR', () => {
    expect(syntaxErrorOf('a OR').message).toBe(
      "'OR' at column 3 has nothing after it: add a search term after it or remove it",
    );
  });

  test('a dangling OR at the start points at the OR', () => {
    expect(syntaxErrorOf('OR a').message).toMatch(/^'OR' at column 1 has nothing before it/);
  });

  test('a doubled OR points at the first one', () => {
    expect(syntaxErrorOf('a OR OR b').column).toBe(3);
  });

  test('an OR before a ) is dangling', () => {
    expect(syntaxErrorOf('(a OR) b').column).toBe(4);
  });

  test('a dangling AND points at the AND', () => {
    expect(syntaxErrorOf('a b AND').column).toBe(5);
  });

  test('a NOT with nothing after it points at the NOT', () => {
    expect(syntaxErrorOf('a NOT').message).toMatch(/^'NOT' at column 3 has nothing to negate/);
  });

  test('a - before an operator has nothing to negate', () => {
    expect(syntaxErrorOf('a -OR b').column).toBe(3);
  });
});

describe('nesting', () => {
  const nested = (depth: number) => '('.repeat(depth) + 'a' + ')'.repeat(depth);

  test('2,000 nested parentheses are a syntax error at the first ( past the limit, not a stack overflow', () => {
    const error = syntaxErrorOf(nested(2000));
    expect([error.column, error.span]).toEqual([65, { start: 64, end: 65 }]);
    expect(error.message).toBe(
      "Too deeply nested at column 65: the '(' there opens level 65, and parentheses and negations may nest" +
        ' at most 64 deep. Remove parentheses or negations around it.',
    );
  });

  test('64 levels of parentheses are allowed', () => {
    expect(parseQuery(nested(64))).toMatchObject({ kind: 'text', text: 'a' });
  });

  test('a chain of 2,000 NOTs is an error at the 65th NOT', () => {
    const error = syntaxErrorOf('NOT '.repeat(2000) + 'a');
    expect(error.column).toBe(64 * 4 + 1);
    expect(error.message).toMatch(/^Too deeply nested at column 257: the 'NOT' there opens level 65/);
  });

  test('a chain of 2,000 negated groups -( is an error at the 33rd -, which opens level 65', () => {
    expect(syntaxErrorOf('-('.repeat(2000) + 'a' + ')'.repeat(2000)).message).toMatch(
      /^Too deeply nested at column 65: the '-' there opens level 65/,
    );
  });

  test('parentheses and negations count together', () => {
    // Each '-(NOT ' opens three levels: level 65 is the '(' of the 22nd, at offset 21 * 6 + 1.
    expect(syntaxErrorOf('-(NOT '.repeat(40) + 'a' + ')'.repeat(40)).message).toMatch(
      /^Too deeply nested at column 128: the '\(' there opens level 65/,
    );
  });

  test('the search box marks the too-deep parenthesis instead of failing', () => {
    const runs = tokenizeForHighlight(nested(2000));
    expect(runs.find((t) => t.kind === 'error')).toEqual({ kind: 'error', start: 64, end: 65 });
  });
});
