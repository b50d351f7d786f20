/**
 * One source: its state and configuration (never a secret), "Test connection" with the exact error, "Sync
 * now" with live progress, the run history, each object's state and the source's quarantined lines.
 */
import { useCallback, useEffect, useState } from 'react';
import type { MethodOutput } from '../../../shared/contract.ts';
import { describeError, type AuditClient } from '../../api/types.ts';
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatTimestamp,
  type TimeZoneMode,
} from '../../lib/format.ts';
import { navigate } from '../../lib/route.ts';
import { RemoveDialog } from './RemoveDialog.tsx';
import { StatusDot, When } from './StatusDot.tsx';
import { TestResult } from './TestResult.tsx';
import { runStatusKind, sourceStatus, type SyncObject, type SyncRun } from './sourceFormat.ts';
import type { SyncProgress } from './useSyncProgress.ts';

type Detail = MethodOutput<'sources.get'>;
type Quarantine = MethodOutput<'quarantine.list'>;

interface Loaded {
  source: Detail;
  runs: SyncRun[];
  objects: SyncObject[];
  quarantine: Quarantine;
}

export function SourceDetail({
  client,
  name,
  progress,
  changes,
  onPassDone,
  now,
  zone,
}: {
  client: AuditClient;
  name: string;
  progress: SyncProgress | undefined;
  changes: number;
  onPassDone(): void;
  now: number;
  zone: TimeZoneMode;
}) {
  const [data, setData] = useState<Loaded | { error: string } | null>(null);
  const [test, setTest] = useState<MethodOutput<'sources.test'> | 'running' | null>(null);
  const [sync, setSync] = useState<{ running: boolean; ok?: boolean; result?: string; error?: string }>({
    running: false,
  });
  const [removing, setRemoving] = useState(false);

  const load = useCallback(async () => {
    try {
      // One after another: a transport may cancel a client's older call of the same method.
      const source = await client['sources.get']({ name });
      const runs = await client['sync.runs']({ source: name, limit: 20 });
      const objects = await client['sync.objects']({ source: name, limit: 200 });
      const quarantine = await client['quarantine.list']({ source: name, limit: 200 });
      setData({ source, runs, objects, quarantine });
    } catch (error) {
      setData({ error: describeError(error).message });
    }
  }, [client, name]);

  useEffect(() => {
    void load();
  }, [load, changes]);
  // While a pass runs (ours or the schedule's), the history's running row and the counts follow it.
  const running = sync.running || progress !== undefined;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void load(), 3000);
    return () => clearInterval(timer);
  }, [running, load]);

  if (data === null) return <p className="muted page__body">Loading {name}…</p>;
  if ('error' in data)
    return (
      <div className="state state--error" role="alert" data-testid="source-error">
        <h2>Cannot show source {name}</h2>
        <p>{data.error}</p>
        <p>
          <a href="#/sources">Back to the sources</a>
        </p>
      </div>
    );

  const { source, runs, objects, quarantine } = data;
  const format = (ms: number) => formatTimestamp(ms, zone);
  const status = sourceStatus(source, running);

  const syncNow = () => {
    setSync({ running: true });
    client['sync.run']({ source: name }).then(
      (r) => {
        const pass = r.sources[0];
        setSync({
          running: false,
          ok: pass?.status === 'ok',
          result: pass
            ? `Sync finished (${pass.status}): ${formatCount(pass.objects.listed)} objects listed, ${formatCount(pass.objects.new)} new, ${formatCount(pass.objects.changed)} changed, ${formatCount(pass.events)} events added, ${formatCount(pass.errors.length)} errors.`
            : 'Sync finished.',
          error: pass?.errors[0]?.error,
        });
        onPassDone();
        void load();
      },
      (e: unknown) => {
        setSync({ running: false, error: describeError(e).message });
        onPassDone();
        void load();
      },
    );
  };

  return (
    <div className="page__body source-detail" data-testid="source-detail">
      <section className="source-summary" aria-label="State">
        <dl className="kv-strip">
          <div>
            <dt>Status</dt>
            <dd data-testid="detail-status">
              <StatusDot {...status} />
            </dd>
          </div>
          <div>
            <dt>Kind</dt>
            <dd>{source.kind}</dd>
          </div>
          <div className="kv-strip__wide">
            <dt>Location</dt>
            <dd className="mono" title={source.location}>
              {source.location}
            </dd>
          </div>
          <div>
            <dt>Last run</dt>
            <dd>
              <When ms={source.lastRun} now={now} format={format} empty="never" />
            </dd>
          </div>
          <div>
            <dt>Next run</dt>
            <dd>
              <When ms={source.nextRun} now={now} format={format} empty={source.enabled ? '—' : 'disabled'} />
            </dd>
          </div>
          <div>
            <dt>Events</dt>
            <dd className="num" data-testid="detail-events">
              {formatCount(source.events)}
            </dd>
          </div>
          <div>
            <dt>Objects</dt>
            <dd className="num">{formatCount(source.objects)}</dd>
          </div>
          <div>
            <dt>Errors</dt>
            <dd className={`num${source.errors > 0 ? ' sources-table__errors' : ''}`}>
              {formatCount(source.errors)}
            </dd>
          </div>
        </dl>
        <div className="source-detail__actions">
          <button
            type="button"
            className="button button--primary"
            disabled={running}
            data-testid="sync-now"
            onClick={syncNow}
          >
            {running ? 'Syncing…' : 'Sync now'}
          </button>
          <button
            type="button"
            className="button"
            disabled={test === 'running'}
            data-testid="test-connection"
            onClick={() => {
              setTest('running');
              client['sources.test']({ name }).then(setTest, (e: unknown) =>
                setTest({ ok: false, message: describeError(e).message, sample: [] }),
              );
            }}
          >
            {test === 'running' ? 'Testing…' : 'Test connection'}
          </button>
          <button
            type="button"
            className="button"
            data-testid="edit-source"
            onClick={() => navigate({ screen: 'sources', name, edit: true })}
          >
            Edit
          </button>
          <button
            type="button"
            className="button button--danger-ghost"
            data-testid="remove-source"
            onClick={() => setRemoving(true)}
          >
            Remove…
          </button>
        </div>
      </section>

      {source.lastError && !running && !sync.result && (
        <p className="source-last-error" role="status" data-testid="last-error">
          <strong>Last run’s first error:</strong> {source.lastError}
        </p>
      )}
      {test !== null && test !== 'running' && <TestResult report={test} />}
      {running && <Progress progress={progress} />}
      {!running && (sync.result || sync.error) && (
        <div
          className={`sync-result${sync.ok ? '' : ' sync-result--failed'}`}
          role={sync.ok ? 'status' : 'alert'}
        >
          {sync.result && <p data-testid="sync-result">{sync.result}</p>}
          {sync.error && (
            <p className="sync-result__error" data-testid="sync-error">
              {sync.error}
            </p>
          )}
        </div>
      )}

      <section aria-labelledby="h-history">
        <h2 id="h-history" className="section-title">
          Run history <span className="muted">(last {formatCount(runs.length)})</span>
        </h2>
        {runs.length === 0 ? (
          <p className="muted">No pass has run yet. Sync now runs one; the schedule runs the next.</p>
        ) : (
          <RunTable runs={runs} format={format} />
        )}
      </section>

      <section aria-labelledby="h-objects">
        <h2 id="h-objects" className="section-title">
          Objects{' '}
          <span className="muted">
            ({formatCount(objects.length)}
            {objects.length === 200 ? ', first 200' : ''})
          </span>
        </h2>
        {objects.length === 0 ? (
          <p className="muted">No object read yet.</p>
        ) : (
          <ObjectTable objects={objects} format={format} />
        )}
      </section>

      <section aria-labelledby="h-quarantine">
        <h2 id="h-quarantine" className="section-title">
          Quarantine{' '}
          <span className="muted">
            ({formatCount(quarantineTotal(quarantine))} line{quarantineTotal(quarantine) === 1 ? '' : 's'} not
            read as events)
          </span>
        </h2>
        {quarantine.entries.length === 0 && quarantine.counted.length === 0 ? (
          <p className="muted">No bad line: every line read was an event.</p>
        ) : (
          <QuarantineTable quarantine={quarantine} />
        )}
      </section>

      <section aria-labelledby="h-config">
        <h2 id="h-config" className="section-title">
          Configuration
        </h2>
        <ConfigTable config={source.config} />
      </section>

      <RemoveDialog
        client={client}
        name={name}
        events={source.events}
        open={removing}
        onOpenChange={setRemoving}
        onRemoved={() => navigate({ screen: 'sources' })}
      />
    </div>
  );
}

const quarantineTotal = (q: Quarantine) => q.total;

function Progress({ progress }: { progress: SyncProgress | undefined }) {
  return (
    <div className="sync-progress" role="status" aria-live="polite" data-testid="sync-progress">
      <strong>Syncing</strong>
      {progress ? (
        <>
          <progress max={Math.max(progress.objectsToRead, 1)} value={progress.objects} />
          <span data-testid="progress-objects">
            {formatCount(progress.objects)} of {formatCount(progress.objectsToRead)} objects
          </span>
          <span>{formatBytes(progress.bytes)}</span>
          <span data-testid="progress-events">{formatCount(progress.events)} events</span>
          <span>{formatCount(Math.round(progress.eventsPerSecond))} events/s</span>
        </>
      ) : (
        <span className="muted">listing objects…</span>
      )}
    </div>
  );
}

/** The counts of a run, in the history's column order (bytes in units, the exact number on hover). */
const RUN_COUNTS = [
  { key: 'listed', label: 'Listed' },
  { key: 'new', label: 'New' },
  { key: 'changed', label: 'Changed' },
  { key: 'skipped', label: 'Skipped' },
  { key: 'failed', label: 'Failed' },
  { key: 'bytes', label: 'Bytes' },
  { key: 'events', label: 'Events' },
  { key: 'duplicates', label: 'Duplicates' },
  { key: 'quarantined', label: 'Quarantined' },
] as const;

/** A table's header row; numeric columns are right-aligned like their cells. */
function HeaderRow({ columns }: { columns: { label: string; num?: boolean }[] }) {
  return (
    <tr>
      {columns.map(({ label, num }) => (
        <th key={label} scope="col" className={num ? 'num' : undefined}>
          {label}
        </th>
      ))}
    </tr>
  );
}

function RunTable({ runs, format }: { runs: SyncRun[]; format: (ms: number) => string }) {
  return (
    <div className="table-scroll">
      <table className="data-table" data-testid="run-history">
        <thead>
          <HeaderRow
            columns={[
              { label: 'Started' },
              { label: 'Trigger' },
              { label: 'Duration', num: true },
              { label: 'Status' },
              ...RUN_COUNTS.map(({ label }) => ({ label, num: true })),
              { label: 'Errors' },
            ]}
          />
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id} data-testid={`run-${r.id}`}>
              <td className="mono nowrap">{format(r.startedAt).slice(0, 19)}</td>
              <td>{r.trigger}</td>
              <td className="num">
                {r.finishedAt === null ? '…' : formatDuration(r.finishedAt - r.startedAt)}
              </td>
              <td>
                <StatusDot kind={runStatusKind(r.status)} word={r.status} />
              </td>
              {RUN_COUNTS.map(({ key }) => (
                <td
                  key={key}
                  className="num"
                  data-col={key}
                  title={key === 'bytes' ? `${formatCount(r.bytes)} bytes` : undefined}
                >
                  {key === 'bytes' ? formatBytes(r.bytes) : formatCount(r[key])}
                </td>
              ))}
              <td className="run-errors" data-col="errors">
                {r.errors.length === 0 ? (
                  <span className="muted">none</span>
                ) : (
                  <ul>
                    {r.errors.slice(0, 3).map((e, i) => (
                      <li key={i}>
                        {e.object && <span className="mono">{e.object}: </span>}
                        {e.error}
                      </li>
                    ))}
                    {r.errors.length > 3 && (
                      <li className="muted">and {formatCount(r.errors.length - 3)} more</li>
                    )}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ObjectTable({ objects, format }: { objects: SyncObject[]; format: (ms: number) => string }) {
  return (
    <div className="table-scroll table-scroll--tall" tabIndex={0} aria-label="Objects">
      <table className="data-table" data-testid="object-state">
        <thead>
          <HeaderRow
            columns={[
              { label: 'Object' },
              { label: 'State' },
              ...['Size', 'Read', 'Lines', 'Events', 'Duplicates', 'Quarantined'].map((label) => ({
                label,
                num: true,
              })),
              { label: 'Updated' },
              { label: 'Error' },
            ]}
          />
        </thead>
        <tbody>
          {objects.map((o) => (
            <tr key={o.key}>
              <td className="mono object-key" title={o.key}>
                {o.key}
              </td>
              <td>
                <StatusDot
                  kind={o.status === 'done' ? 'ok' : o.status === 'error' ? 'failing' : 'syncing'}
                  word={o.status === 'done' ? 'read' : o.status}
                />
              </td>
              <td className="num">{o.size === null ? '—' : formatBytes(o.size)}</td>
              <td className="num">{formatBytes(o.bytesRead)}</td>
              <td className="num">{formatCount(o.lines)}</td>
              <td className="num">{formatCount(o.events)}</td>
              <td className="num">{formatCount(o.duplicates)}</td>
              <td className="num">{formatCount(o.quarantined)}</td>
              <td className="mono nowrap">{format(o.updatedAt).slice(0, 19)}</td>
              <td>
                {o.error ? (
                  <span className="object-error">
                    {o.error}
                    {o.nextAttempt !== null && (
                      <span className="muted">
                        {' '}
                        (attempt {formatCount(o.attempts)}; retried after {format(o.nextAttempt).slice(0, 19)}
                        )
                      </span>
                    )}
                  </span>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function QuarantineTable({ quarantine }: { quarantine: Quarantine }) {
  return (
    <div className="table-scroll">
      <table className="data-table" data-testid="quarantine">
        <thead>
          <HeaderRow columns={[{ label: 'Object:line' }, { label: 'Reason' }, { label: 'Excerpt' }]} />
        </thead>
        <tbody>
          {quarantine.entries.map((q) => (
            <tr key={`${q.object}:${q.line}`}>
              <td className="mono object-key" title={`${q.object}:${q.line}`}>
                {q.object}:{q.line}
              </td>
              <td>{q.reason}</td>
              <td className="mono quarantine-excerpt">
                {q.excerpt === '' ? (
                  <span className="muted">not shown: no line of this object is an audit event</span>
                ) : (
                  q.excerpt
                )}
              </td>
            </tr>
          ))}
          {quarantine.counted.map((c) => (
            <tr key={`${c.object}:${c.firstLine}:${c.reason}`}>
              <td className="mono object-key">
                {c.object}:{c.firstLine}…
              </td>
              <td>{c.reason}</td>
              <td className="muted">
                {formatCount(c.lines)} more lines like this, counted (the first ones of an object are kept
                with an excerpt)
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ConfigTable({ config }: { config: Record<string, unknown> }) {
  const rows: [string, string][] = [];
  const add = (key: string, value: unknown) => {
    if (value === undefined) return;
    if (value !== null && typeof value === 'object' && !('env' in value)) {
      for (const [k, v] of Object.entries(value)) add(`${key}.${k}`, v);
      return;
    }
    rows.push([key, typeof value === 'string' ? value : JSON.stringify(value)]);
  };
  // Identity and location first, then how it reads, then credentials (as the form orders them).
  const order = [
    'name',
    'kind',
    'path',
    'bucket',
    'container',
    'region',
    'projectId',
    'endpoint',
    'forcePathStyle',
  ];
  const rank = (key: string) => (order.includes(key) ? order.indexOf(key) : key === 'credentials' ? 99 : 50);
  for (const [key, value] of Object.entries(config).sort(([a], [b]) => rank(a) - rank(b))) add(key, value);
  return (
    <table className="data-table config-table" data-testid="source-config">
      <tbody>
        {rows.map(([key, value]) => (
          <tr key={key}>
            <th scope="row" className="mono">
              {key}
            </th>
            <td className="mono">{value === '' ? <span className="muted">(empty)</span> : value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
