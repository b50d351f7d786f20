/**
 * How many enabled sources are failing, for the rail's badge: a source that stops syncing while the user
 * is searching should be seen without visiting the Sources screen. Re-read after each sync pass's
 * progress settles and once a minute (a scheduled pass runs without the page asking).
 */
import { useEffect, useState } from 'react';
import type { AuditClient } from '../api/types.ts';
import { sourceStatus } from '../components/sources/sourceFormat.ts';

const EVERY_MS = 60_000;
const AFTER_PROGRESS_MS = 2_000;

export function useFailingSources(client: AuditClient): number {
  const [failing, setFailing] = useState(0);
  useEffect(() => {
    let alive = true;
    let pending: ReturnType<typeof setTimeout> | null = null;
    const read = () => {
      client['sources.list']({}).then(
        (sources) => {
          if (alive)
            setFailing(sources.filter((s) => s.enabled && sourceStatus(s, false).kind === 'failing').length);
        },
        () => undefined,
      );
    };
    read();
    const timer = setInterval(read, EVERY_MS);
    const unsubscribe = client.subscribe((event) => {
      if (event.name !== 'sync.progress' && event.name !== 'events.changed') return;
      if (pending) clearTimeout(pending);
      pending = setTimeout(read, AFTER_PROGRESS_MS);
    });
    return () => {
      alive = false;
      clearInterval(timer);
      if (pending) clearTimeout(pending);
      unsubscribe();
    };
  }, [client]);
  return failing;
}
