/**
 * Free text for the FTS5 indexes (unicode61 tokenizer: case-folded, diacritics removed, positions kept).
 * User text only ever reaches MATCH as one FTS5 string literal, which the index tokenizes exactly as it
 * tokenized the events — so `NOT`, `OR`, `NEAR`, `*`, `:` and quotes inside a search term are plain text.
 */

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
