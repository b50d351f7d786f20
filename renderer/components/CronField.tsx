/**
 * A 6-field cron input (seconds first, as the exporters write their schedules: `0 0 *\/1 * * *`), checked
 * as you type by the engine's `schedule.preview` — the scheduler's own rules and matcher, not a second
 * parser in the page — with a description in words and the next five runs in the chosen zone.
 * Controlled: the parent holds the value (the Sources form reuses it).
 */
import cronstrue from 'cronstrue';
import { useEffect, useId, useState } from 'react';
import type { AuditClient } from '../api/types.ts';
import { describeError } from '../api/types.ts';
import {
  browserZone,
  formatInZone,
  isKnownZone,
  knownZones,
  offsetInZone,
  relativeTime,
  weekdayInZone,
  zoneName,
  type ZoneChoice,
} from '../lib/zoneTime.ts';

/** How long typing must pause before the engine is asked (ms). */
const DEBOUNCE_MS = 250;

/** The schedule in words ("Every hour", "At 01:00"), or null when cronstrue cannot read it. */
export function describeCron(expression: string): string | null {
  try {
    const text = cronstrue.toString(expression, {
      use24HourTimeFormat: true,
      throwExceptionOnParseError: true,
    });
    return text;
  } catch {
    return null;
  }
}

export interface CronPreview {
  readonly valid: boolean;
  readonly error: string | null;
  readonly next: readonly number[];
  /** The zone the engine read the expression in (the agent's). */
  readonly timeZone: string;
}

/** Asks the engine about `expression` once typing pauses; null while it has not answered yet. */
export function useCronPreview(
  client: AuditClient,
  expression: string,
): { preview: CronPreview | null; failure: string | null; fresh: boolean } {
  const [answer, setAnswer] = useState<{ expression: string; preview: CronPreview } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      client['schedule.preview']({ cron: expression, count: 5 }).then(
        (answer) => {
          if (!live) return;
          setAnswer({ expression, preview: answer });
          setFailure(null);
        },
        (error: unknown) => live && setFailure(describeError(error).message),
      );
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, expression]);
  // An answer about another expression (typing went on) is shown dimmed until this one's arrives.
  return { preview: answer?.preview ?? null, failure, fresh: answer?.expression === expression };
}

export interface CronFieldProps {
  readonly client: AuditClient;
  readonly value: string;
  onChange(value: string): void;
  /** The zone the next runs are shown in: `UTC`, `local` or an IANA name. */
  readonly timeZone: ZoneChoice;
  /** The field's label (default "Schedule"). */
  readonly label?: string;
  /** Told whether the engine accepts the current value (a form disables Save meanwhile). */
  onValidChange?(valid: boolean): void;
  /** For tests: names the field's parts (`${testId}-input`, `-error`, `-description`, `-next`). */
  readonly testId?: string;
  /** Focus the input when it appears (an inline editor opened from the keyboard). */
  readonly autoFocus?: boolean;
}

export function CronField({
  client,
  value,
  onChange,
  timeZone,
  label = 'Schedule',
  onValidChange,
  testId = 'cron',
  autoFocus = false,
}: CronFieldProps) {
  const id = useId();
  const { preview: current, failure, fresh } = useCronPreview(client, value);
  const valid = current?.valid ?? true;
  const pending = current === null;
  useEffect(() => {
    if (current !== null && fresh) onValidChange?.(current.valid);
  }, [current, fresh, onValidChange]);
  const description = valid ? describeCron(value) : null;
  const errorId = `${id}-error`;
  const helpId = `${id}-help`;
  return (
    <div
      className={`cron-field${fresh ? '' : ' cron-field--stale'}`}
      data-testid={testId}
      data-state={pending ? 'pending' : !fresh ? 'checking' : valid ? 'valid' : 'invalid'}
    >
      <label className="cron-field__label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className={`input mono cron-field__input${!valid ? ' cron-field__input--error' : ''}`}
        value={value}
        spellCheck={false}
        autoComplete="off"
        autoFocus={autoFocus}
        aria-invalid={!valid}
        aria-describedby={!valid ? errorId : helpId}
        placeholder="0 0 */1 * * *"
        data-testid={`${testId}-input`}
        onChange={(e) => onChange(e.target.value)}
      />
      <p className="cron-field__hint muted" id={helpId}>
        seconds · minutes · hours · day of month · month · day of week
      </p>
      {!valid && current?.error && (
        <p className="form-error cron-field__error" id={errorId} role="alert" data-testid={`${testId}-error`}>
          {current.error}
        </p>
      )}
      {failure && (
        <p className="form-error" role="alert">
          Could not check the schedule: {failure}
        </p>
      )}
      {valid && (
        <p className="cron-field__description" data-testid={`${testId}-description`}>
          {pending ? 'Checking…' : (description ?? 'A valid schedule.')}
        </p>
      )}
      {valid && current !== null && current.next.length > 0 && (
        <div className="cron-field__next">
          <div className="cron-field__next-head muted">
            Next {current.next.length} runs, shown in {zoneCaption(timeZone, current.next[0]!)}
            {zoneName(timeZone) !== current.timeZone && (
              <> · the agent reads schedules in {current.timeZone}</>
            )}
          </div>
          <ol className="cron-field__times" data-testid={`${testId}-next`}>
            {current.next.map((t) => (
              <li key={t} title={new Date(t).toISOString()}>
                <span className="mono cron-field__time" data-testid={`${testId}-time`}>
                  {formatInZone(t, timeZone)}
                </span>
                <span className="muted"> {weekdayInZone(t, timeZone)}</span>
                <span className="muted cron-field__rel"> · {relativeTime(t)}</span>
              </li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}

function zoneCaption(zone: ZoneChoice, at: number): string {
  const name = zoneName(zone);
  const offset = offsetInZone(at, zone);
  return name === 'UTC' ? 'UTC' : `${name} (${offset})`;
}

/**
 * The zone picker shown beside schedules: UTC, the browser's zone, or any IANA zone typed in (with the
 * runtime's list as suggestions). An unknown name is refused at the field, not applied.
 */
export function ZonePicker({ value, onChange }: { value: ZoneChoice; onChange(zone: ZoneChoice): void }) {
  const id = useId();
  const [mode, setMode] = useState(value === 'UTC' || value === 'local' ? value : 'other');
  const [other, setOther] = useState(mode === 'other' ? value : '');
  const [zones] = useState(knownZones);
  const otherBad = mode === 'other' && other !== '' && !isKnownZone(other);
  return (
    <div className="zone-picker" data-testid="zone-picker">
      <label htmlFor={id} className="muted">
        Times in
      </label>
      <select
        id={id}
        className="input input--small"
        value={mode}
        data-testid="zone-mode"
        onChange={(e) => {
          const next = e.target.value;
          setMode(next);
          if (next !== 'other') onChange(next);
          else if (isKnownZone(other)) onChange(other);
        }}
      >
        <option value="UTC">UTC</option>
        <option value="local">Local ({browserZone()})</option>
        <option value="other">Other zone…</option>
      </select>
      {mode === 'other' && (
        <>
          <input
            className={`input input--small zone-picker__other${otherBad ? ' cron-field__input--error' : ''}`}
            list={`${id}-zones`}
            aria-label="IANA time zone"
            aria-invalid={otherBad}
            title={otherBad ? 'Not a time zone this browser knows: pick one from the list' : undefined}
            placeholder="Europe/Paris"
            value={other}
            data-testid="zone-other"
            onChange={(e) => {
              setOther(e.target.value);
              if (isKnownZone(e.target.value)) onChange(e.target.value);
            }}
          />
          <datalist id={`${id}-zones`}>
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </>
      )}
    </div>
  );
}

/**
 * A schedule's meaning under a cron input that validates itself (the Sources form checks with the source
 * schema): the description in words and the next runs, from the same engine preview as {@link CronField}.
 */
export function CronSummary({
  client,
  value,
  timeZone,
  count = 3,
}: {
  client: AuditClient;
  value: string;
  timeZone: ZoneChoice;
  count?: number;
}) {
  const { preview } = useCronPreview(client, value);
  if (preview === null || !preview.valid) return null;
  const description = describeCron(value);
  return (
    <div className="cron-summary muted" data-testid="cron-summary">
      {description && <span className="cron-summary__words">{description}</span>}
      {preview.next.length > 0 && (
        <span>
          {' · next '}
          {preview.next.slice(0, count).map((t, i) => (
            <span key={t} title={new Date(t).toISOString()}>
              {i > 0 && ', '}
              <span className="mono">{formatInZone(t, timeZone)}</span>
              {i === 0 && <> ({relativeTime(t)})</>}
            </span>
          ))}
        </span>
      )}
    </div>
  );
}
