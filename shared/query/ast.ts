/**
 * The syntax tree of the search language (DESIGN §7) and its error type. See README.md in this folder for
 * the language as a user sees it.
 */

/** Event fields a `name:value` term can filter on, in their AST spelling (`op:` is written `opType` here). */
export const QUERY_FIELDS = [
  'user',
  'entity',
  'opType',
  'action',
  'outcome',
  'status',
  'org',
  'source',
  'format',
  'target',
  'ip',
  'txn',
  'object',
  'id',
] as const;
export type QueryField = (typeof QUERY_FIELDS)[number];

/** 0-based offsets into the query string, end exclusive. Offsets count UTF-16 code units, like JS strings. */
export interface Span {
  start: number;
  end: number;
}

/** `user:alice` (exact, case-insensitive) or `user:ali*` (prefix). `value` has no quotes and no trailing `*`. */
export interface FieldNode {
  kind: 'field';
  field: QueryField;
  value: string;
  prefix: boolean;
  span: Span;
}

/** Full-text term: a bare word (`phrase: false`) or a quoted phrase (`phrase: true`). */
export interface TextNode {
  kind: 'text';
  text: string;
  phrase: boolean;
  prefix: boolean;
  span: Span;
}

/** `after:` (inclusive) or `before:` (exclusive), already resolved to epoch milliseconds UTC. */
export interface TimeNode {
  kind: 'time';
  bound: 'after' | 'before';
  ms: number;
  span: Span;
}

/** `last:7d`: a duration the engine resolves against its own clock. `text` is the canonical `<n><unit>`. */
export interface LastNode {
  kind: 'last';
  ms: number;
  text: string;
  span: Span;
}

export interface NotNode {
  kind: 'not';
  node: QueryNode;
  span: Span;
}

export interface AndNode {
  kind: 'and';
  nodes: QueryNode[];
  span: Span;
}

export interface OrNode {
  kind: 'or';
  nodes: QueryNode[];
  span: Span;
}

export type QueryNode = FieldNode | TextNode | TimeNode | LastNode | NotNode | AndNode | OrNode;

/** The leaves of the tree: what one token of the query produces. */
export type TermNode = FieldNode | TextNode | TimeNode | LastNode;

/** A tree with every `span` removed, for structural comparison. */
export type UnspannedNode =
  | Omit<FieldNode, 'span'>
  | Omit<TextNode, 'span'>
  | Omit<TimeNode, 'span'>
  | Omit<LastNode, 'span'>
  | { kind: 'not'; node: UnspannedNode }
  | { kind: 'and'; nodes: UnspannedNode[] }
  | { kind: 'or'; nodes: UnspannedNode[] };

/** A query the parser rejects. `column` is 1-based and is also part of `message`. */
export class QuerySyntaxError extends Error {
  override name = 'QuerySyntaxError';
  /** 1-based column of `span.start`, in UTF-16 code units. */
  readonly column: number;
  /** The offending part of the query, for underlining. */
  readonly span: Span;

  constructor(message: string, span: Span) {
    super(message);
    this.span = { start: span.start, end: span.end };
    this.column = span.start + 1;
  }
}

/** What a field name typed by the user stands for. */
export type FieldSpec =
  { kind: 'field'; field: QueryField } | { kind: 'time'; bound: 'after' | 'before' } | { kind: 'last' };

/** Every accepted field name, lower-cased (names are case-insensitive). */
export const FIELD_NAMES: ReadonlyMap<string, FieldSpec> = new Map<string, FieldSpec>([
  ...QUERY_FIELDS.map((field): [string, FieldSpec] => [field.toLowerCase(), { kind: 'field', field }]),
  ['op', { kind: 'field', field: 'opType' }],
  ['after', { kind: 'time', bound: 'after' }],
  ['before', { kind: 'time', bound: 'before' }],
  ['last', { kind: 'last' }],
]);

/** How the printer spells each field: DESIGN §7 writes `op:`, the event model calls it `opType`. */
export const FIELD_SYNTAX: Readonly<Record<QueryField, string>> = {
  user: 'user',
  entity: 'entity',
  opType: 'op',
  action: 'action',
  outcome: 'outcome',
  status: 'status',
  org: 'org',
  source: 'source',
  format: 'format',
  target: 'target',
  ip: 'ip',
  txn: 'txn',
  object: 'object',
  id: 'id',
};

/**
 * Returns a deep copy of `node` without spans, so trees parsed from differently spaced text compare equal.
 */
export function stripSpans(node: QueryNode): UnspannedNode;
export function stripSpans(node: QueryNode | null): UnspannedNode | null;
export function stripSpans(node: QueryNode | null): UnspannedNode | null {
  if (node == null) return null;
  switch (node.kind) {
    case 'field':
      return { kind: 'field', field: node.field, value: node.value, prefix: node.prefix };
    case 'text':
      return { kind: 'text', text: node.text, phrase: node.phrase, prefix: node.prefix };
    case 'time':
      return { kind: 'time', bound: node.bound, ms: node.ms };
    case 'last':
      return { kind: 'last', ms: node.ms, text: node.text };
    case 'not':
      return { kind: 'not', node: stripSpans(node.node) };
    case 'and':
    case 'or':
      return { kind: node.kind, nodes: node.nodes.map((child) => stripSpans(child)) };
  }
}

/** One `name:value` term found in a query, with whether it is under an odd number of negations. */
export interface FieldTerm {
  field: QueryField;
  value: string;
  prefix: boolean;
  negated: boolean;
  span: Span;
}

/**
 * Lists every field term in the tree in source order, e.g. for showing filter chips or ticking facet values.
 * It does not say how terms combine (AND/OR); walk the tree for that.
 */
export function fieldTermsOf(node: QueryNode | null): FieldTerm[] {
  const terms: FieldTerm[] = [];
  const walk = (n: QueryNode, negated: boolean): void => {
    switch (n.kind) {
      case 'field':
        terms.push({ field: n.field, value: n.value, prefix: n.prefix, negated, span: n.span });
        return;
      case 'not':
        walk(n.node, !negated);
        return;
      case 'and':
      case 'or':
        for (const child of n.nodes) walk(child, negated);
        return;
      default:
        return;
    }
  };
  if (node) walk(node, false);
  // Normalisation may reorder (a merged OR sits where its field first appeared), so sort by position.
  return terms.sort((a, b) => a.span.start - b.span.start);
}
