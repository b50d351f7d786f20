import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { Scheduler } from '../agent/scheduler.ts';
import type { Io } from './context.ts';
import { EXIT, type WithService } from './main.ts';
import { progressLine } from './sync.ts';

/**
 * `audit-explorer agent`: runs the schedules (a sync per source, retention) in the foreground with a line
 * per run, until SIGINT/SIGTERM; then it waits for the runs in flight to commit and exits cleanly.
 * `audit-explorer retention show|set`: the retention settings the agent follows.
 */
export function registerAgent(program: Command, io: Io, withService: WithService): void {
  program
    .command('agent')
    .description('run the schedules (sync of each source, retention) in the foreground until Ctrl-C')
    .option('--db <file>', 'database file')
    .exitOverride()
    .action(async (_opts: unknown, cmd: Command) =>
      withService(cmd, async (service) => {
        const log = (line: string) => io.err(`${new Date().toISOString()} ${line}\n`);
        const scheduler = new Scheduler({ service, log });
        const unsubscribe = service.subscribe(progressLine(io));
        // The service's stop signal (SIGINT/SIGTERM, wired by withService) ends the schedules; the runs in
        // flight stop after the line in hand and commit what they read.
        let unlisten: (() => void) | undefined;
        const stopped = new Promise<void>((resolve) => {
          unlisten = io.onStopSignal?.(() => resolve());
        });
        await scheduler.start();
        const sources = await service['sources.list']({});
        log(
          sources.length === 0
            ? 'no sources configured yet (audit-explorer sources add --file SOURCE.json); waiting'
            : `syncing ${sources.filter((s) => s.enabled).length} source(s); Ctrl-C to stop`,
        );
        for (const [name, next] of scheduler.nextRuns())
          log(`${name}: next run ${next === null ? '-' : new Date(next).toISOString()}`);
        await stopped;
        log('stopping: waiting for the runs in flight to commit');
        await scheduler.stop();
        unlisten?.();
        unsubscribe();
        log('stopped');
        return EXIT.ok;
      }),
    );

  const retention = program
    .command('retention')
    .description('the retention settings the agent follows (show, set)')
    .exitOverride();
  retention
    .command('show')
    .option('--db <file>', 'database file')
    .option('--json', 'print as JSON')
    .exitOverride()
    .action(async (opts: { json?: boolean }, cmd: Command) =>
      withService(cmd, async (service) => {
        const settings = await service['retention.settings.get']({});
        if (opts.json) io.out(JSON.stringify(settings) + '\n');
        else io.out(describeRetention(settings));
      }),
    );
  retention
    .command('set')
    .option('--db <file>', 'database file')
    .option('--days <n>', 'keep events this many days ("off" keeps everything)', days)
    .option('--schedule <cron>', 'when retention runs (6-field cron, default "0 0 1 * * *")')
    .option('--disable', "no scheduled retention (like the exporters' disableUeventsGC)")
    .option('--enable', 'scheduled retention again')
    .option('--json', 'print as JSON')
    .exitOverride()
    .action(
      async (
        opts: {
          days?: number | null;
          schedule?: string;
          disable?: boolean;
          enable?: boolean;
          json?: boolean;
        },
        cmd: Command,
      ) =>
        withService(cmd, async (service) => {
          const settings = await service['retention.settings.set']({
            ...(opts.days !== undefined ? { retentionDays: opts.days } : {}),
            ...(opts.schedule !== undefined ? { gcSchedule: opts.schedule } : {}),
            ...(opts.disable ? { gcDisabled: true } : opts.enable ? { gcDisabled: false } : {}),
          });
          if (opts.json) io.out(JSON.stringify(settings) + '\n');
          else io.out(describeRetention(settings));
        }),
    );
}

function describeRetention(s: {
  retentionDays: number | null;
  gcSchedule: string;
  gcDisabled: boolean;
}): string {
  return (
    `retentionDays  ${s.retentionDays ?? 'off (events are kept)'}\n` +
    `gcSchedule     ${s.gcSchedule}\n` +
    `gcDisabled     ${s.gcDisabled}\n`
  );
}

function days(value: string): number | null {
  if (value === 'off') return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError('expected a whole number of days, or "off"');
  return n;
}
