import { describe, expect, test } from 'vitest';
import {
  firstWordPascalCase,
  parseIsoTimestamp,
  pascalCase,
  toEpochMs,
  toNumber,
  toText,
  toTimestamp,
  unquote,
} from '../../../../shared/formats/index.ts';

describe('toText', () => {
  test.each([
    ['a string', 'alice', 'alice'],
    ['an integer', 200, '200'],
    ['a fraction', 1.5, '1.5'],
    ['a boolean', false, 'false'],
    ['the empty string', '', null],
    ['null', null, null],
    ['an object', { a: 1 }, null],
    ['an array', ['a'], null],
    ['NaN', Number.NaN, null],
  ])('%s', (_, value, expected) => {
    expect(toText(value)).toBe(expected);
  });
});

describe('unquote', () => {
  test.each([
    ['a wrapped string', '"alice@x"', 'alice@x'],
    ['an unwrapped string', 'alice@x', 'alice@x'],
    ['escapes inside', String.raw`"say \"hi\""`, 'say "hi"'],
    ['a lone quote', '"', '"'],
    ['wrapped emptiness', '""', null],
    ['a number', 7, '7'],
  ])('%s', (_, value, expected) => {
    expect(unquote(value)).toBe(expected);
  });
});

describe('toNumber', () => {
  test.each([
    ['a number', 11, 11],
    ['a digit string', '12', 12],
    ['a decimal string', '1.25', 1.25],
    ['a signed string', '-1', null],
    ['a string with units', '12ms', null],
    ['Infinity', Number.POSITIVE_INFINITY, null],
  ])('%s', (_, value, expected) => {
    expect(toNumber(value)).toBe(expected);
  });
});

describe('epoch numbers', () => {
  test('milliseconds stay milliseconds', () => {
    expect(toEpochMs(1690610557857)).toBe(1690610557857);
  });

  test('a value below 1e11 is seconds and is multiplied by 1000', () => {
    expect(toEpochMs(1690610557)).toBe(1690610557000);
  });

  test('fractional seconds round to whole milliseconds', () => {
    expect(toEpochMs(1690610557.8571)).toBe(1690610557857);
  });

  test('a digit string is read as an epoch number', () => {
    expect(toEpochMs('1698747079624')).toBe(1698747079624);
  });

  test('epochMs does not read ISO strings', () => {
    expect(toEpochMs('2023-10-31T10:12:00Z')).toBeNull();
  });

  test('a value beyond what a Date can hold is null', () => {
    expect(toTimestamp(9e15)).toBeNull();
  });
});

describe('ISO timestamps', () => {
  test.each([
    ['UTC with milliseconds', '2024-03-04T09:15:27.301Z', Date.UTC(2024, 2, 4, 9, 15, 27, 301)],
    ['no zone means UTC', '2024-03-04T09:15:27', Date.UTC(2024, 2, 4, 9, 15, 27)],
    ['a +hh:mm offset', '2024-03-04T10:15:27+01:00', Date.UTC(2024, 2, 4, 9, 15, 27)],
    ['a -hhmm offset', '2024-03-04T04:45:27-0430', Date.UTC(2024, 2, 4, 9, 15, 27)],
    ['a +hh offset', '2024-03-04T11:15:27+02', Date.UTC(2024, 2, 4, 9, 15, 27)],
    ['no seconds', '2024-03-04T09:15Z', Date.UTC(2024, 2, 4, 9, 15)],
    ['a space separator', '2024-03-04 09:15:27Z', Date.UTC(2024, 2, 4, 9, 15, 27)],
    ['lower-case t and z', '2024-03-04t09:15:27z', Date.UTC(2024, 2, 4, 9, 15, 27)],
    ['one fraction digit', '2024-03-04T09:15:27.3Z', Date.UTC(2024, 2, 4, 9, 15, 27, 300)],
    ['nanoseconds, truncated', '2024-03-04T09:15:27.301999999Z', Date.UTC(2024, 2, 4, 9, 15, 27, 301)],
    ['a comma fraction', '2024-03-04T09:15:27,5Z', Date.UTC(2024, 2, 4, 9, 15, 27, 500)],
    ['a date alone', '2024-03-04', Date.UTC(2024, 2, 4)],
    ['29 February of a leap year', '2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['a leap second', '2016-12-31T23:59:60Z', Date.UTC(2017, 0, 1)],
    ['a year before 100', '0050-01-01T00:00:00Z', -60589296000000],
  ])('%s', (_, text, expected) => {
    expect(parseIsoTimestamp(text)).toBe(expected);
  });

  test.each([
    ['month 13', '2024-13-01T00:00:00Z'],
    ['30 February', '2024-02-30T00:00:00Z'],
    ['29 February of a common year', '2023-02-29T00:00:00Z'],
    ['hour 24', '2024-03-04T24:00:00Z'],
    ['minute 60', '2024-03-04T09:60:00Z'],
    ['an offset of 24 hours', '2024-03-04T09:15:27+24:00'],
    ['trailing text', '2024-03-04T09:15:27Z extra'],
    ['an empty fraction', '2024-03-04T09:15:27.Z'],
    ['a date with a bare zone', '2024-03-04Z'],
    ['a hour without minutes', '2024-03-04T09Z'],
    ['an RFC 2822 date Date.parse accepts', 'Mon, 04 Mar 2024 09:15:27 GMT'],
    ['a US date Date.parse accepts', '3/4/2024'],
    ['a word', 'yesterday'],
  ])('rejects %s', (_, text) => {
    expect(parseIsoTimestamp(text)).toBeNull();
  });

  test('toTimestamp reads both ISO strings and epoch numbers', () => {
    expect([toTimestamp('2024-03-04T09:15:27Z'), toTimestamp(1709543727000)]).toEqual([
      1709543727000, 1709543727000,
    ]);
  });

  test('toTimestamp of an object is null', () => {
    expect(toTimestamp({ $date: 1709543727000 })).toBeNull();
  });
});

describe('PascalCase', () => {
  test.each([
    ['IDENTITY_PROVIDER', 'IdentityProvider'],
    ['user', 'User'],
    ['email-template', 'EmailTemplate'],
    ['identityProvider', 'IdentityProvider'],
    ['OAuth2_CLIENT', 'OAuth2Client'],
    ['__', null],
  ])('%s → %s', (text, expected) => {
    expect(pascalCase(text)).toBe(expected);
  });

  test('firstWordPascalCase keeps the first word only', () => {
    expect(firstWordPascalCase('USER_LOGIN')).toBe('User');
  });

  test('firstWordPascalCase skips leading separators', () => {
    expect(firstWordPascalCase('_app_saved')).toBe('App');
  });
});
