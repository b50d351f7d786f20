import fs from 'node:fs';
import os from 'node:os';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_FACETS, FACET_NAMES, type Facet, type FacetName } from '../../shared/contract.ts';
import type { GenericMapping } from '../../shared/formats/index.ts';
import { describeError } from '../agent/errors.ts';
import { defaultDbFile } from '../agent/paths.ts';
import { describeHolder } from '../agent/store/errors.ts';
import {
  createService,
  DEFAULT_WRITER_WAIT_MS,
  loadSamplesIfEmpty,
  type AuditService,
} from '../agent/service.ts';
import { headlessSecretStore } from '../agent/sources/secrets/fileSecretStore.ts';
import { registerAgent } from './agent.ts';
import { registerCasework } from './casework.ts';
import { registerCheck } from './check.ts';
import {
  collect,
  durationMs,
  positiveInt,
  queryOf,
  timeMs,
  UsageError,
  type CliContext,
  type Io,
} from './context.ts';
import { registerExport } from './export.ts';
import { bytes, count, csvHeader, csvRecord, csvRow, isoTime, tableLines } from './output.ts';
import { addServeCommand } from './serve.ts';
import { registerSources } from './sources.ts';
import { registerSync } from './sync.ts';
import { registerVerify } from './verify.ts';

export type { Io } from './context.ts';

/** Exit codes (DESIGN §8). */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/**
 * Commands that stop cleanly on a stop signal: they commit what they did, say so and exit 128 + the
 * signal's number. The others end the default way (what they write is atomic anyway).
 */
const STOPPABLE = new Set(['ingest', 'sync', 'agent']);
/** The exit status of a process stopped by `signal`, as shells report it (SIGINT 130, SIGTERM 143). */
const signalExit = (signal: NodeJS.Signals) => 128 + os.constants.signals[signal];

const processIo = (): Io => {
  // `audit-explorer search … | head` closes stdout early: that is the reader being done, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.ok);
    throw error;
  });
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
    interactive: Boolean(process.stderr.isTTY),
    env: process.env,
    onStopSignal: (stop) => {
      let first: number | null = null;
      const onSignal = (signal: NodeJS.Signals) => {
        if (first === null) {
          first = performance.now();
          stop(signal);
        } else if (performance.now() - first > 1000) {
          // Asked again while stopping: stop now. The batch being written is rolled back with the process.
          // (Within a second it is the same request: Ctrl-C reaches this process from the terminal and again
          // from the launcher, bin/audit-explorer.js, which forwards it.)
          process.stderr.write(
            '\naudit-explorer: stopped at once; the batch being written was not stored.\n',
          );
          process.exit(signalExit(signal));
        }
      };
      for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
      return () => {
        for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
      };
    },
  };
};

/** Runs a command against the service (opened on `--db`, with the headless secret store), closing it afterwards. */
export type WithService = (
  command: Command,
  run: (service: AuditService) => Promise<number | void>,
) => Promise<void>;

/** Runs the CLI with `argv` (without node and script) and resolves with the exit code. */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not errors; everything else commander rejects is a usage error.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return report(io, error);
  }
  return exitCode;
}

function report(io: Io, error: unknown): number {
  if (error instanceof UsageError) {
    io.err(`audit-explorer: ${error.message}\n`);
    return EXIT.usage;
  }
  const info = describeError(error);
  io.err(`audit-explorer: ${info.message}\n`);
  if (info.code === 'internal' && error instanceof Error && io.env?.AUDIT_EXPLORER_DEBUG)
    io.err(`${error.stack}\n`);
  // Exit 2 for what the user must change: a bad option or input, a bad query, a query too costly to run.
  const usage: readonly string[] = ['query_syntax', 'query_too_costly', 'bad_input'];
  return usage.includes(info.code) ? EXIT.usage : EXIT.failure;
}

function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('audit-explorer')
    .description('Search audit logs (Prophecy, DronaHQ, Gravitee AM, or any NDJSON you map) offline.')
    .option('--db <file>', 'database file (default: $AUDIT_EXPLORER_DB, else the OS data folder)')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run audit-explorer --help for usage)');

  /** Runs a command against the service, closing it afterwards. */
  const withService: WithService = async (command, run) => {
    const opts = command.optsWithGlobals() as { db?: string; waitTimeout?: number };
    const file = opts.db ?? defaultDbFile(io.env);
    let stoppedBy: NodeJS.Signals | null = null;
    let service: AuditService | null = null;
    const stopping = new AbortController();
    const unlisten = STOPPABLE.has(command.name())
      ? io.onStopSignal?.((signal) => {
          stoppedBy ??= signal;
          stopping.abort();
        })
      : undefined;
    try {
      // A CLI process does nothing else while it imports: it parses on its own thread (one thread less).
      service = await createService({
        dbFile: file,
        ingestOnCallingThread: true,
        command: command.name(),
        writerWaitMs: opts.waitTimeout,
        signal: stopping.signal,
        // Source credentials: an encrypted file beside the database (the key from the environment or a
        // key file); the database keeps references only.
        secrets: headlessSecretStore(file, io.env),
      });
      service.subscribe((event) => {
        if (event.name !== 'writer.waiting') return;
        const { pid, command, since } = event.payload;
        const holder = pid === null ? null : { pid, command: command ?? '?', since: since ?? Date.now() };
        io.err(
          `${describeHolder(holder)} is writing to ${file}; waiting… (--wait-timeout to change, Ctrl-C to stop)\n`,
        );
      });
      setExit((await run(service)) ?? EXIT.ok);
    } catch (error) {
      if (stoppedBy === null) throw error;
      report(io, error);
    } finally {
      unlisten?.();
      await service?.close();
    }
    // The agent's normal end is a signal: once it has drained, that is a clean exit.
    if (stoppedBy !== null && command.name() !== 'agent') setExit(signalExit(stoppedBy));
  };
  const command = (name: string) =>
    program.command(name).option('--db <file>', 'database file').exitOverride();

  command('ingest')
    .description('import NDJSON files or folders (.gz and .zst too, found by content)')
    .argument('<paths...>', 'files or folders')
    .option('--source <name>', 'name to file these events under', 'import')
    .addOption(new Option('--format <id>', 'read every line as this format instead of detecting it'))
    .option(
      '--mapping <file>',
      'a JSON file mapping your own NDJSON to the event fields by JSON paths (see the README); repeatable',
      collect,
      [] as string[],
    )
    .option('--no-redact', 'keep secret-looking values (passwords, tokens, keys) instead of replacing them')
    .option('--json', 'print the summary as JSON')
    .addOption(waitTimeoutOption())
    .action(
      async (
        paths: string[],
        opts: { source: string; format?: string; mapping: string[]; redact: boolean; json?: boolean },
        cmd: Command,
      ) => {
        // Not one path exists: say so without creating (or touching) a database.
        if (paths.every((p) => !fs.existsSync(p))) {
          for (const p of paths)
            io.err(`audit-explorer: ${p} does not exist. Give files or folders of NDJSON.\n`);
          setExit(EXIT.failure);
          return;
        }
        return withService(cmd, async (service) => {
          const started = performance.now();
          let lastDraw = 0;
          const stop = service.subscribe((event) => {
            if (event.name !== 'ingest.progress' || !io.interactive || performance.now() - lastDraw < 250)
              return;
            lastDraw = performance.now();
            const p = event.payload;
            const rate = p.lines / ((performance.now() - started) / 1000);
            io.err(
              `\r${count(p.lines)} lines · ${count(p.events)} new events · ${count(Math.round(rate))} lines/s · ${bytes(p.bytes)}   `,
            );
          });
          const summary = await service['ingest.paths']({
            paths,
            source: opts.source,
            redact: opts.redact,
            format: opts.format ?? null,
            mappings: opts.mapping.flatMap((file) => readMappings(file)),
          }).finally(stop);
          if (io.interactive) io.err('\r\x1b[K');
          if (summary.sampleEventsRemoved > 0) {
            io.err(
              `Removed the bundled sample corpus (${count(summary.sampleEventsRemoved)} events): this is the database's first real import.\n`,
            );
          }
          const seconds = (performance.now() - started) / 1000;
          const failures = summary.perObject
            .filter((o) => o.error !== null)
            .map((o) => ({ object: o.key, error: o.error }));
          if (summary.stopped) {
            io.err(
              `Stopped: ${count(summary.events)} events from ${count(summary.objects)} objects were stored; run the same ingest again to finish — nothing is read twice into the index.\n`,
            );
          }
          if (opts.json) {
            const { perObject: _perObject, ...counts } = summary;
            io.out(JSON.stringify({ ...counts, seconds, failures }) + '\n');
          } else if (!summary.stopped) {
            io.out(
              `Ingested ${count(summary.events)} new events from ${count(summary.objects)} objects in ${seconds.toFixed(1)} s` +
                ` (${count(Math.round(summary.lines / Math.max(seconds, 0.001)))} lines/s).\n` +
                `  duplicates ${count(summary.duplicates)} · quarantined ${count(summary.quarantined)} · ` +
                `errors ${count(summary.errors)} · secrets redacted ${count(summary.redacted)}\n`,
            );
            for (const f of failures) io.out(`  error: ${f.error}\n`);
            for (const s of summary.skipped) io.out(`  skipped: ${s.message}\n`);
            if (summary.quarantined > 0) io.out('  See the bad lines with: audit-explorer quarantine\n');
          }
          return summary.errors > 0 ? EXIT.failure : EXIT.ok;
        });
      },
    );

  command('search')
    .description('print the events matching a query, newest first')
    .allowUnknownOption()
    .argument('[query...]', 'query (see the README); empty = everything')
    .option('--limit <n>', 'events to print', positiveInt, 100)
    .option('--all', 'print every matching event (pages through them)')
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['table', 'ndjson', 'csv', 'json'])
        .default('table'),
    )
    .option('--count', 'print only the number of matching events')
    .option('--cursor <cursor>', 'continue after a previous page')
    .action(
      async (
        words: string[],
        opts: { limit: number; all?: boolean; format: string; count?: boolean; cursor?: string },
        cmd: Command,
      ) =>
        withService(cmd, async (service) => {
          const query = queryOf(words);
          if (opts.count) {
            io.out(`${(await service['events.count']({ query, record: true })).total}\n`);
            return;
          }
          await printSearch(service, io, query, opts);
        }),
    );

  command('facets')
    .description(
      'top values with counts among the events matching a query: of one field, or of each a search shows',
    )
    .allowUnknownOption()
    .argument('[query...]', 'query; empty = everything')
    .addOption(
      new Option('--field <field>', `field to count; without it: ${DEFAULT_FACETS.join(', ')}`).choices(
        FACET_NAMES,
      ),
    )
    .option('--limit <n>', 'values to print per field (default: 20 for one field, 5 for all)', positiveInt)
    .option('--json', 'print JSON')
    .action(
      async (words: string[], opts: { field?: FacetName; limit?: number; json?: boolean }, cmd: Command) =>
        withService(cmd, async (service) => {
          const query = queryOf(words);
          if (opts.field) {
            const facet = await service['events.facet']({
              query,
              field: opts.field,
              limit: opts.limit ?? 20,
            });
            if (opts.json) {
              io.out(JSON.stringify(facet) + '\n');
              return;
            }
            printFacet(facet);
            io.err(
              `${count(facet.total)} matching events, ${count(facet.distinct)} distinct values of ${opts.field}\n`,
            );
            return;
          }
          const { total, facets } = await service['events.search']({
            query,
            limit: 0,
            facetLimit: opts.limit ?? 5,
            histogram: false,
          });
          if (opts.json) {
            io.out(JSON.stringify({ total, facets }) + '\n');
            return;
          }
          for (const [name, facet] of Object.entries(facets)) {
            io.out(`${name} (${count(facet.distinct)} distinct)\n`);
            printFacet(facet);
            io.out('\n');
          }
          io.err(`${count(total)} matching events\n`);
        }),
    );

  function printFacet(facet: Facet) {
    const width = Math.max(...facet.values.map((v) => count(v.count).length), count(facet.other).length, 5);
    for (const v of facet.values) io.out(`${count(v.count).padStart(width)}  ${v.value ?? '(none)'}\n`);
    if (facet.other > 0)
      io.out(
        `${count(facet.other).padStart(width)}  (${count(facet.distinct - facet.values.length)} other values)\n`,
      );
  }

  command('quarantine')
    .description('lines that could not be read as events: source, object, line and reason')
    .option('--limit <n>', 'lines to print', positiveInt, 1000)
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['table', 'json', 'ndjson', 'csv'])
        .default('table'),
    )
    .action(async (opts: { limit: number; format: string }, cmd: Command) =>
      withService(cmd, async (service) => {
        const { total, withExcerpts, entries, counted } = await service['quarantine.list']({
          limit: opts.limit,
        });
        if (opts.format === 'json') io.out(JSON.stringify(entries, null, 2) + '\n');
        else if (opts.format === 'ndjson') for (const e of entries) io.out(JSON.stringify(e) + '\n');
        else if (opts.format === 'csv') {
          io.out('source,object,line,reason,excerpt\n');
          for (const e of entries)
            io.out(csvRecord([e.source, e.object, e.line, e.reason, e.excerpt]) + '\n');
        } else {
          for (const e of entries) io.out(`${e.source}  ${e.object}:${e.line}  ${e.reason}\n`);
          for (const c of counted)
            io.out(
              `${c.source}  ${c.object}:${c.firstLine}…  ${count(c.lines)} more line${c.lines === 1 ? '' : 's'}: ${c.reason} (counted, no excerpts)\n`,
            );
          const kept =
            withExcerpts < total ? ` (${count(withExcerpts)} kept with excerpts, the rest counted)` : '';
          const shown = entries.length < withExcerpts ? `, ${count(entries.length)} shown` : '';
          io.err(`${count(total)} quarantined line${total === 1 ? '' : 's'}${kept}${shown}\n`);
        }
      }),
    );

  command('gc')
    .description('retention now: delete events older than a cut-off')
    .option('--older-than <duration>', 'delete events older than this (e.g. 90d, 12w)', durationMs)
    .option('--before <date>', 'delete events before this date (YYYY-MM-DD or ISO time)', timeMs)
    .option('--dry-run', 'only report what would be deleted')
    .option('--json', 'print the result as JSON')
    .addOption(waitTimeoutOption())
    .action(
      async (opts: { olderThan?: number; before?: number; dryRun?: boolean; json?: boolean }, cmd: Command) =>
        withService(cmd, async (service) => {
          if ((opts.olderThan === undefined) === (opts.before === undefined)) {
            throw new UsageError(
              'give one of --older-than DURATION or --before DATE (for example: gc --older-than 90d)',
            );
          }
          const result = await service['retention.run']({
            olderThanMs: opts.olderThan,
            before: opts.before,
            dryRun: opts.dryRun ?? false,
          });
          if (opts.json) {
            io.out(JSON.stringify(result) + '\n');
            return;
          }
          const verb = result.dryRun ? 'Would delete' : 'Deleted';
          io.out(`${verb} ${count(result.events)} events older than ${isoTime(result.before)}.\n`);
          // Per source, with the span the events cover (oldest … newest), so a dry run shows what goes.
          const spans = new Map(result.sources.map((s) => [s.name, s]));
          for (const [source, n] of Object.entries(result.perSource)) {
            const span = spans.get(source);
            io.out(
              `  ${source}: ${count(n)}${span ? ` (${isoTime(span.from)} … ${isoTime(span.to)})` : ''}\n`,
            );
          }
          if (result.held > 0)
            io.out(
              `${result.dryRun ? 'Would keep' : 'Kept'} ${count(result.held)} older events on legal hold (pinned by an investigation).\n`,
            );
        }),
    );

  command('stats')
    .description('what the database holds')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) =>
      withService(cmd, async (service) => {
        const s = await service['stats.get']({});
        if (opts.json) {
          io.out(JSON.stringify(s) + '\n');
          return;
        }
        io.out(
          [
            `database     ${s.file} (${bytes(s.dbBytes)}, schema ${s.schemaVersion})`,
            `events       ${count(s.events)}${s.untimed > 0 ? ` (${count(s.untimed)} without a time)` : ''}`,
            `time range   ${s.first === null ? '—' : `${isoTime(s.first)} … ${isoTime(s.last)}`}`,
            `sources      ${count(s.sources)}, objects ${count(s.objects)} (${count(s.objectErrors)} with errors, ${bytes(s.rawBytes)} read)`,
            `duplicates   ${count(s.duplicates)} lines skipped as already stored`,
            `quarantined  ${count(s.quarantined)} lines${s.quarantineExcerpts < s.quarantined ? ` (${count(s.quarantineExcerpts)} kept with excerpts)` : ''}`,
            `size         ${s.rawBytes > 0 ? `${(s.dbBytes / s.rawBytes).toFixed(2)}× the source bytes` : '—'}`,
          ].join('\n') + '\n',
        );
      }),
    );

  command('start')
    .description('open Audit Explorer on its default database (loads a sample corpus when it is empty)')
    .addOption(waitTimeoutOption())
    .action(async (_opts: unknown, cmd: Command) =>
      withService(cmd, async (service) => {
        const loaded = await loadSamplesIfEmpty(service);
        if (loaded !== null)
          io.out(`The database was empty: loaded the bundled sample corpus (${count(loaded)} events).\n`);
        const stats = await service['stats.get']({});
        io.out(`Audit Explorer — ${count(stats.events)} events in ${stats.file}\n\n`);
        const examples = [
          'outcome:failure',
          'user:alice* outcome:failure',
          'action:USER_LOGIN outcome:failure',
          'entity:Project op:Mutation',
          '"shipments skew"',
        ];
        for (const q of examples)
          io.out(`  ${String((await service['events.count']({ query: q })).total).padStart(7)}  ${q}\n`);
        io.out(
          '\nTry:\n' +
            '  npx audit-explorer search outcome:failure --limit 10\n' +
            '  npx audit-explorer facets outcome:failure\n' +
            '  npx audit-explorer ingest PATH...          (your own exports; the sample corpus makes way)\n' +
            '  npx audit-explorer serve                   (the web UI on http://127.0.0.1)\n',
        );
      }),
    );

  const context: CliContext = { io, command, withService, setExit };
  registerCasework(context);
  registerExport(context);
  registerVerify(context);
  registerCheck(program, io, setExit);
  addServeCommand(program, io, setExit);
  registerSources(program, io, withService);
  registerSync(program, io, withService);
  registerAgent(program, io, withService);
  return program;
}

async function printSearch(
  service: AuditService,
  io: Io,
  query: string,
  opts: { limit: number; all?: boolean; format: string; cursor?: string },
): Promise<void> {
  const wanted = opts.all ? Infinity : opts.limit;
  let cursor: string | null = opts.cursor ?? null;
  let printed = 0;
  let total: number;
  const json = opts.format === 'json';
  if (opts.format === 'csv') io.out(csvHeader() + '\n');
  if (json) io.out('{"events":[');
  // Pages of at most 1,000: --all or a large --limit streams, it never holds everything in memory.
  do {
    const result = await service['events.search']({
      query,
      limit: Math.min(1000, wanted - printed),
      cursor,
      facets: false,
      histogram: false,
      raw: opts.format !== 'table',
      // The search the user ran goes into the history; the pages that follow it do not.
      record: printed === 0 && opts.cursor === undefined,
    });
    total = result.total;
    for (const event of result.events) {
      if (opts.format === 'ndjson') io.out(JSON.stringify(event) + '\n');
      else if (json)
        io.out((printed > 0 || event !== result.events[0] ? ',\n' : '\n') + JSON.stringify(event));
      else if (opts.format === 'csv') io.out(csvRow(event) + '\n');
    }
    if (opts.format === 'table' && result.events.length > 0) {
      const lines = tableLines(result.events, io.columns ?? 160);
      io.out((printed === 0 ? lines : lines.slice(1)).join('\n') + '\n');
    }
    printed += result.events.length;
    cursor = result.nextCursor;
  } while (cursor !== null && printed < wanted);
  if (json) io.out(`\n],"total":${total},"nextCursor":${JSON.stringify(cursor)}}\n`);
  if (opts.format === 'table' && total === 0) {
    io.err(`No matching events. ${await whatIsThere(service)}\n`);
  } else if (opts.format === 'table') {
    const more = cursor !== null ? ` Next page: --cursor ${cursor}` : '';
    io.err(`${count(printed)} of ${count(total)} matching events.${more}\n`);
  }
}

/** After an empty result: what the database holds, so a time filter that misses the data shows itself. */
async function whatIsThere(service: AuditService): Promise<string> {
  const { events, first, last } = await service['stats.get']({});
  if (events === 0) return 'The database is empty: add events with audit-explorer ingest PATH.';
  const range = first !== null && last !== null ? `, from ${isoTime(first)} to ${isoTime(last)}` : '';
  return `The database holds ${count(events)} events${range}.`;
}

/** How long a command that writes waits while another process writes the same database (in ms). */
export function waitTimeoutOption(): Option {
  return new Option(
    '--wait-timeout <seconds>',
    `while another Audit Explorer process writes the database, wait this long for it (default ${DEFAULT_WRITER_WAIT_MS / 1000})`,
  ).argParser((value) => {
    const seconds = Number(value);
    if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 0)
      throw new InvalidArgumentError('expected a number of seconds (0 or more)');
    return seconds * 1000;
  });
}

/**
 * The mappings in a file: one mapping object, or an array of them. Typed as mappings for the call; the
 * service checks them against the contract's schema at its door, like any input.
 */
function readMappings(file: string): GenericMapping[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read the mapping file ${file}`);
  }
  try {
    const value: unknown = JSON.parse(text);
    return (Array.isArray(value) ? value : [value]) as GenericMapping[];
  } catch (error) {
    throw new UsageError(`the mapping file ${file} is not JSON: ${(error as Error).message}`);
  }
}
