/** How times and numbers read on screen: ISO order, milliseconds, thousands separators. */

export type TimeZoneMode = 'utc' | 'local';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `2026-03-07 14:02:11.412` in UTC or the browser's zone; an em dash for a missing time. */
export function formatTimestamp(ms: number | null, zone: TimeZoneMode): string {
  if (ms == null) return '—';
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return String(ms);
  const utc = zone === 'utc';
  const y = utc ? d.getUTCFullYear() : d.getFullYear();
  const mo = (utc ? d.getUTCMonth() : d.getMonth()) + 1;
  const day = utc ? d.getUTCDate() : d.getDate();
  const h = utc ? d.getUTCHours() : d.getHours();
  const mi = utc ? d.getUTCMinutes() : d.getMinutes();
  const s = utc ? d.getUTCSeconds() : d.getSeconds();
  const msPart = utc ? d.getUTCMilliseconds() : d.getMilliseconds();
  return `${pad(y, 4)}-${pad(mo)}-${pad(day)} ${pad(h)}:${pad(mi)}:${pad(s)}.${pad(msPart, 3)}`;
}

/** Minute precision, for ranges. */
export function formatMinute(ms: number, zone: TimeZoneMode): string {
  return formatTimestamp(ms, zone).slice(0, 16);
}

const ZONE_KEY = 'audit-explorer.zone';

/** The UTC|Local choice the search screen's toggle stored: every screen shows times in the same zone. */
export function storedZoneMode(): TimeZoneMode {
  try {
    return localStorage.getItem(ZONE_KEY) === 'local' ? 'local' : 'utc';
  } catch {
    return 'utc';
  }
}

export function storeZoneMode(zone: TimeZoneMode): void {
  localStorage.setItem(ZONE_KEY, zone);
}

/** The zone's name as shown beside times. */
export function zoneLabel(zone: TimeZoneMode): string {
  if (zone === 'utc') return 'UTC';
  const offset = -new Date().getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  return `local (UTC${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)})`;
}

const numberFormat = new Intl.NumberFormat('en-US');
export function formatCount(n: number): string {
  return numberFormat.format(n);
}

/** `512 B`, `4.27 kB`, `12.3 MB`, `734 MB`: powers of 1,000, as file managers and transfer sizes give them. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${formatCount(bytes)} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${units[unit]}`;
}

/** `12 ms`, `1.4 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** `5 min`, `2 h`, `3 d` for a bucket width. */
export function formatSpan(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1000, 's'],
  ];
  for (const [size, unit] of units) if (ms >= size) return `${+(ms / size).toFixed(1)} ${unit}`;
  return `${ms} ms`;
}

/** A range end as the picker's text field shows it: `2026-03-07 14:02` in the chosen zone. */
export function toInputValue(ms: number | null, zone: TimeZoneMode): string {
  return ms == null ? '' : formatTimestamp(ms, zone).slice(0, 16);
}

/**
 * Reads a picker field back to epoch ms in the chosen zone: `YYYY-MM-DD`, optionally with ` HH:MM[:SS]`
 * (or `T` between); null when empty or not a real date.
 */
export function fromInputValue(value: string, zone: TimeZoneMode): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = zone === 'utc' ? Date.UTC(y, mo - 1, d, h, mi, s) : new Date(y, mo - 1, d, h, mi, s).getTime();
  // Date rolls 2026-02-30 over to March: refuse instead of guessing.
  return Number.isNaN(ms) || toInputValue(ms, zone).slice(0, 10) !== `${m[1]}-${m[2]}-${m[3]}` ? null : ms;
}
