/**
 * The sync benchmark on its own (`npm run bench:sync`); `npm run bench` runs the same as its sync section
 * (harness/syncSection.ts says what is measured and how). Prints the Markdown section and the targets on
 * stdout, progress on stderr.
 *
 *   node test/bench/syncBench.ts [--events 1000000] [--seed 1] [--objects 10000] [--stores s3,azure]
 *                                [--repeat 1] [--out FILE]
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { passMark } from './harness/format.ts';
import { renderSync, runSyncBench, syncTargets, type SyncStoreKind } from './harness/syncSection.ts';

const USAGE =
  'usage: node test/bench/syncBench.ts [--events 1000000] [--seed 1] [--objects 10000] [--stores s3,azure] [--repeat 1] [--out FILE]';
const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function count(name: string, value: string, min: number): number {
  const n = Number(value.replaceAll('_', ''));
  if (!Number.isSafeInteger(n) || n < min) fail(`--${name} must be an integer ≥ ${min}, got ${value}`);
  return n;
}

let values;
try {
  values = parseArgs({
    options: {
      events: { type: 'string', default: '1000000' },
      seed: { type: 'string', default: '1' },
      objects: { type: 'string', default: '10000' },
      stores: { type: 'string', default: 's3,azure' },
      repeat: { type: 'string', default: '1' },
      out: { type: 'string' },
    },
    strict: true,
  }).values;
} catch (error) {
  fail((error as Error).message);
}
const stores = values.stores.split(',').map((s) => s.trim());
for (const s of stores) if (s !== 's3' && s !== 'azure') fail(`--stores takes s3 and/or azure, got ${s}`);

const report = await runSyncBench(
  {
    events: count('events', values.events, 1000),
    seed: count('seed', values.seed, 0),
    objects: count('objects', values.objects, 1),
    stores: stores as SyncStoreKind[],
    repeat: count('repeat', values.repeat, 1),
    corpusRoot: path.join(BENCH_DIR, '.corpus'),
  },
  (line) => process.stderr.write(`${line}\n`),
);
const text = [
  renderSync(report, '##'),
  'Targets:',
  '',
  ...syncTargets(report).map(
    (t) => `- [${passMark(t.pass)}] ${t.name} ${t.target}: ${t.value}${t.note ? ` (${t.note})` : ''}`,
  ),
  '',
].join('\n');
process.stdout.write(text);
if (values.out) fs.writeFileSync(values.out, text);
