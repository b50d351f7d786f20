/**
 * Schedule & retention (issue 10 item 4): when each source syncs, and how long events are kept.
 * - Sync schedules: one row per source with its status, schedule in words, next run ("in 23 minutes" and
 *   the time), an editor for the schedule (only that field, `sources.setSchedule`) and "Run now".
 * - Retention in the exporters' vocabulary (`retentionDays`, `gcSchedule`, `gcDisabled` like
 *   `disableUeventsGC`), a dry run of what would go (per source, oldest to newest, and what legal hold
 *   keeps), and "Run now" behind a confirmation that repeats the count.
 * Cron is checked and its next times computed by the engine (`schedule.preview`), the scheduler's own code.
 */
import * as Dialog from '@radix-ui/react-dialog';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { MethodOutput } from '../../shared/contract.ts';
import type { AuditClient } from '../api/types.ts';
import { describeError } from '../api/types.ts';
import { CronField, describeCron, ZonePicker } from '../components/CronField.tsx';
import { formatCount } from '../lib/format.ts';
import { formatInZone, isKnownZone, relativeTime, type ZoneChoice } from '../lib/zoneTime.ts';

type Source = MethodOutput<'sources.list'>[number];
type RetentionSettings = MethodOutput<'retention.settings.get'>;
type RetentionResult = MethodOutput<'retention.run'>;
type SyncPass = MethodOutput<'sync.run'>['sources'][number];

const DAY_MS = 86_400_000;
const ZONE_KEY = 'audit-explorer.schedule.zone';

function useStoredZone(): [ZoneChoice, (zone: ZoneChoice) => void] {
  const [zone, setZone] = useState<ZoneChoice>(() => {
    const saved = localStorage.getItem(ZONE_KEY);
    return saved && (saved === 'local' || isKnownZone(saved)) ? saved : 'UTC';
  });
  return [
    zone,
    (next) => {
      localStorage.setItem(ZONE_KEY, next);
      setZone(next);
    },
  ];
}

export function ScheduleScreen({ client }: { client: AuditClient }) {
  const [zone, setZone] = useStoredZone();
  // Relative times ("in 23 minutes") move on while the screen is open.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <main className="page schedule" data-testid="screen-schedule">
      <header className="page__head">
        <h1>Schedule &amp; retention</h1>
        <ZonePicker value={zone} onChange={setZone} />
      </header>
      <div className="page__body">
        <p className="muted schedule__intro">
          Schedules are 6-field cron expressions, seconds first, as the exporters write theirs. They run while
          the agent runs: the desktop app in the tray, or <code>audit-explorer agent</code>.
        </p>
        <SyncSchedules client={client} zone={zone} now={now} />
        <RetentionPanel client={client} zone={zone} />
      </div>
    </main>
  );
}

/* ------------------------------------------------------------------------------------------------ */
/* Sync schedules                                                                                    */

type Health = 'ok' | 'syncing' | 'failing' | 'partial' | 'never' | 'disabled';

function healthOf(source: Source, syncing: boolean): Health {
  if (syncing || source.status === 'running') return 'syncing';
  if (!source.enabled) return 'disabled';
  if (source.status === 'failed' || source.status === 'interrupted') return 'failing';
  if (source.status === 'partial') return 'partial';
  if (source.status === 'never') return 'never';
  return 'ok';
}

const HEALTH_WORDS: Record<Health, string> = {
  ok: 'ok',
  syncing: 'syncing',
  failing: 'failing',
  partial: 'some objects failed',
  never: 'never synced',
  disabled: 'disabled',
};

export function StatusDot({ health }: { health: Health }) {
  return (
    <span className={`sched-status sched-status--${health}`} data-testid="source-status">
      <span className="sched-dot" aria-hidden="true" />
      {HEALTH_WORDS[health]}
    </span>
  );
}

function SyncSchedules({ client, zone, now }: { client: AuditClient; zone: ZoneChoice; now: number }) {
  const [sources, setSources] = useState<Source[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [running, setRunning] = useState<Set<string>>(new Set());
  const [results, setResults] = useState<Record<string, { pass?: SyncPass; error?: string }>>({});
  const lastLoad = useRef(0);

  const load = useCallback(() => {
    lastLoad.current = Date.now();
    client['sources.list']({}).then(
      (list) => {
        setSources(list);
        setError(null);
      },
      (e: unknown) => setError(describeError(e).message),
    );
  }, [client]);
  useEffect(() => {
    load();
    // A pass by the agent (the app's schedules) reports progress: the list then says `running` for it,
    // and its end changes the events or shows at the next look.
    const unsubscribe = client.subscribe((event) => {
      if (event.name === 'events.changed') load();
      else if (event.name === 'sync.progress' && Date.now() - lastLoad.current > 2000) load();
    });
    return unsubscribe;
  }, [client, load]);
  // Every 30 s; every 3 s while a pass is running, so its end shows soon.
  const busy = running.size > 0 || (sources?.some((s) => s.status === 'running') ?? false);
  useEffect(() => {
    const timer = setInterval(load, busy ? 3000 : 30_000);
    return () => clearInterval(timer);
  }, [load, busy]);

  const runNow = (name: string) => {
    setRunning((r) => new Set(r).add(name));
    setResults((r) => ({ ...r, [name]: {} }));
    client['sync.run']({ source: name })
      .then(
        (answer) => setResults((r) => ({ ...r, [name]: { pass: answer.sources[0] } })),
        (e: unknown) => setResults((r) => ({ ...r, [name]: { error: describeError(e).message } })),
      )
      .finally(() => {
        setRunning((r) => {
          const next = new Set(r);
          next.delete(name);
          return next;
        });
        load();
      });
  };

  return (
    <section
      className="schedule__section"
      aria-labelledby="sync-schedules-title"
      data-testid="sync-schedules"
    >
      <h2 id="sync-schedules-title">Sync schedules</h2>
      {error && (
        <p className="form-error" role="alert">
          Could not list the sources: {error}
        </p>
      )}
      {sources === null && !error && <p className="muted">Loading the sources…</p>}
      {sources !== null && sources.length === 0 && (
        <div className="schedule__empty" data-testid="no-sources">
          <p>No sources are configured yet, so nothing syncs on a schedule.</p>
          <p className="muted">
            Add one on the <a href="#/sources">Sources</a> screen, or with{' '}
            <code>audit-explorer sources add --file SOURCE.json</code>.
          </p>
        </div>
      )}
      {sources !== null && sources.length > 0 && (
        <table className="sched-table sched-table--sources" data-testid="source-schedules">
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Status</th>
              <th scope="col">Schedule</th>
              <th scope="col">Next run</th>
              <th scope="col">
                <span className="sched-sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sources.map((s) => (
              <SourceRow
                key={s.name}
                client={client}
                source={s}
                zone={zone}
                now={now}
                syncing={running.has(s.name)}
                editing={editing === s.name}
                result={results[s.name]}
                onEdit={() => setEditing(s.name)}
                onClose={() => setEditing(null)}
                onSaved={(updated) => {
                  setSources((list) => list?.map((x) => (x.name === updated.name ? updated : x)) ?? null);
                  setEditing(null);
                }}
                onRun={() => runNow(s.name)}
              />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function SourceRow({
  client,
  source: s,
  zone,
  now,
  syncing,
  editing,
  result,
  onEdit,
  onClose,
  onSaved,
  onRun,
}: {
  client: AuditClient;
  source: Source;
  zone: ZoneChoice;
  now: number;
  syncing: boolean;
  editing: boolean;
  result: { pass?: SyncPass; error?: string } | undefined;
  onEdit(): void;
  onClose(): void;
  onSaved(source: Source): void;
  onRun(): void;
}) {
  const health = healthOf(s, syncing);
  const editButton = useRef<HTMLButtonElement>(null);
  // The editor closing (Escape, Cancel, Save) gives the focus back to the button that opened it.
  const close = () => {
    onClose();
    requestAnimationFrame(() => editButton.current?.focus());
  };
  const description = describeCron(s.schedule);
  return (
    <>
      <tr data-testid="source-row" data-source={s.name}>
        <td>
          <div className="sched-table__name">{s.name}</div>
          <div className="muted sched-table__sub" title={s.location}>
            {s.kind} · {s.location}
          </div>
        </td>
        <td>
          <StatusDot health={health} />
          {s.lastRun !== null && (
            <div className="muted sched-table__sub" title={formatInZone(s.lastRun, zone)}>
              last run {relativeTime(s.lastRun, now)}
            </div>
          )}
          {health === 'failing' && s.lastError && (
            <div className="form-error sched-table__sub" title={s.lastError}>
              {s.lastError}
            </div>
          )}
        </td>
        <td>
          <code data-testid="source-schedule">{s.schedule}</code>
          <div className="sched-table__sub" data-testid="source-schedule-description">
            {description ?? ''}
          </div>
        </td>
        <td data-testid="source-next-run">
          {s.nextRun === null ? (
            <span className="muted">{s.enabled ? '—' : 'not scheduled (disabled)'}</span>
          ) : (
            <>
              <div>{relativeTime(s.nextRun, now)}</div>
              <div className="mono muted sched-table__sub">{formatInZone(s.nextRun, zone)}</div>
            </>
          )}
        </td>
        <td className="sched-table__actions">
          <div className="row-buttons">
            <button
              type="button"
              className="button"
              aria-expanded={editing}
              data-testid="edit-schedule"
              ref={editButton}
              onClick={editing ? close : onEdit}
            >
              {editing ? 'Close' : 'Edit schedule'}
            </button>
            <button
              type="button"
              className="button"
              disabled={syncing}
              data-testid="run-source"
              onClick={onRun}
            >
              {syncing ? 'Syncing…' : 'Run now'}
            </button>
          </div>
          {result?.pass && (
            <div className="sched-table__sub" data-testid="run-result" role="status">
              {describeRun(result.pass)}
            </div>
          )}
          {result?.error && (
            <div className="form-error sched-table__sub" role="alert">
              {result.error}
            </div>
          )}
        </td>
      </tr>
      {editing && (
        <tr className="sched-table__editor">
          <td colSpan={5}>
            <ScheduleEditor
              client={client}
              source={s}
              zone={zone}
              onCancel={close}
              onSaved={(updated) => {
                onSaved(updated);
                requestAnimationFrame(() => editButton.current?.focus());
              }}
            />
          </td>
        </tr>
      )}
    </>
  );
}

const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** One line for a finished pass: `Synced · 12 new events, 3 objects listed`, with its first error. */
function describeRun(pass: SyncPass): string {
  const head =
    pass.status === 'ok' ? 'Synced' : pass.status === 'failed' ? 'Failed' : `Finished (${pass.status})`;
  const numbers = `${plural(pass.events, 'new event')}, ${plural(pass.objects.listed, 'object')} listed`;
  return `${head} · ${numbers}${pass.errors.length > 0 ? ` · ${pass.errors[0]!.error}` : ''}`;
}

function ScheduleEditor({
  client,
  source,
  zone,
  onCancel,
  onSaved,
}: {
  client: AuditClient;
  source: Source;
  zone: ZoneChoice;
  onCancel(): void;
  onSaved(source: Source): void;
}) {
  const [value, setValue] = useState(source.schedule);
  const [valid, setValid] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="sched-editor"
      data-testid="schedule-editor"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        client['sources.setSchedule']({ name: source.name, schedule: value.trim() }).then(
          (updated) => onSaved(updated),
          (err: unknown) => {
            setBusy(false);
            setError(describeError(err).message);
          },
        );
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
    >
      <CronField
        client={client}
        value={value}
        onChange={setValue}
        timeZone={zone}
        label={`Schedule of ${source.name}`}
        onValidChange={setValid}
        testId="source-cron"
        autoFocus
      />
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="row-buttons">
        <button
          type="submit"
          className="button button--primary"
          disabled={busy || !valid || value.trim() === source.schedule}
          data-testid="save-schedule"
        >
          {busy ? 'Saving…' : 'Save schedule'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/* ------------------------------------------------------------------------------------------------ */
/* Retention                                                                                         */

function RetentionPanel({ client, zone }: { client: AuditClient; zone: ZoneChoice }) {
  const [saved, setSaved] = useState<RetentionSettings | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [daysText, setDaysText] = useState('');
  const [keepAll, setKeepAll] = useState(true);
  const [gcSchedule, setGcSchedule] = useState('0 0 1 * * *');
  const [gcDisabled, setGcDisabled] = useState(false);
  const [cronValid, setCronValid] = useState(true);
  const [saving, setSaving] = useState(false);
  const [saveNote, setSaveNote] = useState<{ ok: boolean; text: string } | null>(null);

  const adopt = (s: RetentionSettings) => {
    setSaved(s);
    setKeepAll(s.retentionDays === null);
    setDaysText(s.retentionDays === null ? '' : String(s.retentionDays));
    setGcSchedule(s.gcSchedule);
    setGcDisabled(s.gcDisabled);
  };
  useEffect(() => {
    client['retention.settings.get']({}).then(adopt, (e: unknown) => setLoadError(describeError(e).message));
  }, [client]);

  const days = keepAll ? null : parseDays(daysText);
  const daysError =
    !keepAll && days === undefined ? 'Write a whole number of days, 1 or more (or keep everything).' : null;
  const dirty =
    saved !== null &&
    (saved.retentionDays !== (days ?? null) ||
      saved.gcSchedule !== gcSchedule.trim() ||
      saved.gcDisabled !== gcDisabled);

  const save = () => {
    if (days === undefined) return;
    setSaving(true);
    setSaveNote(null);
    client['retention.settings.set']({ retentionDays: days, gcSchedule: gcSchedule.trim(), gcDisabled }).then(
      (s) => {
        adopt(s);
        setSaving(false);
        setSaveNote({ ok: true, text: 'Saved. A running agent follows the new settings within a minute.' });
      },
      (e: unknown) => {
        setSaving(false);
        setSaveNote({ ok: false, text: describeError(e).message });
      },
    );
  };

  if (loadError)
    return (
      <section className="schedule__section">
        <h2>Retention</h2>
        <p className="form-error" role="alert">
          Could not read the retention settings: {loadError}
        </p>
      </section>
    );

  return (
    <section className="schedule__section" aria-labelledby="retention-title" data-testid="retention">
      <h2 id="retention-title">Retention</h2>
      <div className="retention">
        <form
          className="retention__form"
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <fieldset className="retention__days">
            <legend>How long events are kept</legend>
            <label className="retention__choice">
              <input
                type="radio"
                name="retention-mode"
                checked={keepAll}
                onChange={() => setKeepAll(true)}
                data-testid="keep-all"
              />
              Keep everything
            </label>
            <label className="retention__choice">
              <input
                type="radio"
                name="retention-mode"
                checked={!keepAll}
                onChange={() => setKeepAll(false)}
                data-testid="keep-days"
              />
              Delete events older than
              <input
                className={`input input--small retention__days-input${daysError ? ' cron-field__input--error' : ''}`}
                inputMode="numeric"
                aria-label="Retention days"
                aria-invalid={daysError !== null}
                value={daysText}
                placeholder="90"
                data-testid="retention-days"
                onFocus={() => setKeepAll(false)}
                onChange={(e) => {
                  setKeepAll(false);
                  setDaysText(e.target.value);
                }}
              />
              days <span className="muted">(retentionDays)</span>
            </label>
            {daysError && (
              <p className="form-error" role="alert" data-testid="days-error">
                {daysError}
              </p>
            )}
          </fieldset>
          <CronField
            client={client}
            value={gcSchedule}
            onChange={setGcSchedule}
            timeZone={zone}
            label="When the retention job runs (gcSchedule)"
            onValidChange={setCronValid}
            testId="gc-cron"
          />
          <label className="retention__check">
            <input
              type="checkbox"
              checked={gcDisabled}
              onChange={(e) => setGcDisabled(e.target.checked)}
              aria-describedby="gc-disabled-help"
              data-testid="gc-disabled"
            />
            Disable scheduled retention
          </label>
          <p className="muted retention__help" id="gc-disabled-help">
            Like the exporters’ <code>disableUeventsGC</code> (<code>gcDisabled</code> here): the job does not
            run on its schedule, and events are kept until you run retention yourself (Run now, or{' '}
            <code>audit-explorer gc</code>).
          </p>
          <div className="row-buttons">
            <button
              type="submit"
              className="button button--primary"
              disabled={saving || !dirty || daysError !== null || !cronValid}
              data-testid="save-retention"
            >
              {saving ? 'Saving…' : 'Save retention settings'}
            </button>
            {saved && <RetentionState settings={saved} />}
          </div>
          {saveNote && (
            <p
              className={saveNote.ok ? 'retention__saved' : 'form-error'}
              role={saveNote.ok ? 'status' : 'alert'}
              data-testid="retention-note"
            >
              {saveNote.text}
            </p>
          )}
        </form>
        <RetentionPreview
          client={client}
          zone={zone}
          days={days ?? null}
          savedDays={saved?.retentionDays ?? null}
        />
      </div>
    </section>
  );
}

/** Whole days ≥ 1, or undefined when the text is not that. */
function parseDays(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return undefined;
  const n = Number(t);
  return n >= 1 && n <= 1_000_000 ? n : undefined;
}

function RetentionState({ settings }: { settings: RetentionSettings }) {
  const text =
    settings.retentionDays === null
      ? 'Now: every event is kept.'
      : settings.gcDisabled
        ? `Now: ${formatCount(settings.retentionDays)} days, scheduled retention disabled.`
        : `Now: ${formatCount(settings.retentionDays)} days, ${lowerFirst(describeCron(settings.gcSchedule) ?? settings.gcSchedule)}.`;
  return (
    <span className="muted" data-testid="retention-state">
      {text}
    </span>
  );
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

function RetentionPreview({
  client,
  zone,
  days,
  savedDays,
}: {
  client: AuditClient;
  zone: ZoneChoice;
  days: number | null;
  savedDays: number | null;
}) {
  const [preview, setPreview] = useState<RetentionResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<RetentionResult | null>(null);
  const [runError, setRunError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (days === null) {
      setPreview(null);
      return;
    }
    let live = true;
    setLoading(true);
    const timer = setTimeout(() => {
      client['retention.run']({ olderThanMs: days * DAY_MS, dryRun: true }).then(
        (r) => {
          if (!live) return;
          setPreview(r);
          setError(null);
          setLoading(false);
        },
        (e: unknown) => {
          if (!live) return;
          setError(describeError(e).message);
          setLoading(false);
        },
      );
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, days, generation]);

  const run = () => {
    if (!preview) return;
    setRunning(true);
    setRunError(null);
    // The cut-off the preview showed, so what goes is what the dialog said (bar events arrived since).
    client['retention.run']({ before: preview.before, dryRun: false }).then(
      (r) => {
        setResult(r);
        setRunning(false);
        setConfirming(false);
        setGeneration((g) => g + 1);
      },
      (e: unknown) => {
        setRunning(false);
        setRunError(describeError(e).message);
      },
    );
  };

  return (
    <div className="retention__preview" data-testid="retention-preview" aria-live="polite">
      <div className="retention__preview-head">
        <h3>Dry run</h3>
        {days !== null && (
          <button
            type="button"
            className="button button--ghost"
            onClick={() => setGeneration((g) => g + 1)}
            disabled={loading}
            data-testid="refresh-preview"
          >
            Refresh
          </button>
        )}
      </div>
      {days === null && (
        <p className="muted" data-testid="preview-off">
          Retention is off: every event is kept. Choose a number of days to see what a run would delete.
        </p>
      )}
      {days !== null && days !== savedDays && (
        <p className="muted retention__unsaved">Previewing {formatCount(days)} days (not saved yet).</p>
      )}
      {error && (
        <p className="form-error" role="alert">
          The dry run failed: {error}
        </p>
      )}
      {days !== null && loading && !preview && <p className="muted">Counting…</p>}
      {days !== null && preview && (
        <div className={loading ? 'retention__stale' : undefined}>
          <RetentionSummary result={preview} zone={zone} testId="preview" />
          <div className="row-buttons retention__run">
            <button
              type="button"
              className="button sched-danger"
              disabled={preview.events === 0 || loading || running}
              onClick={() => setConfirming(true)}
              data-testid="run-retention"
            >
              Run retention now…
            </button>
            {preview.events === 0 && <span className="muted">Nothing to delete.</span>}
          </div>
        </div>
      )}
      {result && (
        <div className="retention__result" role="status" data-testid="retention-result">
          <h3>Last run</h3>
          <RetentionSummary result={result} zone={zone} testId="result" />
        </div>
      )}
      <Dialog.Root open={confirming} onOpenChange={(open) => !running && setConfirming(open)}>
        <Dialog.Portal>
          <Dialog.Content className="dialog" data-testid="retention-confirm">
            <Dialog.Title>Delete {preview ? formatCount(preview.events) : ''} events?</Dialog.Title>
            {preview && (
              <Dialog.Description>
                Every event before <span className="mono">{formatInZone(preview.before, zone)}</span> ({days}{' '}
                days ago) is deleted from this database:{' '}
                <strong data-testid="confirm-count">{formatCount(preview.events)}</strong> events from{' '}
                {preview.sources.length === 1 ? 'one source' : `${preview.sources.length} sources`}.
                {preview.held > 0 &&
                  ` ${formatCount(preview.held)} older events pinned in investigations are kept (legal hold).`}{' '}
                This cannot be undone; the buckets the events came from are not touched.
              </Dialog.Description>
            )}
            {runError && (
              <p className="form-error" role="alert">
                {runError}
              </p>
            )}
            <div className="row-buttons retention__dialog-buttons">
              <Dialog.Close asChild>
                <button type="button" className="button" disabled={running}>
                  Cancel
                </button>
              </Dialog.Close>
              <button
                type="button"
                className="button sched-danger"
                onClick={run}
                disabled={running}
                data-testid="confirm-retention"
              >
                {running ? 'Deleting…' : `Delete ${preview ? formatCount(preview.events) : ''} events`}
              </button>
            </div>
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
    </div>
  );
}

function RetentionSummary({
  result,
  zone,
  testId,
}: {
  result: RetentionResult;
  zone: ZoneChoice;
  testId: string;
}) {
  const verb = result.dryRun ? 'would be deleted' : 'deleted';
  return (
    <div className="retention__summary" data-testid={`${testId}-summary`}>
      <p>
        <strong data-testid={`${testId}-total`}>{formatCount(result.events)}</strong> events older than{' '}
        <span className="mono">{formatInZone(result.before, zone)}</span> {verb}
        {!result.dryRun && result.blocks > 0 && `, ${formatCount(result.blocks)} blocks of raw lines freed`}.
      </p>
      {result.sources.length > 0 && (
        <table className="sched-table sched-table--compact" data-testid={`${testId}-sources`}>
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col" className="sched-num">
                Events
              </th>
              <th scope="col">Oldest</th>
              <th scope="col">Newest</th>
            </tr>
          </thead>
          <tbody>
            {result.sources.map((s) => (
              <tr key={s.name} data-testid={`${testId}-source`} data-source={s.name}>
                <td>{s.name}</td>
                <td className="sched-num" data-testid={`${testId}-source-events`}>
                  {formatCount(s.events)}
                </td>
                <td className="mono">{formatInZone(s.from, zone)}</td>
                <td className="mono">{formatInZone(s.to, zone)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted" data-testid={`${testId}-held`}>
        {result.held > 0
          ? `${formatCount(result.held)} older events ${result.dryRun ? 'are' : 'were'} kept on legal hold (pinned in investigations).`
          : 'No older event is pinned in an investigation (none kept on legal hold).'}
      </p>
    </div>
  );
}
