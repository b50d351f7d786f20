/** Builders for expected trees and small utilities shared by the query-language tests. */

import { parseQuery, QuerySyntaxError, stripSpans } from '../../../../shared/query/index.ts';
import type { QueryField, UnspannedNode } from '../../../../shared/query/index.ts';

export const field = (name: QueryField, value: string, prefix = false): UnspannedNode => ({
  kind: 'field',
  field: name,
  value,
  prefix,
});
export const word = (text: string, prefix = false): UnspannedNode => ({
  kind: 'text',
  text,
  phrase: false,
  prefix,
});
export const phrase = (text: string, prefix = false): UnspannedNode => ({
  kind: 'text',
  text,
  phrase: true,
  prefix,
});
export const after = (ms: number): UnspannedNode => ({ kind: 'time', bound: 'after', ms });
export const before = (ms: number): UnspannedNode => ({ kind: 'time', bound: 'before', ms });
export const last = (ms: number, text: string): UnspannedNode => ({ kind: 'last', ms, text });
export const not = (node: UnspannedNode): UnspannedNode => ({ kind: 'not', node });
export const and = (...nodes: UnspannedNode[]): UnspannedNode => ({ kind: 'and', nodes });
export const or = (...nodes: UnspannedNode[]): UnspannedNode => ({ kind: 'or', nodes });

/** The span-free tree of a query. */
export function parsed(query: string): UnspannedNode | null {
  return stripSpans(parseQuery(query));
}

/** The error parseQuery throws for `query`; fails the test if it parses. */
export function syntaxErrorOf(query: string): QuerySyntaxError {
  try {
    parseQuery(query);
  } catch (e) {
    if (e instanceof QuerySyntaxError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(query)} to be rejected`);
}

/** mulberry32: a tiny seeded PRNG so fuzz failures reproduce. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Pieces hostile to a query lexer: operators, quotes, escapes, field look-alikes, odd spaces, astral code points. */
export const HOSTILE_PIECES = [
  'a',
  'Z',
  '7',
  ' ',
  '  ',
  '\t',
  '\n',
  '\u00a0',
  '"',
  '\\',
  '\\"',
  '(',
  ')',
  '-',
  '--',
  '*',
  ':',
  "'",
  ';',
  'OR',
  'AND',
  'NOT',
  'or',
  'user:',
  'usr:',
  'after:',
  'last:',
  'http://',
  'é',
  '日本',
  '🙂',
  '^',
  '+',
  '{',
  '}',
  '%',
  '_',
  '.',
  ',',
  'DROP TABLE',
];

/** A random string of up to `maxPieces` hostile pieces. */
export function hostileString(random: () => number, maxPieces: number): string {
  const count = Math.floor(random() * (maxPieces + 1));
  let out = '';
  for (let i = 0; i < count; i++) out += pick(random, HOSTILE_PIECES);
  return out;
}
