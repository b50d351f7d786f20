// Runs a command with Node 24 first on PATH: `node scripts/withNode24.js vitest run`.
// npm scripts go through it so that `npm test` works even where the machine's `node` is older.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const { REQUIRED_MAJOR, currentMajor, provision, provisionedBinDir } = createRequire(import.meta.url)(
  './node24.cjs',
);

const [command, ...args] = process.argv.slice(2);
if (!command) {
  process.stderr.write('usage: node scripts/withNode24.js COMMAND [ARGS...]\n');
  process.exit(2);
}
const env = { ...process.env };
if (currentMajor() < REQUIRED_MAJOR) {
  provision();
  env.PATH = `${provisionedBinDir()}${path.delimiter}${env.PATH ?? ''}`;
}
const result = spawnSync(command, args, { stdio: 'inherit', env, shell: process.platform === 'win32' });
if (result.error) {
  process.stderr.write(`could not run ${command}: ${result.error.message}\n`);
  process.exit(1);
}
process.exit(result.status ?? 1);
