/**
 * Values of `after:`, `before:` and `last:`. ISO dates are parsed by hand rather than with Date.parse, whose
 * treatment of zone-less strings and impossible dates (`2023-02-30` rolls over to March) varies.
 */

export type ParseResult<T> = ({ ok: true } & T) | { ok: false; reason: string };

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(?:([Zz])|([+-])(\d{2}):(\d{2}))?)?$/;

const DURATION_RE = /^(\d+)([smhdwy])$/;
const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1000,
  m: MINUTE_MS,
  h: HOUR_MS,
  d: DAY_MS,
  w: 7 * DAY_MS,
  // A year of retention or of `last:` means 365 days; calendar years are what after:/before: are for.
  y: 365 * DAY_MS,
};

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export const TIME_FORMATS_HINT =
  'use YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS[.mmm]] optionally followed by Z or ±HH:MM, or epoch ' +
  'seconds (10 digits) or milliseconds (13 digits)';
export const DURATION_HINT = 'use a whole number followed by s, m, h, d, w or y (15m, 24h, 7d, 2w, 1y)';

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil); valid for any year. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of daysFromCivil. */
function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** 0000-01-01T00:00:00Z: the printer writes four-digit years, so earlier instants could not round-trip. */
const MIN_MS = daysFromCivil(0, 1, 1) * DAY_MS;
/** 10000-01-01T00:00:00Z: from here on the printer falls back to epoch milliseconds. */
const ISO_END_MS = daysFromCivil(10000, 1, 1) * DAY_MS;

/**
 * Parses an `after:`/`before:` value to epoch milliseconds: `YYYY` and `YYYY-MM` (the start of that year or
 * month, UTC), `YYYY-MM-DD` (UTC midnight), `YYYY-MM-DDTHH:MM[:SS[.mmm]]` with an optional `Z` or `±HH:MM`
 * (none means UTC), or a number: 10 digits are epoch seconds, 12 or more epoch milliseconds (the rule the
 * source formats use). Other numbers are refused rather than guessed at: `20230728` is not a date.
 */
export function parseTimeValue(text: string): ParseResult<{ ms: number }> {
  if (/^\d{4}$/.test(text)) return { ok: true, ms: daysFromCivil(Number(text), 1, 1) * DAY_MS };
  const yearMonth = /^(\d{4})-(\d{2})$/.exec(text);
  if (yearMonth) {
    const month = Number(yearMonth[2]);
    if (month < 1 || month > 12)
      return { ok: false, reason: `month ${yearMonth[2]} does not exist (use 01-12)` };
    return { ok: true, ms: daysFromCivil(Number(yearMonth[1]), month, 1) * DAY_MS };
  }
  if (/^\d+$/.test(text)) {
    if (text.length === 10) return { ok: true, ms: Number(text) * 1000 };
    if (text.length < 12) {
      return {
        ok: false,
        reason: `${text} is ambiguous: write a date such as 2023-07-28, or epoch seconds (10 digits) or milliseconds (13 digits)`,
      };
    }
    const ms = Number(text);
    if (!Number.isSafeInteger(ms))
      return { ok: false, reason: 'that many epoch milliseconds is out of range' };
    return { ok: true, ms };
  }
  const m = ISO_RE.exec(text);
  if (!m) return { ok: false, reason: TIME_FORMATS_HINT };
  const [, y, mo, d, hh, mi, ss, frac, , sign, offH, offM] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12) return { ok: false, reason: `month ${mo} does not exist (use 01-12)` };
  const monthDays = daysInMonth(year, month);
  if (day < 1 || day > monthDays) {
    return {
      ok: false,
      reason: day < 1 ? `day ${d} does not exist` : `${MONTHS[month - 1]} ${y} has ${monthDays} days`,
    };
  }
  const hour = Number(hh ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(ss ?? 0);
  if (hour > 23) return { ok: false, reason: `hour ${hh} does not exist (use 00-23)` };
  if (minute > 59) return { ok: false, reason: `minute ${mi} does not exist (use 00-59)` };
  if (second > 59) return { ok: false, reason: `second ${ss} does not exist (use 00-59)` };
  const millis = frac === undefined ? 0 : Number(frac.padEnd(3, '0'));
  let offsetMs = 0;
  if (sign !== undefined) {
    if (Number(offH) > 23 || Number(offM) > 59) {
      return { ok: false, reason: `time zone offset ${sign}${offH}:${offM} does not exist` };
    }
    offsetMs = (sign === '-' ? -1 : 1) * (Number(offH) * HOUR_MS + Number(offM) * MINUTE_MS);
  }
  const ms =
    daysFromCivil(year, month, day) * DAY_MS +
    hour * HOUR_MS +
    minute * MINUTE_MS +
    second * 1000 +
    millis -
    offsetMs;
  if (ms < MIN_MS) return { ok: false, reason: 'it falls before the year 0000 in UTC' };
  return { ok: true, ms };
}

/** Parses a `last:` value such as `15m` or `2w`; `text` is canonical (no leading zeros). */
export function parseDuration(text: string): ParseResult<{ ms: number; text: string }> {
  const m = DURATION_RE.exec(text);
  if (!m) return { ok: false, reason: DURATION_HINT };
  const count = Number(m[1]);
  const unit = m[2]!;
  if (count === 0) return { ok: false, reason: 'the duration must be greater than zero' };
  const ms = count * UNIT_MS[unit]!;
  if (!Number.isSafeInteger(ms)) return { ok: false, reason: 'the duration is too long' };
  return { ok: true, ms, text: `${count}${unit}` };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * Writes epoch milliseconds the shortest way parseTimeValue reads back exactly: a date at UTC midnight,
 * else a UTC date-time, and epoch digits past the year 9999.
 */
export function formatTime(ms: number): string {
  if (!Number.isInteger(ms) || ms < MIN_MS || ms >= ISO_END_MS) return String(ms);
  const days = Math.floor(ms / DAY_MS);
  const rest = ms - days * DAY_MS;
  const { year, month, day } = civilFromDays(days);
  const date = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  if (rest === 0) return date;
  const hour = Math.floor(rest / HOUR_MS);
  const minute = Math.floor((rest % HOUR_MS) / MINUTE_MS);
  const second = Math.floor((rest % MINUTE_MS) / 1000);
  const millis = rest % 1000;
  let out = `${date}T${pad(hour, 2)}:${pad(minute, 2)}`;
  if (second !== 0 || millis !== 0) out += `:${pad(second, 2)}`;
  if (millis !== 0) out += `.${pad(millis, 3)}`;
  return `${out}Z`;
}
