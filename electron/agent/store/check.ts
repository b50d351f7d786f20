import Database from 'better-sqlite3';
import {
  DatabaseIsFolderError,
  DatabaseMissingError,
  NotOurDatabaseError,
  StoreCorruptError,
} from './errors.ts';
import { APPLICATION_ID, inspectHeader, notWritable, type Db } from './open.ts';
import { openBlock } from './rawBlocks.ts';
import { decodeSegment, type Segment } from './segments.ts';

/** One part of a check and what it found. */
export interface CheckStep {
  /** What was checked, e.g. "SQLite pages and indexes (integrity_check)". */
  readonly name: string;
  /** What is wrong (empty when sound). */
  readonly problems: string[];
  /** A note when the step could not run in full (e.g. read-only). */
  readonly note?: string;
}

export interface CheckReport {
  readonly file: string;
  readonly ok: boolean;
  readonly steps: CheckStep[];
}

/** Problems reported per step at most: a badly damaged file would list thousands. */
const MAX_PROBLEMS = 20;

/**
 * Checks a database through and through, changing nothing: the file header, SQLite's own integrity check
 * (every page, b-tree and index), each full-text index's integrity check, the column segments against the
 * events table (rows per segment, every key present, nothing extra) and that every block of raw lines
 * decompresses and holds the lines its events point at. SQLite checks structure, not values: the last
 * two steps catch damage inside data that searches would otherwise answer around. Reads the whole file —
 * seconds per million events — so it is a command, not part of opening.
 *
 * Throws for a file that is not a database of ours at all (missing, a folder, another application's).
 */
export function checkDatabase(file: string): CheckReport {
  const steps: CheckStep[] = [];
  const header = inspectHeader(file);
  if (header.kind === 'missing') throw new DatabaseMissingError(file);
  if (header.kind === 'folder') throw new DatabaseIsFolderError(file);
  if (header.kind === 'foreign') throw new NotOurDatabaseError(file);
  if (header.kind === 'sqlite' && header.applicationId !== APPLICATION_ID && header.applicationId !== 0)
    throw new NotOurDatabaseError(file);
  if (header.kind === 'empty')
    return report(file, [{ name: 'file header', problems: [], note: 'the file is empty: a new database' }]);
  steps.push({
    name: 'file header',
    problems: header.kind === 'damaged' ? [header.detail] : [],
  });

  let db: Db;
  // The full-text checks are statements SQLite only runs on a writable connection (they change nothing).
  const writable = notWritable(file) === null;
  try {
    db = new Database(file, { readonly: !writable, fileMustExist: true });
    db.pragma('busy_timeout = 10000');
  } catch (error) {
    steps.push({ name: 'open', problems: [`SQLite cannot open it: ${(error as Error).message}`] });
    return report(file, steps);
  }
  try {
    steps.push(step('SQLite pages, b-trees and indexes (integrity_check)', () => sqliteIntegrity(db)));
    for (const table of ['events_fts', 'dict_fts']) {
      const name = `full-text index ${table} (FTS5 integrity-check)`;
      if (!writable) steps.push({ name, problems: [], note: 'skipped: the database is read-only here' });
      else steps.push(step(name, () => ftsIntegrity(db, table)));
    }
    steps.push(step('column segments against the events table', () => segmentsAgainstEvents(db)));
    steps.push(step('blocks of raw lines', () => rawBlocks(db)));
  } finally {
    db.close();
  }
  return report(file, steps);
}

function report(file: string, steps: CheckStep[]): CheckReport {
  return { file, ok: steps.every((s) => s.problems.length === 0), steps };
}

/** Runs one step; an error it throws (a corrupt page met on the way) is its problem. */
function step(name: string, run: () => string[]): CheckStep {
  try {
    return { name, problems: run().slice(0, MAX_PROBLEMS) };
  } catch (error) {
    return { name, problems: [(error as Error).message] };
  }
}

function sqliteIntegrity(db: Db): string[] {
  const rows = db.pragma(`integrity_check(${MAX_PROBLEMS})`, { simple: false }) as {
    integrity_check: string;
  }[];
  const messages = rows.map((r) => r.integrity_check);
  return messages.length === 1 && messages[0] === 'ok' ? [] : messages;
}

function ftsIntegrity(db: Db, table: string): string[] {
  try {
    db.prepare(`INSERT INTO ${table} (${table}, rank) VALUES ('integrity-check', 0)`).run();
    return [];
  } catch (error) {
    return [`${(error as Error).message}`];
  }
}

/**
 * Every segment decodes and agrees with its row; the keys of all segments together are exactly the keys
 * of the events table (counts per segment add up, no key missing on either side, none twice).
 */
function segmentsAgainstEvents(db: Db): string[] {
  const problems: string[] = [];
  const metas = db
    .prepare('SELECT id, level, n, min_pos AS minPos, max_pos AS maxPos FROM segments')
    .all() as {
    id: number;
    level: number;
    n: number;
    minPos: number;
    maxPos: number;
  }[];
  const blob = db.prepare('SELECT data FROM segments WHERE id = ?').pluck();
  const segments: Segment[] = [];
  for (const meta of metas) {
    try {
      segments.push(decodeSegment(meta, blob.get(meta.id) as Uint8Array));
    } catch (error) {
      if (!(error instanceof StoreCorruptError)) throw error;
      problems.push(error.message);
    }
  }
  let total = 0;
  for (const s of segments) total += s.n;
  const keys = new Float64Array(total);
  let k = 0;
  for (const s of segments) {
    keys.set(s.pos, k);
    k += s.n;
  }
  keys.sort();
  const events = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
  const rowsInSegments = metas.reduce((n, m) => n + m.n, 0);
  if (rowsInSegments !== events)
    problems.push(`the segments hold ${rowsInSegments} rows, the events table ${events} events`);
  let missing = 0;
  let extra = 0;
  let twice = 0;
  let i = 0;
  for (const pos of db.prepare('SELECT pos FROM events ORDER BY pos').pluck().iterate() as Iterable<number>) {
    while (i < keys.length && keys[i]! < pos) {
      extra++;
      i++;
    }
    if (i < keys.length && keys[i] === pos) {
      i++;
      while (i < keys.length && keys[i] === pos) {
        twice++;
        i++;
      }
    } else missing++;
  }
  extra += keys.length - i;
  if (missing > 0) problems.push(`${missing} events are in no column segment (searches would miss them)`);
  if (extra > 0) problems.push(`${extra} segment rows name no stored event`);
  if (twice > 0) problems.push(`${twice} events are in more than one segment (they would count twice)`);
  return problems;
}

/** Every block decompresses, holds the lines its events point at, and its live count matches them. */
function rawBlocks(db: Db): string[] {
  const problems: string[] = [];
  const uses = new Map<number, { events: number; maxIndex: number }>();
  for (const row of db
    .prepare('SELECT blk, count(*) AS events, max(bi) AS maxIndex FROM events GROUP BY blk')
    .iterate() as Iterable<{ blk: number; events: number; maxIndex: number }>) {
    uses.set(row.blk, row);
  }
  for (const row of db.prepare('SELECT id, live, data FROM raw_blocks').iterate() as Iterable<{
    id: number;
    live: number;
    data: Uint8Array;
  }>) {
    const use = uses.get(row.id);
    uses.delete(row.id);
    try {
      const lines = openBlock(row.id, row.data).starts.length - 1;
      if (use && use.maxIndex >= lines)
        problems.push(
          `block ${row.id} of raw lines holds ${lines} lines, its events point at line ${use.maxIndex}`,
        );
    } catch (error) {
      if (!(error instanceof StoreCorruptError)) throw error;
      problems.push(error.message);
    }
    if ((use?.events ?? 0) !== row.live)
      problems.push(
        `block ${row.id} of raw lines counts ${row.live} events, ${use?.events ?? 0} point into it`,
      );
  }
  for (const [blk, use] of uses)
    problems.push(`${use.events} events point into block ${blk}, which is missing`);
  return problems;
}
