import { describe, expect, test } from 'vitest';

import { parseQuery, tokenizeForHighlight } from '../../../../shared/query/index.ts';
import type { HighlightToken } from '../../../../shared/query/index.ts';
import { hostileString, seededRandom } from './support.ts';

/** The tokens as `kind:text` strings, readable in a failure diff. */
function runs(input: string): string[] {
  return tokenizeForHighlight(input).map((t) => `${t.kind}:${input.slice(t.start, t.end)}`);
}

function expectCovers(input: string, tokens: HighlightToken[]): void {
  let at = 0;
  for (const t of tokens) {
    expect(t.start, JSON.stringify(input)).toBe(at);
    expect(t.end, JSON.stringify(input)).toBeGreaterThan(t.start);
    at = t.end;
  }
  expect(at, JSON.stringify(input)).toBe(input.length);
}

describe('tokenizeForHighlight', () => {
  test('an empty query has no tokens', () => {
    expect(tokenizeForHighlight('')).toEqual([]);
  });

  test('colours fields, values, words, phrases, operators and parentheses', () => {
    expect(runs('user:bob* (a OR "x y") -z NOT w')).toEqual([
      'field:user:',
      'value:bob*',
      'space: ',
      'paren:(',
      'text:a',
      'space: ',
      'operator:OR',
      'space: ',
      'phrase:"x y"',
      'paren:)',
      'space: ',
      'operator:-',
      'text:z',
      'space: ',
      'operator:NOT',
      'space: ',
      'text:w',
    ]);
  });

  test('time filters are a field and a value', () => {
    expect(runs('last:7d')).toEqual(['field:last:', 'value:7d']);
  });

  test('an unknown field name is an error, its value still a value', () => {
    expect(runs('usr:bob')).toEqual(['error:usr', 'field::', 'value:bob']);
  });

  test('an invalid value is an error after a valid field name', () => {
    expect(runs('outcome:nope')).toEqual(['field:outcome:', 'error:nope']);
  });

  test('an unterminated quote is an error to the end', () => {
    expect(runs('a "b c')).toEqual(['text:a', 'space: ', 'error:"b c']);
  });

  test('every unmatched parenthesis is an error', () => {
    expect(runs(') (a')).toEqual(['error:)', 'space: ', 'error:(', 'text:a']);
  });

  test('a dangling OR is an error', () => {
    expect(runs('a OR')).toEqual(['text:a', 'space: ', 'error:OR']);
  });

  test('a negated time filter marks the operator', () => {
    expect(runs('-after:2023-01-01')).toEqual(['error:-', 'field:after:', 'value:2023-01-01']);
  });

  test('never throws on 2000 random strings, and covers each without gaps or overlaps', () => {
    const random = seededRandom(1337);
    for (let i = 0; i < 2000; i++) {
      const input = hostileString(random, 12);
      const tokens = tokenizeForHighlight(input);
      expectCovers(input, tokens);
    }
  });

  test('shows an error exactly when parseQuery rejects the query, on 2000 random strings', () => {
    const random = seededRandom(4242);
    for (let i = 0; i < 2000; i++) {
      const input = hostileString(random, 12);
      let rejected = false;
      try {
        parseQuery(input);
      } catch {
        rejected = true;
      }
      const hasError = tokenizeForHighlight(input).some((t) => t.kind === 'error');
      expect(hasError, JSON.stringify(input)).toBe(rejected);
    }
  });

  test('never throws on random code units, including lone surrogates and control characters', () => {
    const random = seededRandom(99);
    for (let i = 0; i < 500; i++) {
      const length = Math.floor(random() * 20);
      const input = String.fromCharCode(...Array.from({ length }, () => Math.floor(random() * 0x10000)));
      expectCovers(input, tokenizeForHighlight(input));
    }
  });
});
