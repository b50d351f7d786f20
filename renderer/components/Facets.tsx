/**
 * Exact value counts under the current query. A click adds `field:value` to the query, alt-click or the −
 * button adds `-field:value`; clicking an active value takes it out again.
 */
import * as Dialog from '@radix-ui/react-dialog';
import { useEffect, useState } from 'react';
import type { MouseEvent } from 'react';
import type { Facet, FacetName } from '../../shared/contract.ts';
import type { AuditClient } from '../api/types.ts';
import { describeError } from '../api/types.ts';
import { formatCount } from '../lib/format.ts';
import { termState } from '../lib/queryEdit.ts';
import { fieldTermsOf, parseQuery } from '../../shared/query/index.ts';
import { OutcomeIcon } from './Histogram.tsx';

/**
 * The facets shown, in order: the contract's DEFAULT_FACETS (what a search returns unless asked). Kept as a
 * type-checked copy because importing a value from the contract would bundle zod into the page.
 */
const SHOWN: readonly FacetName[] = ['user', 'entity', 'action', 'opType', 'outcome', 'source'];

export const FACET_LABELS: Record<FacetName, string> = {
  user: 'User',
  entity: 'Entity',
  action: 'Action',
  opType: 'Op type',
  outcome: 'Outcome',
  source: 'Source',
  format: 'Format',
  status: 'Status',
  org: 'Org',
};

export interface FacetsProps {
  facets: Partial<Record<FacetName, Facet>>;
  /** The user's query, to show which values are already filtered in or out. */
  query: string;
  /** The query the facets were counted under (query + time range), for "more…". */
  countedQuery: string;
  client: AuditClient;
  onToggle(field: FacetName, value: string, negated: boolean): void;
}

/** The query's own terms on a field, so a value it filters out stays in the list and can be clicked back. */
function termsOn(query: string, field: FacetName): string[] {
  try {
    return fieldTermsOf(parseQuery(query))
      .filter((t) => t.field === field && !t.prefix)
      .map((t) => t.value);
  } catch {
    return [];
  }
}

export function Facets({ facets, query, countedQuery, client, onToggle }: FacetsProps) {
  const [more, setMore] = useState<FacetName | null>(null);
  return (
    <nav className="facets" aria-label="Facets" data-testid="facets">
      {SHOWN.map((field) => {
        const facet = facets[field];
        const pinned = termsOn(query, field).filter(
          (v) => !facet?.values.some((x) => x.value?.toLowerCase() === v.toLowerCase()),
        );
        // Nothing to count and nothing in the query on this field: an empty heading would only be noise.
        if (!facet || (facet.values.length === 0 && pinned.length === 0)) return null;
        return (
          <section key={field} className="facet" data-testid={`facet-${field}`}>
            <h2 className="facet__title">
              {FACET_LABELS[field]}{' '}
              <span className="facet__distinct" title="distinct values">
                {formatCount(facet.distinct)}
              </span>
            </h2>
            <FacetValues
              field={field}
              values={[
                ...facet.values,
                // An excluded value has no matches left, so the engine does not list it: keep it visible.
                ...pinned.map((value) => ({ value, count: 0 })),
              ]}
              query={query}
              onToggle={onToggle}
            />
            {facet.other > 0 && (
              <button
                type="button"
                className="link facet__more"
                data-testid={`facet-more-${field}`}
                onClick={() => setMore(field)}
              >
                more…{' '}
                <span className="muted">
                  ({formatCount(facet.distinct - facet.values.length)} values, {formatCount(facet.other)}{' '}
                  events)
                </span>
              </button>
            )}
          </section>
        );
      })}
      <MoreDialog
        field={more}
        countedQuery={countedQuery}
        query={query}
        client={client}
        onClose={() => setMore(null)}
        onToggle={onToggle}
      />
    </nav>
  );
}

function FacetValues({
  field,
  values,
  query,
  onToggle,
  max,
}: {
  field: FacetName;
  values: Facet['values'];
  query: string;
  onToggle: FacetsProps['onToggle'];
  max?: number;
}) {
  const top = Math.max(1, ...values.map((v) => v.count));
  return (
    <ul className="facet__values">
      {values.map(({ value, count }) => {
        const state = value == null ? 0 : termState(query, field, value);
        const label = value ?? '(none)';
        const include = (e: MouseEvent) => value != null && onToggle(field, value, e.altKey);
        return (
          <li
            key={label}
            className={`facet-value${state === 1 ? ' facet-value--in' : state === -1 ? ' facet-value--out' : ''}`}
          >
            <button
              type="button"
              className="facet-value__include"
              disabled={value == null}
              title={
                value == null
                  ? 'Events without this field cannot be filtered by it'
                  : `${label} — click to filter, Alt+click to exclude`
              }
              aria-pressed={state === 1}
              data-testid={`facet-value-${field}-${label}`}
              onClick={include}
            >
              <span
                className="facet-value__bar"
                data-share={Math.round((count / (max ?? top)) * 20)}
                aria-hidden="true"
              />
              {field === 'outcome' && value != null && <OutcomeIcon outcome={value} />}
              <span className="facet-value__label">{state === -1 ? <s>{label}</s> : label}</span>
              <span className="facet-value__count">
                {state === -1 && count === 0 ? 'excluded' : formatCount(count)}
              </span>
            </button>
            {value != null && (
              <button
                type="button"
                className="facet-value__exclude"
                aria-label={`Exclude ${field}:${label}`}
                title={`Exclude ${label}`}
                aria-pressed={state === -1}
                data-testid={`facet-exclude-${field}-${label}`}
                onClick={() => onToggle(field, value, true)}
              >
                −
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}

function MoreDialog({
  field,
  countedQuery,
  query,
  client,
  onClose,
  onToggle,
}: {
  field: FacetName | null;
  countedQuery: string;
  query: string;
  client: AuditClient;
  onClose(): void;
  onToggle: FacetsProps['onToggle'];
}) {
  const [data, setData] = useState<{ values: Facet['values']; error?: string } | null>(null);
  const [filter, setFilter] = useState('');
  useEffect(() => {
    if (!field) return;
    let live = true;
    setData(null);
    setFilter('');
    client['events.facet']({ query: countedQuery, field, limit: 1000 }).then(
      (r) => live && setData({ values: r.values }),
      (e: unknown) => live && setData({ values: [], error: describeError(e).message }),
    );
    return () => {
      live = false;
    };
  }, [field, countedQuery, client]);
  const shown =
    data?.values.filter((v) => (v.value ?? '(none)').toLowerCase().includes(filter.toLowerCase())) ?? [];
  return (
    <Dialog.Root open={field != null} onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Content className="dialog facet-dialog" data-testid="facet-dialog">
          <Dialog.Title>{field ? FACET_LABELS[field] : ''}: all values</Dialog.Title>
          <Dialog.Description className="muted">
            Exact counts under the current query. Click to filter, − to exclude.
          </Dialog.Description>
          <input
            className="input"
            placeholder="Filter values"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            aria-label="Filter values"
            autoFocus
          />
          <div className="facet-dialog__list">
            {!data && <p className="muted">Counting…</p>}
            {data?.error && <p className="form-error">{data.error}</p>}
            {field && data && (
              <FacetValues
                field={field}
                values={shown}
                query={query}
                max={Math.max(1, ...(data.values.map((v) => v.count) ?? [1]))}
                onToggle={(f, v, neg) => {
                  onToggle(f, v, neg);
                  onClose();
                }}
              />
            )}
          </div>
          <Dialog.Close asChild>
            <button type="button" className="button">
              Close
            </button>
          </Dialog.Close>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
