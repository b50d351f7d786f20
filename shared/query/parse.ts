/**
 * Recursive-descent parser. Grammar, loosest first:
 *   query   := or EOF
 *   or      := and ('OR' and)*
 *   and     := unary ('AND'? unary)*
 *   unary   := ('-' | 'NOT') unary | primary
 *   primary := '(' or ')' | term
 * Parentheses and negations nest at most {@link MAX_NESTING} deep: the parser (and every walk of the tree
 * after it) recurses once per level, so a pasted `((((…` of thousands must be an error, not a stack overflow.
 */

import { QuerySyntaxError } from './ast.ts';
import type { QueryNode } from './ast.ts';
import { lex } from './lex.ts';
import type { Token } from './lex.ts';
import { normalizeQuery } from './normalize.ts';

type OpToken = Extract<Token, { type: 'op' }>;

/**
 * How deep parentheses and negations (`-`, `NOT`) may nest, counted together. Nobody writes 64 levels by
 * hand; the limit keeps every recursive walk of a tree (normalise, print, plan) far from the stack's end.
 */
export const MAX_NESTING = 64;

interface State {
  tokens: Token[];
  pos: number;
  /** Parentheses and negations open around the current position. */
  depth: number;
}

function peek(s: State): Token | undefined {
  return s.tokens[s.pos];
}

function startsTerm(t: Token | undefined): boolean {
  if (t === undefined) return false;
  if (t.type === 'op') return t.op === '-' || t.op === 'NOT';
  return t.type === 'term' || t.type === 'error' || t.type === 'lparen';
}

function opName(t: OpToken): string {
  return `'${t.op}'`;
}

function nothingAfter(t: OpToken): QuerySyntaxError {
  return new QuerySyntaxError(
    `${opName(t)} at column ${t.start + 1} has nothing after it: add a search term after it or remove it`,
    t,
  );
}

function nothingBefore(t: OpToken): QuerySyntaxError {
  return new QuerySyntaxError(
    `${opName(t)} at column ${t.start + 1} has nothing before it: add a search term before it or remove it`,
    t,
  );
}

function nothingToNegate(t: OpToken): QuerySyntaxError {
  return new QuerySyntaxError(
    `${opName(t)} at column ${t.start + 1} has nothing to negate: put a search term right after it` +
      ` (to search for the word OR, AND or NOT, quote it: -"OR")`,
    t,
  );
}

function unmatchedOpen(t: Token): QuerySyntaxError {
  return new QuerySyntaxError(
    `Unmatched '(' at column ${t.start + 1}: add a ')' to close it or remove it`,
    t,
  );
}

/** Enters one more level of nesting at token `t`, or rejects the query at `t` when that is too deep. */
function enter(s: State, t: Token): void {
  if (++s.depth <= MAX_NESTING) return;
  const what = t.type === 'lparen' ? "'('" : `'${(t as OpToken).op}'`;
  throw new QuerySyntaxError(
    `Too deeply nested at column ${t.start + 1}: the ${what} there opens level ${s.depth}, and parentheses` +
      ` and negations may nest at most ${MAX_NESTING} deep. Remove parentheses or negations around it.`,
    t,
  );
}

function containsTime(node: QueryNode): boolean {
  switch (node.kind) {
    case 'time':
    case 'last':
      return true;
    case 'not':
      return containsTime(node.node);
    case 'and':
    case 'or':
      return node.nodes.some(containsTime);
    default:
      return false;
  }
}

function parseOr(s: State, open: Token | null): QueryNode {
  const nodes = [parseAnd(s, open)];
  for (let t = peek(s); t?.type === 'op' && t.op === 'OR'; t = peek(s)) {
    s.pos++;
    if (!startsTerm(peek(s))) throw nothingAfter(t);
    nodes.push(parseAnd(s, open));
  }
  if (nodes.length === 1) return nodes[0]!;
  return { kind: 'or', nodes, span: { start: nodes[0]!.span.start, end: nodes[nodes.length - 1]!.span.end } };
}

function parseAnd(s: State, open: Token | null): QueryNode {
  const first = peek(s);
  if (first?.type === 'op' && (first.op === 'OR' || first.op === 'AND')) throw nothingBefore(first);
  // Only reachable right after '(': an empty query never gets here and every operator checks its right side.
  if (first === undefined) throw unmatchedOpen(open!);
  if (first.type === 'rparen') {
    if (open) {
      throw new QuerySyntaxError(
        `Empty parentheses at column ${open.start + 1}: put a search term inside or remove them`,
        { start: open.start, end: first.end },
      );
    }
    throw unmatchedClose(first);
  }
  const nodes = [parseUnary(s)];
  for (;;) {
    const t = peek(s);
    if (t?.type === 'op' && t.op === 'AND') {
      s.pos++;
      if (!startsTerm(peek(s))) throw nothingAfter(t);
    } else if (!startsTerm(t)) {
      break;
    }
    nodes.push(parseUnary(s));
  }
  if (nodes.length === 1) return nodes[0]!;
  return {
    kind: 'and',
    nodes,
    span: { start: nodes[0]!.span.start, end: nodes[nodes.length - 1]!.span.end },
  };
}

function parseUnary(s: State): QueryNode {
  const t = peek(s);
  if (t?.type === 'op' && (t.op === '-' || t.op === 'NOT')) {
    s.pos++;
    if (!startsTerm(peek(s))) throw nothingToNegate(t);
    enter(s, t);
    const node = parseUnary(s);
    s.depth--;
    if (containsTime(node)) {
      throw new QuerySyntaxError(
        `Time filters cannot be negated (${opName(t)} at column ${t.start + 1}): remove the ${opName(t)};` +
          ` for the opposite of after:X write before:X, and of before:X write after:X`,
        t,
      );
    }
    return { kind: 'not', node, span: { start: t.start, end: node.span.end } };
  }
  return parsePrimary(s);
}

function parsePrimary(s: State): QueryNode {
  const t = s.tokens[s.pos++]!;
  if (t.type === 'term') return t.node;
  if (t.type === 'error') throw t.error;
  // startsTerm admitted nothing else, so this is '('.
  enter(s, t);
  const inner = parseOr(s, t);
  const close = peek(s);
  if (close?.type !== 'rparen') throw unmatchedOpen(t);
  s.pos++;
  s.depth--;
  if (inner.kind === 'and' || inner.kind === 'or') inner.span = { start: t.start, end: close.end };
  return inner;
}

function unmatchedClose(t: Token): QuerySyntaxError {
  return new QuerySyntaxError(`Unmatched ')' at column ${t.start + 1}: add a '(' before it or remove it`, t);
}

/**
 * Parses a search query (DESIGN §7) into its normal-form tree (see normalize.ts). Returns null for an
 * empty or blank query; throws QuerySyntaxError, whose `column` and message point at the first problem.
 */
export function parseQuery(input: string): QueryNode | null {
  const tokens = lex(input).filter((t) => t.type !== 'space');
  if (tokens.length === 0) return null;
  const s: State = { tokens, pos: 0, depth: 0 };
  const node = parseOr(s, null);
  const rest = peek(s);
  // The OR and AND loops stop only at ')' or the end.
  if (rest) throw unmatchedClose(rest);
  return normalizeQuery(node);
}
