/**
 * Live sync passes from the engine's `sync.progress` events (one per committed batch), per source, and a
 * tick when a write committed (`events.changed`) so lists can refresh. A pass that stops reporting is
 * dropped after a while; the run history (its `running` row) is what says a pass is still going.
 */
import { useEffect, useRef, useState } from 'react';
import type { EventPayload } from '../../../shared/contract.ts';
import type { AuditClient } from '../../api/types.ts';

export type SyncProgress = EventPayload<'sync.progress'> & { at: number };

const STALE_MS = 20_000;

export function useSyncProgress(client: AuditClient): {
  progress: ReadonlyMap<string, SyncProgress>;
  /** Grows on every committed write or finished batch: a dependency to refresh lists with. */
  changes: number;
  /** Forget a source's pass (it finished). */
  done(source: string): void;
} {
  const [progress, setProgress] = useState<ReadonlyMap<string, SyncProgress>>(() => new Map());
  const [changes, setChanges] = useState(0);
  // A sync commits many batches a second: the lists refresh at most once a second (and once after the
  // last), not once per batch.
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    const stop = client.subscribe((event) => {
      if (event.name === 'sync.progress') {
        const key = event.payload.source.toLowerCase();
        setProgress((m) => new Map(m).set(key, { ...event.payload, at: Date.now() }));
      } else if (event.name === 'events.changed' && pending.current === null) {
        pending.current = setTimeout(() => {
          pending.current = null;
          setChanges((n) => n + 1);
        }, 1000);
      }
    });
    return () => {
      stop();
      if (pending.current !== null) clearTimeout(pending.current);
      pending.current = null;
    };
  }, [client]);
  useEffect(() => {
    if (progress.size === 0) return;
    const timer = setInterval(() => {
      const now = Date.now();
      setProgress((m) => {
        const fresh = [...m].filter(([, p]) => now - p.at < STALE_MS);
        return fresh.length === m.size ? m : new Map(fresh);
      });
    }, 2000);
    return () => clearInterval(timer);
  }, [progress.size]);
  return {
    progress,
    changes,
    done: (source) =>
      setProgress((m) => {
        if (!m.has(source.toLowerCase())) return m;
        const next = new Map(m);
        next.delete(source.toLowerCase());
        return next;
      }),
  };
}

/** Re-renders every `ms` (relative times stay true). */
export function useNow(ms = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}
