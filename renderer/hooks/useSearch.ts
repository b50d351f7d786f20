/**
 * Runs a search and fetches its rows in chunks as the table shows them. A newer search supersedes an older
 * one: late answers to the old one are dropped.
 *
 * Rows come from the engine's keyset cursor: the chunk after a loaded chunk costs one request. A jump far
 * down (the scrollbar dragged, End) does not walk every page in between: the histogram's counts are exact
 * and the results are newest first, so the row at index i lies in the bucket whose newer buckets hold at
 * most i rows; one request with `before:` that bucket's end, skipping the rows of the bucket before i,
 * lands on it. Only chunks near the viewport are kept, so a million matches never sit in memory.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { formatTime } from '../../shared/query/index.ts';
import type { AuditClient, AuditEvent, SearchResult } from '../api/types.ts';
import { describeError } from '../api/types.ts';
import type { ApiErrorShape } from '../api/types.ts';

/** Rows per chunk (and per first page). */
export const CHUNK = 200;
/** The engine's largest page. */
const MAX_LIMIT = 10_000;
/** Chunks kept on each side of the visible ones; the rest are dropped. */
const KEEP = 25;

export type SearchState =
  | { status: 'idle' }
  | { status: 'loading'; query: string; previous?: SearchResult }
  | { status: 'ok'; query: string; result: SearchResult; elapsedMs: number }
  | { status: 'error'; query: string; error: ApiErrorShape };

interface Pages {
  query: string;
  /** Chunk index → its rows. */
  chunks: Map<number, AuditEvent[]>;
  /** Chunk index → the cursor that continues right after it (null: nothing after it). */
  after: Map<number, string | null>;
  histogram: SearchResult['histogram'];
  /** Per bucket: matches in the newer buckets (the index of the bucket's first row). */
  newer: number[];
  busy: boolean;
}

/** Where to start reading so that row `index` comes back, from the histogram's exact counts. */
export function anchorFor(
  index: number,
  histogram: NonNullable<SearchResult['histogram']>,
  newer: readonly number[],
): { before: number; skip: number } | null {
  const { counts, from, bucketMs } = histogram;
  for (let b = counts.length - 1; b >= 0; b--) {
    const first = newer[b]!;
    if (index >= first && index < first + counts[b]!)
      return { before: from + (b + 1) * bucketMs, skip: index - first };
  }
  // Past the timed rows (events without a time come last): no anchor.
  return null;
}

function newerCounts(histogram: SearchResult['histogram']): number[] {
  if (!histogram) return [];
  const out = new Array<number>(histogram.counts.length);
  let sum = 0;
  for (let b = histogram.counts.length - 1; b >= 0; b--) {
    out[b] = sum;
    sum += histogram.counts[b]!;
  }
  return out;
}

export function useSearch(client: AuditClient) {
  const [state, setState] = useState<SearchState>({ status: 'idle' });
  const [version, setVersion] = useState(0);
  const pages = useRef<Pages | null>(null);
  const seq = useRef(0);
  const lastResult = useRef<SearchResult | undefined>(undefined);

  const run = useCallback(
    (query: string) => {
      const id = ++seq.current;
      const started = performance.now();
      setState({ status: 'loading', query, previous: lastResult.current });
      client['events.search']({ query, limit: CHUNK, raw: false, facetLimit: 8 }).then(
        (result) => {
          if (id !== seq.current) return;
          pages.current = {
            query,
            chunks: new Map([[0, result.events]]),
            after: new Map([[0, result.nextCursor]]),
            histogram: result.histogram,
            newer: newerCounts(result.histogram),
            busy: false,
          };
          lastResult.current = result;
          setState({ status: 'ok', query, result, elapsedMs: performance.now() - started });
          setVersion((v) => v + 1);
          // Into the local history once the answer is on screen (recording starts the writer, which the
          // search should not wait for); the service skips an immediate repeat. Best effort.
          client['history.record']({ query, total: result.total }).catch(() => undefined);
        },
        (error: unknown) => {
          if (id !== seq.current) return;
          pages.current = null;
          setState({ status: 'error', query, error: describeError(error) });
        },
      );
    },
    [client],
  );

  /** Loads the chunks that rows `first`..`last` need, nearest first, one request at a time. */
  const needRows = useCallback(
    (first: number, last: number) => {
      const p = pages.current;
      if (!p || p.busy) return;
      const lo = Math.floor(first / CHUNK);
      const hi = Math.floor(last / CHUNK);
      let missing = -1;
      for (let c = lo; c <= hi; c++)
        if (!p.chunks.has(c)) {
          missing = c;
          break;
        }
      if (missing < 0) {
        // Everything on screen is here: drop what is far from it.
        for (const c of p.chunks.keys())
          if (c < lo - KEEP || c > hi + KEEP) {
            p.chunks.delete(c);
            p.after.delete(c);
          }
        return;
      }
      const id = seq.current;
      const page = (query: string, limit: number, cursor: string | null) =>
        client['events.search']({ query, limit, cursor, raw: false, facets: false, histogram: false });
      /** Reads `skip` rows past the start (query + cursor), then returns the next chunk's worth. */
      const skipThen = async (query: string, cursor: string | null, skip: number) => {
        for (;;) {
          const limit = Math.min(MAX_LIMIT, skip + CHUNK);
          const r = await page(query, limit, cursor);
          if (skip + CHUNK <= limit || r.nextCursor === null)
            return { rows: r.events.slice(skip, skip + CHUNK), next: r.nextCursor };
          // A bucket denser than one page: walk on with the cursor (it is a position, not tied to the query).
          skip -= r.events.length;
          cursor = r.nextCursor;
          query = p.query;
        }
      };

      let request: Promise<{ rows: AuditEvent[]; next: string | null }> | null = null;
      const cursor = p.after.get(missing - 1);
      if (cursor !== undefined) {
        // The chunk right after a loaded one: continue the keyset.
        if (cursor !== null) request = skipThen(p.query, cursor, 0);
      } else {
        const anchor = p.histogram ? anchorFor(missing * CHUNK, p.histogram, p.newer) : null;
        if (anchor) {
          const scoped = (terms: string) => `${p.query ? `(${p.query}) ` : ''}${terms}`;
          request = (async () => {
            let { before, skip } = anchor;
            let start = before - p.histogram!.bucketMs;
            // A bucket holding more rows than one page can skip: ask for that bucket's own (finer)
            // histogram, again exact, and narrow down until the skip fits in a page.
            for (let depth = 0; skip + CHUNK > MAX_LIMIT && depth < 4; depth++) {
              const r = await client['events.search']({
                query: scoped(`after:${formatTime(start)} before:${formatTime(before)}`),
                limit: 0,
                facets: false,
                histogram: true,
                raw: false,
              });
              const h = r.histogram;
              const inner = h ? anchorFor(skip, h, newerCounts(h)) : null;
              if (!h || !inner || h.bucketMs >= before - start) break;
              ({ before, skip } = inner);
              start = before - h.bucketMs;
            }
            return skipThen(scoped(`before:${formatTime(before)}`), null, skip);
          })();
        } else {
          // Past the timed rows (events without a time come last): walk from the nearest loaded chunk.
          const from = Math.max(-1, ...[...p.chunks.keys()].filter((c) => c < missing));
          const after = p.after.get(from);
          if (from >= 0 && after) request = skipThen(p.query, after, (missing - from - 1) * CHUNK);
        }
      }
      if (!request) return;
      p.busy = true;
      request.then(
        ({ rows, next }) => {
          if (id !== seq.current || pages.current !== p) return;
          p.chunks.set(missing, rows);
          p.after.set(missing, next);
          p.busy = false;
          setVersion((v) => v + 1);
        },
        () => {
          // Leave the chunk unloaded (its rows say "Loading…"); the next scroll asks again.
          if (pages.current === p) p.busy = false;
        },
      );
    },
    [client],
  );

  useEffect(
    () => () => {
      seq.current++;
    },
    [],
  );

  const rowAt = useCallback(
    (index: number) => pages.current?.chunks.get(Math.floor(index / CHUNK))?.[index % CHUNK],
    [],
  );
  return { state, run, rowAt, needRows, version };
}
