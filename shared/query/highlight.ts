/**
 * Colouring for the search box: the lexer's tokens, with every problem the lexer, the bracket matcher and
 * the parser can see marked as `error`.
 */

import { QuerySyntaxError } from './ast.ts';
import type { Span } from './ast.ts';
import { lex } from './lex.ts';
import type { Token } from './lex.ts';
import { parseQuery } from './parse.ts';

export type HighlightKind = 'field' | 'value' | 'text' | 'phrase' | 'operator' | 'paren' | 'error' | 'space';

/** A coloured run of the query; runs cover the input in order with no gaps or overlaps. */
export interface HighlightToken {
  kind: HighlightKind;
  start: number;
  end: number;
}

/** Splits one token into coloured runs, before errors are overlaid. */
function baseRuns(t: Token): HighlightToken[] {
  switch (t.type) {
    case 'space':
      return [{ kind: 'space', start: t.start, end: t.end }];
    case 'lparen':
    case 'rparen':
      return [{ kind: 'paren', start: t.start, end: t.end }];
    case 'op':
      return [{ kind: 'operator', start: t.start, end: t.end }];
    case 'term':
    case 'error': {
      if (t.valueStart > t.start) {
        const runs: HighlightToken[] = [{ kind: 'field', start: t.start, end: t.valueStart }];
        if (t.end > t.valueStart) runs.push({ kind: 'value', start: t.valueStart, end: t.end });
        return runs;
      }
      const phrase = t.type === 'term' ? t.node.kind === 'text' && t.node.phrase : true;
      return [{ kind: phrase ? 'phrase' : 'text', start: t.start, end: t.end }];
    }
  }
}

/** Spans of every '(' without a ')' and every ')' without a '('. */
function unmatchedParens(tokens: readonly Token[]): Span[] {
  const open: Token[] = [];
  const bad: Span[] = [];
  for (const t of tokens) {
    if (t.type === 'lparen') open.push(t);
    else if (t.type === 'rparen' && !open.pop()) bad.push(t);
  }
  return bad.concat(open);
}

function highlight(input: string): HighlightToken[] {
  const tokens = lex(input);
  const errors: Span[] = unmatchedParens(tokens);
  for (const t of tokens) if (t.type === 'error') errors.push(t.error.span);
  try {
    parseQuery(input);
  } catch (e) {
    if (!(e instanceof QuerySyntaxError)) throw e;
    errors.push(e.span);
  }
  const isError = new Uint8Array(input.length);
  for (const { start, end } of errors) isError.fill(1, start, end);

  const out: HighlightToken[] = [];
  for (const run of tokens.flatMap(baseRuns)) {
    let start = run.start;
    for (let i = run.start + 1; i <= run.end; i++) {
      if (i === run.end || isError[i] !== isError[start]) {
        out.push({ kind: isError[start] ? 'error' : run.kind, start, end: i });
        start = i;
      }
    }
  }
  return out;
}

/**
 * Tokens for colouring the search box. Never throws, whatever the input: problems come back as `error`
 * runs (the first one parseQuery would report, plus every lexical error and unmatched bracket).
 */
export function tokenizeForHighlight(input: string): HighlightToken[] {
  try {
    return highlight(input);
  } catch {
    // A bug here must not break typing in the search box: degrade to one uncoloured run.
    return input === '' ? [] : [{ kind: 'text', start: 0, end: input.length }];
  }
}
