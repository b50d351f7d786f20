/**
 * Helpers for the CLI integration tests: a temp workspace per test (removed when the test ends), the CLI
 * run in process through `main(argv, io)` or as the real `bin/audit-explorer.js`, builders for audit lines
 * and a small RFC 4180 reader to parse CSV output back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { onTestFinished } from 'vitest';
import { openDatabase } from '../../../electron/agent/store/open.ts';
import { main } from '../../../electron/cli/main.ts';
import { eventIdOf } from '../engine/support.ts';

/** The repository root (the binary runs from here). */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
/** The real entry point. */
export const BIN = path.join(REPO_ROOT, 'bin', 'audit-explorer.js');
/** One sample line per format: 3 Prophecy, 3 DronaHQ, 2 Gravitee AM, all distinct and valid. */
export const FIXTURES_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'formats');
/** The bundled sample corpus `start` loads. */
export const SAMPLES_DIR = path.join(REPO_ROOT, 'samples', 'corpus');

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export interface Workspace {
  /** The temp directory of this test. */
  readonly dir: string;
  /** This test's database file (inside `dir`). */
  readonly db: string;
  /** Writes a file under `dir` (creating folders) and returns its absolute path. */
  write(relative: string, data: string | Buffer): string;
  /** Runs the CLI in process with `--db <this db>` first; the environment points nowhere else. */
  cli(...argv: string[]): Promise<CliResult>;
}

/** A fresh temp directory and database for the current test; deleted when the test finishes. */
export function workspace(): Workspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-cli-'));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  const db = path.join(dir, 'audit.db');
  return {
    dir,
    db,
    write(relative, data) {
      const file = path.join(dir, relative);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, data);
      return file;
    },
    cli: (...argv) =>
      runMain(['--db', db, ...argv], { AUDIT_EXPLORER_DB: path.join(dir, 'env-fallback.db') }),
  };
}

/** Runs `main(argv, io)` capturing stdout and stderr; `env` is what the CLI sees as its environment. */
export async function runMain(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  let out = '';
  let err = '';
  const code = await main(argv, {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    env,
  });
  return { code, out, err };
}

/** Runs `node bin/audit-explorer.js ARGS` from the repository root with `AUDIT_EXPLORER_DB=db`. */
export function runBinary(args: readonly string[], db: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, AUDIT_EXPLORER_DB: db, AUDIT_EXPLORER_DEBUG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

/** A `bin/audit-explorer.js` process still running, for tests that signal it or run others beside it. */
export interface RunningBinary {
  readonly child: ChildProcess;
  /** Resolves when it exits: its code (128 + n when a signal n ended it) and everything it printed. */
  readonly result: Promise<CliResult>;
  /** What it printed on stderr so far. */
  err(): string;
}

/** Starts `node bin/audit-explorer.js ARGS` (like {@link runBinary}) without waiting for it. */
export function startBinary(
  args: readonly string[],
  db: string,
  { tuned = true }: { tuned?: boolean } = {},
): RunningBinary {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT,
    // `tuned: false`: no second process for ingest/sync/export (scripts/tuning.cjs), so the process a test
    // kills with SIGKILL (which cannot be passed on) is the one doing the work.
    env: {
      ...process.env,
      AUDIT_EXPLORER_DB: db,
      AUDIT_EXPLORER_DEBUG: '',
      ...(tuned ? {} : { AUDIT_EXPLORER_TUNED: '1' }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const result = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({ code: code ?? 128 + (signal ? os.constants.signals[signal] : 0), out, err }),
    );
  });
  return { child, result, err: () => err };
}

/** Resolves once `condition()` holds, checking every 50 ms; fails after `timeoutMs` saying what it waited for. */
export async function until(what: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A folder of `files` NDJSON files of `linesPerFile` distinct Prophecy events each, none shared with a
 * corpus of another `name` (the user names the corpus): enough lines that an import is still running a
 * moment after it started. Returns the folder and the number of events.
 */
export function prophecyCorpus(
  ws: Workspace,
  name: string,
  files: number,
  linesPerFile: number,
): { dir: string; events: number } {
  for (let f = 0; f < files; f++) {
    const lines: string[] = [];
    for (let i = 0; i < linesPerFile; i++) {
      const n = f * linesPerFile + i;
      lines.push(
        prophecyLine({
          ts: Date.UTC(2024, 0, 1) + n * 1000,
          user: `${name}-${n % 500}@acme.example`,
          action: ['releaseProject', 'updateEntity', 'addUser', 'removeEntity'][n % 4],
          params: { seq: String(n), corpus: name },
        }),
      );
    }
    ws.write(`${name}/part-${f}.ndjson`, lines.join('\n') + '\n');
  }
  return { dir: path.join(ws.dir, name), events: files * linesPerFile };
}

/** Events stored in `db` as a reader sees them right now (0 before the database exists or is migrated). */
export function storedEvents(db: string): number {
  if (!fs.existsSync(db)) return 0;
  try {
    const conn = openDatabase(db, { readonly: true });
    try {
      return conn.prepare('SELECT coalesce(sum(n), 0) FROM segments').pluck().get() as number;
    } finally {
      conn.close();
    }
  } catch {
    return 0;
  }
}

/** The pids whose parent is `pid` (the launcher's re-executed child), read from /proc (Linux). */
export function childPids(pid: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && procStatus(Number(entry))?.ppid === pid)
    .map(Number);
}

/** The process exists and has not ended (a zombie waiting to be reaped has ended). */
export function alive(pid: number): boolean {
  const status = procStatus(pid);
  return status !== null && status.state !== 'Z';
}

function procStatus(pid: number): { state: string; ppid: number } | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return { state: /^State:\s+(\S)/m.exec(text)![1]!, ppid: Number(/^PPid:\s+(\d+)/m.exec(text)![1]) };
  } catch {
    return null;
  }
}

/** The id of `line` in the database file `db` (keyed per database: see the engine tests' eventIdOf). */
export function eventId(db: string, line: string): string {
  return eventIdOf(db, line);
}

export interface ProphecyLine {
  /** createdAt, epoch ms. */
  ts: number;
  user: string;
  action?: string;
  opType?: string;
  responseCode?: number;
  org?: string;
  /** requestParams (values are written as given). */
  params?: Record<string, string>;
}

/** One Prophecy user-event line (the exporter's shape). */
export function prophecyLine(e: ProphecyLine): string {
  return JSON.stringify({
    opType: e.opType ?? 'Query',
    createdAt: e.ts,
    nameHints: [e.action ?? 'User'],
    userEmail: e.user,
    customerName: e.org ?? 'acme',
    responseCode: e.responseCode ?? 200,
    requestParams: e.params ?? {},
    latencyInMillis: 7,
  });
}

/** The lines of a fixture file (test/fixtures/formats/NAME.ndjson), without line endings. */
export function fixtureLines(name: 'prophecy' | 'dronahq' | 'gravitee-am'): string[] {
  return fs
    .readFileSync(path.join(FIXTURES_DIR, `${name}.ndjson`), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

/** The text of line `line` (1-based) of a file, gunzipped when it is gzip. */
export function lineOf(file: string, line: number): string {
  let data = fs.readFileSync(file);
  if (data[0] === 0x1f && data[1] === 0x8b) data = zlib.gunzipSync(data);
  const text = data.toString('utf8').split('\n')[line - 1];
  if (text === undefined) throw new Error(`${file} has no line ${line}`);
  return text.replace(/\r$/, '');
}

/**
 * A folder with two objects, built so every ingest count is known:
 * - `a.ndjson`: 3 distinct Prophecy events, a line that is not JSON (line 3), a JSON array (line 5), and
 *   a repeat of line 1 (line 6);
 * - `b.ndjson.gz`: the two Gravitee AM fixture lines, gzipped.
 * So: 5 events, 1 duplicate, 2 quarantined, 2 objects, 0 errors.
 */
export function mixedFolder(ws: Workspace): {
  dir: string;
  plain: string;
  gzip: string;
  badLines: { object: string; line: number; excerpt: string }[];
  tsRange: { first: number; last: number };
} {
  const p1 = prophecyLine({
    ts: Date.UTC(2024, 0, 10, 8),
    user: 'alice@acme.example',
    action: 'releaseProject',
  });
  const p2 = prophecyLine({ ts: Date.UTC(2024, 0, 11, 9), user: 'bob@acme.example', responseCode: 403 });
  const p3 = prophecyLine({ ts: Date.UTC(2024, 0, 12, 10), user: 'carol@acme.example' });
  const dir = path.join(ws.dir, 'mixed');
  const plain = ws.write('mixed/a.ndjson', [p1, p2, '{not json', p3, '[1,2,3]', p1].join('\n') + '\n');
  const gzip = ws.write('mixed/b.ndjson.gz', zlib.gzipSync(fixtureLines('gravitee-am').join('\n') + '\n'));
  return {
    dir,
    plain,
    gzip,
    badLines: [
      { object: plain, line: 3, excerpt: '{not json' },
      { object: plain, line: 5, excerpt: '[1,2,3]' },
    ],
    // Gravitee fixture: 2024-03-04T09:15:27.301Z and 2024-03-04T09:16:02.118Z.
    tsRange: { first: Date.UTC(2024, 0, 10, 8), last: Date.parse('2024-03-04T09:16:02.118Z') },
  };
}

/** Parses RFC 4180 CSV (quoted cells may hold commas, doubled quotes and line breaks). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else cell += c;
      i++;
      continue;
    }
    if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      if (c === '\r') i++;
    } else cell += c;
    i++;
  }
  if (quoted) throw new Error('CSV ends inside a quoted cell');
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** The non-empty lines of a text, each parsed as JSON. */
export function ndjson<T = Record<string, unknown>>(text: string): T[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as T);
}
