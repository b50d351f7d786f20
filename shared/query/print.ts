/**
 * Writes a tree back as query text. For any tree parseQuery returns, parsing the output gives the same tree
 * (spans aside): bare words and values are quoted exactly when the lexer would otherwise read them
 * differently.
 */

import { FIELD_SYNTAX } from './ast.ts';
import type { QueryNode } from './ast.ts';
import { formatTime } from './time.ts';

const NEEDS_QUOTES_RE = /[\s()"]/;
const FIELD_START_RE = /^[A-Za-z][A-Za-z0-9_]*:/;

/** Whether the lexer reads `raw` back as one unquoted word or value with this text and prefix flag. */
function survivesUnquoted(text: string, prefix: boolean): boolean {
  if (text === '' || NEEDS_QUOTES_RE.test(text)) return false;
  // An unmarked trailing '*' would be read as a prefix marker (a lone '*' is the literal character).
  return prefix || text.length === 1 || !text.endsWith('*');
}

/** Whether a free-text word can be written bare: on top of the value rules, no operator look-alikes. */
function isBareWord(text: string, prefix: boolean): boolean {
  if (!survivesUnquoted(text, prefix)) return false;
  const raw = prefix ? `${text}*` : text;
  if (raw === 'OR' || raw === 'AND' || raw === 'NOT' || FIELD_START_RE.test(raw)) return false;
  // '-x' is a negation; '-' alone and '--…' are words (see lex.ts).
  return !(raw.startsWith('-') && raw.length > 1 && raw[1] !== '-');
}

function quote(text: string, prefix: boolean): string {
  return `"${text.replace(/[\\"]/g, (ch) => `\\${ch}`)}"${prefix ? '*' : ''}`;
}

function term(node: QueryNode): string {
  switch (node.kind) {
    case 'field': {
      const value = survivesUnquoted(node.value, node.prefix)
        ? `${node.value}${node.prefix ? '*' : ''}`
        : quote(node.value, node.prefix);
      return `${FIELD_SYNTAX[node.field]}:${value}`;
    }
    case 'text':
      // A non-phrase word that cannot be written bare (only hand-built trees have one) becomes a phrase.
      return !node.phrase && isBareWord(node.text, node.prefix)
        ? `${node.text}${node.prefix ? '*' : ''}`
        : quote(node.text, node.prefix);
    case 'time':
      return `${node.bound}:${formatTime(node.ms)}`;
    case 'last':
      return `last:${node.text}`;
    case 'not': {
      const inner = print(node.node);
      // `--x` would lex as the word '--x', so a negated operand that starts with '-' gets parentheses.
      const grouped = node.node.kind === 'and' || node.node.kind === 'or' || inner.startsWith('-');
      return grouped ? `-(${inner})` : `-${inner}`;
    }
    case 'and':
    case 'or':
      return `(${print(node)})`;
  }
}

function print(node: QueryNode): string {
  switch (node.kind) {
    case 'and':
      // A nested AND keeps its parentheses because they fence the same-field merge (normalize.ts).
      return node.nodes.map(term).join(' ');
    case 'or':
      return node.nodes.map(term).join(' OR ');
    default:
      return term(node);
  }
}

/**
 * Canonical query text for a tree: `parseQuery(printQuery(n))` equals `n` up to spans for any tree
 * parseQuery returned (or normalizeQuery produced). Null prints as the empty string.
 */
export function printQuery(node: QueryNode | null): string {
  return node == null ? '' : print(node);
}
