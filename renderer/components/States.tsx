/** What the result area says when there is nothing to show: first run, no matches, an error. */
import { useEffect, useState } from 'react';
import { parseQuery, printQuery } from '../../shared/query/index.ts';
import type { AuditClient, Stats } from '../api/types.ts';
import { describeError } from '../api/types.ts';
import { formatCount, formatMinute } from '../lib/format.ts';
import type { TimeZoneMode } from '../lib/format.ts';
import { combineQuery } from '../lib/timeRange.ts';
import type { TimeRange } from '../lib/timeRange.ts';

export function FirstRun({ client, onLoaded }: { client: AuditClient; onLoaded(): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // With no source configured either, the way in is to add one (the sources screen's form).
  const [sources, setSources] = useState<number | null>(null);
  useEffect(() => {
    client['sources.list']({}).then(
      (list) => setSources(list.length),
      () => setSources(null),
    );
  }, [client]);
  return (
    <div className="state" data-testid="first-run">
      <h2>This database is empty</h2>
      <p>
        {sources === 0 &&
          'Add a source — a bucket or a folder your audit logs are written to — and it syncs on its schedule. '}
        Load the bundled sample data to try the search, or import your own audit logs with{' '}
        <code>audit-explorer ingest PATH</code> (files or folders, <code>.gz</code> too) and reload this page.
        The sample events are removed by your first import.
      </p>
      {sources !== null && sources > 0 && (
        <p>
          Your sources have no events yet: <a href="#/sources">sync them on the Sources screen</a>.
        </p>
      )}
      <div className="row-buttons">
        {sources === 0 && (
          <a className="button button--primary" href="#/sources/+new" data-testid="first-run-add-source">
            Add a source
          </a>
        )}
        <button
          type="button"
          className={sources === 0 ? 'button' : 'button button--primary'}
          disabled={busy}
          data-testid="load-samples"
          onClick={() => {
            setBusy(true);
            setError(null);
            client['samples.load']({}).then(
              () => onLoaded(),
              (e: unknown) => {
                setBusy(false);
                setError(describeError(e).message);
              },
            );
          }}
        >
          {busy ? 'Loading the sample data…' : 'Load the sample data'}
        </button>
      </div>
      {error && <p className="form-error">{error}</p>}
    </div>
  );
}

/** For an empty result: how many events each top-level term alone excludes. */
function useExclusions(client: AuditClient, query: string, range: TimeRange) {
  const [found, setFound] = useState<{ label: string; total: number }[] | null>(null);
  useEffect(() => {
    let live = true;
    setFound(null);
    let root: ReturnType<typeof parseQuery>;
    try {
      root = parseQuery(query);
    } catch {
      return;
    }
    const parts = root?.kind === 'and' ? root.nodes : root ? [root] : [];
    const probes = parts.slice(0, 6).map((part, i) => {
      const others = parts.filter((_, j) => j !== i);
      const rest =
        others.length === 0
          ? null
          : others.length === 1
            ? others[0]!
            : { kind: 'and' as const, nodes: others, span: part.span };
      return { label: `Without ${printQuery(part)}`, query: combineQuery(printQuery(rest), range) };
    });
    if (range.kind !== 'all' && query.trim()) probes.push({ label: 'Over all time', query: query });
    // One after another: a transport may cancel a client's older call of the same method.
    void (async () => {
      const counted: { label: string; total: number }[] = [];
      for (const p of probes) {
        if (!live) return;
        try {
          counted.push({ label: p.label, total: (await client['events.count']({ query: p.query })).total });
        } catch {
          // A probe that fails is left out; the rest still help.
        }
      }
      if (live) setFound(counted.filter((x) => x.total > 0));
    })();
    return () => {
      live = false;
    };
  }, [client, query, range]);
  return found;
}

export function NoMatches({
  client,
  query,
  range,
  stats,
  zone,
  onAllTime,
  onClear,
}: {
  client: AuditClient;
  query: string;
  range: TimeRange;
  stats: Stats | null;
  zone: TimeZoneMode;
  onAllTime(): void;
  onClear(): void;
}) {
  const exclusions = useExclusions(client, query, range);
  return (
    <div className="state" data-testid="empty">
      <h2>No events match</h2>
      {stats && (
        <p>
          The database holds {formatCount(stats.events)} events
          {stats.first != null && stats.last != null && (
            <>
              {' '}
              from <span className="mono">{formatMinute(stats.first, zone)}</span> to{' '}
              <span className="mono">{formatMinute(stats.last, zone)}</span> (
              {zone === 'utc' ? 'UTC' : 'local'})
            </>
          )}
          .
        </p>
      )}
      {exclusions && exclusions.length > 0 && (
        <>
          <p>What excluded everything:</p>
          <ul className="state__list">
            {exclusions.map((x) => (
              <li key={x.label}>
                {x.label.startsWith('Without ') ? (
                  <>
                    Without <code>{x.label.slice('Without '.length)}</code>
                  </>
                ) : (
                  x.label
                )}
                : {formatCount(x.total)} events
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="row-buttons">
        {range.kind !== 'all' && (
          <button
            type="button"
            className="button button--primary"
            onClick={onAllTime}
            data-testid="widen-range"
          >
            Search all time
          </button>
        )}
        {query && (
          <button type="button" className="button" onClick={onClear}>
            Clear the query
          </button>
        )}
      </div>
    </div>
  );
}

export function SearchError({
  message,
  column,
  onRetry,
}: {
  message: string;
  column?: number;
  onRetry(): void;
}) {
  return (
    <div className="state state--error" data-testid="search-error" role="alert">
      <h2>{column != null ? `The query has an error at column ${column}` : 'The search failed'}</h2>
      <p>{message}</p>
      {column == null && (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
