/**
 * The value transforms a format spec names per field. Each takes whatever a JSON path produced and returns
 * the field's value or null: nothing is guessed, and a value of the wrong kind is null rather than coerced.
 * They run once per field per event, so they avoid regexes and allocate only the strings they return.
 */

import { memoize } from './memo.ts';

const QUOTE = 0x22;
const BACKSLASH = '\\';

/**
 * Text of a scalar: strings as they are (the empty string is null), finite numbers in decimal (`200` →
 * `"200"`), booleans as `true`/`false`. Objects, arrays, null and non-finite numbers are null.
 */
export function toText(value: unknown): string | null {
  if (typeof value === 'string') return value.length > 0 ? value : null;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return null;
}

/**
 * Text with one level of wrapping double quotes removed: Prophecy sends string parameters JSON-encoded
 * inside the JSON string (`"\"alice@x\""`). Escapes inside are decoded; text that is not wrapped is
 * returned as it is, so unwrapping twice is harmless.
 */
export function unquote(value: unknown): string | null {
  const text = toText(value);
  if (text === null || text.length < 2) return text;
  if (text.charCodeAt(0) !== QUOTE || text.charCodeAt(text.length - 1) !== QUOTE) return text;
  let inner = text.slice(1, -1);
  if (inner.includes(BACKSLASH)) {
    try {
      const decoded: unknown = JSON.parse(text);
      if (typeof decoded === 'string') inner = decoded;
    } catch {
      // Not a JSON string literal after all: the plain slice is the best reading.
    }
  }
  return inner.length > 0 ? inner : null;
}

/** A finite number, or a string of decimal digits (with at most one `.`) read as one; else null. */
export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') return parseDecimal(value);
  return null;
}

function parseDecimal(text: string): number | null {
  const length = text.length;
  if (length === 0 || length > 24) return null;
  let dots = 0;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x2e) {
      if (++dots > 1 || i === 0 || i === length - 1) return null;
    } else if (code < 0x30 || code > 0x39) {
      return null;
    }
  }
  return Number(text);
}

/** Exporters write epoch seconds where epoch milliseconds are documented; a value this small is seconds. */
const EPOCH_SECONDS_BELOW = 1e11;
/** The largest magnitude a JavaScript `Date` can hold. */
const MAX_EPOCH_MS = 8.64e15;

function fromEpoch(value: number): number | null {
  if (!Number.isFinite(value)) return null;
  const ms = Math.round(Math.abs(value) < EPOCH_SECONDS_BELOW ? value * 1000 : value);
  return Math.abs(ms) <= MAX_EPOCH_MS ? ms : null;
}

/**
 * Epoch milliseconds from a number or a string of digits. A magnitude below 1e11 (before 1973 as
 * milliseconds) is taken as epoch seconds and multiplied by 1000. Fractions are rounded to whole ms.
 */
export function toEpochMs(value: unknown): number | null {
  const n = toNumber(value);
  return n === null ? null : fromEpoch(n);
}

/**
 * Epoch milliseconds from an epoch number (see {@link toEpochMs}) or an ISO 8601 / RFC 3339 string (see
 * {@link parseIsoTimestamp}); anything else is null.
 */
export function toTimestamp(value: unknown): number | null {
  if (typeof value === 'number') return fromEpoch(value);
  if (typeof value !== 'string') return null;
  const n = parseDecimal(value);
  return n !== null ? fromEpoch(n) : parseIsoTimestamp(value);
}

const DASH = 0x2d;
const PLUS = 0x2b;
const COLON = 0x3a;
const DOT = 0x2e;
const COMMA = 0x2c;
const SPACE = 0x20;
const UPPER_T = 0x54;
const LOWER_T = 0x74;
const UPPER_Z = 0x5a;
const LOWER_Z = 0x7a;
/** 400 Gregorian years, used to step years 0–99 past `Date.UTC`'s 1900 offset for two-digit years. */
const FOUR_CENTURIES_MS = 146_097 * 86_400_000;

/** `count` decimal digits at `start` as a number, or -1 when any is missing or not a digit. */
function digitsAt(text: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const d = text.charCodeAt(i) - 0x30;
    // NaN past the end fails this test too.
    if (!(d >= 0 && d <= 9)) return -1;
    n = n * 10 + d;
  }
  return n;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Parses an ISO 8601 / RFC 3339 timestamp strictly (unlike `Date.parse`, which accepts and guesses at
 * many other shapes): `YYYY-MM-DD`, optionally followed by `T` (or `t` or a space) `hh:mm`, optional
 * `:ss`, optional `.fraction` (or `,fraction`; digits past milliseconds are dropped), and an optional zone
 * `Z`, `±hh`, `±hhmm` or `±hh:mm`. No zone means UTC. Out-of-range parts (month 13, 30 February, hour 24)
 * make it null; a leap second `:60` is accepted and lands on the next minute.
 */
export function parseIsoTimestamp(text: string): number | null {
  const length = text.length;
  if (length < 10 || text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH) return null;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let ms = 0;
  let offsetMinutes = 0;
  if (length > 10) {
    const separator = text.charCodeAt(10);
    if (separator !== UPPER_T && separator !== LOWER_T && separator !== SPACE) return null;
    if (text.charCodeAt(13) !== COLON) return null;
    hour = digitsAt(text, 11, 2);
    minute = digitsAt(text, 14, 2);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return null;
    let i = 16;
    if (text.charCodeAt(i) === COLON) {
      second = digitsAt(text, i + 1, 2);
      if (second < 0 || second > 60) return null;
      i += 3;
      const mark = text.charCodeAt(i);
      if (mark === DOT || mark === COMMA) {
        const start = ++i;
        while (i < length && digitsAt(text, i, 1) >= 0) i++;
        const count = i - start;
        if (count === 0) return null;
        ms = digitsAt(text, start, Math.min(count, 3)) * (count === 1 ? 100 : count === 2 ? 10 : 1);
      }
    }
    if (i < length) {
      const zone = text.charCodeAt(i);
      if (zone === UPPER_Z || zone === LOWER_Z) {
        i++;
      } else if (zone === PLUS || zone === DASH) {
        const hours = digitsAt(text, i + 1, 2);
        if (hours < 0 || hours > 23) return null;
        i += 3;
        let minutes = 0;
        if (i < length) {
          if (text.charCodeAt(i) === COLON) i++;
          minutes = digitsAt(text, i, 2);
          if (minutes < 0 || minutes > 59) return null;
          i += 2;
        }
        offsetMinutes = (zone === PLUS ? 1 : -1) * (hours * 60 + minutes);
      } else {
        return null;
      }
      if (i !== length) return null;
    }
  }
  const utc =
    year < 100
      ? Date.UTC(year + 400, month - 1, day, hour, minute, second, ms) - FOUR_CENTURIES_MS
      : Date.UTC(year, month - 1, day, hour, minute, second, ms);
  return utc - offsetMinutes * 60_000;
}

function isWordSeparator(code: number): boolean {
  return code === 0x5f || code === DASH || code === SPACE || code === DOT;
}

/**
 * Upper-cases the first letter. A word in one case (`IDENTITY`, `identity`) is lower-cased after it; a
 * mixed-case word (`identityProvider`, `OAuth2`) already carries its own word breaks and keeps them.
 */
function capitalize(word: string): string {
  const upper = word.toUpperCase();
  const lower = word.toLowerCase();
  return upper.charAt(0) + (word === upper || word === lower ? lower : word).slice(1);
}

function joinWords(text: string, firstOnly: boolean): string | null {
  let out = '';
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || isWordSeparator(text.charCodeAt(i))) {
      if (start >= 0) {
        out += capitalize(text.slice(start, i));
        if (firstOnly) break;
        start = -1;
      }
    } else if (start < 0) {
      start = i;
    }
  }
  return out.length > 0 ? out : null;
}

const pascalCaseOf = memoize((text) => joinWords(text, false));
const firstWordPascalCaseOf = memoize((text) => joinWords(text, true));

/**
 * PascalCase of text whose words are separated by `_`, `-`, `.` or spaces: `IDENTITY_PROVIDER` →
 * `IdentityProvider`, `user` → `User`. Null when there is no word.
 */
export function pascalCase(value: unknown): string | null {
  const text = toText(value);
  return text === null ? null : pascalCaseOf(text);
}

/** The first word of text, PascalCased (see {@link pascalCase}): `USER_LOGIN` → `User`. */
export function firstWordPascalCase(value: unknown): string | null {
  const text = toText(value);
  return text === null ? null : firstWordPascalCaseOf(text);
}
