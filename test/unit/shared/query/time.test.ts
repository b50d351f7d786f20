import { describe, expect, test } from 'vitest';

import { after, before, last, parsed, seededRandom } from './support.ts';

describe('after: and before: values', () => {
  test('a date is UTC midnight', () => {
    expect(parsed('after:2023-07-28')).toEqual(after(1690502400000));
  });

  test('a date-time with Z is UTC', () => {
    expect(parsed('before:2023-07-30T12:00Z')).toEqual(before(1690718400000));
  });

  test('a date-time without a zone is UTC', () => {
    expect(parsed('before:2023-07-30T12:00')).toEqual(before(1690718400000));
  });

  test('a positive offset is subtracted', () => {
    expect(parsed('before:2023-07-30T12:00+02:00')).toEqual(before(1690711200000));
  });

  test('a negative offset with minutes is added', () => {
    expect(parsed('before:2023-07-30T12:00-05:30')).toEqual(before(1690738200000));
  });

  test('seconds and milliseconds are read', () => {
    expect(parsed('after:2023-07-30T12:00:05.123Z')).toEqual(after(1690718405123));
  });

  test('a one-digit fraction is tenths of a second', () => {
    expect(parsed('after:2023-07-30T12:00:05.5Z')).toEqual(after(1690718405500));
  });

  test('the last millisecond of a day is accepted', () => {
    expect(parsed('before:2023-07-28T23:59:59.999Z')).toEqual(before(1690588799999));
  });

  test('lower-case t and z are accepted', () => {
    expect(parsed('before:2023-07-30t12:00z')).toEqual(before(1690718400000));
  });

  test('thirteen digits are epoch milliseconds', () => {
    expect(parsed('after:1690502400000')).toEqual(after(1690502400000));
  });

  test('ten digits are epoch seconds', () => {
    expect(parsed('after:1690502400')).toEqual(after(1690502400000));
  });

  test('a four-digit year is the start of that year', () => {
    expect(parsed('after:2023')).toEqual(after(1672531200000));
  });

  test('a year and month is the start of that month', () => {
    expect(parsed('before:2023-07')).toEqual(before(1688169600000));
  });

  test('February 29 of a leap year is accepted', () => {
    expect(parsed('after:2024-02-29')).toEqual(after(1709164800000));
  });

  test('February 29 of a 400-year leap year is accepted', () => {
    expect(parsed('after:2000-02-29')).toEqual(after(Date.UTC(2000, 1, 29)));
  });

  test('dates before 1970 are negative', () => {
    expect(parsed('after:1969-12-31')).toEqual(after(-86400000));
  });

  test('two-digit years are not shifted to the 1900s', () => {
    expect(parsed('after:0050-01-01')).toEqual(after(-60589296000000));
  });

  test('the time field names are case-insensitive', () => {
    expect(parsed('AFTER:2023-07-28')).toEqual(after(1690502400000));
  });

  test('a quoted date is accepted', () => {
    expect(parsed('after:"2023-07-28"')).toEqual(after(1690502400000));
  });

  test('agrees with Date.UTC on 500 random instants', () => {
    const random = seededRandom(7);
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    for (let i = 0; i < 500; i++) {
      const [y, mo, d] = [
        100 + Math.floor(random() * 9900),
        1 + Math.floor(random() * 12),
        1 + Math.floor(random() * 28),
      ];
      const [h, mi, s, ms] = [random() * 24, random() * 60, random() * 60, random() * 1000].map(
        Math.floor,
      ) as [number, number, number, number];
      const text = `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}.${pad(ms, 3)}Z`;
      const expected = new Date(0);
      expected.setUTCFullYear(y, mo - 1, d);
      expected.setUTCHours(h, mi, s, ms);
      expect(parsed(`after:${text}`), text).toEqual(after(expected.getTime()));
    }
  });
});

describe('last: values', () => {
  test.each<[string, number]>([
    ['30s', 30_000],
    ['15m', 900_000],
    ['24h', 86_400_000],
    ['7d', 604_800_000],
    ['2w', 1_209_600_000],
  ])('last:%s is %d ms', (text, ms) => {
    expect(parsed(`last:${text}`)).toEqual(last(ms, text));
  });

  test('leading zeros are dropped from the text', () => {
    expect(parsed('last:007d')).toEqual(last(604_800_000, '7d'));
  });
});

describe('years in durations', () => {
  test('last:1y is 365 days', () => {
    expect(parsed('last:1y')).toEqual(last(365 * 86_400_000, '1y'));
  });
});
