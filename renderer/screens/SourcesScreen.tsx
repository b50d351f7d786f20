/**
 * The sources screen (`#/sources`): the list of configured sources with their status at a glance, the
 * add form (`#/sources/+new`), one source's detail (`#/sources/<name>`) and its edit form
 * (`#/sources/<name>/edit`).
 */
import { useCallback, useEffect, useState } from 'react';
import { describeError, type AuditClient } from '../api/types.ts';
import { SourceDetail } from '../components/sources/SourceDetail.tsx';
import { SourceForm } from '../components/sources/SourceForm.tsx';
import { SourceList } from '../components/sources/SourceList.tsx';
import { draftFromConfig, emptyDraft, type Draft } from '../components/sources/sourceDraft.ts';
import { type SourceSummary } from '../components/sources/sourceFormat.ts';
import { useNow, useSyncProgress } from '../components/sources/useSyncProgress.ts';
import { useRoute } from '../hooks/useRoute.ts';
import { storedZoneMode, zoneLabel, type TimeZoneMode } from '../lib/format.ts';
import { navigate, routeHash } from '../lib/route.ts';

export function SourcesScreen({ client }: { client: AuditClient }) {
  const route = useRoute();
  const name = route.screen === 'sources' ? route.name : undefined;
  const adding = route.screen === 'sources' && route.add === true;
  const editing = route.screen === 'sources' && route.edit === true && name !== undefined;
  const { progress, changes, done } = useSyncProgress(client);
  const now = useNow();
  const [zone] = useState(storedZoneMode);

  let title = 'Sources';
  if (adding) title = 'Add a source';
  else if (editing) title = `Edit ${name}`;
  else if (name !== undefined) title = name;

  return (
    <main className="page" data-testid="screen-sources">
      <header className="page__head">
        <h1>
          {name !== undefined || adding ? (
            <>
              <a href={routeHash({ screen: 'sources' })} className="page__crumb">
                Sources
              </a>
              <span className="muted" aria-hidden="true">
                {' '}
                /{' '}
              </span>
              {editing ? (
                <>
                  <a href={routeHash({ screen: 'sources', name })} className="page__crumb">
                    {name}
                  </a>
                  <span className="muted" aria-hidden="true">
                    {' '}
                    /{' '}
                  </span>
                  edit
                </>
              ) : (
                title
              )}
            </>
          ) : (
            title
          )}
        </h1>
        <span className="muted">Times in {zoneLabel(zone)}</span>
        {!adding && name === undefined && (
          <a
            className="button button--primary"
            href={routeHash({ screen: 'sources', add: true })}
            data-testid="add-source"
          >
            Add a source
          </a>
        )}
      </header>
      {adding ? (
        <div className="page__body">
          <SourceForm
            client={client}
            initial={emptyDraft()}
            editing={null}
            onSaved={(saved) => navigate({ screen: 'sources', name: saved })}
            onCancel={() => navigate({ screen: 'sources' })}
          />
        </div>
      ) : editing ? (
        <EditSource client={client} name={name} />
      ) : name !== undefined ? (
        <SourceDetail
          key={name}
          client={client}
          name={name}
          progress={progress.get(name.toLowerCase())}
          changes={changes}
          onPassDone={() => done(name)}
          now={now}
          zone={zone}
        />
      ) : (
        <ListView client={client} progress={progress} changes={changes} now={now} zone={zone} />
      )}
    </main>
  );
}

function ListView({
  client,
  progress,
  changes,
  now,
  zone,
}: {
  client: AuditClient;
  progress: ReturnType<typeof useSyncProgress>['progress'];
  changes: number;
  now: number;
  zone: TimeZoneMode;
}) {
  const [sources, setSources] = useState<SourceSummary[] | { error: string } | null>(null);
  const load = useCallback(() => {
    client['sources.list']({}).then(setSources, (e: unknown) =>
      setSources({ error: describeError(e).message }),
    );
  }, [client]);
  const syncing =
    progress.size > 0 || (Array.isArray(sources) && sources.some((s) => s.status === 'running'));
  useEffect(load, [load, changes]);
  useEffect(() => {
    // Status and next runs change on their own (the schedule): refresh often while a pass runs.
    const timer = setInterval(load, syncing ? 3000 : 30_000);
    return () => clearInterval(timer);
  }, [load, syncing]);

  if (sources === null) return <p className="muted page__body">Loading the sources…</p>;
  if ('error' in sources)
    return (
      <div className="state state--error" role="alert">
        <h2>Cannot list the sources</h2>
        <p>{sources.error}</p>
        <button type="button" className="button" onClick={load}>
          Try again
        </button>
      </div>
    );
  if (sources.length === 0)
    return (
      <div className="state" data-testid="sources-empty">
        <h2>No source yet</h2>
        <p>
          A source is a place your audit logs are written to — an S3 bucket, an Azure Blob container, a Google
          Cloud Storage bucket, or a local folder (an NFS mount, a volume). Audit Explorer reads the NDJSON
          objects there on a schedule, only what is new or grown since the last pass, and keeps every event
          once for you to search.
        </p>
        <p>Your credentials are kept in the secret store; they are never shown again, here or elsewhere.</p>
        <div className="row-buttons">
          <a
            className="button button--primary"
            href={routeHash({ screen: 'sources', add: true })}
            data-testid="empty-add-source"
          >
            Add a source
          </a>
        </div>
      </div>
    );
  return (
    <div className="page__body">
      <SourceList sources={sources} progress={progress} now={now} zone={zone} />
    </div>
  );
}

function EditSource({ client, name }: { client: AuditClient; name: string }) {
  const [initial, setInitial] = useState<Draft | { error: string } | null>(null);
  useEffect(() => {
    client['sources.get']({ name }).then(
      (s) => setInitial(draftFromConfig(s.config)),
      (e: unknown) => setInitial({ error: describeError(e).message }),
    );
  }, [client, name]);
  if (initial === null) return <p className="muted page__body">Loading {name}…</p>;
  if ('error' in initial)
    return (
      <div className="state state--error" role="alert">
        <h2>Cannot edit source {name}</h2>
        <p>{initial.error}</p>
      </div>
    );
  return (
    <div className="page__body">
      <SourceForm
        client={client}
        initial={initial}
        editing={name}
        onSaved={(saved) => navigate({ screen: 'sources', name: saved })}
        onCancel={() => navigate({ screen: 'sources', name })}
      />
    </div>
  );
}
