import fs from 'node:fs';
import type { Command } from 'commander';
import type { CliContext } from './context.ts';
import { collect, positiveInt, queryOf, timeMs, UsageError } from './context.ts';
import { count, isoTime, printable } from './output.ts';

/**
 * `saved list|add|rename|remove`, `history`,
 * `investigation create|list|show|describe|add-search|remove-search|pin|unpin|note|close|reopen`.
 */
export function registerCasework({ io, command, withService }: CliContext): void {
  const saved = command('saved').description('saved searches: a named query with its time range and columns');
  saved
    .command('list')
    .description('list the saved searches')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) =>
      withService(cmd, async (service) => {
        const { searches } = await service['saved.list']({});
        if (opts.json) return void io.out(JSON.stringify(searches) + '\n');
        for (const s of searches) {
          const range =
            s.from !== null || s.to !== null ? `  [${isoTime(s.from) || '…'} – ${isoTime(s.to) || '…'})` : '';
          const columns = s.columns.length > 0 ? `  columns: ${s.columns.join(',')}` : '';
          io.out(`${printable(s.name)}\t${printable(s.query)}${range}${columns}\n`);
        }
        if (searches.length === 0)
          io.err('No saved searches. Add one with: audit-explorer saved add NAME QUERY\n');
      }),
    );
  saved
    .command('add')
    .description('save a query under a name')
    .allowUnknownOption()
    .argument('<name>', 'name of the saved search')
    .argument('[query...]', 'the query; empty = everything')
    .option('--from <date>', 'start of the time range (inclusive)', timeMs)
    .option('--to <date>', 'end of the time range (exclusive)', timeMs)
    .option('--columns <list>', 'event fields to show, comma-separated (e.g. ts,user,action,outcome)')
    .option('--replace', 'overwrite a saved search of the same name')
    .action(
      async (
        name: string,
        words: string[],
        opts: { from?: number; to?: number; columns?: string; replace?: boolean },
        cmd: Command,
      ) =>
        withService(cmd, async (service) => {
          const s = await service['saved.add']({
            name,
            query: queryOf(words),
            from: opts.from ?? null,
            to: opts.to ?? null,
            columns: opts.columns
              ? opts.columns
                  .split(',')
                  .map((c) => c.trim())
                  .filter(Boolean)
              : [],
            replace: opts.replace ?? false,
          });
          io.out(`Saved '${printable(s.name)}': ${printable(s.query) || '(everything)'}\n`);
        }),
    );
  saved
    .command('rename')
    .description('rename a saved search')
    .argument('<name>')
    .argument('<new-name>')
    .action(async (name: string, newName: string, _opts: unknown, cmd: Command) =>
      withService(cmd, async (service) => {
        const s = await service['saved.rename']({ name, newName });
        io.out(`Renamed '${printable(name)}' to '${printable(s.name)}'.\n`);
      }),
    );
  saved
    .command('remove')
    .description('delete a saved search')
    .argument('<name>')
    .action(async (name: string, _opts: unknown, cmd: Command) =>
      withService(cmd, async (service) => {
        await service['saved.remove']({ name });
        io.out(`Removed the saved search '${printable(name)}'.\n`);
      }),
    );

  command('history')
    .description('the searches you ran, newest first (optionally only those containing TEXT)')
    .allowUnknownOption()
    .argument('[text...]', 'only queries containing this text (ignoring case)')
    .option('--limit <n>', 'entries to print', positiveInt, 50)
    .option('--json', 'print JSON')
    .action(async (words: string[], opts: { limit: number; json?: boolean }, cmd: Command) =>
      withService(cmd, async (service) => {
        const text = queryOf(words);
        const { entries } = await service['history.list']({
          limit: Math.max(1, opts.limit),
          text: text || null,
        });
        if (opts.json) return void io.out(JSON.stringify(entries) + '\n');
        for (const e of entries)
          io.out(
            `${isoTime(e.at)}  ${(e.total === null ? '' : count(e.total)).padStart(9)}  ${printable(e.query) || '(everything)'}\n`,
          );
        if (entries.length === 0)
          io.err('No searches recorded yet' + (text ? ` containing '${text}'` : '') + '.\n');
      }),
    );

  const investigation = command('investigation').description(
    'investigations: a named case with saved searches, pinned events (on legal hold) and notes',
  );
  investigation
    .command('create')
    .description('open a new investigation')
    .argument('<name>')
    .option('--description <text>', 'what the case is about (Markdown)', '')
    .option(
      '--search <saved>',
      'a saved search that belongs to the case; repeatable',
      collect,
      [] as string[],
    )
    .action(async (name: string, opts: { description: string; search: string[] }, cmd: Command) =>
      withService(cmd, async (service) => {
        const c = await service['investigations.create']({
          name,
          description: opts.description,
          searches: opts.search,
        });
        io.out(`Opened the investigation '${printable(c.name)}'.\n`);
      }),
    );
  investigation
    .command('list')
    .description('list investigations')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) =>
      withService(cmd, async (service) => {
        const { investigations } = await service['investigations.list']({});
        if (opts.json) return void io.out(JSON.stringify(investigations) + '\n');
        for (const c of investigations)
          io.out(
            `${printable(c.name)}\t${c.status}\t${count(c.pinned)} pinned\t${count(c.notes)} notes\t${printable(c.description).slice(0, 80)}\n`,
          );
        if (investigations.length === 0)
          io.err('No investigations. Open one with: audit-explorer investigation create NAME\n');
      }),
    );
  investigation
    .command('show')
    .description('an investigation with its saved searches, pinned events and notes')
    .argument('<name>')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }, cmd: Command) =>
      withService(cmd, async (service) => {
        const c = await service['investigations.get']({ name });
        if (opts.json) return void io.out(JSON.stringify(c) + '\n');
        io.out(
          `${printable(c.name)} (${c.status}, opened ${isoTime(c.createdAt)}${c.closedAt ? `, closed ${isoTime(c.closedAt)}` : ''})\n`,
        );
        if (c.description) io.out(`\n${c.description}\n`);
        if (c.searches.length > 0) {
          io.out('\nSaved searches:\n');
          for (const s of c.searches) io.out(`  ${printable(s.name)}\t${printable(s.query)}\n`);
        }
        io.out(`\nPinned events (${count(c.pins.length)}, on legal hold):\n`);
        for (const p of c.pins) {
          const e = p.event;
          io.out(
            `  ${p.eventId}  ${e ? `${isoTime(e.ts)}  ${printable(e.user ?? '')}  ${printable(e.action ?? '')}  ${e.outcome}` : '(no longer stored)'}\n`,
          );
        }
        if (c.noteList.length > 0) {
          io.out('\nNotes:\n');
          for (const note of c.noteList)
            io.out(
              `  ${isoTime(note.at)}${note.eventId ? ` on ${note.eventId}` : ''}\n${note.body.replace(/^/gm, '    ')}\n`,
            );
        }
      }),
    );
  investigation
    .command('describe')
    .description("replace an open investigation's description (Markdown)")
    .argument('<name>')
    .argument('[text...]', "the new description (or --file); '' clears it")
    .option('--file <path>', 'read the description from a file (- for standard input)')
    .action(async (name: string, words: string[], opts: { file?: string }, cmd: Command) =>
      withService(cmd, async (service) => {
        // No words at all is a slip (the description would silently go); an explicit '' clears it.
        if (words.length === 0 && opts.file === undefined)
          throw new UsageError("give the new description, or --file PATH ('' clears it)");
        let description = words.join(' ');
        if (opts.file !== undefined) {
          try {
            description = fs.readFileSync(opts.file === '-' ? 0 : opts.file, 'utf8');
          } catch {
            throw new UsageError(`cannot read the description file ${opts.file}`);
          }
        }
        const c = await service['investigations.update']({ name, description });
        io.out(
          description.trim() === ''
            ? `Cleared the description of '${printable(c.name)}'.\n`
            : `Replaced the description of '${printable(c.name)}'.\n`,
        );
      }),
    );
  investigation
    .command('add-search')
    .description('add saved searches to an open investigation')
    .argument('<name>')
    .argument('<saved...>', 'names of saved searches')
    .action(async (name: string, searches: string[], _opts: unknown, cmd: Command) =>
      withService(cmd, async (service) => {
        await service['investigations.addSearches']({ name, searches });
        io.out(
          `Added ${searches.length} saved search${searches.length === 1 ? '' : 'es'} to '${printable(name)}'.\n`,
        );
      }),
    );
  investigation
    .command('remove-search')
    .description('remove saved searches from an investigation (the saved searches stay)')
    .argument('<name>')
    .argument('<saved...>', 'names of saved searches in the investigation')
    .action(async (name: string, searches: string[], _opts: unknown, cmd: Command) =>
      withService(cmd, async (service) => {
        await service['investigations.removeSearches']({ name, searches });
        io.out(
          `Removed ${searches.length} saved search${searches.length === 1 ? '' : 'es'} from '${printable(name)}' (${searches.length === 1 ? 'it stays' : 'they stay'} saved: audit-explorer saved list).\n`,
        );
      }),
    );
  investigation
    .command('pin')
    .description('pin events to an investigation (they are then kept by retention: legal hold)')
    .argument('<name>')
    .argument('<event-ids...>', 'event ids (32 hex digits: the id column of search --format csv)')
    .action(async (name: string, ids: string[], _opts: unknown, cmd: Command) =>
      withService(cmd, async (service) => {
        const r = await service['investigations.pin']({ name, eventIds: ids });
        io.out(
          `Pinned ${count(r.pinned)} event${r.pinned === 1 ? '' : 's'} to '${printable(name)}' (${count(r.total)} in all).\n`,
        );
      }),
    );
  investigation
    .command('unpin')
    .description('unpin events (their legal hold ends unless another investigation pins them)')
    .argument('<name>')
    .argument('<event-ids...>')
    .action(async (name: string, ids: string[], _opts: unknown, cmd: Command) =>
      withService(cmd, async (service) => {
        const r = await service['investigations.unpin']({ name, eventIds: ids });
        io.out(
          `Unpinned ${count(r.unpinned)} event${r.unpinned === 1 ? '' : 's'} from '${printable(name)}' (${count(r.total)} left).\n`,
        );
      }),
    );
  investigation
    .command('note')
    .description('add a Markdown note to the case, or to one of its pinned events (--event)')
    .argument('<name>')
    .argument('[text...]', 'the note (or --file)')
    .option('--event <id>', 'the pinned event the note is about')
    .option('--file <path>', 'read the note from a file (- for standard input)')
    .action(async (name: string, words: string[], opts: { event?: string; file?: string }, cmd: Command) =>
      withService(cmd, async (service) => {
        let body = words.join(' ');
        if (opts.file !== undefined) {
          try {
            body = fs.readFileSync(opts.file === '-' ? 0 : opts.file, 'utf8');
          } catch {
            throw new UsageError(`cannot read the note file ${opts.file}`);
          }
        }
        if (body.trim() === '') throw new UsageError('the note is empty: give its text, or --file PATH');
        await service['investigations.note']({ name, body, eventId: opts.event ?? null });
        io.out(`Noted on '${printable(name)}'${opts.event ? ` (event ${opts.event})` : ''}.\n`);
      }),
    );
  investigation
    .command('close')
    .description('close an investigation (its pinned events stay on legal hold)')
    .argument('<name>')
    .action(async (name: string, _opts: unknown, cmd: Command) =>
      withService(cmd, async (service) => {
        const c = await service['investigations.close']({ name });
        io.out(`Closed '${printable(c.name)}'; its ${count(c.pinned)} pinned events stay on legal hold.\n`);
      }),
    );
  investigation
    .command('reopen')
    .description('reopen a closed investigation (its description, searches, pins and notes change again)')
    .argument('<name>')
    .action(async (name: string, _opts: unknown, cmd: Command) =>
      withService(cmd, async (service) => {
        const c = await service['investigations.reopen']({ name });
        io.out(`Reopened '${printable(c.name)}'.\n`);
      }),
    );
}
