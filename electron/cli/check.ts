import type { Command } from 'commander';
import { defaultDbFile } from '../agent/paths.ts';
import { checkDatabase } from '../agent/store/check.ts';
import type { Io } from './main.ts';

/**
 * `audit-explorer check`: checks the database through and through (see checkDatabase) and says how to
 * recover when it is damaged. Exit 0 when sound, 1 when anything is wrong. It opens the file itself
 * rather than through the service, which refuses a damaged database at the door.
 */
export function registerCheck(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('check')
    .description('check the database for damage (SQLite pages, full-text index, columns, raw lines)')
    .option('--db <file>', 'database file')
    .option('--json', 'print the report as JSON')
    .exitOverride()
    .action((opts: { json?: boolean }, cmd: Command) => {
      const file = (cmd.optsWithGlobals().db as string | undefined) ?? defaultDbFile(io.env);
      const report = checkDatabase(file);
      setExit(report.ok ? 0 : 1);
      if (opts.json) {
        io.out(JSON.stringify(report) + '\n');
        return;
      }
      io.out(`Checked ${file}\n`);
      for (const step of report.steps) {
        io.out(
          `  ${step.problems.length === 0 ? 'ok      ' : 'DAMAGED '} ${step.name}${step.note ? ` (${step.note})` : ''}\n`,
        );
        for (const problem of step.problems) io.out(`           - ${problem}\n`);
      }
      if (report.ok) {
        io.out('The database is sound.\n');
        return;
      }
      io.out(
        'The database is damaged: searches on it may fail or miss events. To recover, import your sources\n' +
          'again into a new database file and use that one:\n' +
          `  audit-explorer --db NEW-FILE.db ingest PATH...\n` +
          'Identical lines are one event, so the new database holds exactly what the sources hold. Keep the\n' +
          'damaged file until then; nothing was changed in it.\n',
      );
    });
}
