/**
 * Free text for the FTS5 indexes (unicode61 tokenizer: case-folded, diacritics removed, positions kept).
 * User text only ever reaches MATCH as one FTS5 string literal, which the index tokenizes exactly as it
 * tokenized the events — so `NOT`, `OR`, `NEAR`, `*`, `:` and quotes inside a search term are plain text.
 */

import type { Db } from './open.ts';

const TOKEN = /[\p{L}\p{N}\p{Co}]+/gu;
const MARKS = /\p{M}+/gu;

/** The words unicode61 (remove_diacritics 2) makes of a text; used to reject terms with none. */
export function tokenize(text: string): string[] {
  return text.normalize('NFD').replace(MARKS, '').toLowerCase().match(TOKEN) ?? [];
}

/**
 * A search term as an FTS5 expression: a phrase (the term's words, in order), the last word a prefix when
 * `prefix` is set (`pass*`, `"alice smi"*`).
 */
export function ftsPhrase(text: string, prefix: boolean): string {
  // FTS5 reads its query as a C string: a NUL would cut it short. It separates words like any other
  // non-letter, so a space means the same.
  return `"${text.replaceAll('\u0000', ' ').replaceAll('"', '""')}"${prefix ? '*' : ''}`;
}

/** The events' index's words by prefix. */
export interface PrefixVocabulary {
  /**
   * Prefix lengths, in characters, the index keeps a prefix index for (FTS5's `prefix=` option): a prefix
   * of such a length is one read of that index, not an expansion into every word it starts.
   */
  readonly indexed: ReadonlySet<number>;
  /** How many indexed words start with `prefix` (counting up to `limit`), and how many events hold them. */
  expand(prefix: string, limit: number): { words: number; postings: number };
}

/**
 * Looks prefixes up in the events' index's term list (an `fts5vocab` table in the connection's temp
 * schema, so it works on a read-only connection and writes nothing to the database). It reads each word's
 * event count, not its postings merged: a tenth of what the prefix query itself costs, and it answers
 * before that query runs. `postings` counts an event once per word it holds, so it is an upper bound.
 */
export function prefixVocabulary(db: Db): PrefixVocabulary {
  // The service's reading connection is query_only (only the writer thread writes), and query_only also
  // refuses DDL in the connection's own temp schema; this table writes nothing to the file, so lift it
  // for this one statement.
  const queryOnly = db.pragma('query_only', { simple: true }) === 1;
  if (queryOnly) db.pragma('query_only = OFF');
  try {
    db.exec(
      "CREATE VIRTUAL TABLE IF NOT EXISTS temp.events_fts_vocab USING fts5vocab(main, 'events_fts', 'row')",
    );
  } finally {
    if (queryOnly) db.pragma('query_only = ON');
  }
  const stmt = db.prepare(
    `SELECT count(*) AS words, coalesce(sum(doc), 0) AS postings
     FROM (SELECT doc FROM temp.events_fts_vocab WHERE term >= ? AND term < ? LIMIT ?)`,
  );
  const sql = db
    .prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'events_fts'")
    .pluck()
    .get() as string | undefined;
  return {
    indexed: indexedPrefixLengths(sql ?? ''),
    expand: (prefix, limit) =>
      stmt.get(prefix, prefix + '\u{10FFFF}', limit) as { words: number; postings: number },
  };
}

/** The lengths an FTS5 table's `prefix` options name (`prefix='1 2'`, `prefix=3`), from its CREATE text. */
export function indexedPrefixLengths(createSql: string): Set<number> {
  const lengths = new Set<number>();
  for (const match of createSql.matchAll(/\bprefix\s*=\s*'?([\d\s]+)'?/gi)) {
    for (const n of match[1]!.trim().split(/\s+/)) lengths.add(Number(n));
  }
  return lengths;
}
