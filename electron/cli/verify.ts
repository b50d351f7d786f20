import fs from 'node:fs';
import type { Command } from 'commander';
import { verifyBundle, pinnedFingerprint } from '../agent/export/verify.ts';
import { UsageError, type CliContext } from './context.ts';
import { count, printable } from './output.ts';

/** Exit codes of verify: 0 verified, 1 failed, 2 usage. */
const VERIFIED = 0;
const FAILED = 1;

/**
 * `verify BUNDLE [--key PUBKEY]`: checks a bundle with the bundle alone. It opens no database (it runs on
 * a recipient's machine that has none), so it does not go through the service.
 */
export function registerVerify({ io, command, setExit }: CliContext): void {
  command('verify')
    .description('check an evidence bundle offline: signature, every file, every event (needs no database)')
    .argument('<bundle>', 'the .zip bundle (or the folder an export wrote)')
    .option('--key <pubkey>', 'the signer you expect: a public key PEM file, or its sha256:… fingerprint')
    .option('--json', 'print the result as JSON')
    .action(async (bundle: string, opts: { key?: string; json?: boolean }, _cmd: Command) => {
      if (!fs.existsSync(bundle))
        throw new UsageError(
          `${bundle} does not exist: give the path of a bundle (.zip) or an export folder`,
        );
      const pinned = opts.key === undefined ? null : pinnedFingerprint(opts.key);
      const result = await verifyBundle(bundle, pinned);
      if (opts.json) {
        io.out(
          JSON.stringify({
            ok: result.ok,
            problems: result.problems,
            fingerprint: result.fingerprint,
            events: result.manifest?.events.count ?? null,
          }) + '\n',
        );
      } else if (result.ok) {
        const m = result.manifest!;
        io.out(
          `Verified: ${bundle}\n  ${count(m.events.count)} events, ${m.files.length} files, created ${m.createdAt} by ${m.tool.name} ${m.tool.version}\n` +
            `  signed by ${result.fingerprint}${pinned ? ' (the pinned key)' : ' — pin it with --key to be sure of the signer'}\n`,
        );
      } else {
        io.out(`FAILED: ${bundle}\n`);
        for (const problem of result.problems) io.out(`  ${printable(problem)}\n`);
      }
      setExit(result.ok ? VERIFIED : FAILED);
    });
}
