/**
 * Read-only facts about a finished database: file sizes, where the bytes are (SQLite's dbstat), and how
 * many segments the full-text index has left. Everything but the sizes is best-effort: the schema
 * belongs to the engine and may change under the benchmark.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';

export interface DbFacts {
  bytes: number;
  walBytes: number;
  breakdown: { name: string; bytes: number }[] | null;
  ftsSegments: number | null;
}

function size(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

export function dbFiles(dbFile: string): { bytes: number; walBytes: number } {
  return { bytes: size(dbFile), walBytes: size(`${dbFile}-wal`) };
}

/** Folds FTS5 shadow tables and indexes into their table's name. */
function owner(name: string, indexes: Map<string, string>): string {
  const table = indexes.get(name) ?? name;
  if (table.startsWith('sqlite_autoindex_')) return table.replace(/^sqlite_autoindex_(.+)_\d+$/, '$1');
  return table;
}

function breakdownOf(db: Database.Database): DbFacts['breakdown'] {
  try {
    const indexes = new Map(
      (
        db.prepare("SELECT name, tbl_name FROM sqlite_schema WHERE type = 'index'").all() as {
          name: string;
          tbl_name: string;
        }[]
      ).map((r) => [r.name, r.tbl_name]),
    );
    const rows = db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all() as {
      name: string;
      bytes: number;
    }[];
    const byTable = new Map<string, number>();
    for (const r of rows) {
      const name = owner(r.name, indexes);
      byTable.set(name, (byTable.get(name) ?? 0) + r.bytes);
    }
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const freePages = db.pragma('freelist_count', { simple: true }) as number;
    if (freePages > 0) byTable.set('(free pages)', freePages * pageSize);
    return [...byTable].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
  } catch {
    return null; // no dbstat in this SQLite build
  }
}

function ftsSegmentsOf(db: Database.Database): number | null {
  try {
    return db.prepare('SELECT count(DISTINCT segid) FROM events_fts_idx').pluck().get() as number;
  } catch {
    return null; // the engine's schema changed
  }
}

export function inspectDb(dbFile: string): DbFacts {
  const files = dbFiles(dbFile);
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return { ...files, breakdown: breakdownOf(db), ftsSegments: ftsSegmentsOf(db) };
  } finally {
    db.close();
  }
}
