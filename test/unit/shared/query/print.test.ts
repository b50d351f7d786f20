import { describe, expect, test } from 'vitest';

import { normalizeQuery, parseQuery, printQuery, stripSpans } from '../../../../shared/query/index.ts';
import type { QueryField, QueryNode, Span } from '../../../../shared/query/index.ts';
import { hostileString, pick, seededRandom, syntaxErrorOf } from './support.ts';

/** Prints the tree parsed from `query`. */
function canonical(query: string): string {
  return printQuery(parseQuery(query));
}

describe('printQuery', () => {
  test('null prints as the empty string', () => {
    expect(printQuery(null)).toBe('');
  });

  test('opType prints as op:', () => {
    expect(canonical('opType:Mutation')).toBe('op:Mutation');
  });

  test('field names print in canonical case', () => {
    expect(canonical('USER:Alice')).toBe('user:Alice');
  });

  test('a merged same-field OR prints in parentheses inside an AND', () => {
    expect(canonical('user:a x user:b')).toBe('(user:a OR user:b) x');
  });

  test('an AND under an OR prints in parentheses', () => {
    expect(canonical('a b OR c')).toBe('(a b) OR c');
  });

  test('a negated group prints as -( )', () => {
    expect(canonical('NOT (a OR b)')).toBe('-(a OR b)');
  });

  test('a value with a space is quoted', () => {
    expect(canonical('target:"Billing API"')).toBe('target:"Billing API"');
  });

  test('a value ending in a literal * is quoted', () => {
    expect(canonical('user:"a*"')).toBe('user:"a*"');
  });

  test('quotes and backslashes are escaped inside quotes', () => {
    expect(canonical('"say \\"hi\\" C:\\dir"')).toBe('"say \\"hi\\" C:\\\\dir"');
  });

  test('a phrase that is an operator keeps its quotes', () => {
    expect(canonical('"OR" "NOT" "AND"')).toBe('"OR" "NOT" "AND"');
  });

  test('a date at UTC midnight prints as a date', () => {
    expect(canonical('after:1690502400000')).toBe('after:2023-07-28');
  });

  test('a date-time prints in UTC with only the needed precision', () => {
    expect(canonical('after:2023-07-30T12:00+02:00 before:2023-07-30T12:00:05.120Z')).toBe(
      'after:2023-07-30T10:00Z before:2023-07-30T12:00:05.120Z',
    );
  });

  test('an instant past the year 9999 prints as epoch milliseconds', () => {
    expect(canonical('after:9007199254740991')).toBe('after:9007199254740991');
  });

  test('last: prints its canonical text', () => {
    expect(canonical('last:0024h')).toBe('last:24h');
  });

  test('a hand-built bare word that cannot be written bare is printed as a phrase', () => {
    const node: QueryNode = {
      kind: 'text',
      text: 'a b',
      phrase: false,
      prefix: false,
      span: { start: 0, end: 0 },
    };
    expect(printQuery(node)).toBe('"a b"');
  });
});

const ROUND_TRIPS = [
  'user:alice@acme.com',
  'user:alice*',
  'entity:Project op:Mutation action:releaseProject',
  'outcome:failure status:403 org:acme source:prod-s3 format:prophecy',
  'target:"Billing API" ip:10.0.0.1 txn:abc-123 object:logs/2023/07/28.json id:deadbeef',
  'after:2023-07-28 before:2023-07-30T12:00Z last:7d',
  'before:2023-07-30T12:00:00.001-09:30',
  'user:a user:b -user:c entity:x',
  'user:a OR "disk full"',
  '(a OR b) (c OR d) -(e f)',
  '((a OR b) c) OR (d -e)',
  'user:a (user:b x)',
  'pass* "disk fu"* target:"Billing A"*',
  '"a\\"b"',
  '"back\\\\slash" "C:\\temp"',
  "'; DROP TABLE events; --",
  '"\'; DROP TABLE events; --"',
  'NEAR(a b)',
  '*',
  '"*"',
  '**',
  'user:* user:"*" user:**',
  'foo*bar',
  'a**',
  '"OR" "AND" "NOT" or and not',
  '"user:bob" "http://x" 10:30 ::1',
  '"((((" ")))" "(a OR b)"',
  '"-a" - -- --force',
  '-"-a" -(--) -(-)',
  '日本語 "emoji 🙂🙂" é:x',
  'user:🙂 target:"日本 語"',
  'a^2 +x {y} ~z !w @v #u $t %s &r',
  '"\\\\" "\\"" "\\\\\\""',
  '"tab\there" "new\nline" "nbsp\u00a0x"',
  'action:OR status:-1 status:"(x)"',
  'ip:::1 target:http://x:8080/a',
  'a AND b AND (c OR d)',
  'NOT NOT a',
  'ratings OR ratings OR x',
  'user:a user:b (user:a OR user:b) (x y) (x y)',
  'x -user:a -user:b',
  '  spaced   out  ',
];

describe('round trips', () => {
  test.each(ROUND_TRIPS)('%s', (query) => {
    const node = parseQuery(query);
    expect(stripSpans(parseQuery(printQuery(node)))).toEqual(stripSpans(node));
  });

  test('printing is a fixed point after one round', () => {
    for (const query of ROUND_TRIPS) {
      const once = canonical(query);
      expect(canonical(once), query).toBe(once);
    }
  });

  test('a:b where a is not a field is rejected rather than guessed', () => {
    expect(syntaxErrorOf('a:b').column).toBe(1);
  });
});

describe('seeded property: print then parse gives back the tree', () => {
  const SPAN: Span = { start: 0, end: 0 };
  const FIELDS: QueryField[] = ['user', 'entity', 'opType', 'action', 'status', 'target', 'ip', 'id'];
  const UNITS: [string, number][] = [
    ['s', 1000],
    ['m', 60_000],
    ['h', 3_600_000],
    ['d', 86_400_000],
    ['w', 604_800_000],
  ];
  const YEAR_0 = -62167219200000;
  const YEAR_10000 = 253402300800000;

  function nonEmpty(random: () => number): string {
    for (;;) {
      const s = hostileString(random, 6);
      if (s !== '') return s;
    }
  }

  function term(random: () => number, timeAllowed: boolean): QueryNode {
    const r = random();
    if (r < 0.35) {
      const text = nonEmpty(random);
      const prefix = random() < 0.2;
      const node: QueryNode = { kind: 'text', text, phrase: random() < 0.5, prefix, span: SPAN };
      // A word the lexer would read differently is only ever a phrase in a parsed tree.
      if (!node.phrase && printQuery(node).startsWith('"')) node.phrase = true;
      return node;
    }
    if (r < 0.7 || !timeAllowed) {
      if (random() < 0.1) {
        const value = pick(random, ['success', 'failure', 'unknown']);
        return { kind: 'field', field: 'outcome', value, prefix: false, span: SPAN };
      }
      return {
        kind: 'field',
        field: pick(random, FIELDS),
        value: nonEmpty(random),
        prefix: random() < 0.2,
        span: SPAN,
      };
    }
    if (r < 0.85) {
      const ms =
        random() < 0.8
          ? Math.floor(YEAR_0 + random() * (YEAR_10000 - YEAR_0))
          : YEAR_10000 + Math.floor(random() * (Number.MAX_SAFE_INTEGER - YEAR_10000));
      return { kind: 'time', bound: random() < 0.5 ? 'after' : 'before', ms, span: SPAN };
    }
    const [unit, unitMs] = pick(random, UNITS);
    const count = 1 + Math.floor(random() * 500);
    return { kind: 'last', ms: count * unitMs, text: `${count}${unit}`, span: SPAN };
  }

  function tree(random: () => number, depth: number, timeAllowed: boolean): QueryNode {
    const r = random();
    if (depth === 0 || r < 0.4) return term(random, timeAllowed);
    if (r < 0.55) return { kind: 'not', node: tree(random, depth - 1, false), span: SPAN };
    const count = 2 + Math.floor(random() * 3);
    const nodes = Array.from({ length: count }, () => tree(random, depth - 1, timeAllowed));
    return { kind: r < 0.8 ? 'and' : 'or', nodes, span: SPAN };
  }

  test('1000 random trees with hostile strings round-trip', () => {
    const random = seededRandom(20230728);
    for (let i = 0; i < 1000; i++) {
      const node = normalizeQuery(tree(random, 4, true));
      const text = printQuery(node);
      expect(stripSpans(parseQuery(text)), text).toEqual(stripSpans(node));
    }
  });

  test('normalizeQuery is idempotent on random trees', () => {
    const random = seededRandom(42);
    for (let i = 0; i < 500; i++) {
      const node = normalizeQuery(tree(random, 4, true));
      expect(stripSpans(normalizeQuery(node))).toEqual(stripSpans(node));
    }
  });
});
