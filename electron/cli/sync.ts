import type { Command } from 'commander';
import type { ServiceEvent } from '../../shared/contract.ts';
import { describePass } from '../agent/scheduler.ts';
import type { Io } from './context.ts';
import { EXIT, waitTimeoutOption, type WithService } from './main.ts';
import { bytes, count } from './output.ts';

/**
 * `audit-explorer sync [--source NAME] [--json]`: one incremental pass of every enabled source (or one)
 * now. `--json` prints per source {name, objects:{listed,new,changed,skipped,failed}, bytes, events,
 * duplicates, quarantined, errors}. Exit 1 when any source failed or any object could not be read.
 */
export function registerSync(program: Command, io: Io, withService: WithService): void {
  program
    .command('sync')
    .description('one incremental pass of every enabled source (or --source NAME) now')
    .option('--db <file>', 'database file')
    .option('--source <name>', 'only this source (even if disabled)')
    .option('--json', 'print the result per source as JSON')
    .addOption(waitTimeoutOption())
    .exitOverride()
    .action(async (opts: { source?: string; json?: boolean }, cmd: Command) =>
      withService(cmd, async (service) => {
        const stop = service.subscribe(progressLine(io));
        const { sources } = await service['sync.run']({ source: opts.source }).finally(stop);
        if (io.interactive) io.err('\r\x1b[K');
        if (opts.json) {
          io.out(
            JSON.stringify(
              sources.map((s) => ({
                name: s.name,
                status: s.status,
                objects: s.objects,
                bytes: s.bytes,
                events: s.events,
                duplicates: s.duplicates,
                quarantined: s.quarantined,
                errors: s.errors,
              })),
            ) + '\n',
          );
        } else if (sources.length === 0) {
          io.out('No enabled sources. Add one with: audit-explorer sources add --file SOURCE.json\n');
        } else for (const s of sources) io.out(describePass(s) + '\n');
        if (sources.some((s) => s.status === 'stopped')) return EXIT.failure;
        return sources.some((s) => s.status !== 'ok') ? EXIT.failure : EXIT.ok;
      }),
    );
}

/** Draws one progress line on a terminal (objects, bytes, events/s) while a pass runs. */
export function progressLine(io: Io): (event: ServiceEvent) => void {
  let last = 0;
  return (event) => {
    if (event.name !== 'sync.progress' || !io.interactive || performance.now() - last < 250) return;
    last = performance.now();
    const p = event.payload;
    io.err(
      `\r${p.source}: ${count(p.objects)}/${count(p.objectsToRead)} objects · ${bytes(p.bytes)} · ${count(p.events)} new events · ${count(p.eventsPerSecond)} events/s   `,
    );
  };
}
