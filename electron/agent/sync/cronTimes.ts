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

/**
 * Why `expression` is not a schedule the agent accepts, or null when it is: six fields (seconds first,
 * as the exporters write theirs) that node-cron parses. The message names the field and says what to
 * write; the same rule checks a source's `schedule` and retention's `gcSchedule`.
 */
export function cronProblem(expression: string): string | null {
  const fields = expression
    .trim()
    .split(/\s+/)
    .filter((f) => f !== '');
  const quoted = JSON.stringify(expression.trim());
  const write = 'Write seconds minutes hours day-of-month month day-of-week';
  const example = 'e.g. "0 0 */1 * * *" for every hour, "0 0 1 * * *" for 01:00 daily';
  if (fields.length !== 6)
    return `${quoted} is not a 6-field cron expression (it has ${fields.length}). ${write}, ${example}.`;
  const detail = cron.validateDetailed(expression);
  if (detail.valid) return null;
  const first = detail.errors[0];
  if (first === undefined)
    return `${quoted} is not a cron expression the scheduler reads. ${write}, ${example}.`;
  const field = FIELD_NAMES[first.field] ?? first.field;
  const value = first.value !== undefined ? ` "${first.value}"` : '';
  return /impossible/.test(first.message)
    ? `${quoted} never fires: ${field}${value} does not occur in the month it names.`
    : `${quoted}: ${field}${value} is not valid. Write ${FIELD_RANGES[first.field] ?? example}.`;
}

const FIELD_NAMES: Record<string, string> = {
  second: 'seconds',
  minute: 'minutes',
  hour: 'hours',
  dayOfMonth: 'day of month',
  month: 'month',
  dayOfWeek: 'day of week',
};
const FIELD_RANGES: Record<string, string> = {
  second: '0–59, */N, a list or a range',
  minute: '0–59, */N, a list or a range',
  hour: '0–23, */N, a list or a range',
  dayOfMonth: '1–31 and a day the month has',
  month: '1–12 or jan–dec',
  dayOfWeek: '0–7 (0 and 7 are Sunday) or sun–sat',
};

/**
 * The next `count` times `expression` fires after now, epoch ms, from the very matcher node-cron ticks
 * with (the scheduler's driver asks the same task type for its next run). Without `timeZone` the
 * expression is read in this process's zone, as the scheduler reads it.
 * @throws when the expression does not parse (check with cronProblem first).
 */
export function nextRuns(expression: string, count: number, timeZone?: string): number[] {
  const task = cron.createTask(expression, () => undefined, timeZone ? { timezone: timeZone } : {});
  try {
    return task.getNextRuns(count).map((d) => d.getTime());
  } finally {
    void task.destroy();
  }
}

/** The zone this process reads schedules in (the scheduler's), as an IANA name. */
export function agentTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** True when `zone` is an IANA time zone name this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
