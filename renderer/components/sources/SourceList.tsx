/** Every configured source with its status at a glance, the last run's numbers and the next run. */
import { formatCount, formatTimestamp, type TimeZoneMode } from '../../lib/format.ts';
import { routeHash } from '../../lib/route.ts';
import { StatusDot, When } from './StatusDot.tsx';
import { sourceStatus, type SourceSummary } from './sourceFormat.ts';
import type { SyncProgress } from './useSyncProgress.ts';

export function SourceList({
  sources,
  progress,
  now,
  zone,
}: {
  sources: SourceSummary[];
  progress: ReadonlyMap<string, SyncProgress>;
  now: number;
  zone: TimeZoneMode;
}) {
  const format = (ms: number) => formatTimestamp(ms, zone);
  return (
    <table className="data-table sources-table" data-testid="sources-table">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Kind</th>
          <th scope="col">Location</th>
          <th scope="col">Status</th>
          <th scope="col">Last run</th>
          <th scope="col">Next run</th>
          <th scope="col" className="num">
            Events
          </th>
          <th
            scope="col"
            className="num"
            title="Objects whose last read failed, or the last run's own failure"
          >
            Errors
          </th>
        </tr>
      </thead>
      <tbody>
        {sources.map((s) => {
          const live = progress.get(s.name.toLowerCase());
          const status = sourceStatus(s, live !== undefined);
          return (
            <tr key={s.name} data-testid={`source-row-${s.name}`}>
              <td>
                <a href={routeHash({ screen: 'sources', name: s.name })} className="sources-table__name">
                  {s.name}
                </a>
              </td>
              <td>{s.kind}</td>
              <td className="mono sources-table__location" title={s.location}>
                {s.location}
              </td>
              <td>
                <StatusDot {...status} />
                {live && (
                  <span className="muted sources-table__live" data-testid="list-progress">
                    {' '}
                    {formatCount(live.objects)}/{formatCount(live.objectsToRead)} objects
                  </span>
                )}
              </td>
              <td>
                <When ms={s.lastRun} now={now} format={format} empty="never" />
              </td>
              <td>
                <When ms={s.nextRun} now={now} format={format} empty={s.enabled ? '—' : 'disabled'} />
              </td>
              <td className="num" data-testid="source-events">
                {formatCount(s.events)}
              </td>
              <td
                className={`num${s.errors > 0 || s.lastError ? ' sources-table__errors' : ''}`}
                title={s.lastError ?? undefined}
              >
                {s.errors === 0 && s.lastError ? 'run failed' : formatCount(s.errors)}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
