/** The investigations list: open cases first (the last changed on top), then closed ones. */
import { useCallback, useEffect, useState } from 'react';
import type { AuditClient } from '../../api/types.ts';
import { describeError } from '../../api/types.ts';
import { formatCount, formatMinute, formatTimestamp, storedZoneMode } from '../../lib/format.ts';
import { navigate, routeHash } from '../../lib/route.ts';
import { relativeTime } from '../../lib/zoneTime.ts';
import type { InvestigationSummary } from './caseTypes.ts';
import { NewInvestigationDialog } from './NewInvestigationDialog.tsx';

export function CaseList({ client }: { client: AuditClient }) {
  const [cases, setCases] = useState<InvestigationSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [filter, setFilter] = useState('');
  const zone = storedZoneMode();
  const zoneWord = zone === 'utc' ? 'UTC' : 'local';

  const load = useCallback(() => {
    client['investigations.list']({}).then(
      (r) => {
        setCases(r.investigations);
        setError(null);
      },
      (e: unknown) => setError(describeError(e).message),
    );
  }, [client]);
  useEffect(load, [load]);

  const needle = filter.trim().toLowerCase();
  const shown = (cases ?? [])
    .filter(
      (c) => !needle || c.name.toLowerCase().includes(needle) || c.description.toLowerCase().includes(needle),
    )
    .sort((a, b) => (a.status !== b.status ? (a.status === 'open' ? -1 : 1) : b.changedAt - a.changedAt));
  const now = Date.now();

  return (
    <main className="page" data-testid="screen-investigations">
      <header className="page__head">
        <h1>Investigations</h1>
        {cases && cases.length > 0 && (
          <input
            className="input cases__filter"
            type="search"
            placeholder="Filter by name or description"
            aria-label="Filter investigations"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
        )}
        <button
          type="button"
          className="button button--primary"
          data-testid="new-case"
          onClick={() => setCreating(true)}
        >
          New investigation…
        </button>
      </header>
      <div className="page__body">
        {error && (
          <div className="state state--error" role="alert">
            <h2>Could not list the investigations</h2>
            <p>{error}</p>
            <button type="button" className="button" onClick={load}>
              Try again
            </button>
          </div>
        )}
        {!error && cases == null && <p className="muted">Loading…</p>}
        {cases && cases.length === 0 && (
          <div className="state cases__empty" data-testid="cases-empty">
            <h2>No investigations yet</h2>
            <p>
              An investigation gathers what a case needs: saved searches, pinned events and notes in Markdown.
              Pinned events are on legal hold — retention never deletes them.
            </p>
            <p className="muted">
              Create one here, or open an event in search and choose <strong>Pin to investigation…</strong> in
              its detail panel.
            </p>
            <div className="row-buttons">
              <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
                New investigation…
              </button>
            </div>
          </div>
        )}
        {cases && cases.length > 0 && shown.length === 0 && (
          <p className="muted">No investigation has “{filter.trim()}” in its name or description.</p>
        )}
        {shown.length > 0 && (
          <table className="cases-table" data-testid="cases-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Created ({zoneWord})</th>
                <th scope="col" className="cw-num">
                  Pinned
                </th>
                <th scope="col" className="cw-num">
                  Notes
                </th>
                <th scope="col">Last change</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((c) => (
                <tr key={c.name} data-testid="case-row">
                  <td className="cases-table__name">
                    <a href={routeHash({ screen: 'investigations', name: c.name })} data-testid="case-link">
                      {c.name}
                    </a>
                    {c.description && (
                      <span className="muted cases-table__desc" title={c.description}>
                        {plainText(c.description)}
                      </span>
                    )}
                  </td>
                  <td>
                    <StatusBadge status={c.status} />
                  </td>
                  <td className="mono">{formatMinute(c.createdAt, zone)}</td>
                  <td className="cw-num" data-testid="case-pinned">
                    {formatCount(c.pinned)}
                  </td>
                  <td className="cw-num" data-testid="case-notes">
                    {formatCount(c.notes)}
                  </td>
                  <td title={`${formatTimestamp(c.changedAt, zone)} ${zoneWord}`}>
                    {relativeTime(c.changedAt, now)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <NewInvestigationDialog
        open={creating}
        onOpenChange={setCreating}
        client={client}
        taken={(cases ?? []).map((c) => c.name)}
        onCreated={(created) => navigate({ screen: 'investigations', name: created.name })}
      />
    </main>
  );
}

export function StatusBadge({ status }: { status: 'open' | 'closed' }) {
  return (
    <span className={`case-status case-status--${status}`} data-testid="case-status">
      <span className="case-status__dot" aria-hidden="true" />
      {status}
    </span>
  );
}

/** A description's first lines without Markdown's marks, for a one-line summary. */
function plainText(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`#>~]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
