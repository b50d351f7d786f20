/**
 * CodeMirror extensions for the search language: colours from the shared highlighter, the parser's error
 * as a lint diagnostic at its column, and completion of field names and values.
 */
import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import type { Diagnostic } from '@codemirror/lint';
import { RangeSetBuilder } from '@codemirror/state';
import type { Extension } from '@codemirror/state';
import { Decoration, ViewPlugin } from '@codemirror/view';
import type { DecorationSet, EditorView, ViewUpdate } from '@codemirror/view';
import MiniSearch from 'minisearch';
import { parseQuery, QuerySyntaxError, tokenizeForHighlight } from '../../shared/query/index.ts';
import type { HighlightKind } from '../../shared/query/index.ts';
import { FIELD_NAMES } from '../../shared/query/ast.ts';
import type { FacetName } from '../../shared/contract.ts';
import { formatCount } from '../lib/format.ts';
import { fieldTerm } from '../lib/queryEdit.ts';

const MARKS = new Map<HighlightKind, Decoration>(
  (['field', 'value', 'text', 'phrase', 'operator', 'paren', 'error'] as const).map((kind) => [
    kind,
    Decoration.mark({ class: `tok-q-${kind}` }),
  ]),
);

function decorate(text: string): DecorationSet {
  const builder = new RangeSetBuilder<Decoration>();
  for (const t of tokenizeForHighlight(text)) {
    const mark = MARKS.get(t.kind);
    if (mark && t.end > t.start) builder.add(t.start, t.end, mark);
  }
  return builder.finish();
}

/** Colours every token with the same highlighter the CLI and the engine's docs use. */
export const queryHighlighting: Extension = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = decorate(view.state.doc.toString());
    }
    update(update: ViewUpdate) {
      if (update.docChanged) this.decorations = decorate(update.state.doc.toString());
    }
  },
  { decorations: (plugin) => plugin.decorations },
);

/** The parser's verdict on a query: null when it parses. */
export function queryError(
  text: string,
): { message: string; column: number; from: number; to: number } | null {
  try {
    parseQuery(text);
    return null;
  } catch (e) {
    if (!(e instanceof QuerySyntaxError)) throw e;
    return { message: e.message, column: e.column, from: e.span.start, to: e.span.end };
  }
}

/** Lint source: one diagnostic where the parser says, with its message (which carries the fix). */
export function queryDiagnostics(view: EditorView): Diagnostic[] {
  const error = queryError(view.state.doc.toString());
  if (!error) return [];
  const length = view.state.doc.length;
  const from = Math.min(error.from, length);
  const to = Math.min(Math.max(error.to, from + 1), length);
  return [
    {
      from,
      to: Math.max(from, to),
      severity: 'error',
      message: error.message,
      source: `column ${error.column}`,
    },
  ];
}

/** The fields whose values the engine lists for completion. */
export const VALUE_FIELDS: readonly FacetName[] = ['user', 'entity', 'action', 'opType', 'source'];

/** What the query bar completes from: distinct values and their counts, searchable by prefix and typo. */
export class ValueIndex {
  private search = new MiniSearch<{ id: number; field: string; value: string; count: number }>({
    fields: ['value'],
    storeFields: ['field', 'value', 'count'],
    // Emails, dotted and camelCase names: split on punctuation and case changes so `pass` finds setPassword.
    tokenize: (text) => text.split(/[\s@._\-/:]+|(?<=[a-z])(?=[A-Z])/).filter(Boolean),
  });
  private top = new Map<string, { value: string; count: number }[]>();

  constructor(values: Partial<Record<string, { value: string; count: number }[]>> = {}) {
    let id = 0;
    for (const [field, list] of Object.entries(values)) {
      if (!list) continue;
      this.top.set(
        field,
        [...list].sort((a, b) => b.count - a.count),
      );
      this.search.addAll(list.map((v) => ({ id: id++, field, value: v.value, count: v.count })));
    }
  }

  /** Values of `field` matching what was typed, best first; the most frequent when nothing was typed. */
  find(field: string, typed: string, limit = 30): { value: string; count: number }[] {
    if (!typed) return (this.top.get(field) ?? []).slice(0, limit);
    const lower = typed.toLowerCase();
    const hits = this.search
      .search(typed, { prefix: true, fuzzy: 0.2, filter: (r) => r.field === field })
      .map((r) => ({
        value: r.value as string,
        count: r.count as number,
        // Literal prefixes first, then by relevance weighted by how often the value occurs.
        rank:
          (String(r.value).toLowerCase().startsWith(lower) ? 1000 : 0) +
          r.score * Math.log2(2 + (r.count as number)),
      }));
    return hits.sort((a, b) => b.rank - a.rank).slice(0, limit);
  }
}

const FIELD_HELP: Record<string, string> = {
  user: 'who did it',
  entity: 'kind of object',
  op: 'operation type',
  optype: 'operation type',
  action: 'what was done',
  outcome: 'success, failure, unknown',
  status: 'status code or level',
  org: 'organisation',
  source: 'configured source',
  format: 'log format',
  target: 'object acted on',
  ip: 'client address',
  txn: 'transaction id',
  object: 'file or object key',
  id: 'event id',
  after: 'at or after a time',
  before: 'before a time',
  last: 'within the last 15m, 24h, 7d…',
};

/** A value as the language writes it after `field:` (quoted when it has spaces or quotes). */
function valueText(field: Parameters<typeof fieldTerm>[0], value: string): string {
  const term = fieldTerm(field, value);
  return term.slice(term.indexOf(':') + 1);
}

/** Completes field names at the start of a word and values after `field:`. */
export function queryCompletions(getIndex: () => ValueIndex) {
  return (context: CompletionContext): CompletionResult | null => {
    const line = context.state.doc.toString();
    let start = context.pos;
    while (start > 0 && !/[\s()]/.test(line[start - 1]!)) start--;
    if (line[start] === '-') start++;
    const word = line.slice(start, context.pos);
    const colon = word.indexOf(':');
    if (colon < 0) {
      if (!word && !context.explicit) return null;
      if (word.startsWith('"') || /^(OR|AND|NOT)$/.test(word)) return null;
      const options: Completion[] = [...FIELD_NAMES.keys()]
        .filter((name) => name !== 'optype')
        .map((name) => ({ label: `${name}:`, type: 'keyword', detail: FIELD_HELP[name] ?? '' }));
      return { from: start, options, validFor: /^[A-Za-z]*$/ };
    }
    const name = word.slice(0, colon).toLowerCase();
    const spec = FIELD_NAMES.get(name);
    const typed = word.slice(colon + 1).replace(/^"/, '');
    const from = start + colon + 1;
    if (spec?.kind === 'last') {
      const options = ['15m', '1h', '24h', '7d', '30d'].map((d) => ({ label: d, type: 'constant' }));
      return { from, options };
    }
    if (spec?.kind !== 'field') return null;
    const field = spec.field;
    const found =
      field === 'outcome'
        ? ['success', 'failure', 'unknown'].map((value) => ({ value, count: -1 }))
        : getIndex().find(field, typed);
    const options: Completion[] = found.map((v, i) => ({
      label: v.value,
      detail: v.count >= 0 ? formatCount(v.count) : undefined,
      type: 'text',
      boost: -i,
      // The value as the language writes it (quoted if it has spaces), then a space for the next term.
      apply: `${valueText(field, v.value)} `,
    }));
    // Ranked by the index, not by CodeMirror's own fuzzy matcher.
    return { from, options, filter: false };
  };
}
