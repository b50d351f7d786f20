import fs from 'node:fs';
import type { Command } from 'commander';
import type { MethodOutput } from '../../shared/contract.ts';
import { UsageError, type Io } from './context.ts';
import { EXIT, waitTimeoutOption, type WithService } from './main.ts';
import { count, isoTime, printable } from './output.ts';

type Summary = MethodOutput<'sources.list'>[number];

/**
 * `audit-explorer sources add|list|show|test|update|remove`: configure buckets and folders. A secret given
 * in SOURCE.json goes to the secret store; no output ever shows it (`show` prints "stored").
 */
export function registerSources(program: Command, io: Io, withService: WithService): void {
  const sources = program
    .command('sources')
    .description('configure the buckets and folders the agent syncs (add, list, show, test, update, remove)')
    .exitOverride();
  const leaf = (name: string) =>
    sources
      .command(name)
      .option('--db <file>', 'database file')
      .addOption(waitTimeoutOption())
      .exitOverride();

  leaf('add')
    .description('add a source from a JSON file (see the README for each kind)')
    .requiredOption('--file <file>', 'the source configuration (JSON)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { file: string; json?: boolean }, cmd: Command) =>
      withService(cmd, async (service) => {
        const added = await service['sources.add']({ config: readConfig(opts.file) });
        if (opts.json) io.out(JSON.stringify(added) + '\n');
        else
          io.out(
            `Added ${added.kind} source '${added.name}' (${printable(added.location)}), synced on "${added.schedule}".\n` +
              `  Check it with: audit-explorer sources test ${added.name}\n` +
              `  Sync it now with: audit-explorer sync --source ${added.name}\n`,
          );
      }),
    );

  leaf('update')
    .description('replace a source\'s configuration from a JSON file ("stored" keeps a stored secret)')
    .argument('<name>', 'the source')
    .requiredOption('--file <file>', 'the new configuration (JSON)')
    .option('--json', 'print the result as JSON')
    .action(async (name: string, opts: { file: string; json?: boolean }, cmd: Command) =>
      withService(cmd, async (service) => {
        const updated = await service['sources.update']({ name, config: readConfig(opts.file) });
        if (opts.json) io.out(JSON.stringify(updated) + '\n');
        else io.out(`Updated source '${updated.name}'.\n`);
      }),
    );

  leaf('list')
    .description('the configured sources: kind, location, status, last and next run, events, errors')
    .option('--json', 'print the list as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) =>
      withService(cmd, async (service) => {
        const list = await service['sources.list']({});
        if (opts.json) {
          io.out(JSON.stringify(list) + '\n');
          return;
        }
        if (list.length === 0) {
          io.out('No sources yet. Add one with: audit-explorer sources add --file SOURCE.json\n');
          return;
        }
        io.out(sourceTable(list).join('\n') + '\n');
        for (const s of list.filter((s) => s.lastError !== null))
          io.out(`  ${s.name}: ${printable(s.lastError!)}\n`);
      }),
    );

  leaf('show')
    .description('one source: its configuration (secrets shown as "stored") and state')
    .argument('<name>', 'the source')
    .option('--json', 'print it as JSON')
    .action(async (name: string, opts: { json?: boolean }, cmd: Command) =>
      withService(cmd, async (service) => {
        const source = await service['sources.get']({ name });
        if (opts.json) {
          io.out(JSON.stringify(source) + '\n');
          return;
        }
        io.out(sourceTable([source]).join('\n') + '\n\n');
        io.out(JSON.stringify(source.config, null, 2) + '\n');
        const runs = await service['sync.runs']({ source: name, limit: 5 });
        if (runs.length > 0) io.out('\nRecent runs:\n');
        for (const r of runs)
          io.out(
            `  ${isoTime(r.startedAt)}  ${r.status.padEnd(11)} ${r.trigger.padEnd(8)} ${count(r.listed)} listed, ${count(r.new)} new, ${count(r.changed)} changed, ${count(r.failed)} failed, ${count(r.events)} events\n`,
          );
      }),
    );

  leaf('test')
    .description('try the connection and show a few objects under the prefix')
    .argument('<name>', 'the source')
    .option('--json', 'print the report as JSON')
    .action(async (name: string, opts: { json?: boolean }, cmd: Command) =>
      withService(cmd, async (service) => {
        const report = await service['sources.test']({ name });
        if (opts.json) io.out(JSON.stringify(report) + '\n');
        else {
          io.out(`${report.ok ? 'OK' : 'FAILED'}: ${printable(report.message)}\n`);
          for (const key of report.sample) io.out(`  ${printable(key)}\n`);
        }
        return report.ok ? EXIT.ok : EXIT.failure;
      }),
    );

  leaf('remove')
    .description('stop syncing a source and forget its secrets (its events stay unless --delete-events)')
    .argument('<name>', 'the source')
    .option(
      '--delete-events',
      'also delete every event the source brought (events pinned in an investigation are kept)',
    )
    .option('--json', 'print the result as JSON')
    .action(async (name: string, opts: { deleteEvents?: boolean; json?: boolean }, cmd: Command) =>
      withService(cmd, async (service) => {
        const result = await service['sources.remove']({ name, deleteEvents: opts.deleteEvents ?? false });
        if (opts.json) io.out(JSON.stringify(result) + '\n');
        else {
          io.out(
            opts.deleteEvents
              ? `Removed source '${name}' and its ${count(result.eventsDeleted)} events.\n`
              : `Removed source '${name}'; its events stay (search them with source:${name}).\n`,
          );
          if (result.eventsHeld > 0)
            io.out(
              `Kept ${count(result.eventsHeld)} of its events on legal hold (pinned by an investigation; search them with source:${name}).\n`,
            );
        }
      }),
    );
}

function readConfig(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${file}. Give the path of a JSON file describing the source.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // Not the parser's message: it may quote the file's text, which can hold a secret.
    const at = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new UsageError(
      `${file} is not valid JSON${at ? ` (near character ${at})` : ''}. Fix it and try again.`,
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new UsageError(`${file} must hold one JSON object: {"name": …, "kind": "s3|azure|gcs|folder", …}.`);
  return value as Record<string, unknown>;
}

function when(ms: number | null): string {
  return ms === null ? '-' : isoTime(ms).replace(/\.\d{3}Z$/, 'Z');
}

/** The sources as table lines (header first). */
function sourceTable(list: readonly Summary[]): string[] {
  const rows = list.map((s) => [
    s.name,
    s.kind,
    printable(s.location),
    s.enabled ? s.status : `${s.status} (disabled)`,
    when(s.lastRun),
    when(s.nextRun),
    count(s.events),
    count(s.errors),
  ]);
  const header = ['NAME', 'KIND', 'LOCATION', 'STATUS', 'LAST RUN', 'NEXT RUN', 'EVENTS', 'ERRORS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
}
