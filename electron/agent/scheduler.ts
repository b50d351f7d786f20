/**
 * The agent's schedules (DESIGN §1, §6): one sync job per enabled source on its own 6-field cron, and one
 * retention job in the exporters' vocabulary (`retentionDays`, `gcSchedule`, `gcDisabled`). Ticks come
 * from node-cron; the rest is ours, because node-cron's `noOverlap` does not cover `execute()` and its
 * `stop()` returns while a run is still going (DESIGN §10):
 * - a per-job lock shared by the cron tick and run-now (a tick while a run is going is skipped and logged;
 *   run-now joins the run in flight);
 * - graceful shutdown: `stop()` ends the schedules and resolves once the runs in flight have finished;
 * - catch-up: a run missed while the machine slept or the agent was stopped (the last run started before
 *   the previous scheduled time) runs at start and at each heartbeat.
 * The clock and the cron driver are injected, so tests drive ticks and time without sleeping.
 */
import cron from 'node-cron';
import type { AuditService } from './service.ts';
import { previousRunBefore } from './sync/cronTimes.ts';
import type { SyncPassResult } from './sync/syncSource.ts';
import type { SyncTrigger } from './store/syncRuns.ts';

/** A scheduled job as the scheduler needs it. */
export interface CronJob {
  stop(): void;
  /** The next tick, epoch ms, or null. */
  nextRun(): number | null;
}

/** Makes ticks: node-cron in the product, a hand-driven fake in tests. */
export interface CronDriver {
  schedule(expression: string, onTick: () => void, name: string): CronJob;
}

/** node-cron 4: one task per job, started at once; overlap is handled by the scheduler's own lock. */
export const nodeCronDriver: CronDriver = {
  schedule(expression, onTick, name) {
    const task = cron.createTask(expression, () => onTick(), { name });
    void task.start();
    return {
      stop: () => void task.destroy(),
      nextRun: () => task.getNextRun()?.getTime() ?? null,
    };
  },
};

/** What the scheduler uses of the service. */
export type SchedulerService = Pick<
  AuditService,
  'syncSource' | 'sources.list' | 'sync.runs' | 'retention.settings.get' | 'retention.run' | 'setNextRuns'
>;

export interface SchedulerOptions {
  readonly service: SchedulerService;
  /** Epoch ms; Date.now by default. */
  readonly now?: () => number;
  readonly cron?: CronDriver;
  /** A readable line per thing that happens (runs, skips, failures); never a secret. */
  readonly log?: (line: string) => void;
  /** How often missed runs are looked for (after a sleep), ms; 0 = only at start. Default 60 000. */
  readonly heartbeatMs?: number;
  /** Called when a run starts or ends, or the schedules are paused or resumed (the tray's status). */
  readonly onChange?: () => void;
}

const RETENTION_JOB = 'retention';
const DAY_MS = 86_400_000;

export class Scheduler {
  readonly #service: SchedulerService;
  readonly #now: () => number;
  readonly #cron: CronDriver;
  readonly #log: (line: string) => void;
  readonly #heartbeatMs: number;
  readonly #jobs = new Map<string, { job: CronJob; expression: string }>();
  /** Runs in flight by job name: the lock shared by ticks, run-now and catch-up. */
  readonly #running = new Map<string, Promise<unknown>>();
  #heartbeat: NodeJS.Timeout | null = null;
  #stopping: Promise<void> | null = null;
  #paused = false;
  readonly #onChange: () => void;

  constructor(options: SchedulerOptions) {
    this.#service = options.service;
    this.#now = options.now ?? Date.now;
    this.#cron = options.cron ?? nodeCronDriver;
    this.#log = options.log ?? (() => undefined);
    this.#heartbeatMs = options.heartbeatMs ?? 60_000;
    this.#onChange = options.onChange ?? (() => undefined);
  }

  /** Schedules every enabled source and retention, and catches up what was missed while stopped. */
  async start(): Promise<void> {
    await this.reload();
    this.#service.setNextRuns(() => this.nextRuns());
    if (this.#heartbeatMs > 0) {
      // Sources added or changed by another process (the CLI, the app) are picked up here too.
      this.#heartbeat = setInterval(
        () =>
          void this.reload()
            .then(() => this.catchUp())
            .catch((e) => this.#fail('catch-up', e)),
        this.#heartbeatMs,
      );
      this.#heartbeat.unref();
    }
    await this.catchUp();
  }

  /** Re-reads the sources and retention settings (after they changed) and reschedules what differs. */
  async reload(): Promise<void> {
    if (this.#stopping) return;
    const wanted = new Map<string, string>();
    if (this.#paused) {
      // Paused: no job ticks (nor shows a next run) until resume.
      for (const { job } of this.#jobs.values()) job.stop();
      this.#jobs.clear();
      return;
    }
    for (const source of await this.#service['sources.list']({}))
      if (source.enabled) wanted.set(source.name, source.schedule);
    const retention = await this.#service['retention.settings.get']({});
    if (!retention.gcDisabled && retention.retentionDays !== null)
      wanted.set(RETENTION_JOB, retention.gcSchedule);
    for (const [name, { job, expression }] of this.#jobs) {
      if (wanted.get(name) === expression) continue;
      job.stop();
      this.#jobs.delete(name);
    }
    for (const [name, expression] of wanted) {
      if (this.#jobs.has(name)) continue;
      const job = this.#cron.schedule(expression, () => this.#tick(name), name);
      this.#jobs.set(name, { job, expression });
    }
  }

  /** Next run per source (and `retention`), epoch ms. */
  nextRuns(): Map<string, number | null> {
    return new Map([...this.#jobs].map(([name, { job }]) => [name, job.nextRun()]));
  }

  /** Runs a source now; if it is running already (a tick), waits for that run instead of starting another. */
  runNow(name: string): Promise<SyncPassResult> {
    return this.#run(name, 'manual') as Promise<SyncPassResult>;
  }

  /**
   * Runs every enabled source now (the tray's "Sync now"), one after the other as `sync.run` does (they
   * share the one writer); a source already running is joined, not run twice. A failing source does not
   * stop the others: its error is its result.
   */
  async runAllNow(): Promise<(SyncPassResult | Error)[]> {
    const names = (await this.#service['sources.list']({})).filter((s) => s.enabled).map((s) => s.name);
    const results: (SyncPassResult | Error)[] = [];
    for (const name of names)
      results.push(
        await this.runNow(name).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))),
      );
    return results;
  }

  /**
   * Pauses the schedules (the tray's "Pause syncing"): no tick, catch-up or next run until resume. Runs in
   * flight finish (they commit what they read); run-now still works.
   */
  async pause(): Promise<void> {
    if (this.#paused || this.#stopping) return;
    this.#paused = true;
    await this.reload();
    this.#log('paused: no scheduled run until resumed');
    this.#onChange();
  }

  /** Resumes the schedules and catches up what was due while paused. */
  async resume(): Promise<void> {
    if (!this.#paused || this.#stopping) return;
    this.#paused = false;
    await this.reload();
    this.#log('resumed');
    this.#onChange();
    await this.catchUp();
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** Runs retention now with the stored settings (nothing when retentionDays is not set). */
  runRetentionNow(): Promise<unknown> {
    return this.#run(RETENTION_JOB, 'manual');
  }

  /**
   * Runs every job whose previous scheduled time is after its last run's start (missed while the machine
   * slept or the agent was stopped) and that is not running now.
   */
  async catchUp(): Promise<void> {
    if (this.#paused) return;
    const now = this.#now();
    const due: Promise<unknown>[] = [];
    for (const [name, { expression }] of this.#jobs) {
      if (name === RETENTION_JOB || this.#running.has(name)) continue;
      const previous = previousRunBefore(expression, now);
      if (previous === null) continue;
      const last = (await this.#service['sync.runs']({ source: name, limit: 1 }))[0];
      if (last !== undefined && last.startedAt >= previous) continue;
      this.#log(
        `${name}: ${last ? `the run due at ${new Date(previous).toISOString()} was missed` : 'never synced'}; syncing now`,
      );
      due.push(this.#run(name, 'catch-up').catch(() => undefined));
    }
    await Promise.all(due);
  }

  /** Ends the schedules and resolves once the runs in flight have finished (they commit what they read). */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      for (const { job } of this.#jobs.values()) job.stop();
      this.#jobs.clear();
      if (this.#heartbeat) clearInterval(this.#heartbeat);
      this.#service.setNextRuns(null);
      await Promise.allSettled([...this.#running.values()]);
    })();
    return this.#stopping;
  }

  /** Runs in flight now, by job name. */
  get running(): string[] {
    return [...this.#running.keys()];
  }

  #tick(name: string): void {
    if (this.#stopping || this.#paused) return;
    if (this.#running.has(name)) {
      this.#log(`${name}: the scheduled run is skipped, the previous one is still going`);
      return;
    }
    void this.#run(name, 'schedule').catch(() => undefined);
  }

  #run(name: string, trigger: SyncTrigger): Promise<unknown> {
    const running = this.#running.get(name);
    if (running) return running;
    if (this.#stopping) return Promise.reject(new Error('The agent is stopping; nothing new is started.'));
    const work = (async () => {
      try {
        if (name === RETENTION_JOB) return await this.#retention();
        const result = await this.#service.syncSource(name, trigger);
        this.#log(describePass(result));
        return result;
      } catch (error) {
        this.#fail(name, error);
        throw error;
      } finally {
        this.#running.delete(name);
        this.#onChange();
      }
    })();
    this.#running.set(name, work);
    this.#onChange();
    return work;
  }

  async #retention(): Promise<unknown> {
    const settings = await this.#service['retention.settings.get']({});
    if (settings.gcDisabled || settings.retentionDays === null) return null;
    const result = await this.#service['retention.run']({
      olderThanMs: settings.retentionDays * DAY_MS,
      dryRun: false,
    });
    this.#log(`retention: removed ${result.events} events older than ${settings.retentionDays} days`);
    return result;
  }

  #fail(name: string, error: unknown): void {
    this.#log(`${name}: failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** One line for a finished pass. */
export function describePass(p: SyncPassResult): string {
  const o = p.objects;
  const head = `${p.name}: ${p.status} — ${o.listed} listed, ${o.new} new, ${o.changed} changed, ${o.skipped} unchanged or waiting, ${o.failed} failed; ${p.events} new events, ${p.duplicates} duplicates, ${p.quarantined} quarantined`;
  const errors = p.errors.slice(0, 3).map((e) => `\n  ${e.object ? `${e.object}: ` : ''}${e.error}`);
  return head + errors.join('') + (p.errors.length > 3 ? `\n  … and ${p.errors.length - 3} more errors` : '');
}
