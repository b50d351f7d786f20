// The scheduler with a hand-driven cron and a fake clock (no sleeps): no overlap between a tick and
// run-now, shutdown waits for the run in flight, a run missed while stopped is caught up.
import { describe, expect, test } from 'vitest';
import { Scheduler, type CronDriver, type SchedulerService } from '../../../../electron/agent/scheduler.ts';
import type { SyncPassResult } from '../../../../electron/agent/sync/syncSource.ts';
import { noSyncCounts } from '../../../../electron/agent/store/syncRuns.ts';

const HOUR = 3600_000;

/** A cron driver whose ticks the test fires. */
function fakeCron() {
  const jobs = new Map<string, { expression: string; tick: () => void; stopped: boolean }>();
  const driver: CronDriver = {
    schedule(expression, onTick, name) {
      const job = { expression, tick: onTick, stopped: false };
      jobs.set(name, job);
      return { stop: () => void (job.stopped = true), nextRun: () => null };
    },
  };
  return { driver, jobs, tick: (name: string) => jobs.get(name)!.tick() };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const pass = (name: string): SyncPassResult => ({
  name,
  run: 1,
  status: 'ok',
  objects: { listed: 0, new: 0, changed: 0, skipped: 0, failed: 0 },
  bytes: 0,
  events: 0,
  duplicates: 0,
  quarantined: 0,
  errors: [],
});

/** A service with one hourly source whose passes the test finishes by hand. */
function fakeService(lastRunStartedAt: number | null) {
  const calls: { name: string; trigger: string; done: (r: SyncPassResult) => void }[] = [];
  const service: SchedulerService = {
    syncSource: (name, trigger) => {
      const d = deferred<SyncPassResult>();
      calls.push({ name, trigger, done: d.resolve });
      return d.promise;
    },
    'sources.list': async () => [
      {
        name: 'prod',
        kind: 's3',
        location: 's3://b/',
        enabled: true,
        schedule: '0 0 */1 * * *',
        status: 'ok',
        lastRun: lastRunStartedAt,
        nextRun: null,
        events: 0,
        objects: 0,
        errors: 0,
        lastError: null,
      },
    ],
    'sync.runs': async () =>
      lastRunStartedAt === null
        ? []
        : [
            {
              id: 1,
              source: 'prod',
              trigger: 'schedule',
              startedAt: lastRunStartedAt,
              finishedAt: lastRunStartedAt + 1000,
              status: 'ok',
              ...noSyncCounts(),
              errors: [],
            },
          ],
    'retention.settings.get': async () => ({
      retentionDays: null,
      gcSchedule: '0 0 1 * * *',
      gcDisabled: false,
    }),
    'retention.run': async () => {
      throw new Error('not expected');
    },
    setNextRuns: () => undefined,
  };
  return { service, calls };
}

/** Lets pending promise callbacks run (no timers involved). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Scheduler', () => {
  const now = new Date(2026, 0, 10, 10, 20, 0).getTime(); // local time, 10:20

  test('a tick and run-now never overlap: run-now joins the run in flight, a tick while busy is skipped', async () => {
    const { service, calls } = fakeService(now - 20 * 60_000); // ran at 10:00: nothing to catch up
    const cron = fakeCron();
    const log: string[] = [];
    const scheduler = new Scheduler({
      service,
      cron: cron.driver,
      now: () => now,
      heartbeatMs: 0,
      log: (l) => log.push(l),
    });
    await scheduler.start();
    expect(calls).toHaveLength(0);
    cron.tick('prod');
    await settle();
    expect(calls).toHaveLength(1);
    const joined = scheduler.runNow('prod');
    cron.tick('prod');
    await settle();
    expect(calls).toHaveLength(1);
    expect(log.some((l) => /skipped, the previous one is still going/.test(l))).toBe(true);
    calls[0]!.done(pass('prod'));
    expect((await joined).name).toBe('prod');
    // Free again: run-now starts a run of its own.
    const second = scheduler.runNow('prod');
    await settle();
    expect(calls.map((c) => c.trigger)).toEqual(['schedule', 'manual']);
    calls[1]!.done(pass('prod'));
    await second;
    await scheduler.stop();
  });

  test('stop() waits for the run in flight and starts nothing new', async () => {
    const { service, calls } = fakeService(now - 20 * 60_000);
    const cron = fakeCron();
    const scheduler = new Scheduler({ service, cron: cron.driver, now: () => now, heartbeatMs: 0 });
    await scheduler.start();
    cron.tick('prod');
    await settle();
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    expect(cron.jobs.get('prod')!.stopped).toBe(true);
    cron.tick('prod'); // a late tick after stop: ignored
    const joined = scheduler.runNow('prod'); // joins the run still in flight
    await settle();
    expect(calls).toHaveLength(1);
    calls[0]!.done(pass('prod'));
    await expect(joined).resolves.toMatchObject({ name: 'prod' });
    await stopping;
    expect(stopped).toBe(true);
    expect(calls).toHaveLength(1);
    await expect(scheduler.runNow('prod')).rejects.toThrow(/stopping/);
  });

  test('a run missed while the agent was stopped is caught up at start; a recent one is not', async () => {
    const missed = fakeService(now - 2 * HOUR - 20 * 60_000); // last ran 08:00, 09:00 and 10:00 were missed
    const scheduler = new Scheduler({
      service: missed.service,
      cron: fakeCron().driver,
      now: () => now,
      heartbeatMs: 0,
    });
    const starting = scheduler.start();
    await settle();
    expect(missed.calls.map((c) => c.trigger)).toEqual(['catch-up']);
    missed.calls[0]!.done(pass('prod'));
    await starting;
    await scheduler.stop();

    const recent = fakeService(now - 19 * 60_000); // ran 10:01, after the 10:00 slot
    const other = new Scheduler({
      service: recent.service,
      cron: fakeCron().driver,
      now: () => now,
      heartbeatMs: 0,
    });
    await other.start();
    expect(recent.calls).toHaveLength(0);
    await other.stop();
  });

  test('after a sleep, catchUp() runs what the clock skipped', async () => {
    let clock = now;
    const { service, calls } = fakeService(now - 20 * 60_000);
    const scheduler = new Scheduler({ service, cron: fakeCron().driver, now: () => clock, heartbeatMs: 0 });
    await scheduler.start();
    expect(calls).toHaveLength(0);
    clock += 3 * HOUR; // the machine slept through three ticks
    const catching = scheduler.catchUp();
    await settle();
    expect(calls.map((c) => c.trigger)).toEqual(['catch-up']);
    calls[0]!.done(pass('prod'));
    await catching;
    await scheduler.stop();
  });

  test('node-cron drives real ticks on a 6-field schedule', async () => {
    const { nodeCronDriver } = await import('../../../../electron/agent/scheduler.ts');
    const ticked = deferred<void>();
    const job = nodeCronDriver.schedule('* * * * * *', () => ticked.resolve(), 'every-second');
    expect(job.nextRun()).toBeGreaterThan(Date.now() - 1000);
    await ticked.promise;
    job.stop();
  });
  test('pause stops the ticks and next runs; resume schedules again and catches up what was missed', async () => {
    let clock = now;
    const { service, calls } = fakeService(now - 20 * 60_000); // ran at 10:00
    const cron = fakeCron();
    let changes = 0;
    const scheduler = new Scheduler({
      service,
      cron: cron.driver,
      now: () => clock,
      heartbeatMs: 0,
      onChange: () => changes++,
    });
    await scheduler.start();
    const job = cron.jobs.get('prod')!;
    await scheduler.pause();
    expect([scheduler.paused, job.stopped, [...scheduler.nextRuns().keys()]]).toEqual([true, true, []]);
    expect(changes).toBe(1);
    // A tick already queued by the stopped job, a reload (the heartbeat) and a catch-up do nothing.
    job.tick();
    await scheduler.reload();
    clock = now + 60 * 60_000; // 11:20: the 11:00 run is missed while paused
    await scheduler.catchUp();
    await settle();
    expect(calls).toHaveLength(0);
    expect(cron.jobs.get('prod')).toBe(job);
    // Resume: a new job, and the run missed while paused is caught up at once.
    const resumed = scheduler.resume();
    await settle();
    expect(scheduler.paused).toBe(false);
    expect(cron.jobs.get('prod')).not.toBe(job);
    expect(cron.jobs.get('prod')!.stopped).toBe(false);
    expect(calls.map((c) => c.trigger)).toEqual(['catch-up']);
    calls[0]!.done(pass('prod'));
    await resumed;
    // Changes: paused, resumed, the run started and ended.
    expect(changes).toBe(4);
    await scheduler.stop();
  });

  test('runAllNow runs every enabled source through run-now (joining a run in flight)', async () => {
    const { service, calls } = fakeService(now - 20 * 60_000);
    const cron = fakeCron();
    const scheduler = new Scheduler({ service, cron: cron.driver, now: () => now, heartbeatMs: 0 });
    await scheduler.start();
    cron.tick('prod');
    await settle();
    const all = scheduler.runAllNow();
    await settle();
    expect(calls.map((c) => c.trigger)).toEqual(['schedule']);
    expect(scheduler.running).toEqual(['prod']);
    calls[0]!.done(pass('prod'));
    expect(await all).toEqual([pass('prod')]);
    await scheduler.stop();
  });
});
