/**
 * Times for the schedule screen: in any zone the user picks (UTC, the browser's, or an IANA name), in ISO
 * order, and relative times in words ("in 23 minutes") for the next run.
 */

/** `UTC`, `local` (the browser's zone) or an IANA zone name such as `Europe/Paris`. */
export type ZoneChoice = string;

/** The browser's own zone, as an IANA name. */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** The IANA name a choice stands for. */
export function zoneName(zone: ZoneChoice): string {
  return zone === 'local' ? browserZone() : zone;
}

/** True when the runtime knows `zone` (an IANA name or UTC). */
export function isKnownZone(zone: string): boolean {
  if (zone.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Every IANA zone the runtime knows (for the zone picker's suggestions). */
export function knownZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? ['UTC'];
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
      timeZoneName: 'shortOffset',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The parts of a time in a zone. */
function partsIn(ms: number, zone: ZoneChoice): Record<string, string> {
  const parts: Record<string, string> = {};
  for (const p of formatter(zoneName(zone)).formatToParts(new Date(ms))) parts[p.type] = p.value;
  return parts;
}

/** `2026-03-07 14:02:00` in the zone (seconds: schedules are second-precise). */
export function formatInZone(ms: number | null, zone: ZoneChoice): string {
  if (ms == null) return '—';
  const p = partsIn(ms, zone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** `Sat` — the weekday in the zone (a schedule on weekdays is checked by it). */
export function weekdayInZone(ms: number, zone: ZoneChoice): string {
  return partsIn(ms, zone).weekday ?? '';
}

/** `UTC+5:30`, `UTC`: the zone's offset at that time. */
export function offsetInZone(ms: number, zone: ZoneChoice): string {
  const name = partsIn(ms, zone).timeZoneName ?? '';
  return /^GMT([+-]0)?$/.test(name) ? 'UTC' : name.replace(/^GMT/, 'UTC');
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

const DAY = 86_400_000;

/**
 * `in 40 seconds`, `23 minutes ago`, `yesterday`, `in 3 days`, `last week`, `2 months ago`: the largest
 * unit that reads naturally (59.6 minutes is 1 hour). Every screen words relative times with this one, so
 * a run, a case and a note read alike.
 */
export function relativeTime(ms: number, now: number = Date.now()): string {
  const diff = ms - now;
  const abs = Math.abs(diff);
  const sign = diff >= 0 ? 1 : -1;
  if (abs < 5000) return diff >= 0 ? 'in a few seconds' : 'just now';
  if (abs < 45_000) return relative.format(sign * Math.round(abs / 1000), 'second');
  const minutes = Math.max(1, Math.round(abs / 60_000));
  if (minutes < 60) return relative.format(sign * minutes, 'minute');
  const hours = Math.round(abs / 3_600_000);
  if (hours < 24) return relative.format(sign * hours, 'hour');
  const days = Math.round(abs / DAY);
  if (days < 7) return relative.format(sign * days, 'day');
  if (days < 30) return relative.format(sign * Math.round(abs / (7 * DAY)), 'week');
  if (days < 365) return relative.format(sign * Math.max(1, Math.round(abs / (30.44 * DAY))), 'month');
  return relative.format(sign * Math.round(abs / (365.25 * DAY)), 'year');
}
