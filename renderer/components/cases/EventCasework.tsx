/**
 * The event detail panel's casework: which investigations pin this event (with Unpin and their notes on
 * it), "Pin to investigation…" (an open case, or a new one), and "Add note" in Markdown for a case that
 * pins it. Pinned events are on legal hold: retention keeps them.
 */
import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useCallback, useEffect, useState } from 'react';
import type { AuditClient } from '../../api/types.ts';
import { describeError } from '../../api/types.ts';
import { formatTimestamp } from '../../lib/format.ts';
import type { TimeZoneMode } from '../../lib/format.ts';
import { routeHash } from '../../lib/route.ts';
import { relativeTime } from '../../lib/zoneTime.ts';
import type { EventCaseworkEntry, InvestigationSummary } from './caseTypes.ts';
import { Markdown } from './Markdown.tsx';
import { NewInvestigationDialog } from './NewInvestigationDialog.tsx';
import { NoteEditor } from './NoteEditor.tsx';

export function EventCasework({
  client,
  eventId,
  zone,
  onChanged,
}: {
  client: AuditClient;
  eventId: string;
  zone: TimeZoneMode;
  /** After a pin, unpin or note (the case view reloads). */
  onChanged?(): void;
}) {
  const [pins, setPins] = useState<EventCaseworkEntry[] | null>(null);
  const [cases, setCases] = useState<InvestigationSummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [noting, setNoting] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [status, setStatus] = useState('');

  const load = useCallback(async () => {
    try {
      // One after the other: a transport may cancel a client's older call of the same method, not others.
      const mine = await client['investigations.forEvent']({ id: eventId });
      const all = await client['investigations.list']({});
      setPins(mine.investigations);
      setCases(all.investigations);
      setError(null);
    } catch (e) {
      setError(`Could not read the investigations: ${describeError(e).message}`);
    }
  }, [client, eventId]);
  useEffect(() => {
    setPins(null);
    setNoting(null);
    setStatus('');
    void load();
  }, [load]);

  const act = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      setStatus(done);
      await load();
      onChanged?.();
    } catch (e) {
      setError(describeError(e).message);
    }
  };
  const pin = (name: string) =>
    act(() => client['investigations.pin']({ name, eventIds: [eventId] }), `Pinned to ${name}.`);
  const pinnedNames = new Set((pins ?? []).map((p) => p.name.toLowerCase()));
  const candidates = cases.filter((c) => c.status === 'open' && !pinnedNames.has(c.name.toLowerCase()));

  return (
    <section className="drawer__section casework" aria-label="Investigations" data-testid="casework">
      <h3>Investigations</h3>
      {pins == null && !error && <p className="muted">Loading…</p>}
      {pins && pins.length === 0 && (
        <p className="muted" data-testid="casework-none">
          Not pinned to any investigation. A pinned event is kept by retention (legal hold).
        </p>
      )}
      {pins && pins.length > 0 && (
        <ul className="casework__list">
          {pins.map((p) => (
            <li key={p.name} className="casework__case" data-testid="casework-case">
              <div className="casework__row">
                <span aria-hidden="true">⚑</span>
                <a
                  href={routeHash({ screen: 'investigations', name: p.name })}
                  className="casework__name"
                  data-testid="casework-link"
                >
                  {p.name}
                </a>
                {p.status === 'closed' && <span className="cw-badge">closed</span>}
                <span
                  className="muted"
                  title={`${formatTimestamp(p.pinnedAt, zone)} ${zone === 'utc' ? 'UTC' : 'local'}`}
                >
                  pinned {relativeTime(p.pinnedAt)}
                </span>
                {p.status === 'open' && (
                  <span className="casework__actions">
                    <button
                      type="button"
                      className="button cw-small"
                      data-testid="casework-note"
                      aria-expanded={noting === p.name}
                      onClick={() => setNoting(noting === p.name ? null : p.name)}
                    >
                      Add note
                    </button>
                    <button
                      type="button"
                      className="button cw-small"
                      data-testid="casework-unpin"
                      aria-label={`Unpin from ${p.name}`}
                      onClick={() =>
                        void act(
                          () => client['investigations.unpin']({ name: p.name, eventIds: [eventId] }),
                          `Unpinned from ${p.name}.`,
                        )
                      }
                    >
                      Unpin
                    </button>
                  </span>
                )}
              </div>
              {p.notes.length > 0 && (
                <ul className="notes notes--compact">
                  {p.notes.map((n, i) => (
                    <li key={i} className="note" data-testid="casework-note-item">
                      <Markdown text={n.body} />
                      <span
                        className="note__meta muted"
                        title={`${formatTimestamp(n.at, zone)} ${zone === 'utc' ? 'UTC' : 'local'}`}
                      >
                        {relativeTime(n.at)}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
              {noting === p.name && (
                <NoteEditor
                  label={`Note on this event in ${p.name}`}
                  onCancel={() => setNoting(null)}
                  onSave={async (body) => {
                    await client['investigations.note']({ name: p.name, body, eventId });
                    setNoting(null);
                    setStatus(`Note added to ${p.name}.`);
                    await load();
                    onChanged?.();
                  }}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      <div className="row-buttons">
        <DropdownMenu.Root modal={false}>
          <DropdownMenu.Trigger asChild>
            <button type="button" className="button" data-testid="pin-menu" disabled={pins == null}>
              <span aria-hidden="true">⚑</span> Pin to investigation… <span aria-hidden="true">▾</span>
            </button>
          </DropdownMenu.Trigger>
          <DropdownMenu.Portal>
            <DropdownMenu.Content
              className="popover menu"
              align="start"
              sideOffset={4}
              data-testid="pin-list"
            >
              {candidates.length > 0 ? (
                <DropdownMenu.Label className="menu__label">Open investigations</DropdownMenu.Label>
              ) : (
                <DropdownMenu.Label className="menu__label">
                  {cases.some((c) => c.status === 'open')
                    ? 'Pinned to every open investigation.'
                    : 'No open investigation yet.'}
                </DropdownMenu.Label>
              )}
              {candidates.map((c) => (
                <DropdownMenu.Item
                  key={c.name}
                  className="menu__item"
                  data-testid="pin-to"
                  onSelect={() => void pin(c.name)}
                >
                  {c.name}
                </DropdownMenu.Item>
              ))}
              <DropdownMenu.Separator className="menu__separator" />
              <DropdownMenu.Item
                className="menu__item"
                data-testid="pin-new"
                onSelect={() => setCreating(true)}
              >
                New investigation…
              </DropdownMenu.Item>
            </DropdownMenu.Content>
          </DropdownMenu.Portal>
        </DropdownMenu.Root>
        <span className="muted" role="status" data-testid="casework-status">
          {status}
        </span>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <NewInvestigationDialog
        open={creating}
        onOpenChange={setCreating}
        client={client}
        taken={cases.map((c) => c.name)}
        intro="A named case for this event and others like it; the event is pinned to it (kept by retention: legal hold)."
        onCreated={async (created) => {
          await pin(created.name);
        }}
      />
    </section>
  );
}
