import fs from 'node:fs';
import type { Command } from 'commander';
import type { CliContext } from './context.ts';
import { queryOf, UsageError } from './context.ts';
import { bytes, count } from './output.ts';

/** `export [QUERY] --out PATH` and `key show`. */
export function registerExport({ io, command, withService }: CliContext): void {
  command('export')
    .description(
      'export every event a query (or an investigation) selects: events.ndjson, events.csv, report.html and a signed manifest, into a folder or a .zip evidence bundle',
    )
    .allowUnknownOption()
    .argument('[query...]', 'query; empty = everything')
    .requiredOption('--out <path>', 'a new folder, or a file name ending in .zip for a bundle')
    .option(
      '--investigation <name>',
      "export this investigation's pinned events (and its notes) instead of a query",
    )
    .option('--bom', 'start the CSV with a UTF-8 byte order mark (Excel)')
    .option('--pseudonymize', 'replace user identities by keyed pseudonyms (a random key per export)')
    .option(
      '--pseudonym-key-file <file>',
      'the pseudonymisation key (hex, at least 16 bytes) for pseudonyms that match across exports; implies --pseudonymize',
    )
    .option('--html-rows <n>', 'rows shown in report.html', (v) => Number(v), 1000)
    .action(
      async (
        words: string[],
        opts: {
          out: string;
          investigation?: string;
          bom?: boolean;
          pseudonymize?: boolean;
          pseudonymKeyFile?: string;
          htmlRows: number;
        },
        cmd: Command,
      ) =>
        withService(cmd, async (service) => {
          const query = queryOf(words);
          if (opts.investigation !== undefined && query !== '')
            throw new UsageError('give either a query or --investigation NAME, not both');
          let key: string | null = null;
          if (opts.pseudonymKeyFile !== undefined) {
            try {
              key = fs.readFileSync(opts.pseudonymKeyFile, 'utf8').trim();
            } catch {
              throw new UsageError(`cannot read the pseudonymisation key file ${opts.pseudonymKeyFile}`);
            }
            if (!/^([0-9a-fA-F]{2}){16,}$/.test(key))
              throw new UsageError(
                `${opts.pseudonymKeyFile} must hold at least 16 bytes as hex (make one with: openssl rand -hex 32)`,
              );
          }
          let lastDraw = 0;
          const stop = service.subscribe((event) => {
            if (event.name !== 'export.progress' || !io.interactive || performance.now() - lastDraw < 250)
              return;
            lastDraw = performance.now();
            const p = event.payload;
            io.err(
              p.phase === 'zip'
                ? '\rPacking the bundle…\x1b[K'
                : `\r${count(p.exported)} of ${count(p.total)} events\x1b[K`,
            );
          });
          const result = await service['export.run']({
            query,
            investigation: opts.investigation ?? null,
            out: opts.out,
            bom: opts.bom ?? false,
            pseudonymize: opts.pseudonymize || key !== null ? { key } : null,
            htmlRows: opts.htmlRows,
          }).finally(stop);
          if (io.interactive) io.err('\r\x1b[K');
          io.out(
            `Exported ${count(result.exported)} events (the ${opts.investigation ? 'investigation pins' : 'query matches'} ${count(result.matched)}) to ${result.out} in ${result.seconds.toFixed(1)} s.\n`,
          );
          for (const f of result.files) io.out(`  ${f.name}  ${bytes(f.bytes)}  sha256 ${f.sha256}\n`);
          io.out(
            `Signed by ${result.fingerprint}. Check it with: audit-explorer verify ${result.out} --key ${result.fingerprint}\n`,
          );
        }),
    );

  command('key')
    .description("this installation's bundle signing key")
    .command('show')
    .description('print the public key (PEM) and its fingerprint, for recipients to pin with verify --key')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) =>
      withService(cmd, async (service) => {
        const key = await service['keys.show']({});
        if (opts.json) return void io.out(JSON.stringify(key) + '\n');
        io.out(`${key.publicKeyPem.trimEnd()}\nfingerprint ${key.fingerprint}\n`);
      }),
    );
}
