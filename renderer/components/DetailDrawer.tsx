/**
 * The event detail as a side drawer (the table stays visible beside it): normalised fields with filter
 * buttons, the raw JSON, provenance, and pivots to related events.
 */
import { useEffect, useRef, useState } from 'react';
import type { QueryField } from '../../shared/query/index.ts';
import type { AuditClient, AuditEvent } from '../api/types.ts';
import { describeError } from '../api/types.ts';
import { formatTimestamp } from '../lib/format.ts';
import type { TimeZoneMode } from '../lib/format.ts';
import { EventCasework } from './cases/EventCasework.tsx';
import { OutcomeIcon } from './Histogram.tsx';
import { JsonView } from './JsonView.tsx';

export type Pivot =
  | { kind: 'user'; event: AuditEvent }
  | { kind: 'txn'; event: AuditEvent }
  | { kind: 'target'; event: AuditEvent }
  | { kind: 'surrounding'; event: AuditEvent; minutes: number };

/** Fields in the order an auditor reads them; `filter` names the query field when one exists. */
const FIELDS: { key: keyof AuditEvent; label: string; filter?: QueryField }[] = [
  { key: 'user', label: 'User', filter: 'user' },
  { key: 'entity', label: 'Entity', filter: 'entity' },
  { key: 'action', label: 'Action', filter: 'action' },
  { key: 'opType', label: 'Op type', filter: 'opType' },
  { key: 'outcome', label: 'Outcome', filter: 'outcome' },
  { key: 'status', label: 'Status', filter: 'status' },
  { key: 'target', label: 'Target', filter: 'target' },
  { key: 'org', label: 'Org', filter: 'org' },
  { key: 'ip', label: 'IP', filter: 'ip' },
  { key: 'userAgent', label: 'User agent' },
  { key: 'latencyMs', label: 'Latency' },
  { key: 'txn', label: 'Transaction', filter: 'txn' },
  { key: 'format', label: 'Format', filter: 'format' },
  { key: 'source', label: 'Source', filter: 'source' },
  { key: 'id', label: 'Event id', filter: 'id' },
];

export interface DetailDrawerProps {
  event: AuditEvent;
  client: AuditClient;
  zone: TimeZoneMode;
  onClose(): void;
  onFilter(field: QueryField, value: string, negated: boolean): void;
  onPivot(pivot: Pivot): void;
  /** After a pin, unpin or note from the panel. */
  onCaseworkChanged?(): void;
}

export function DetailDrawer({
  event,
  client,
  zone,
  onClose,
  onFilter,
  onPivot,
  onCaseworkChanged,
}: DetailDrawerProps) {
  const [full, setFull] = useState<{ event?: AuditEvent; error?: string } | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const [minutes, setMinutes] = useState(5);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let live = true;
    setFull(null);
    client['events.get']({ id: event.id, ts: event.ts }).then(
      (r) =>
        live &&
        setFull(
          r.event
            ? { event: r.event }
            : { error: 'The event is no longer in the database (retention or a re-import removed it).' },
        ),
      (e: unknown) => live && setFull({ error: describeError(e).message }),
    );
    return () => {
      live = false;
    };
  }, [client, event.id, event.ts]);
  useEffect(() => {
    heading.current?.focus();
  }, [event.id]);

  const copy = (what: string, text: string) => {
    void navigator.clipboard?.writeText(text).then(
      () => setCopied(what),
      () => setCopied(null),
    );
  };
  const provenance = `${event.source} · ${event.object} · line ${event.line}`;
  const raw = full?.event?.raw;

  return (
    <aside
      className="drawer"
      aria-label="Event detail"
      data-testid="detail"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <header className="drawer__head">
        <h2 className="drawer__title" tabIndex={-1} ref={heading}>
          <span className={`outcome--${event.outcome}`}>
            <OutcomeIcon outcome={event.outcome} />
          </span>{' '}
          {event.action ?? 'Event'} <span className="muted mono">{formatTimestamp(event.ts, zone)}</span>
        </h2>
        <button
          type="button"
          className="button button--ghost"
          onClick={onClose}
          aria-label="Close detail (Esc)"
          data-testid="detail-close"
        >
          ✕ <span className="muted">Esc</span>
        </button>
      </header>

      <section className="drawer__section" aria-label="Pivots">
        <h3>Pivot</h3>
        <div className="pivots">
          <button
            type="button"
            className="button"
            disabled={!event.user || event.ts == null}
            data-testid="pivot-user"
            onClick={() => onPivot({ kind: 'user', event })}
          >
            Same user ±30 min
          </button>
          <button
            type="button"
            className="button"
            disabled={!event.txn}
            data-testid="pivot-txn"
            onClick={() => onPivot({ kind: 'txn', event })}
            title={event.txn ? undefined : 'This event has no transaction id'}
          >
            Same transaction
          </button>
          <button
            type="button"
            className="button"
            disabled={!event.target}
            data-testid="pivot-target"
            onClick={() => onPivot({ kind: 'target', event })}
          >
            Same target
          </button>
          <span className="pivot-surrounding">
            <button
              type="button"
              className="button"
              disabled={event.ts == null}
              data-testid="pivot-surrounding"
              onClick={() => onPivot({ kind: 'surrounding', event, minutes })}
            >
              Surrounding events
            </button>
            <select
              aria-label="Surrounding window"
              className="input input--small"
              value={minutes}
              onChange={(e) => setMinutes(Number(e.target.value))}
            >
              {[1, 5, 15, 60].map((m) => (
                <option key={m} value={m}>
                  ±{m} min
                </option>
              ))}
            </select>
          </span>
        </div>
      </section>

      <EventCasework client={client} eventId={event.id} zone={zone} onChanged={onCaseworkChanged} />

      <section className="drawer__section" aria-label="Fields">
        <h3>Fields</h3>
        <dl className="fields">
          <div className="field">
            <dt>Time</dt>
            <dd className="mono">
              {formatTimestamp(event.ts, zone)}{' '}
              <span className="muted">{zone === 'utc' ? 'UTC' : 'local'}</span>
            </dd>
          </div>
          {FIELDS.map(({ key, label, filter }) => {
            const value = event[key];
            const text = value == null ? null : key === 'latencyMs' ? `${value} ms` : String(value);
            return (
              <div className="field" key={key} data-testid={`field-${key}`}>
                <dt>{label}</dt>
                <dd>
                  <span className="field__value" title={text ?? undefined}>
                    {text ?? <span className="muted">—</span>}
                  </span>
                  {filter && text != null && (
                    <span className="field__actions">
                      <button
                        type="button"
                        className="icon-button"
                        aria-label={`Filter in ${label} ${text}`}
                        title="Filter in"
                        data-testid={`filter-in-${key}`}
                        onClick={() => onFilter(filter, String(value), false)}
                      >
                        +
                      </button>
                      <button
                        type="button"
                        className="icon-button"
                        aria-label={`Filter out ${label} ${text}`}
                        title="Filter out"
                        data-testid={`filter-out-${key}`}
                        onClick={() => onFilter(filter, String(value), true)}
                      >
                        −
                      </button>
                    </span>
                  )}
                </dd>
              </div>
            );
          })}
        </dl>
      </section>

      <section className="drawer__section" aria-label="Provenance">
        <h3>Provenance</h3>
        <p className="provenance mono" data-testid="provenance">
          {provenance}
        </p>
        <div className="row-buttons">
          <button type="button" className="button" onClick={() => copy('provenance', provenance)}>
            Copy provenance
          </button>
          <button
            type="button"
            className="button"
            disabled={!full?.event}
            data-testid="copy-json"
            onClick={() => {
              const e = full?.event ?? event;
              let parsedRaw: unknown = e.raw;
              try {
                parsedRaw = e.raw ? JSON.parse(e.raw) : null;
              } catch {
                // Not JSON: keep the text.
              }
              copy('json', JSON.stringify({ ...e, raw: parsedRaw }, null, 2));
            }}
          >
            Copy as JSON
          </button>
          <span className="muted" role="status">
            {copied ? `Copied ${copied}.` : ''}
          </span>
        </div>
      </section>

      <section className="drawer__section drawer__raw" aria-label="Raw event">
        <h3>
          Raw{' '}
          <span className="muted">
            (after redaction; <span className="redacted">[REDACTED]</span> marks a removed secret)
          </span>
        </h3>
        {!full && <p className="muted">Loading the raw line…</p>}
        {full?.error && <p className="form-error">Could not load the raw line: {full.error}</p>}
        {raw != null && <JsonView text={raw} label="Raw event JSON" />}
      </section>
    </aside>
  );
}
