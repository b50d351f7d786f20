import { describe, expect, test } from 'vitest';

import { fieldTermsOf, parseQuery, QUERY_FIELDS } from '../../../../shared/query/index.ts';
import type { QueryField } from '../../../../shared/query/index.ts';
import { after, and, before, field, last, not, or, parsed, phrase, word } from './support.ts';

const DAY = 86_400_000;
const JUL_28 = 1690502400000;

describe('empty input', () => {
  test('an empty query is null', () => {
    expect(parseQuery('')).toBeNull();
  });

  test('a blank query is null', () => {
    expect(parseQuery(' \t\n\u00a0 ')).toBeNull();
  });
});

describe('free text', () => {
  test('a bare word is a non-phrase text term', () => {
    expect(parsed('timeout')).toEqual(word('timeout'));
  });

  test('a quoted phrase keeps its inner spaces', () => {
    expect(parsed('"disk full"')).toEqual(phrase('disk full'));
  });

  test('\\" and \\\\ are the escapes inside quotes', () => {
    expect(parsed('"a\\"b\\\\c"')).toEqual(phrase('a"b\\c'));
  });

  test('any other backslash inside quotes is literal', () => {
    expect(parsed('"C:\\temp\\new"')).toEqual(phrase('C:\\temp\\new'));
  });

  test('a trailing * on a bare word makes a prefix', () => {
    expect(parsed('pass*')).toEqual(word('pass', true));
  });

  test('a * after the closing quote makes a phrase prefix', () => {
    expect(parsed('"disk fu"*')).toEqual(phrase('disk fu', true));
  });

  test('a * inside quotes is literal', () => {
    expect(parsed('"pass*"')).toEqual(phrase('pass*'));
  });

  test('a lone * is the literal character', () => {
    expect(parsed('*')).toEqual(word('*'));
  });

  test('a * in the middle of a word is literal', () => {
    expect(parsed('foo*bar')).toEqual(word('foo*bar'));
  });

  test('only the last * of ** is the prefix marker', () => {
    expect(parsed('a**')).toEqual(word('a*', true));
  });

  test('several bare words are ANDed', () => {
    expect(parsed('disk full error')).toEqual(and(word('disk'), word('full'), word('error')));
  });

  test('search-engine syntax characters are plain text', () => {
    expect(parsed("it's a^2 +x {y} %z NEAR")).toEqual(
      and(word("it's"), word('a^2'), word('+x'), word('{y}'), word('%z'), word('NEAR')),
    );
  });

  test('lower-case and mixed-case or/and/not are words', () => {
    expect(parsed('a or b and c not d Or')).toEqual(
      and(word('a'), word('or'), word('b'), word('and'), word('c'), word('not'), word('d'), word('Or')),
    );
  });

  test('a colon inside quotes is text, not a field', () => {
    expect(parsed('"usr:bob"')).toEqual(phrase('usr:bob'));
  });

  test('a colon after something that is not an identifier is text (times, IPv6, non-ASCII)', () => {
    expect(parsed('10:30 ::1 _x:y é:z')).toEqual(and(word('10:30'), word('::1'), word('_x:y'), word('é:z')));
  });

  test('a quote ends a bare word and starts a phrase', () => {
    expect(parsed('foo"bar baz"')).toEqual(and(word('foo'), phrase('bar baz')));
  });

  test('parentheses end a bare word', () => {
    expect(parsed('NEAR(a b)')).toEqual(and(word('NEAR'), and(word('a'), word('b'))));
  });

  test('unicode and emoji are text', () => {
    expect(parsed('日本語 "🙂 ok"')).toEqual(and(word('日本語'), phrase('🙂 ok')));
  });
});

describe('fields', () => {
  test('user:value is an exact field term', () => {
    expect(parsed('user:alice@acme.com')).toEqual(field('user', 'alice@acme.com'));
  });

  test('a trailing * on a field value makes a prefix', () => {
    expect(parsed('user:alice*')).toEqual(field('user', 'alice', true));
  });

  test.each<[string, QueryField]>([
    ['user', 'user'],
    ['entity', 'entity'],
    ['op', 'opType'],
    ['opType', 'opType'],
    ['action', 'action'],
    ['status', 'status'],
    ['org', 'org'],
    ['source', 'source'],
    ['format', 'format'],
    ['target', 'target'],
    ['ip', 'ip'],
    ['txn', 'txn'],
    ['object', 'object'],
    ['id', 'id'],
  ])('%s: filters on %s', (name, expected) => {
    expect(parsed(`${name}:X1`)).toEqual(field(expected, 'X1'));
  });

  test('every QueryField can be written in a query', () => {
    const names = QUERY_FIELDS.map((f) => (f === 'opType' ? 'op' : f));
    expect(names.map((n) => parsed(`${n}:unknown`))).toEqual(QUERY_FIELDS.map((f) => field(f, 'unknown')));
  });

  test('field names are case-insensitive', () => {
    expect(parsed('USER:a Entity:Project OPTYPE:Mutation oP:Query')).toEqual(
      and(
        field('user', 'a'),
        field('entity', 'Project'),
        or(field('opType', 'Mutation'), field('opType', 'Query')),
      ),
    );
  });

  test('field values keep their case', () => {
    expect(parsed('action:releaseProject')).toEqual(field('action', 'releaseProject'));
  });

  test('a quoted value may contain spaces', () => {
    expect(parsed('target:"Billing API"')).toEqual(field('target', 'Billing API'));
  });

  test('a * after a quoted value makes a prefix', () => {
    expect(parsed('target:"Billing A"*')).toEqual(field('target', 'Billing A', true));
  });

  test('a * inside a quoted value is literal', () => {
    expect(parsed('user:"a*"')).toEqual(field('user', 'a*'));
  });

  test('a * in the middle of an unquoted value is literal', () => {
    expect(parsed('target:a*b')).toEqual(field('target', 'a*b'));
  });

  test('a lone * as a value is the literal character', () => {
    expect(parsed('user:*')).toEqual(field('user', '*'));
  });

  test('a value may contain colons', () => {
    expect(parsed('target:http://x:8080/a')).toEqual(field('target', 'http://x:8080/a'));
  });

  test('a value may start with a colon (IPv6)', () => {
    expect(parsed('ip:::1')).toEqual(field('ip', '::1'));
  });

  test('a value may look like an operator', () => {
    expect(parsed('action:OR status:-1')).toEqual(and(field('action', 'OR'), field('status', '-1')));
  });

  test('an unquoted value ends at a parenthesis', () => {
    expect(parsed('(user:bob)')).toEqual(field('user', 'bob'));
  });

  test('outcome values are case-insensitive and stored lower-case', () => {
    expect(parsed('outcome:FAILURE')).toEqual(field('outcome', 'failure'));
  });

  test.each(['success', 'failure', 'unknown'])('outcome:%s is accepted', (value) => {
    expect(parsed(`outcome:${value}`)).toEqual(field('outcome', value));
  });
});

describe('combining terms', () => {
  test('the same field twice is an OR', () => {
    expect(parsed('user:a user:b')).toEqual(or(field('user', 'a'), field('user', 'b')));
  });

  test('the same field three times is one OR', () => {
    expect(parsed('user:a user:b* user:c')).toEqual(
      or(field('user', 'a'), field('user', 'b', true), field('user', 'c')),
    );
  });

  test('a repeated identical field term is kept once', () => {
    expect(parsed('user:a user:a')).toEqual(field('user', 'a'));
  });

  test('different fields are ANDed', () => {
    expect(parsed('user:a entity:Project')).toEqual(and(field('user', 'a'), field('entity', 'Project')));
  });

  test('op and opType are the same field for the merge', () => {
    expect(parsed('op:Query opType:Mutation')).toEqual(
      or(field('opType', 'Query'), field('opType', 'Mutation')),
    );
  });

  test('the merged OR sits where the field first appeared', () => {
    expect(parsed('user:a entity:P user:b x')).toEqual(
      and(or(field('user', 'a'), field('user', 'b')), field('entity', 'P'), word('x')),
    );
  });

  test('negated terms on the same field are ANDed (neither)', () => {
    expect(parsed('-user:a -user:b')).toEqual(and(not(field('user', 'a')), not(field('user', 'b'))));
  });

  test('negated terms do not join the positive OR of their field', () => {
    expect(parsed('user:a user:b -user:c')).toEqual(
      and(or(field('user', 'a'), field('user', 'b')), not(field('user', 'c'))),
    );
  });

  test('explicit AND is the same as juxtaposition', () => {
    expect(parsed('a AND b')).toEqual(parsed('a b'));
  });

  test('explicit AND between the same field still merges into an OR', () => {
    expect(parsed('user:a AND user:b')).toEqual(or(field('user', 'a'), field('user', 'b')));
  });

  test('OR combines a field and a phrase', () => {
    expect(parsed('user:a OR "disk full"')).toEqual(or(field('user', 'a'), phrase('disk full')));
  });

  test('AND binds tighter than OR', () => {
    expect(parsed('a b OR c')).toEqual(or(and(word('a'), word('b')), word('c')));
  });

  test('AND binds tighter than OR on the right too', () => {
    expect(parsed('a OR b c')).toEqual(or(word('a'), and(word('b'), word('c'))));
  });

  test('same-field merge happens inside each side of an OR', () => {
    expect(parsed('user:a user:b x OR y')).toEqual(
      or(and(or(field('user', 'a'), field('user', 'b')), word('x')), word('y')),
    );
  });

  test('a word repeated in an OR is searched once', () => {
    expect(parsed(Array(909).fill('ratings').join(' OR '))).toEqual(word('ratings'));
  });

  test('a word, phrase or field term repeated in an AND group is kept once', () => {
    expect(parsed('disk "a b" disk user:x "a b" user:x')).toEqual(
      and(word('disk'), phrase('a b'), field('user', 'x')),
    );
  });

  test('a repeated negation or group is kept once', () => {
    expect(parsed('-a (b OR c) -a (b OR c)')).toEqual(and(not(word('a')), or(word('b'), word('c'))));
  });

  test('a repeated alternative of an OR is kept once, where it first appeared', () => {
    expect(parsed('a OR b c OR a OR b c')).toEqual(or(word('a'), and(word('b'), word('c'))));
  });

  test('a merged field OR and the same OR in parentheses are one', () => {
    expect(parsed('user:a user:b (user:a OR user:b)')).toEqual(or(field('user', 'a'), field('user', 'b')));
  });

  test('terms that differ in case, prefix or quoting are not repeats', () => {
    expect(parsed('Disk disk disk* "disk"')).toEqual(
      and(word('Disk'), word('disk'), word('disk', true), phrase('disk')),
    );
  });

  test('a merged OR directly under an OR is flattened', () => {
    expect(parsed('user:a user:b OR c')).toEqual(or(field('user', 'a'), field('user', 'b'), word('c')));
  });
});

describe('negation', () => {
  test('- negates a field term', () => {
    expect(parsed('-user:bob')).toEqual(not(field('user', 'bob')));
  });

  test('- negates a word and a phrase', () => {
    expect(parsed('-debug -"health check"')).toEqual(and(not(word('debug')), not(phrase('health check'))));
  });

  test('NOT is a synonym of -', () => {
    expect(parsed('NOT user:bob')).toEqual(parsed('-user:bob'));
  });

  test('- binds tighter than AND', () => {
    expect(parsed('-a b')).toEqual(and(not(word('a')), word('b')));
  });

  test('- negates a parenthesised group', () => {
    expect(parsed('-(a OR b)')).toEqual(not(or(word('a'), word('b'))));
  });

  test('a double negation cancels', () => {
    expect(parsed('NOT -a')).toEqual(word('a'));
  });

  test('a - inside a word is text', () => {
    expect(parsed('x-request-id')).toEqual(word('x-request-id'));
  });

  test('a - followed by a space is the word -', () => {
    expect(parsed('a - b')).toEqual(and(word('a'), word('-'), word('b')));
  });

  test('words starting with -- are text', () => {
    expect(parsed('--force --')).toEqual(and(word('--force'), word('--')));
  });
});

describe('parentheses', () => {
  test('parentheses group an OR under an AND', () => {
    expect(parsed('(a OR b) c')).toEqual(and(or(word('a'), word('b')), word('c')));
  });

  test('nested groups keep their structure', () => {
    expect(parsed('((a OR b) (c OR d)) OR e')).toEqual(
      or(and(or(word('a'), word('b')), or(word('c'), word('d'))), word('e')),
    );
  });

  test('parentheses around a single term change nothing', () => {
    expect(parsed('((user:a)) user:b')).toEqual(or(field('user', 'a'), field('user', 'b')));
  });

  test('a parenthesised AND group is its own node and fences the same-field merge', () => {
    expect(parsed('user:a (user:b x)')).toEqual(and(field('user', 'a'), and(field('user', 'b'), word('x'))));
  });

  test('an OR inside an OR is flattened', () => {
    expect(parsed('a OR (b OR c)')).toEqual(or(word('a'), word('b'), word('c')));
  });

  test('parentheses need no spaces around them', () => {
    expect(parsed('a(b)c')).toEqual(and(word('a'), word('b'), word('c')));
  });
});

describe('time filters in a query', () => {
  test('time filters AND with other terms', () => {
    expect(parsed('user:a after:2023-07-28 last:7d')).toEqual(
      and(field('user', 'a'), after(JUL_28), last(7 * DAY, '7d')),
    );
  });

  test('two after: filters intersect to the later one', () => {
    expect(parsed('after:2023-07-28 after:2023-07-29 after:2023-07-27')).toEqual(after(JUL_28 + DAY));
  });

  test('two before: filters intersect to the earlier one', () => {
    expect(parsed('before:2023-07-29 x before:2023-07-28')).toEqual(and(before(JUL_28), word('x')));
  });

  test('two last: filters intersect to the shorter one', () => {
    expect(parsed('last:7d last:24h')).toEqual(last(DAY, '24h'));
  });

  test('after: and before: in one group are both kept', () => {
    expect(parsed('after:2023-07-28 before:2023-07-29')).toEqual(and(after(JUL_28), before(JUL_28 + DAY)));
  });

  test('time filters may be ORed', () => {
    expect(parsed('last:1h OR before:2023-07-28')).toEqual(or(last(3_600_000, '1h'), before(JUL_28)));
  });
});

describe('spans', () => {
  test('a negation spans its operator and operand', () => {
    expect(parseQuery('x -user:bob')).toMatchObject({
      kind: 'and',
      nodes: [
        { span: { start: 0, end: 1 } },
        { kind: 'not', span: { start: 2, end: 11 }, node: { span: { start: 3, end: 11 } } },
      ],
    });
  });

  test('a parenthesised group spans its parentheses', () => {
    expect(parseQuery('(a OR b)')?.span).toEqual({ start: 0, end: 8 });
  });

  test('a phrase spans its quotes and prefix marker', () => {
    expect(parseQuery(' "a b"* ')?.span).toEqual({ start: 1, end: 7 });
  });
});

describe('fieldTermsOf', () => {
  test('lists field terms in source order with their negation', () => {
    const terms = fieldTermsOf(parseQuery('user:a x entity:P -user:b user:c* -(-org:o)'));
    expect(terms.map(({ field: f, value, prefix, negated }) => [f, value, prefix, negated])).toEqual([
      ['user', 'a', false, false],
      ['entity', 'P', false, false],
      ['user', 'b', false, true],
      ['user', 'c', true, false],
      ['org', 'o', false, false],
    ]);
  });

  test('is empty for a null query', () => {
    expect(fieldTermsOf(null)).toEqual([]);
  });
});
