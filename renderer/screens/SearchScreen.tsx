/**
 * The screen an auditor lives in: query and time range on top, facets on the left, the histogram strip
 * and the virtualized results in the middle, the event detail as a drawer on the right.
 */
import * as Dialog from '@radix-ui/react-dialog';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { FacetName } from '../../shared/contract.ts';
import type { QueryField } from '../../shared/query/index.ts';
import type { AuditClient, AuditEvent, Stats } from '../api/types.ts';
import { DetailDrawer } from '../components/DetailDrawer.tsx';
import { ExportDialog } from '../components/ExportDialog.tsx';
import type { Pivot } from '../components/DetailDrawer.tsx';
import { Facets } from '../components/Facets.tsx';
import { Histogram } from '../components/Histogram.tsx';
import { QueryBar } from '../components/QueryBar.tsx';
import type { QueryBarHandle } from '../components/QueryBar.tsx';
import { queryError, VALUE_FIELDS, ValueIndex } from '../components/queryLanguage.ts';
import { ColumnChooser, ResultsTable } from '../components/ResultsTable.tsx';
import { SavedSearchesMenu } from '../components/SavedSearchesMenu.tsx';
import { loadColumns, saveColumns } from '../components/columns.ts';
import type { ColumnKey } from '../components/columns.ts';
import { FirstRun, NoMatches, SearchError } from '../components/States.tsx';
import { TimeRangePicker } from '../components/TimeRangePicker.tsx';
import { useSearch } from '../hooks/useSearch.ts';
import { formatCount, formatDuration, formatMinute, storeZoneMode, storedZoneMode } from '../lib/format.ts';
import type { TimeZoneMode } from '../lib/format.ts';
import { fieldTerm, toggleFieldTerm } from '../lib/queryEdit.ts';
import { ALL_TIME, combineQuery, rangeLabel } from '../lib/timeRange.ts';
import type { TimeRange } from '../lib/timeRange.ts';
import { readView, viewUrl } from '../lib/urlState.ts';
import type { ViewState } from '../lib/urlState.ts';

const MINUTE = 60_000;

export function SearchScreen({ client }: { client: AuditClient }) {
  const [view, setView] = useState<ViewState>(() => readView(window.location));
  const [zone, setZoneState] = useState<TimeZoneMode>(storedZoneMode);
  const [columns, setColumnsState] = useState<ColumnKey[]>(loadColumns);
  const [stats, setStats] = useState<Stats | null>(null);
  const [valueIndex, setValueIndex] = useState(() => new ValueIndex());
  const [selected, setSelected] = useState<number | null>(null);
  const [detail, setDetail] = useState<AuditEvent | null>(null);
  const [flashKey, setFlashKey] = useState(0);
  const [arrived, setArrived] = useState(0);
  const [helpOpen, setHelpOpen] = useState(false);
  const [exportOpen, setExportOpen] = useState(false);
  const queryBar = useRef<QueryBarHandle>(null);
  const search = useSearch(client);

  const sent = combineQuery(view.query, view.range);
  const localError = queryError(view.query);
  const blocked = localError != null;

  // Every change of query or range runs the search (a query that does not parse is shown, not sent).
  const { run } = search;
  useEffect(() => {
    if (blocked) return;
    setSelected(null);
    run(sent);
  }, [sent, run, blocked]);

  const refreshStats = useCallback(() => {
    client['stats.get']({}).then(setStats, () => setStats(null));
  }, [client]);
  const refreshValues = useCallback(async () => {
    // One field after another: a transport may cancel a client's older call of the same method.
    const lists: [string, { value: string; count: number }[]][] = [];
    for (const field of VALUE_FIELDS) {
      try {
        lists.push([field, (await client['values.list']({ field, limit: 5000 })).values]);
      } catch {
        lists.push([field, []]);
      }
    }
    setValueIndex(new ValueIndex(Object.fromEntries(lists)));
  }, [client]);
  useEffect(() => {
    refreshStats();
    void refreshValues();
    return client.subscribe((event) => {
      if (event.name === 'events.changed' && event.payload.added > 0)
        setArrived((n) => n + event.payload.added);
    });
  }, [client, refreshStats, refreshValues]);

  // Back/forward restore the view the URL describes.
  useEffect(() => {
    const onPop = () => {
      setView(readView(window.location));
      setDetail(null);
      setFlashKey((k) => k + 1);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const navigate = useCallback((next: ViewState, options: { flash?: boolean } = {}) => {
    const url = viewUrl(next, window.location);
    const here = `${window.location.pathname}${window.location.search}${window.location.hash}`;
    if (url !== here) window.history.pushState(null, '', url);
    setView(next);
    if (options.flash) setFlashKey((k) => k + 1);
  }, []);
  // The first view replaces the entry the page was opened with, so it carries q and range too.
  useEffect(() => {
    window.history.replaceState(null, '', viewUrl(readView(window.location), window.location));
  }, []);

  const runText = (text: string) => {
    if (text === view.query) {
      // Enter on the same text runs it again (new events may have arrived).
      if (!queryError(text)) run(sent);
      setArrived(0);
      return;
    }
    navigate({ ...view, query: text });
  };
  const setRange = (range: TimeRange) => navigate({ ...view, range });
  const setZone = (z: TimeZoneMode) => {
    storeZoneMode(z);
    setZoneState(z);
  };
  const setColumns = (keys: ColumnKey[]) => {
    saveColumns(keys);
    setColumnsState(keys);
  };
  const toggle = (field: FacetName | QueryField, value: string, negated: boolean) =>
    navigate(
      { ...view, query: toggleFieldTerm(queryBar.current?.text() ?? view.query, field, value, negated) },
      { flash: true },
    );

  const pivot = (p: Pivot) => {
    const ts = p.event.ts ?? 0;
    const around = (minutes: number): TimeRange => ({
      kind: 'between',
      from: ts - minutes * MINUTE,
      to: ts + minutes * MINUTE + 1,
    });
    switch (p.kind) {
      case 'user':
        navigate({ query: fieldTerm('user', p.event.user ?? ''), range: around(30) }, { flash: true });
        break;
      case 'txn':
        navigate({ query: fieldTerm('txn', p.event.txn ?? ''), range: ALL_TIME }, { flash: true });
        break;
      case 'target':
        navigate({ query: fieldTerm('target', p.event.target ?? ''), range: view.range }, { flash: true });
        break;
      case 'surrounding':
        navigate({ query: '', range: around(p.minutes) }, { flash: true });
        break;
    }
    setDetail(null);
  };

  // `[` and `]` step the range back and forward by its own width.
  const stepRange = useCallback(
    (direction: -1 | 1) => {
      const r = view.range;
      let from: number | null = null;
      let to: number | null = null;
      if (r.kind === 'between') ({ from, to } = r);
      else if (r.kind === 'last') {
        const hist = search.state.status === 'ok' ? search.state.result.histogram : null;
        to = hist ? hist.from + hist.counts.length * hist.bucketMs : Date.now();
        from = to - (durationMs(r.text) ?? 0);
      }
      if (from == null || to == null) return;
      const width = to - from;
      navigate({
        ...view,
        range: { kind: 'between', from: from + direction * width, to: to + direction * width },
      });
    },
    [view, navigate, search.state],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const typing = target?.closest('input, textarea, select, .cm-editor, [role="dialog"]') != null;
      if (e.key === 'Escape' && detail && !target?.closest('[role="dialog"]')) {
        setDetail(null);
        return;
      }
      if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === '/') {
        e.preventDefault();
        queryBar.current?.focus();
      } else if (e.key === '?') {
        e.preventDefault();
        setHelpOpen(true);
      } else if (e.key === '[' || e.key === ']') {
        e.preventDefault();
        stepRange(e.key === '[' ? -1 : 1);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [detail, stepRange]);

  const state = search.state;
  // A query that does not parse (or that the engine refused) hides the last results: they would read as
  // this query's.
  const result =
    localError != null
      ? undefined
      : state.status === 'ok'
        ? state.result
        : state.status === 'loading'
          ? state.previous
          : undefined;
  const serverError = state.status === 'error' && state.query === sent ? state.error : null;
  // The engine counts columns in the query sent (which may start with '(' for the range); map them back.
  const errorColumn =
    serverError?.column != null
      ? serverError.column -
        Math.max(0, sent.indexOf(view.query.trim())) +
        (view.query.length - view.query.trimStart().length)
      : undefined;
  const firstRun = stats != null && stats.events === 0;

  const rangeText = useMemo(() => {
    if (view.range.kind === 'between') return rangeLabel(view.range, zone);
    const h = result?.histogram;
    if (h && h.counts.length > 0 && result && result.total > 0)
      return `${formatMinute(h.from, zone)} → ${formatMinute(h.from + h.counts.length * h.bucketMs, zone)}`;
    return rangeLabel(view.range, zone);
  }, [view.range, zone, result]);

  return (
    <div className={`app${detail ? ' app--detail' : ''}`}>
      <header className="topbar">
        <button
          type="button"
          className="button skip-link"
          onClick={() => document.querySelector<HTMLElement>('[data-testid="results"]')?.focus()}
        >
          Skip to results
        </button>
        <h1 className="brand">
          <span aria-hidden="true">◉</span> Audit Explorer
        </h1>
        <QueryBar
          ref={queryBar}
          value={view.query}
          onRun={runText}
          valueIndex={valueIndex}
          serverError={
            serverError && serverError.code === 'query_syntax'
              ? { message: serverError.message, column: errorColumn }
              : null
          }
          flashKey={flashKey}
        />
        <button
          type="button"
          className="button button--primary"
          data-testid="run"
          onClick={() => runText(queryBar.current?.text() ?? view.query)}
        >
          Search
        </button>
        <SavedSearchesMenu
          client={client}
          view={view}
          columns={columns}
          zone={zone}
          onOpen={(next, cols) => {
            if (cols) setColumns(cols);
            navigate(next, { flash: true });
          }}
        />
        <TimeRangePicker range={view.range} zone={zone} onChange={setRange} onZoneChange={setZone} />
        <button
          type="button"
          className="button button--ghost"
          aria-label="Keyboard shortcuts"
          onClick={() => setHelpOpen(true)}
          data-testid="help"
        >
          ?
        </button>
      </header>
      {state.status === 'loading' && <div className="progress" role="progressbar" aria-label="Searching" />}

      <aside className="sidebar">
        {result && !firstRun && (
          <Facets
            facets={result.facets}
            query={view.query}
            countedQuery={sent}
            client={client}
            onToggle={toggle}
          />
        )}
      </aside>

      <main className="main" aria-busy={state.status === 'loading'}>
        {arrived > 0 && (
          <div className="banner" role="status">
            {formatCount(arrived)} new events arrived.{' '}
            <button
              type="button"
              className="link"
              onClick={() => {
                setArrived(0);
                run(sent);
                refreshStats();
                refreshValues();
              }}
            >
              Refresh
            </button>
          </div>
        )}
        {result?.histogram && result.total > 0 && (
          <Histogram
            histogram={result.histogram}
            zone={zone}
            onSelect={(from, to) => setRange({ kind: 'between', from, to })}
          />
        )}
        <div className={`summary-bar${firstRun ? ' summary-bar--hidden' : ''}`}>
          <p
            className="summary"
            data-testid="summary"
            // Which view the summary answers, and whether its search has finished: a test waits on these,
            // since the URL changes before the new search starts.
            data-view-query={view.query}
            data-settled={state.status !== 'loading' && 'query' in state && state.query === sent}
          >
            {result ? (
              <>
                <strong data-testid="total">{formatCount(result.total)}</strong>{' '}
                {result.total === 1 ? 'event' : 'events'} · <span className="mono">{rangeText}</span>
                {/\d/.test(rangeText) && <span className="muted"> {zone === 'utc' ? 'UTC' : 'local'}</span>}
                {state.status === 'ok' && <> · {formatDuration(state.elapsedMs)}</>}
                {state.status === 'loading' && <span className="muted"> · searching…</span>}
              </>
            ) : state.status === 'loading' ? (
              'Searching…'
            ) : (
              ' '
            )}
          </p>
          <div className="summary-bar__actions">
            <button
              type="button"
              className="button button--ghost"
              data-testid="export-open"
              disabled={!result || result.total === 0 || blocked}
              onClick={() => setExportOpen(true)}
            >
              Export…
            </button>
            <ColumnChooser columns={columns} onChange={setColumns} />
          </div>
        </div>
        <div className="results-area">
          {firstRun ? (
            <FirstRun
              client={client}
              onLoaded={() => {
                refreshStats();
                void refreshValues();
                run(sent);
              }}
            />
          ) : state.status === 'error' ? (
            <SearchError message={state.error.message} column={errorColumn} onRetry={() => run(sent)} />
          ) : localError ? (
            <SearchError
              message="Fix it in the query bar (the part underlined in red), then press Enter."
              column={localError.column}
              onRetry={() => undefined}
            />
          ) : state.status === 'ok' && result && result.total === 0 ? (
            <NoMatches
              client={client}
              query={view.query}
              range={view.range}
              stats={stats}
              zone={zone}
              onAllTime={() => setRange(ALL_TIME)}
              onClear={() => navigate({ ...view, query: '' }, { flash: true })}
            />
          ) : result ? (
            <ResultsTable
              total={result.total}
              rowAt={search.rowAt}
              version={search.version}
              onNeedRows={search.needRows}
              columns={columns}
              zone={zone}
              selected={selected}
              onSelect={setSelected}
              onOpen={(i) => {
                const e = search.rowAt(i);
                if (e) setDetail(e);
              }}
              resetKey={state.status === 'ok' ? state.query : ''}
            />
          ) : (
            <div className="state muted">Searching…</div>
          )}
        </div>
      </main>

      {detail && (
        <DetailDrawer
          event={detail}
          client={client}
          zone={zone}
          onClose={() => {
            setDetail(null);
            document.querySelector<HTMLElement>('[data-testid="results"]')?.focus();
          }}
          onFilter={(field, value, negated) => toggle(field, value, negated)}
          onPivot={pivot}
        />
      )}
      <ShortcutsDialog open={helpOpen} onOpenChange={setHelpOpen} />
      {/* What the current query and time range match, in full. */}
      <ExportDialog
        client={client}
        open={exportOpen}
        onOpenChange={setExportOpen}
        query={sent}
        scope={{
          query: view.query,
          range: `${rangeLabel(view.range, zone)}${/\d/.test(rangeLabel(view.range, zone)) ? (zone === 'utc' ? ' UTC' : ' local') : ''}`,
        }}
      />
    </div>
  );
}

function durationMs(text: string): number | null {
  const m = /^(\d+)([smhdwy])$/.exec(text);
  if (!m) return null;
  const unit = {
    s: 1000,
    m: MINUTE,
    h: 60 * MINUTE,
    d: 1440 * MINUTE,
    w: 7 * 1440 * MINUTE,
    y: 365 * 1440 * MINUTE,
  }[m[2] as 's'];
  return Number(m[1]) * unit;
}

const SHORTCUTS: [string, string][] = [
  ['/', 'Focus the query'],
  ['Enter', 'Run the query (in the query bar) · open the selected event (in the results)'],
  ['↑ / ↓', 'Move through the results'],
  ['PgUp / PgDn, Home / End', 'Move a page, or to the first or last result'],
  ['Esc', 'Close the event detail'],
  ['[ / ]', 'Previous / next period of the same length'],
  ['Alt+click', 'On a facet value: exclude it'],
  ['Ctrl+Space', 'In the query bar: show completions'],
  ['?', 'Show these shortcuts'],
];

function ShortcutsDialog({ open, onOpenChange }: { open: boolean; onOpenChange(open: boolean): void }) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Content className="dialog" data-testid="shortcuts">
          <Dialog.Title>Keyboard shortcuts</Dialog.Title>
          <Dialog.Description className="muted">
            Every control is also reachable with Tab; the focused one is outlined.
          </Dialog.Description>
          <dl className="shortcuts">
            {SHORTCUTS.map(([keys, what]) => (
              <div key={keys}>
                <dt>
                  <kbd>{keys}</kbd>
                </dt>
                <dd>{what}</dd>
              </div>
            ))}
          </dl>
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
