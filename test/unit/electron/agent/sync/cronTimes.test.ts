// The cron rules and next times behind `schedule.preview`: the scheduler's own parser (node-cron), with
// messages that name the field, and next times in a given zone.
import { describe, expect, test } from 'vitest';
import { cronProblem, nextRunAfter, nextRuns } from '../../../../../electron/agent/sync/cronTimes.ts';

describe('cronProblem', () => {
  test('accepts the exporters’ 6-field schedules', () => {
    for (const e of ['0 0 */1 * * *', '0 0 1 * * *', '*/30 * * * * *', '0 15 9 * * 1-5', '0 0 0 1 jan *'])
      expect(cronProblem(e)).toBeNull();
  });
  test('a 5-field expression says it needs 6, seconds first', () => {
    expect(cronProblem('0 * * * *')).toMatch(
      /^"0 \* \* \* \*" is not a 6-field cron expression \(it has 5\)\. Write seconds minutes hours/,
    );
  });
  test('a bad field is named with what to write', () => {
    expect(cronProblem('0 0 25 * * *')).toBe(
      '"0 0 25 * * *": hours "25" is not valid. Write 0–23, */N, a list or a range.',
    );
    expect(cronProblem('0 0 0 31 2 *')).toMatch(/never fires: day of month "31"/);
    expect(cronProblem('')).toMatch(/it has 0/);
  });
});

describe('nextRuns', () => {
  test('hourly: five times on the hour, an hour apart, after now', () => {
    const before = Date.now();
    const next = nextRuns('0 0 */1 * * *', 5);
    expect(next).toHaveLength(5);
    expect(next[0]).toBeGreaterThan(before);
    expect(next[0]! - before).toBeLessThanOrEqual(3_600_000);
    for (const t of next) expect(t % 3_600_000).toBe(0);
    for (let i = 1; i < 5; i++) expect(next[i]! - next[i - 1]!).toBe(3_600_000);
  });
  test('in a fixed zone: 01:00 in Kolkata is 19:30 UTC the day before', () => {
    const next = nextRuns('0 0 1 * * *', 3, 'Asia/Kolkata');
    for (const t of next) expect(new Date(t).toISOString().slice(11)).toBe('19:30:00.000Z');
  });
  test('agrees with nextRunAfter (what sources.list shows without a scheduler) in this process’s zone', () => {
    for (const e of ['0 0 */1 * * *', '0 0 1 * * *', '0 */15 * * * *', '30 5 9 * * 1'])
      expect(nextRuns(e, 1)[0]).toBe(nextRunAfter(e, Date.now()));
  });
});
