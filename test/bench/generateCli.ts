/**
 * CLI for the corpus generator:
 *   node test/bench/generateCli.ts --out DIR --events N [--seed S] [--hostile] [--files F]
 *     [--gzip-ratio R] [--formats P,D,G] [--start ISO] [--end ISO] [--users U] [--force] [--json]
 * Prints a summary of the truth (the full truth is in DIR/truth.json). --force first deletes DIR, but
 * only when it holds a previous corpus (a truth.json and a data/ directory and nothing else).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateCorpus } from './generate.ts';
import type { CorpusTruth } from './generate.ts';

const USAGE =
  'usage: node test/bench/generateCli.ts --out DIR --events N [--seed S] [--hostile] [--files F] ' +
  '[--gzip-ratio R] [--formats P,D,G] [--start ISO] [--end ISO] [--users U] [--force] [--json]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function int(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replaceAll('_', ''));
  if (!Number.isInteger(n)) fail(`--${name} must be an integer, got ${value}`);
  return n;
}

function time(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) fail(`--${name} must be an ISO date, got ${value}`);
  return ms;
}

function summary(t: CorpusTruth, seconds: number): string {
  const mb = t.files.reduce((a, f) => a + f.bytes, 0) / 1e6;
  const out = [
    `corpus: ${t.files.length} files, ${mb.toFixed(1)} MB on disk, seed ${t.seed}, ${seconds.toFixed(1)} s (${Math.round(t.events.distinct / seconds).toLocaleString('en-US')} events/s)`,
    `lines: ${t.lines.total} total, ${t.lines.valid} valid, ${t.lines.duplicate} duplicate, ${t.lines.malformed} malformed, ${t.lines.blank} blank`,
    `events: ${t.events.distinct} distinct (prophecy ${t.events.byFormat.prophecy}, dronahq ${t.events.byFormat.dronahq}, gravitee ${t.events.byFormat.gravitee}); failures ${t.failures.total}`,
    `time: ${t.timeRange.firstEvent} .. ${t.timeRange.lastEvent}`,
    `users: ${t.users.distinct} distinct; top ${t.users.top
      .slice(0, 3)
      .map((u) => `${u.user} (${u.events})`)
      .join(', ')}`,
    `words: frequent "${t.words.frequent.word}" ${t.words.frequent.events}, rare "${t.words.rare.word}" ${t.words.rare.events}, phrase "${t.words.phrase.text}" ${t.words.phrase.events}`,
    'questions:',
    ...t.questions.map((q) => `  ${q.name.padEnd(16)} ${String(q.expected).padStart(9)}  ${q.query}`),
  ];
  if (t.hostile) {
    out.push(
      `hostile: malformed ${JSON.stringify(t.malformed.byKind)}; duplicates within ${t.duplicates.withinFile}, across ${t.duplicates.acrossFiles}, copies ${t.duplicates.wholeFileCopies}; secrets ${t.secrets.length}; long lines ${t.hostile.longLines.length}`,
    );
  }
  if (t.truncatedGzip) {
    out.push(
      `truncated gzip: ${t.truncatedGzip.file}, ${t.truncatedGzip.completeLines} complete lines before the cut`,
    );
  }
  return out.join('\n');
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        out: { type: 'string' },
        events: { type: 'string' },
        seed: { type: 'string' },
        hostile: { type: 'boolean', default: false },
        files: { type: 'string' },
        'gzip-ratio': { type: 'string' },
        formats: { type: 'string' },
        start: { type: 'string' },
        end: { type: 'string' },
        users: { type: 'string' },
        force: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }).values;
  } catch (err) {
    fail((err as Error).message);
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!args.out) fail('--out is required');
  const events = int('events', args.events);
  if (events === undefined) fail('--events is required');
  let formats: { prophecy: number; dronahq: number; gravitee: number } | undefined;
  if (args.formats !== undefined) {
    const parts = args.formats.split(',').map(Number);
    if (parts.length !== 3 || parts.some((n) => !(n >= 0)))
      fail('--formats takes three weights, e.g. 70,15,15');
    formats = { prophecy: parts[0]!, dronahq: parts[1]!, gravitee: parts[2]! };
  }
  const gzipRatio = args['gzip-ratio'] === undefined ? undefined : Number(args['gzip-ratio']);
  const dir = path.resolve(args.out);
  if (args.force && fs.existsSync(dir)) {
    const entries = fs.readdirSync(dir).sort();
    if (entries.length > 0 && entries.join(',') !== 'data,truth.json') {
      fail(`--force only replaces a previous corpus (truth.json + data/); ${dir} holds something else`);
    }
    fs.rmSync(dir, { recursive: true });
  }
  const t0 = performance.now();
  const truth = await generateCorpus({
    dir,
    events,
    seed: int('seed', args.seed),
    files: int('files', args.files),
    hostile: args.hostile,
    formats,
    gzipRatio,
    start: time('start', args.start),
    end: time('end', args.end),
    users: int('users', args.users),
  });
  const seconds = (performance.now() - t0) / 1000;
  if (args.json) {
    const { files: _files, malformed, secrets: _secrets, ...rest } = truth;
    process.stdout.write(
      `${JSON.stringify({ ...rest, malformed: { byKind: malformed.byKind } }, null, 2)}\n`,
    );
  } else {
    process.stdout.write(`${summary(truth, seconds)}\ntruth: ${path.join(dir, 'truth.json')}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
