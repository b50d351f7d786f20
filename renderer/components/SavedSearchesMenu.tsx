/**
 * Saved searches and the query history beside the query bar (Kibana's "Open" / GCP's "Saved queries" and
 * "Recent"): a popover with a filter box, the saved searches (open, rename, delete) and the searches run
 * lately; "Save current search…" names the query with its time range and columns.
 */
import * as Dialog from '@radix-ui/react-dialog';
import * as Popover from '@radix-ui/react-popover';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AuditClient } from '../api/types.ts';
import { describeError } from '../api/types.ts';
import { formatCount, formatTimestamp } from '../lib/format.ts';
import type { TimeZoneMode } from '../lib/format.ts';
import { fromSaved, savedRangeLabel, splitRange, toSavedInput } from '../lib/savedView.ts';
import { relativeTime } from '../lib/zoneTime.ts';
import type { HistoryEntry, SavedSearch } from '../lib/savedView.ts';
import { rangeLabel } from '../lib/timeRange.ts';
import type { ViewState } from '../lib/urlState.ts';
import type { ColumnKey } from './columns.ts';
import { DialogFooter } from './DialogFooter.tsx';

export interface SavedSearchesMenuProps {
  client: AuditClient;
  view: ViewState;
  columns: readonly ColumnKey[];
  zone: TimeZoneMode;
  /** Runs a saved search or a history entry (columns: null keeps the current ones). */
  onOpen(view: ViewState, columns: ColumnKey[] | null): void;
}

type Tab = 'saved' | 'history';

export function SavedSearchesMenu({ client, view, columns, zone, onOpen }: SavedSearchesMenuProps) {
  const [open, setOpen] = useState(false);
  const [tab, setTab] = useState<Tab>('saved');
  const [filter, setFilter] = useState('');
  const [saved, setSaved] = useState<SavedSearch[] | null>(null);
  const [history, setHistory] = useState<HistoryEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saveOpen, setSaveOpen] = useState(false);
  const filterBox = useRef<HTMLInputElement>(null);

  const loadSaved = useCallback(() => {
    client['saved.list']({}).then(
      (r) => setSaved(r.searches),
      (e: unknown) => {
        // A newer list from this tab (the save dialog's) superseded this one: nothing went wrong.
        if (describeError(e).code !== 'cancelled')
          setError(`Could not list the saved searches: ${describeError(e).message}`);
      },
    );
  }, [client]);
  useEffect(() => {
    if (open) setError(null);
    // Also when the menu is closed: the button says whether the current view is a saved search.
    loadSaved();
  }, [open, loadSaved]);
  const current = (saved ?? []).find((s) => sameView(fromSaved(s).view, view));
  // The history is filtered by the service (it keeps thousands of entries); a pause in typing asks again.
  // The search just run is recorded after its answer arrived, so the list is read again while it shows.
  useEffect(() => {
    if (!open || tab !== 'history') return;
    let live = true;
    const fetch = () =>
      client['history.list']({ limit: 100, text: filter.trim() || null }).then(
        (r) => live && setHistory(r.entries),
        (e: unknown) => {
          if (live && describeError(e).code !== 'cancelled')
            setError(`Could not read the history: ${describeError(e).message}`);
        },
      );
    const first = setTimeout(fetch, 120);
    const again = setInterval(fetch, 1500);
    return () => {
      live = false;
      clearTimeout(first);
      clearInterval(again);
    };
  }, [open, tab, filter, client]);

  const pick = (next: ViewState, cols: ColumnKey[] | null) => {
    setOpen(false);
    setFilter('');
    onOpen(next, cols);
  };
  const needle = filter.trim().toLowerCase();
  const shown = (saved ?? []).filter(
    (s) => !needle || s.name.toLowerCase().includes(needle) || s.query.toLowerCase().includes(needle),
  );

  return (
    <>
      <Popover.Root
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (!next) setFilter('');
        }}
      >
        <Popover.Trigger asChild>
          <button
            type="button"
            className="button"
            data-testid="saved-menu"
            aria-label={
              current
                ? `Saved searches and history (this search is saved as ${current.name})`
                : 'Saved searches and history'
            }
            title={current ? `This search is saved as “${current.name}”` : undefined}
          >
            <span aria-hidden="true" className={current ? 'saved-menu__star--on' : undefined}>
              {current ? '★' : '☆'}
            </span>{' '}
            Saved <span aria-hidden="true">▾</span>
          </button>
        </Popover.Trigger>
        <Popover.Portal>
          <Popover.Content
            className="popover saved-menu"
            align="end"
            sideOffset={6}
            data-testid="saved-popover"
            aria-label="Saved searches and history"
            onOpenAutoFocus={(e) => {
              e.preventDefault();
              filterBox.current?.focus();
            }}
          >
            <div className="saved-menu__head">
              <div className="segmented" role="group" aria-label="Show">
                <button
                  type="button"
                  aria-pressed={tab === 'saved'}
                  data-testid="saved-tab"
                  onClick={() => setTab('saved')}
                >
                  Saved{saved ? ` (${formatCount(saved.length)})` : ''}
                </button>
                <button
                  type="button"
                  aria-pressed={tab === 'history'}
                  data-testid="history-tab"
                  onClick={() => setTab('history')}
                >
                  History
                </button>
              </div>
              <input
                ref={filterBox}
                className="input saved-menu__filter"
                type="search"
                value={filter}
                onChange={(e) => setFilter(e.target.value)}
                placeholder={tab === 'saved' ? 'Filter by name or query' : 'Search the history'}
                aria-label={tab === 'saved' ? 'Filter saved searches' : 'Search the history'}
                data-testid="saved-filter"
              />
            </div>
            {error && (
              <p className="form-error" role="alert">
                {error}
              </p>
            )}
            {tab === 'saved' ? (
              <SavedList
                client={client}
                all={saved}
                shown={shown}
                filter={filter}
                zone={zone}
                onPick={(s) => {
                  const { view: v, columns: c } = fromSaved(s);
                  pick(v, c);
                }}
                onChanged={loadSaved}
              />
            ) : (
              <HistoryList
                entries={history}
                filter={filter}
                zone={zone}
                onPick={(q) => pick(splitRange(q), null)}
              />
            )}
            <div className="saved-menu__foot">
              <button
                type="button"
                className="button button--primary"
                data-testid="saved-save"
                onClick={() => {
                  setOpen(false);
                  setSaveOpen(true);
                }}
              >
                Save current search…
              </button>
            </div>
          </Popover.Content>
        </Popover.Portal>
      </Popover.Root>
      <SaveSearchDialog
        open={saveOpen}
        onOpenChange={(next) => {
          setSaveOpen(next);
          if (!next) loadSaved();
        }}
        client={client}
        view={view}
        columns={columns}
        zone={zone}
      />
    </>
  );
}

function SavedList({
  client,
  all,
  shown,
  filter,
  zone,
  onPick,
  onChanged,
}: {
  client: AuditClient;
  all: SavedSearch[] | null;
  shown: SavedSearch[];
  filter: string;
  zone: TimeZoneMode;
  onPick(s: SavedSearch): void;
  onChanged(): void;
}) {
  const [editing, setEditing] = useState<{ name: string; mode: 'rename' | 'delete'; text: string } | null>(
    null,
  );
  const [problem, setProblem] = useState<string | null>(null);
  if (all == null) return <p className="muted saved-menu__empty">Loading…</p>;
  if (all.length === 0)
    return (
      <p className="muted saved-menu__empty" data-testid="saved-empty">
        No saved searches yet. Save the current search to come back to it later, or to add it to an
        investigation.
      </p>
    );
  if (shown.length === 0)
    return (
      <p className="muted saved-menu__empty" data-testid="saved-empty">
        No saved search has “{filter.trim()}” in its name or query.
      </p>
    );

  const finish = (work: Promise<unknown>) =>
    work.then(
      () => {
        setEditing(null);
        setProblem(null);
        onChanged();
      },
      (e: unknown) => setProblem(describeError(e).message),
    );

  return (
    <ul className="saved-list" data-testid="saved-list">
      {shown.map((s) => {
        const mine = editing?.name === s.name ? editing : null;
        return (
          <li key={s.name} className="saved-item" data-testid="saved-item">
            {mine?.mode === 'rename' ? (
              <form
                className="saved-item__edit"
                onSubmit={(e) => {
                  e.preventDefault();
                  const text = mine.text.trim();
                  if (!text || text === s.name) return setEditing(null);
                  void finish(client['saved.rename']({ name: s.name, newName: text }));
                }}
              >
                <input
                  className="input"
                  aria-label={`New name for ${s.name}`}
                  value={mine.text}
                  autoFocus
                  maxLength={200}
                  data-testid="saved-rename-input"
                  onChange={(e) => setEditing({ ...mine, text: e.target.value })}
                  onKeyDown={(e) => {
                    if (e.key === 'Escape') {
                      e.stopPropagation();
                      setEditing(null);
                    }
                  }}
                />
                <button type="submit" className="button" disabled={!mine.text.trim()}>
                  Rename
                </button>
                <button type="button" className="button button--ghost" onClick={() => setEditing(null)}>
                  Cancel
                </button>
              </form>
            ) : mine?.mode === 'delete' ? (
              <div className="saved-item__edit" role="group" aria-label={`Delete ${s.name}?`}>
                <span>
                  Delete “<strong>{s.name}</strong>”?
                </span>
                <button
                  type="button"
                  className="button cw-danger"
                  autoFocus
                  data-testid="saved-delete-confirm"
                  onClick={() => void finish(client['saved.remove']({ name: s.name }))}
                >
                  Delete
                </button>
                <button type="button" className="button button--ghost" onClick={() => setEditing(null)}>
                  Cancel
                </button>
              </div>
            ) : (
              <>
                <button
                  type="button"
                  className="saved-item__open"
                  data-testid="saved-open"
                  title={`Run: ${s.query || '(every event)'} · ${savedRangeLabel(s, zone)}`}
                  onClick={() => onPick(s)}
                >
                  <span className="saved-item__name">{s.name}</span>
                  <span className="saved-item__query mono">{s.query || <em>every event</em>}</span>
                  <span className="saved-item__meta muted">
                    {savedRangeLabel(s, zone)}
                    {s.columns.length > 0 && ` · ${s.columns.length} columns`}
                  </span>
                </button>
                <span className="saved-item__actions">
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Rename ${s.name}`}
                    title="Rename"
                    data-testid="saved-rename"
                    onClick={() => setEditing({ name: s.name, mode: 'rename', text: s.name })}
                  >
                    ✎
                  </button>
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Delete ${s.name}`}
                    title="Delete"
                    data-testid="saved-delete"
                    onClick={() => setEditing({ name: s.name, mode: 'delete', text: '' })}
                  >
                    ✕
                  </button>
                </span>
              </>
            )}
            {mine && problem && (
              <p className="form-error saved-item__problem" role="alert">
                {problem}
              </p>
            )}
          </li>
        );
      })}
    </ul>
  );
}

function HistoryList({
  entries,
  filter,
  zone,
  onPick,
}: {
  entries: HistoryEntry[] | null;
  filter: string;
  zone: TimeZoneMode;
  onPick(query: string): void;
}) {
  if (entries == null) return <p className="muted saved-menu__empty">Loading…</p>;
  if (entries.length === 0)
    return (
      <p className="muted saved-menu__empty" data-testid="history-empty">
        {filter.trim()
          ? `No search in the history contains “${filter.trim()}”.`
          : 'No searches yet: every search you run is listed here, newest first.'}
      </p>
    );
  const now = Date.now();
  return (
    <ul className="saved-list" data-testid="history-list">
      {entries.map((h) => {
        const v = splitRange(h.query);
        return (
          <li key={`${h.at}-${h.query}`} className="saved-item">
            <button
              type="button"
              className="saved-item__open"
              data-testid="history-item"
              onClick={() => onPick(h.query)}
            >
              <span className="saved-item__query mono">{v.query || <em>every event</em>}</span>
              <span className="saved-item__meta muted">
                {rangeLabel(v.range, zone)}
                {h.total != null && ` · ${formatCount(h.total)} ${h.total === 1 ? 'event' : 'events'}`} ·{' '}
                <span title={`${formatTimestamp(h.at, zone)} ${zone === 'utc' ? 'UTC' : 'local'}`}>
                  {relativeTime(h.at, now)}
                </span>
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

function SaveSearchDialog({
  open,
  onOpenChange,
  client,
  view,
  columns,
  zone,
}: {
  open: boolean;
  onOpenChange(open: boolean): void;
  client: AuditClient;
  view: ViewState;
  columns: readonly ColumnKey[];
  zone: TimeZoneMode;
}) {
  const [name, setName] = useState('');
  const [taken, setTaken] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!open) return;
    setName('');
    setError(null);
    client['saved.list']({}).then(
      (r) => setTaken(new Set(r.searches.map((s) => s.name.toLowerCase()))),
      () => setTaken(new Set()),
    );
  }, [open, client]);
  const trimmed = name.trim();
  const replaces = taken.has(trimmed.toLowerCase());
  const relative = view.range.kind === 'last';

  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Content className="dialog" data-testid="save-dialog">
          <Dialog.Title>Save the current search</Dialog.Title>
          <Dialog.Description className="muted">
            The query, its time range and the table’s columns, under a name.
          </Dialog.Description>
          <form
            className="cform"
            onSubmit={(e) => {
              e.preventDefault();
              if (!trimmed || busy) return;
              setBusy(true);
              client['saved.add']({ name: trimmed, ...toSavedInput(view, columns), replace: replaces })
                .then(
                  () => onOpenChange(false),
                  (err: unknown) => setError(describeError(err).message),
                )
                .finally(() => setBusy(false));
            }}
          >
            <label className="cform__field">
              <span>Name</span>
              <input
                className="input"
                value={name}
                autoFocus
                maxLength={200}
                required
                data-testid="save-name"
                aria-describedby="save-name-hint"
                onChange={(e) => setName(e.target.value)}
              />
              <span id="save-name-hint" className={replaces ? 'cform__warning' : 'muted'}>
                {replaces
                  ? `A saved search named “${trimmed}” exists: saving replaces it.`
                  : 'Names are unique, ignoring case.'}
              </span>
            </label>
            <dl className="save-summary">
              <dt>Query</dt>
              <dd className="mono">{view.query.trim() || <em>every event</em>}</dd>
              <dt>Time range</dt>
              <dd>
                {rangeLabel(view.range, zone)}{' '}
                <span className="muted">
                  {relative
                    ? '(relative: moves with the clock)'
                    : view.range.kind === 'between'
                      ? '(fixed)'
                      : ''}
                </span>
              </dd>
              <dt>Columns</dt>
              <dd>{columns.length}</dd>
            </dl>
            <DialogFooter error={error}>
              <button
                type="submit"
                className="button button--primary"
                disabled={!trimmed || busy}
                data-testid="save-submit"
              >
                {replaces ? 'Replace' : 'Save'}
              </button>
            </DialogFooter>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** The same query and range (what a saved search restores, columns aside). */
function sameView(a: ViewState, b: ViewState): boolean {
  if (a.query.trim() !== b.query.trim() || a.range.kind !== b.range.kind) return false;
  if (a.range.kind === 'last' && b.range.kind === 'last') return a.range.text === b.range.text;
  if (a.range.kind === 'between' && b.range.kind === 'between')
    return a.range.from === b.range.from && a.range.to === b.range.to;
  return true;
}
