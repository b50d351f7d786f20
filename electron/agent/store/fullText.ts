/**
 * Full-text helpers shared by the query compiler and phrase verification.
 *
 * The FTS5 index uses the unicode61 tokenizer (case-folded, diacritics removed) with detail=none: it knows
 * which events contain a token, not where. So a search term becomes an AND of its quoted tokens, and a
 * term of several tokens (a phrase, or a word like `alice@acme.com`) is then verified against the event's
 * raw line. User text only ever reaches MATCH through {@link quoteFtsToken}.
 */

const TOKEN = /[\p{L}\p{N}\p{Co}]+/gu;
const MARKS = /\p{M}+/gu;

/** Splits text into index tokens the way unicode61 (remove_diacritics 2) does, closely enough to verify phrases. */
export function tokenize(text: string): string[] {
  const folded = text.normalize('NFD').replace(MARKS, '').toLowerCase();
  return folded.match(TOKEN) ?? [];
}

/** One token as an FTS5 string literal: quotes doubled, so `NOT`, `OR`, `*`, `:` and `"` are plain text. */
export function quoteFtsToken(token: string): string {
  return `"${token.replaceAll('"', '""')}"`;
}

/** A free-text term of the query language, ready for the index. */
export interface TextTerm {
  readonly tokens: readonly string[];
  /** The last token matches as a prefix (`pass*`). */
  readonly prefix: boolean;
}

/** The FTS5 MATCH expression for terms that must all be present: an AND of every token. */
export function ftsExpression(terms: readonly TextTerm[]): string {
  const parts: string[] = [];
  for (const term of terms) {
    term.tokens.forEach((token, i) => {
      parts.push(quoteFtsToken(token) + (term.prefix && i === term.tokens.length - 1 ? '*' : ''));
    });
  }
  return parts.join(' AND ');
}

/** True when the index alone cannot decide the term: its tokens must also be adjacent. */
export function needsVerification(term: TextTerm): boolean {
  return term.tokens.length > 1;
}

/**
 * True when some string value of the event holds the term's tokens consecutively (the last as a prefix
 * when the term is a prefix). `strings` are the event's string values.
 */
export function containsTerm(strings: readonly string[], term: TextTerm): boolean {
  const want = term.tokens;
  for (const value of strings) {
    const have = tokenize(value);
    for (let start = 0; start + want.length <= have.length; start++) {
      let ok = true;
      for (let k = 0; k < want.length; k++) {
        const token = have[start + k]!;
        const last = k === want.length - 1;
        if (!(token === want[k] || (last && term.prefix && token.startsWith(want[k]!)))) {
          ok = false;
          break;
        }
      }
      if (ok) return true;
    }
  }
  return false;
}

/** Every string value of a parsed JSON value, at any depth. */
export function stringValues(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) stringValues(item, out);
  else if (value !== null && typeof value === 'object') {
    for (const key in value) stringValues((value as Record<string, unknown>)[key], out);
  }
  return out;
}
