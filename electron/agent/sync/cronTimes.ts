/**
 * Times a 6-field cron expression fires, in local time, from node-cron's own parser: the next run (shown
 * by `sources list`) and the previous one (to tell whether a run was missed while the machine slept or
 * the agent was stopped). Minute by minute, within a bound: a schedule that fires less than once in
 * `horizonDays` has no time within it (null).
 */
import cron from 'node-cron';

const MINUTE = 60_000;

function fieldsOf(expression: string) {
  const f = cron.parse(expression);
  const set = (values: readonly (number | string)[]) =>
    new Set(values.filter((v): v is number => typeof v === 'number'));
  return {
    seconds: [...set(f.second)].sort((a, b) => a - b),
    minute: set(f.minute),
    hour: set(f.hour),
    day: set(f.dayOfMonth),
    month: set(f.month),
    weekday: set(f.dayOfWeek.map((d) => (d === 7 ? 0 : d))),
  };
}

function minuteMatches(fields: ReturnType<typeof fieldsOf>, at: Date): boolean {
  return (
    fields.minute.has(at.getMinutes()) &&
    fields.hour.has(at.getHours()) &&
    fields.day.has(at.getDate()) &&
    fields.month.has(at.getMonth() + 1) &&
    fields.weekday.has(at.getDay())
  );
}

/** The first time after `now` (epoch ms) that `expression` fires, or null within `horizonDays`. */
export function nextRunAfter(expression: string, now: number, horizonDays = 400): number | null {
  const fields = fieldsOf(expression);
  const start = Math.floor(now / MINUTE) * MINUTE;
  for (let t = start; t <= now + horizonDays * 86_400_000; t += MINUTE) {
    const at = new Date(t);
    if (!minuteMatches(fields, at)) continue;
    for (const s of fields.seconds) if (t + s * 1000 > now) return t + s * 1000;
  }
  return null;
}

/** The last time at or before `now` (epoch ms) that `expression` fired, or null within `horizonDays`. */
export function previousRunBefore(expression: string, now: number, horizonDays = 32): number | null {
  const fields = fieldsOf(expression);
  const start = Math.floor(now / MINUTE) * MINUTE;
  for (let t = start; t >= now - horizonDays * 86_400_000; t -= MINUTE) {
    const at = new Date(t);
    if (!minuteMatches(fields, at)) continue;
    for (let i = fields.seconds.length - 1; i >= 0; i--) {
      const when = t + fields.seconds[i]! * 1000;
      if (when <= now) return when;
    }
  }
  return null;
}
