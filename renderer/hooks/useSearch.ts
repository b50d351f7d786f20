/**
 * Runs a search and pages through its rows with the engine's keyset cursor as the table asks for them.
 * A newer search supersedes an older one: late answers to the old one are dropped.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AuditClient, AuditEvent, SearchResult } from '../api/types.ts';
import { describeError } from '../api/types.ts';
import type { ApiErrorShape } from '../api/types.ts';

/** Rows per request while scrolling; a jump further down asks for more at once (the engine caps 10,000). */
const PAGE = 200;
const MAX_PAGE = 10_000;

export type SearchState =
  | { status: 'idle' }
  | { status: 'loading'; query: string; previous?: SearchResult }
  | { status: 'ok'; query: string; result: SearchResult; elapsedMs: number }
  | { status: 'error'; query: string; error: ApiErrorShape };

export function useSearch(client: AuditClient) {
  const [state, setState] = useState<SearchState>({ status: 'idle' });
  const [version, setVersion] = useState(0);
  const rows = useRef<AuditEvent[]>([]);
  const cursor = useRef<string | null>(null);
  const paging = useRef(false);
  const seq = useRef(0);
  const lastResult = useRef<SearchResult | undefined>(undefined);

  const run = useCallback(
    (query: string) => {
      const id = ++seq.current;
      const started = performance.now();
      setState({ status: 'loading', query, previous: lastResult.current });
      client['events.search']({ query, limit: PAGE, raw: false, facetLimit: 8 }).then(
        (result) => {
          if (id !== seq.current) return;
          rows.current = result.events.slice();
          cursor.current = result.nextCursor;
          paging.current = false;
          lastResult.current = result;
          setState({ status: 'ok', query, result, elapsedMs: performance.now() - started });
          setVersion((v) => v + 1);
        },
        (error: unknown) => {
          if (id !== seq.current) return;
          rows.current = [];
          cursor.current = null;
          setState({ status: 'error', query, error: describeError(error) });
        },
      );
    },
    [client],
  );

  const query = state.status === 'idle' ? null : state.query;
  const needRows = useCallback(
    (lastIndex: number) => {
      if (paging.current || cursor.current == null || query == null || lastIndex < rows.current.length - 1)
        return;
      const id = seq.current;
      paging.current = true;
      const limit = Math.min(MAX_PAGE, Math.max(PAGE, lastIndex - rows.current.length + PAGE));
      client['events.search']({
        query,
        limit,
        cursor: cursor.current,
        raw: false,
        facets: false,
        histogram: false,
      }).then(
        (page) => {
          if (id !== seq.current) return;
          for (const e of page.events) rows.current.push(e);
          cursor.current = page.nextCursor;
          paging.current = false;
          setVersion((v) => v + 1);
        },
        () => {
          // Stop paging; the rows already shown stay, the rest show as loading until the next search.
          if (id === seq.current) cursor.current = null;
          paging.current = false;
        },
      );
    },
    [client, query],
  );

  useEffect(
    () => () => {
      seq.current++;
    },
    [],
  );

  const rowAt = useCallback((index: number) => rows.current[index], []);
  return { state, run, rowAt, needRows, version };
}
