import { describe, expect, it } from 'vitest';
import {
  formatInZone,
  isKnownZone,
  offsetInZone,
  relativeTime,
  weekdayInZone,
} from '../../../../renderer/lib/zoneTime.ts';

const T = Date.UTC(2026, 2, 7, 21, 0, 5); // Saturday 2026-03-07 21:00:05 UTC

describe('zoneTime', () => {
  it('formats in ISO order in any zone, with the weekday and offset of that zone', () => {
    expect(formatInZone(T, 'UTC')).toBe('2026-03-07 21:00:05');
    expect(formatInZone(T, 'Asia/Kolkata')).toBe('2026-03-08 02:30:05');
    expect(weekdayInZone(T, 'Asia/Kolkata')).toBe('Sun');
    expect(offsetInZone(T, 'Asia/Kolkata')).toBe('UTC+5:30');
    expect(offsetInZone(T, 'UTC')).toBe('UTC');
    expect(formatInZone(null, 'UTC')).toBe('—');
  });
  it('knows IANA zones and refuses made-up ones', () => {
    expect(isKnownZone('Europe/Paris')).toBe(true);
    expect(isKnownZone('UTC')).toBe(true);
    expect(isKnownZone('Mars/Olympus')).toBe(false);
    expect(isKnownZone('')).toBe(false);
  });
  it('says relative times in words', () => {
    expect(relativeTime(T + 23 * 60_000, T)).toBe('in 23 minutes');
    expect(relativeTime(T + 5 * 3_600_000, T)).toBe('in 5 hours');
    expect(relativeTime(T + 86_400_000, T)).toBe('tomorrow');
    expect(relativeTime(T + 3 * 86_400_000, T)).toBe('in 3 days');
    expect(relativeTime(T - 2 * 3_600_000, T)).toBe('2 hours ago');
    expect(relativeTime(T + 59.6 * 60_000, T)).toBe('in 1 hour');
    expect(relativeTime(T + 20.4 * 3_600_000, T)).toBe('in 20 hours');
    expect(relativeTime(T + 50_000, T)).toBe('in 1 minute');
    expect(relativeTime(T + 10_000, T)).toBe('in 10 seconds');
    expect(relativeTime(T - 30_000, T)).toBe('30 seconds ago');
    expect(relativeTime(T + 2000, T)).toBe('in a few seconds');
    expect(relativeTime(T - 1000, T)).toBe('just now');
    expect(relativeTime(T - 86_400_000, T)).toBe('yesterday');
    expect(relativeTime(T - 9 * 86_400_000, T)).toBe('last week');
    expect(relativeTime(T - 20 * 86_400_000, T)).toBe('3 weeks ago');
    expect(relativeTime(T - 95 * 86_400_000, T)).toBe('3 months ago');
    expect(relativeTime(T + 40 * 86_400_000, T)).toBe('next month');
    expect(relativeTime(T - 800 * 86_400_000, T)).toBe('2 years ago');
  });
});
