/**
 * Splits a query into tokens. Never throws: a malformed piece becomes an `error` token carrying the
 * QuerySyntaxError the parser will raise, so the search-box highlighter can share this code.
 */

import { FIELD_NAMES, QUERY_FIELDS, QuerySyntaxError } from './ast.ts';
import type { FieldSpec, Span, TermNode } from './ast.ts';
import { OUTCOMES } from '../event.ts';
import { parseDuration, parseTimeValue } from './time.ts';

export type Operator = 'OR' | 'AND' | 'NOT' | '-';

export type Token =
  | { type: 'space'; start: number; end: number }
  | { type: 'lparen' | 'rparen'; start: number; end: number }
  | { type: 'op'; op: Operator; start: number; end: number }
  /** `valueStart` is where the value begins for `name:value` tokens; it equals `start` for free text. */
  | { type: 'term'; node: TermNode; start: number; end: number; valueStart: number }
  | { type: 'error'; error: QuerySyntaxError; start: number; end: number; valueStart: number };

const SPACE_RE = /\s/;
const FIELD_RE = /[A-Za-z][A-Za-z0-9_]*:/y;
/** Edit distance up to which an unknown field name earns a "Did you mean". */
const MAX_SUGGESTION_DISTANCE = 2;
/** Field names people reach for that are too far from ours for the edit distance to find. */
const SYNONYMS: Readonly<Record<string, string>> = {
  since: 'after',
  from: 'after',
  date: 'after',
  time: 'after',
  ts: 'after',
  until: 'before',
  to: 'before',
  email: 'user',
  username: 'user',
};
/** Names a "did you mean" may offer: every field, the `op` alias and the time filters. */
const SUGGESTIONS: readonly string[] = [...QUERY_FIELDS, 'op', 'after', 'before', 'last'];

export function isSpace(ch: string): boolean {
  return SPACE_RE.test(ch);
}

/** Characters that end a bare word or an unquoted value. */
export function isDelimiter(ch: string): boolean {
  return ch === '(' || ch === ')' || ch === '"' || SPACE_RE.test(ch);
}

function col(offset: number): number {
  return offset + 1;
}

/** Optimal-string-alignment distance: Levenshtein plus adjacent swaps, so `uesr` is one edit from `user`. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [];
    for (let j = 0; j <= b.length; j++) {
      if (i === 0 || j === 0) {
        row.push(i + j);
        continue;
      }
      const prev = rows[i - 1]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

function suggestField(name: string): string | undefined {
  const lower = name.toLowerCase();
  const synonym = SYNONYMS[lower];
  if (synonym) return synonym;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of SUGGESTIONS) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  // A two-letter name is within two edits of every other two-letter name: only suggest real near-misses.
  return bestDistance <= MAX_SUGGESTION_DISTANCE && bestDistance < lower.length ? best : undefined;
}

function quoteForMessage(text: string): string {
  return `"${text.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
}

/**
 * Reads a quoted string whose opening quote is at `start`. Only `\"` and `\\` are escapes; any other
 * backslash is literal so that Windows paths can be pasted as they are.
 */
function readQuoted(input: string, start: number): { text: string; end: number } | null {
  let text = '';
  let i = start + 1;
  while (i < input.length) {
    const ch = input[i]!;
    if (ch === '"') return { text, end: i + 1 };
    if (ch === '\\' && (input[i + 1] === '"' || input[i + 1] === '\\')) {
      text += input[i + 1];
      i += 2;
      continue;
    }
    text += ch;
    i += 1;
  }
  return null;
}

function unterminated(input: string, quoteAt: number): QuerySyntaxError {
  return new QuerySyntaxError(`Unterminated quote starting at column ${col(quoteAt)}: close it with "`, {
    start: quoteAt,
    end: input.length,
  });
}

function readUnquoted(input: string, start: number): number {
  let i = start;
  while (i < input.length && !isDelimiter(input[i]!)) i++;
  return i;
}

/** A trailing `*` makes a prefix, unless it is the whole word: a lone `*` is the literal character. */
function splitPrefix(raw: string): { text: string; prefix: boolean } {
  return raw.length > 1 && raw.endsWith('*')
    ? { text: raw.slice(0, -1), prefix: true }
    : { text: raw, prefix: false };
}

function lexPhrase(input: string, start: number): Token {
  const quoted = readQuoted(input, start);
  if (!quoted)
    return { type: 'error', error: unterminated(input, start), start, end: input.length, valueStart: start };
  const prefix = input[quoted.end] === '*';
  const end = prefix ? quoted.end + 1 : quoted.end;
  if (quoted.text === '') {
    const error = new QuerySyntaxError(
      `Empty quotes at column ${col(start)}: put some text between them or remove them`,
      { start, end: quoted.end },
    );
    return { type: 'error', error, start, end, valueStart: start };
  }
  const node: TermNode = { kind: 'text', text: quoted.text, phrase: true, prefix, span: { start, end } };
  return { type: 'term', node, start, end, valueStart: start };
}

function lexWord(input: string, start: number): Token {
  const end = readUnquoted(input, start);
  const raw = input.slice(start, end);
  if (raw === 'OR' || raw === 'AND' || raw === 'NOT') return { type: 'op', op: raw, start, end };
  const { text, prefix } = splitPrefix(raw);
  return {
    type: 'term',
    node: { kind: 'text', text, phrase: false, prefix, span: { start, end } },
    start,
    end,
    valueStart: start,
  };
}

/** Builds the node for a known field whose value has been read; validates outcome and time values. */
function fieldTerm(
  spec: FieldSpec,
  value: string,
  prefix: boolean,
  span: Span,
  valueSpan: Span,
): TermNode | QuerySyntaxError {
  const at = col(valueSpan.start);
  switch (spec.kind) {
    case 'field': {
      if (spec.field !== 'outcome') return { kind: 'field', field: spec.field, value, prefix, span };
      const outcome = value.toLowerCase();
      if (prefix || !(OUTCOMES as readonly string[]).includes(outcome)) {
        const shown = prefix ? `${value}*` : value;
        return new QuerySyntaxError(
          `Invalid outcome '${shown}' at column ${at}: use success, failure or unknown`,
          valueSpan,
        );
      }
      return { kind: 'field', field: 'outcome', value: outcome, prefix: false, span };
    }
    case 'time': {
      const text = prefix ? `${value}*` : value;
      const parsed = parseTimeValue(text);
      if (!parsed.ok)
        return new QuerySyntaxError(`Invalid date '${text}' at column ${at}: ${parsed.reason}`, valueSpan);
      return { kind: 'time', bound: spec.bound, ms: parsed.ms, span };
    }
    case 'last': {
      const text = prefix ? `${value}*` : value;
      const parsed = parseDuration(text);
      if (!parsed.ok)
        return new QuerySyntaxError(
          `Invalid duration '${text}' at column ${at}: ${parsed.reason}`,
          valueSpan,
        );
      return { kind: 'last', ms: parsed.ms, text: parsed.text, span };
    }
  }
}

/** Lexes `name:value`; `nameEnd` is the offset of the colon. */
function lexField(input: string, start: number, nameEnd: number): Token {
  const name = input.slice(start, nameEnd);
  const valueStart = nameEnd + 1;
  let value = '';
  let end: number;
  let prefix = false;
  let unclosed = false;
  if (input[valueStart] === '"') {
    const quoted = readQuoted(input, valueStart);
    if (quoted) {
      value = quoted.text;
      prefix = input[quoted.end] === '*';
      end = prefix ? quoted.end + 1 : quoted.end;
    } else {
      unclosed = true;
      end = input.length;
    }
  } else {
    end = readUnquoted(input, valueStart);
    ({ text: value, prefix } = splitPrefix(input.slice(valueStart, end)));
  }

  const spec = FIELD_NAMES.get(name.toLowerCase());
  if (!spec) {
    const suggestion = suggestField(name);
    const hint = suggestion
      ? ` Did you mean '${suggestion}'?`
      : ` To search for the text, put it in quotes: ${quoteForMessage(input.slice(start, end))}`;
    const error = new QuerySyntaxError(`Unknown field '${name}' at column ${col(start)}.${hint}`, {
      start,
      end: nameEnd,
    });
    return { type: 'error', error, start, end, valueStart };
  }
  if (unclosed) return { type: 'error', error: unterminated(input, valueStart), start, end, valueStart };
  if (value === '') {
    const error = new QuerySyntaxError(
      `Missing value for '${name}:' at column ${col(start)}: write ${name}:VALUE with no space after the colon` +
        ` (quote values with spaces: ${name}:"two words")`,
      { start, end: Math.max(end, valueStart) },
    );
    return { type: 'error', error, start, end, valueStart };
  }
  const span = { start, end };
  const node = fieldTerm(spec, value, prefix, span, { start: valueStart, end });
  if (node instanceof QuerySyntaxError) return { type: 'error', error: node, start, end, valueStart };
  return { type: 'term', node, start, end, valueStart };
}

/** Splits `input` into tokens that cover it exactly, in order. */
export function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    const start = i;
    let token: Token;
    if (isSpace(ch)) {
      while (i < input.length && isSpace(input[i]!)) i++;
      token = { type: 'space', start, end: i };
    } else if (ch === '(' || ch === ')') {
      token = { type: ch === '(' ? 'lparen' : 'rparen', start, end: start + 1 };
    } else if (ch === '"') {
      token = lexPhrase(input, start);
    } else if (ch === '-' && startsNegatedTerm(input[start + 1])) {
      token = { type: 'op', op: '-', start, end: start + 1 };
    } else {
      FIELD_RE.lastIndex = start;
      const field = FIELD_RE.exec(input);
      token = field ? lexField(input, start, start + field[0].length - 1) : lexWord(input, start);
    }
    tokens.push(token);
    i = token.end;
  }
  return tokens;
}

/**
 * A `-` negates only when glued to what follows; `-` alone, `--` and `--force` are plain words, so pasted
 * text like `a - b` or `'; --` still searches instead of failing.
 */
function startsNegatedTerm(next: string | undefined): boolean {
  return next !== undefined && next !== '-' && next !== ')' && !isSpace(next);
}
