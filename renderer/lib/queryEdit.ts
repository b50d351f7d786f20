/**
 * Edits the user's query text the way a facet or a detail-panel button does, so the query bar shows what
 * the click did (and the user learns the language).
 */
import { fieldTermsOf, parseQuery, printQuery } from '../../shared/query/index.ts';
import type { QueryField } from '../../shared/query/index.ts';

/** `user:alice`, quoted when the value needs it (`target:"Billing API"`), `-` in front when excluding. */
export function fieldTerm(field: QueryField, value: string, negated = false): string {
  const text = printQuery({ kind: 'field', field, value, prefix: false, span: { start: 0, end: 0 } });
  return negated ? `-${text}` : text;
}

/**
 * Adds `field:value` (or `-field:value`) to the query. Clicking what is already there takes it out again;
 * the opposite sign is replaced. A query that does not parse gets the term appended and keeps its error.
 */
export function toggleFieldTerm(query: string, field: QueryField, value: string, negated: boolean): string {
  const term = fieldTerm(field, value, negated);
  let terms: ReturnType<typeof fieldTermsOf>;
  try {
    terms = fieldTermsOf(parseQuery(query));
  } catch {
    return appendTerm(query, term);
  }
  const existing = terms.find(
    (t) => t.field === field && !t.prefix && t.value.toLowerCase() === value.toLowerCase(),
  );
  if (!existing) return appendTerm(query, term);
  // The span covers `field:value`; a negation sits right before it as '-'.
  let start = existing.span.start;
  if (existing.negated && query[start - 1] === '-') start -= 1;
  const replacement = existing.negated === negated ? '' : term;
  return tidy(query.slice(0, start) + replacement + query.slice(existing.span.end));
}

/** Whether the query holds `field:value` as an include (1), an exclude (-1), or not at all (0). */
export function termState(query: string, field: QueryField, value: string): -1 | 0 | 1 {
  try {
    const t = fieldTermsOf(parseQuery(query)).find(
      (x) => x.field === field && !x.prefix && x.value.toLowerCase() === value.toLowerCase(),
    );
    return t ? (t.negated ? -1 : 1) : 0;
  } catch {
    return 0;
  }
}

function appendTerm(query: string, term: string): string {
  const trimmed = query.trim();
  return trimmed ? `${trimmed} ${term}` : term;
}

function tidy(query: string): string {
  return query
    .replace(/\s{2,}/g, ' ')
    .replace(/\(\s+/g, '(')
    .replace(/\s+\)/g, ')')
    .trim();
}
