/**
 * The search language (DESIGN §7): parse a query into a tree, print a tree back as text, and colour a query
 * for the search box. README.md in this folder describes the language.
 */

export { QUERY_FIELDS, QuerySyntaxError, fieldTermsOf, stripSpans } from './ast.ts';
export type {
  AndNode,
  FieldNode,
  FieldTerm,
  LastNode,
  NotNode,
  OrNode,
  QueryField,
  QueryNode,
  Span,
  TermNode,
  TextNode,
  TimeNode,
  UnspannedNode,
} from './ast.ts';
export { tokenizeForHighlight } from './highlight.ts';
export type { HighlightKind, HighlightToken } from './highlight.ts';
export { normalizeQuery } from './normalize.ts';
export { parseQuery } from './parse.ts';
export { printQuery } from './print.ts';
export { DURATION_HINT, formatTime, parseDuration, parseTimeValue, TIME_FORMATS_HINT } from './time.ts';
