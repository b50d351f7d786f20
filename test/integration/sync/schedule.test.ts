/**
 * The schedule screen's two methods on the real service: `schedule.preview` (the scheduler's rules and
 * next times, in the agent's zone or a given one) and `sources.setSchedule` (only the schedule changes,
 * through the same validation and save as `sources.update`; a stored secret stays stored).
 */
import { afterEach, describe, expect, test } from 'vitest';
import { openSyncEngine, type SyncEngine } from './support.ts';

let engine: SyncEngine | undefined;
afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
});

describe('schedule.preview', () => {
  test('valid: five next times from now; in a fixed zone they land where that zone says', async () => {
    engine = await openSyncEngine();
    const before = Date.now();
    const hourly = await engine.service['schedule.preview']({ cron: '0 0 */1 * * *' });
    expect(hourly).toMatchObject({ valid: true, error: null });
    expect(hourly.timeZone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(hourly.next).toHaveLength(5);
    expect(hourly.next[0]).toBeGreaterThan(before);
    const kolkata = await engine.service['schedule.preview']({
      cron: '0 30 2 * * *',
      count: 3,
      timeZone: 'Asia/Kolkata',
    });
    expect(kolkata.next.map((t) => new Date(t).toISOString().slice(11))).toEqual([
      '21:00:00.000Z',
      '21:00:00.000Z',
      '21:00:00.000Z',
    ]);
  });

  test('invalid: the message names the field, no times; an unknown zone is said so', async () => {
    engine = await openSyncEngine();
    expect(await engine.service['schedule.preview']({ cron: '0 61 * * * *' })).toMatchObject({
      valid: false,
      error: '"0 61 * * * *": minutes "61" is not valid. Write 0–59, */N, a list or a range.',
      next: [],
    });
    expect(
      (await engine.service['schedule.preview']({ cron: '0 0 * * *', timeZone: 'Mars/Olympus' })).error,
    ).toMatch(/Time zone "Mars\/Olympus" is unknown/);
  });
});

describe('sources.setSchedule', () => {
  test('changes only the schedule: the stored secret and the rest of the configuration stay', async () => {
    engine = await openSyncEngine();
    await engine.add({
      name: 'prod',
      kind: 's3',
      bucket: 'audit',
      prefix: 'ns/audit/',
      endpoint: 'http://127.0.0.1:9',
      forcePathStyle: true,
      credentials: { type: 'keys', accessKeyId: 'AKIA1', secretAccessKey: 's3cr3t-value' },
    });
    const before = await engine.service['sources.get']({ name: 'prod' });
    const updated = await engine.service['sources.setSchedule']({ name: 'prod', schedule: '0 */15 * * * *' });
    expect(updated.schedule).toBe('0 */15 * * * *');
    const after = await engine.service['sources.get']({ name: 'prod' });
    expect(after.config).toEqual({ ...before.config, schedule: '0 */15 * * * *' });
    expect((after.config.credentials as Record<string, unknown>).secretAccessKey).toBe('stored');
    // The secret itself is still the one typed in (the source could still sign its requests).
    expect(await engine.secrets.get('source/prod/credentials.secretAccessKey')).toBe('s3cr3t-value');
  });

  test('a bad schedule is refused with the field named, and nothing changes', async () => {
    engine = await openSyncEngine();
    await engine.add({ name: 'logs', kind: 'folder', path: engine.dir });
    await expect(
      engine.service['sources.setSchedule']({ name: 'logs', schedule: '0 * * * *' }),
    ).rejects.toThrow(/schedule: "0 \* \* \* \*" is not a 6-field cron expression \(it has 5\)/);
    expect((await engine.service['sources.get']({ name: 'logs' })).schedule).toBe('0 0 */1 * * *');
  });
});
