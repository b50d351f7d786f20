/**
 * One investigation: its description, saved searches (open one in search), pinned events (a compact
 * table; a row opens the event's detail panel beside it), and the case log of Markdown notes on the case
 * and on its events. The description is edited in place; a saved search can be taken out of the case (it
 * stays saved). A closed case is read-only until it is reopened; its pinned events stay on legal hold.
 */
import * as Dialog from '@radix-ui/react-dialog';
import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AuditClient, AuditEvent } from '../../api/types.ts';
import { describeError } from '../../api/types.ts';
import type { ApiErrorShape } from '../../api/types.ts';
import { formatCount, formatMinute, formatTimestamp, storedZoneMode } from '../../lib/format.ts';
import { routeHash } from '../../lib/route.ts';
import { ExportDialog } from '../ExportDialog.tsx';
import { fromSaved, savedRangeLabel } from '../../lib/savedView.ts';
import { relativeTime } from '../../lib/zoneTime.ts';
import type { SavedSearch } from '../../lib/savedView.ts';
import { DetailDrawer } from '../DetailDrawer.tsx';
import { OutcomeIcon } from '../Histogram.tsx';
import { eventView, filterView, openSaved, openSearch, pivotView, searchLink } from './caseNav.ts';
import { StatusBadge } from './CaseList.tsx';
import type { Investigation } from './caseTypes.ts';
import { Markdown } from './Markdown.tsx';
import { NoteEditor } from './NoteEditor.tsx';
import { DialogFooter } from '../DialogFooter.tsx';

type Pin = Investigation['pins'][number];

export function CaseView({ client, name }: { client: AuditClient; name: string }) {
  const [data, setData] = useState<Investigation | null>(null);
  const [error, setError] = useState<ApiErrorShape | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [closing, setClosing] = useState(false);
  const [editing, setEditing] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const reopenButton = useRef<HTMLButtonElement>(null);
  /** The header button that takes the place of the one just used (Close ↔ Reopen) gets the focus. */
  const [refocus, setRefocus] = useState<'close' | 'reopen' | 'edit' | null>(null);
  const [exportOpen, setExportOpen] = useState(false);
  const zone = storedZoneMode();
  const zoneWord = zone === 'utc' ? 'UTC' : 'local';

  const load = useCallback(async () => {
    try {
      setData(await client['investigations.get']({ name }));
      setError(null);
    } catch (e) {
      setError(describeError(e));
    }
  }, [client, name]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (refocus === null) return;
    // The button exists only once the case has reloaded (Close ↔ Reopen) or the editor has gone (Edit).
    const target = { close: closeButton, reopen: reopenButton, edit: editButton }[refocus].current;
    if (target) {
      target.focus();
      setRefocus(null);
    }
  });

  if (error && !data)
    return (
      <main className="page" data-testid="screen-investigations">
        <header className="page__head">
          <a href={routeHash({ screen: 'investigations' })} className="case__back">
            ← Investigations
          </a>
          <h1>{name}</h1>
        </header>
        <div className="page__body">
          <div className="state state--error" role="alert" data-testid="case-error">
            <h2>
              {error.code === 'not_found' ? 'No such investigation' : 'Could not open the investigation'}
            </h2>
            <p>{error.message}</p>
            <div className="row-buttons">
              <a className="button" href={routeHash({ screen: 'investigations' })}>
                All investigations
              </a>
              {error.code !== 'not_found' && (
                <button type="button" className="button" onClick={() => void load()}>
                  Try again
                </button>
              )}
            </div>
          </div>
        </div>
      </main>
    );
  if (!data)
    return (
      <main className="page" data-testid="screen-investigations">
        <header className="page__head">
          <h1>{name}</h1>
        </header>
        <div className="page__body muted">Loading…</div>
      </main>
    );

  const open = data.status === 'open';
  const pinned = new Map(data.pins.map((p) => [p.eventId, p]));
  const selectedPin = selected ? pinned.get(selected) : undefined;
  const selectedEvent = selectedPin?.event ?? null;
  const notesOn = (id: string) => data.noteList.filter((n) => n.eventId === id).length;
  const act = (work: () => Promise<unknown>) =>
    work().then(
      () => {
        setProblem(null);
        return load();
      },
      (e: unknown) => setProblem(describeError(e).message),
    );

  return (
    <main
      className={`case-page${selectedEvent ? ' case-page--detail' : ''}`}
      data-testid="screen-investigations"
    >
      <header className="page__head case__head">
        <a href={routeHash({ screen: 'investigations' })} className="case__back">
          ← Investigations
        </a>
        <h1 data-testid="case-title">{data.name}</h1>
        <StatusBadge status={data.status} />
        <span className="case__spacer" />
        <button
          type="button"
          className="button"
          data-testid="case-export"
          disabled={data.pinned === 0}
          title={
            data.pinned === 0 ? 'Pin events to the case first: an export holds its pinned events.' : undefined
          }
          onClick={() => setExportOpen(true)}
        >
          Export case…
        </button>
        {/* The case's pinned events, in full (open or closed: a closed case is what gets handed over). */}
        <ExportDialog
          client={client}
          open={exportOpen}
          onOpenChange={setExportOpen}
          investigation={data.name}
        />
        {open ? (
          <button
            ref={closeButton}
            type="button"
            className="button"
            data-testid="case-close"
            onClick={() => setClosing(true)}
          >
            Close case…
          </button>
        ) : (
          <button
            ref={reopenButton}
            type="button"
            className="button"
            data-testid="case-reopen"
            title="Reopen the case: its description, saved searches, pins and notes can change again"
            onClick={() =>
              void act(async () => {
                await client['investigations.reopen']({ name: data.name });
                setRefocus('close');
              })
            }
          >
            Reopen case
          </button>
        )}
      </header>

      <div className="case-page__body">
        <p className="case__meta muted">
          Created{' '}
          <span title={`${formatTimestamp(data.createdAt, zone)} ${zoneWord}`}>
            {formatMinute(data.createdAt, zone)}
          </span>
          {data.closedAt != null && (
            <>
              {' '}
              · closed{' '}
              <span title={`${formatTimestamp(data.closedAt, zone)} ${zoneWord}`}>
                {formatMinute(data.closedAt, zone)}
              </span>
            </>
          )}{' '}
          {zoneWord} · {formatCount(data.pinned)} pinned {data.pinned === 1 ? 'event' : 'events'} ·{' '}
          {formatCount(data.notes)} {data.notes === 1 ? 'note' : 'notes'} · last change{' '}
          {relativeTime(data.changedAt)}
        </p>
        {!open && (
          <div className="banner case__closed" role="status" data-testid="case-closed">
            This investigation is closed: it is read-only until it is reopened. Its {formatCount(data.pinned)}{' '}
            pinned {data.pinned === 1 ? 'event stays' : 'events stay'} on legal hold (retention keeps them).
          </div>
        )}
        {problem && (
          <p className="form-error" role="alert">
            {problem}
          </p>
        )}

        <section className="case__section" aria-labelledby="case-description">
          <div className="case__section-head">
            <h2 id="case-description">Description</h2>
            {open && !editing && (
              <button
                ref={editButton}
                type="button"
                className="button cw-small"
                data-testid="description-edit"
                aria-label="Edit the description"
                onClick={() => setEditing(true)}
              >
                Edit
              </button>
            )}
          </div>
          {editing && open ? (
            <div className="case__description-editor">
              <NoteEditor
                label="The case's description"
                initial={data.description}
                saveLabel="Save description"
                allowEmpty
                testId="description"
                onSave={async (description) => {
                  await client['investigations.update']({ name: data.name, description });
                  await load();
                  setEditing(false);
                  setRefocus('edit');
                }}
                onCancel={() => {
                  setEditing(false);
                  setRefocus('edit');
                }}
              />
            </div>
          ) : data.description ? (
            <Markdown text={data.description} />
          ) : (
            <p className="muted" data-testid="description-empty">
              No description.
            </p>
          )}
        </section>

        <CaseSearches client={client} data={data} onChanged={load} />

        <section className="case__section" aria-labelledby="case-pins">
          <h2 id="case-pins">
            Pinned events <span className="muted">({formatCount(data.pins.length)})</span>
          </h2>
          {data.pins.length === 0 ? (
            <p className="muted" data-testid="pins-empty">
              No pinned events. In search, open an event and choose <strong>Pin to investigation…</strong> in
              its detail panel; pinned events are kept by retention (legal hold).
            </p>
          ) : (
            <table className="cases-table pins-table" data-testid="pins-table">
              <thead>
                <tr>
                  <th scope="col">Time ({zoneWord})</th>
                  <th scope="col">User</th>
                  <th scope="col">Entity</th>
                  <th scope="col">Action</th>
                  <th scope="col">Outcome</th>
                  <th scope="col" className="cw-num">
                    Notes
                  </th>
                  <th scope="col">
                    <span className="cw-sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.pins.map((p) => (
                  <PinRow
                    key={p.eventId}
                    pin={p}
                    zone={zone}
                    notes={notesOn(p.eventId)}
                    selected={selected === p.eventId}
                    open={open}
                    onSelect={() => setSelected(selected === p.eventId ? null : p.eventId)}
                    onUnpin={() =>
                      void act(() =>
                        client['investigations.unpin']({ name: data.name, eventIds: [p.eventId] }),
                      )
                    }
                  />
                ))}
              </tbody>
            </table>
          )}
        </section>

        <section className="case__section" aria-labelledby="case-notes">
          <h2 id="case-notes">
            Notes <span className="muted">({formatCount(data.noteList.length)})</span>
          </h2>
          {data.noteList.length === 0 && (
            <p className="muted" data-testid="notes-empty">
              No notes yet.{' '}
              {open
                ? 'Write one below, or add one to a pinned event from its detail panel.'
                : 'The case was closed without notes.'}
            </p>
          )}
          {data.noteList.length > 0 && (
            <ol className="notes" data-testid="notes">
              {data.noteList.map((n, i) => {
                const pin = n.eventId ? pinned.get(n.eventId) : undefined;
                return (
                  <li key={i} className="note" data-testid="note">
                    <div className="note__meta muted">
                      <span title={`${formatTimestamp(n.at, zone)} ${zoneWord}`}>
                        {formatMinute(n.at, zone)} · {relativeTime(n.at)}
                      </span>
                      {' · '}
                      {n.eventId == null ? (
                        'on the case'
                      ) : pin?.event ? (
                        <button
                          type="button"
                          className="link"
                          onClick={() => setSelected(n.eventId)}
                          data-testid="note-event"
                        >
                          on {pin.event.action ?? 'event'} at {formatTimestamp(pin.event.ts, zone)}
                        </button>
                      ) : (
                        <span className="mono">on event {n.eventId}</span>
                      )}
                    </div>
                    <Markdown text={n.body} className="note__body" />
                  </li>
                );
              })}
            </ol>
          )}
          {open && (
            <div className="case__add-note">
              <NoteEditor
                label="A note on the case"
                autoFocus={false}
                onSave={async (body) => {
                  await client['investigations.note']({ name: data.name, body, eventId: null });
                  await load();
                }}
              />
            </div>
          )}
        </section>
      </div>

      {selectedEvent && (
        <DetailDrawer
          event={selectedEvent as AuditEvent}
          client={client}
          zone={zone}
          onClose={() => setSelected(null)}
          onFilter={(field, value, negated) => openSearch(filterView(field, value, negated))}
          onPivot={(p) => openSearch(pivotView(p))}
          onCaseworkChanged={() => void load()}
        />
      )}

      <Dialog.Root open={closing} onOpenChange={setClosing}>
        <Dialog.Portal>
          <Dialog.Content className="dialog" data-testid="close-dialog">
            <Dialog.Title>Close “{data.name}”?</Dialog.Title>
            <Dialog.Description>
              A closed investigation is read-only: its saved searches, pins and notes no longer change. Its{' '}
              {formatCount(data.pinned)} pinned {data.pinned === 1 ? 'event stays' : 'events stay'} on legal
              hold; to release one, unpin it before closing.
            </Dialog.Description>
            <DialogFooter error={null}>
              <button
                type="button"
                className="button button--primary"
                data-testid="close-confirm"
                onClick={() => {
                  setClosing(false);
                  setEditing(false);
                  void act(async () => {
                    await client['investigations.close']({ name: data.name });
                    setRefocus('reopen');
                  });
                }}
              >
                Close investigation
              </button>
            </DialogFooter>
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
    </main>
  );
}

function PinRow({
  pin,
  zone,
  notes,
  selected,
  open,
  onSelect,
  onUnpin,
}: {
  pin: Pin;
  zone: 'utc' | 'local';
  notes: number;
  selected: boolean;
  open: boolean;
  onSelect(): void;
  onUnpin(): void;
}) {
  const e = pin.event;
  if (!e)
    return (
      <tr data-testid="pin-row" className="pins-table__gone">
        <td colSpan={5} className="muted">
          Event <span className="mono">{pin.eventId}</span> is no longer stored.
        </td>
        <td className="cw-num">{formatCount(notes)}</td>
        <td className="pins-table__actions">
          {open && (
            <button type="button" className="button cw-small" onClick={onUnpin}>
              Unpin
            </button>
          )}
        </td>
      </tr>
    );
  return (
    <tr
      data-testid="pin-row"
      className={`pins-table__row${selected ? ' pins-table__row--selected' : ''}${
        e.outcome === 'failure' ? ' pins-table__row--failure' : ''
      }`}
      tabIndex={0}
      aria-selected={selected}
      onClick={onSelect}
      onKeyDown={(ev) => {
        if ((ev.key === 'Enter' || ev.key === ' ') && ev.target === ev.currentTarget) {
          ev.preventDefault();
          onSelect();
        }
      }}
    >
      <td className="mono">{formatTimestamp(e.ts, zone)}</td>
      <td className="cw-ellipsis" title={e.user ?? undefined}>
        {e.user ?? '—'}
      </td>
      <td className="cw-ellipsis">{e.entity ?? '—'}</td>
      <td className="cw-ellipsis" title={e.action ?? undefined}>
        {e.action ?? '—'}
      </td>
      <td>
        <span className={`outcome--${e.outcome}`}>
          <OutcomeIcon outcome={e.outcome} /> {e.outcome}
        </span>
      </td>
      <td className="cw-num">{formatCount(notes)}</td>
      <td className="pins-table__actions" onClick={(ev) => ev.stopPropagation()}>
        <a className="button cw-small" href={searchLink(eventView(pin.eventId))} title="Open in search">
          Search
        </a>
        {open && (
          <button
            type="button"
            className="button cw-small"
            data-testid="pin-unpin"
            aria-label={`Unpin ${e.action ?? 'event'} at ${formatTimestamp(e.ts, zone)}`}
            onClick={onUnpin}
          >
            Unpin
          </button>
        )}
      </td>
    </tr>
  );
}

function CaseSearches({
  client,
  data,
  onChanged,
}: {
  client: AuditClient;
  data: Investigation;
  onChanged(): Promise<void>;
}) {
  const [all, setAll] = useState<SavedSearch[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const list = useRef<HTMLUListElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  /** The row whose Remove was used: after the reload the focus stays there (the row that moved up, else
   * the one above, else Add), not lost with the button that went. */
  const [focusAt, setFocusAt] = useState<number | null>(null);
  useEffect(() => {
    if (focusAt === null) return;
    setFocusAt(null);
    const buttons = list.current?.querySelectorAll<HTMLButtonElement>('[data-testid="case-search-remove"]');
    const next = buttons?.[Math.min(focusAt, buttons.length - 1)] ?? addButton.current;
    next?.focus();
  }, [data, focusAt]);
  const remove = (index: number, search: string) =>
    client['investigations.removeSearches']({ name: data.name, searches: [search] }).then(
      async () => {
        setProblem(null);
        await onChanged();
        setFocusAt(index);
      },
      (e: unknown) => setProblem(describeError(e).message),
    );
  const zone = storedZoneMode();
  const open = data.status === 'open';
  const mine = new Set(data.searches.map((s) => s.name.toLowerCase()));
  const candidates = (all ?? []).filter((s) => !mine.has(s.name.toLowerCase()));
  return (
    <section className="case__section" aria-labelledby="case-searches">
      <h2 id="case-searches">
        Saved searches <span className="muted">({formatCount(data.searches.length)})</span>
      </h2>
      {data.searches.length === 0 ? (
        <p className="muted" data-testid="searches-empty">
          No saved searches in this case.{' '}
          {open && 'Save a search from the search screen (☆ Saved), then add it here.'}
        </p>
      ) : (
        <ul className="case-searches" data-testid="case-searches" ref={list}>
          {data.searches.map((s, i) => (
            <li key={s.name}>
              <a
                href={searchLink(fromSaved(s).view)}
                className="case-searches__name"
                data-testid="case-search"
                onClick={(e) => {
                  e.preventDefault();
                  openSaved(s);
                }}
              >
                {s.name}
              </a>
              <span className="mono case-searches__query">{s.query || 'every event'}</span>
              <span className="muted">{savedRangeLabel(s, zone)}</span>
              {open && (
                <button
                  type="button"
                  className="button cw-small"
                  data-testid="case-search-remove"
                  aria-label={`Remove ${s.name} from the case`}
                  title="Take it out of the case; it stays in your saved searches"
                  onClick={() => void remove(i, s.name)}
                >
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {open && (
        <DropdownMenu.Root
          modal={false}
          onOpenChange={(o) => {
            if (o)
              client['saved.list']({}).then(
                (r) => setAll(r.searches),
                (e: unknown) => setProblem(describeError(e).message),
              );
          }}
        >
          <DropdownMenu.Trigger asChild>
            <button ref={addButton} type="button" className="button" data-testid="case-add-search">
              Add a saved search… <span aria-hidden="true">▾</span>
            </button>
          </DropdownMenu.Trigger>
          <DropdownMenu.Portal>
            <DropdownMenu.Content className="popover menu" align="start" sideOffset={4}>
              {all == null ? (
                <DropdownMenu.Label className="menu__label">Loading…</DropdownMenu.Label>
              ) : candidates.length === 0 ? (
                <DropdownMenu.Label className="menu__label">
                  {all.length === 0
                    ? 'No saved searches: save one from the search screen (☆ Saved).'
                    : 'Every saved search is in this case.'}
                </DropdownMenu.Label>
              ) : (
                candidates.map((s) => (
                  <DropdownMenu.Item
                    key={s.name}
                    className="menu__item"
                    onSelect={() =>
                      client['investigations.addSearches']({ name: data.name, searches: [s.name] }).then(
                        () => void onChanged(),
                        (e: unknown) => setProblem(describeError(e).message),
                      )
                    }
                  >
                    {s.name} <span className="muted mono">{s.query}</span>
                  </DropdownMenu.Item>
                ))
              )}
            </DropdownMenu.Content>
          </DropdownMenu.Portal>
        </DropdownMenu.Root>
      )}
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
