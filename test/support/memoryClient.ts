/**
 * An in-memory AuditClient over fixture events, for component tests only: it answers the methods the
 * search screen calls by evaluating the shared query tree over an array. It is not the engine (no FTS
 * tokenisation, no paging limits beyond the input's) — just close enough that the UI cannot tell.
 */
import { parseQuery } from '../../shared/query/index.ts';
import type { QueryNode } from '../../shared/query/index.ts';
import { QuerySyntaxError } from '../../shared/query/index.ts';
import type { AuditEventOut, FacetName } from '../../shared/contract.ts';
import { DEFAULT_FACETS } from '../../shared/contract.ts';
import type { AuditClient, ServiceEvent } from '../../shared/contract.ts';
import type { SearchResult } from '../../renderer/api/types.ts';

export class MemoryApiError extends Error {
  override name = 'MemoryApiError';
  readonly code: string;
  readonly column?: number;
  constructor(message: string, code: string, column?: number) {
    super(message);
    this.code = code;
    this.column = column;
  }
}

const STRING_FIELDS = [
  'user',
  'entity',
  'action',
  'opType',
  'outcome',
  'status',
  'org',
  'target',
  'ip',
  'userAgent',
  'txn',
  'format',
  'source',
  'object',
] as const;

function matches(node: QueryNode, e: AuditEventOut, now: number): boolean {
  switch (node.kind) {
    case 'field': {
      const raw = (e as Record<string, unknown>)[node.field];
      if (raw == null) return false;
      const v = String(raw).toLowerCase();
      const want = node.value.toLowerCase();
      return node.prefix ? v.startsWith(want) : v === want;
    }
    case 'text': {
      const want = node.text.toLowerCase();
      return STRING_FIELDS.some((f) => {
        const v = e[f];
        return typeof v === 'string' && v.toLowerCase().includes(want);
      });
    }
    case 'time':
      return e.ts != null && (node.bound === 'after' ? e.ts >= node.ms : e.ts < node.ms);
    case 'last':
      return e.ts != null && e.ts >= now - node.ms;
    case 'not':
      return !matches(node.node, e, now);
    case 'and':
      return node.nodes.every((n) => matches(n, e, now));
    case 'or':
      return node.nodes.some((n) => matches(n, e, now));
  }
}

function facetOf(rows: AuditEventOut[], field: FacetName, limit: number) {
  const counts = new Map<string | null, number>();
  for (const e of rows) {
    const v = (e as Record<string, unknown>)[field];
    const key = v == null ? null : String(v);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
  const values = sorted.slice(0, limit).map(([value, count]) => ({ value, count }));
  const shown = values.reduce((n, v) => n + v.count, 0);
  return { values, other: rows.length - shown, distinct: counts.size };
}

export interface MemoryClientOptions {
  /** The clock `last:` resolves against. */
  now?: number;
  /** Called with every method call, for assertions. */
  onCall?: (method: string, input: unknown) => void;
}

/** A fake client; `calls` records every call, `emit` pushes an engine event to subscribers. */
export function createMemoryClient(fixture: AuditEventOut[], options: MemoryClientOptions = {}) {
  let events = [...fixture].sort((a, b) => (b.ts ?? 0) - (a.ts ?? 0));
  const now = options.now ?? Math.max(0, ...events.map((e) => e.ts ?? 0)) + 1;
  const listeners = new Set<(event: ServiceEvent) => void>();
  const calls: { method: string; input: unknown }[] = [];
  const record = (method: string, input: unknown) => {
    calls.push({ method, input });
    options.onCall?.(method, input);
  };
  const select = (query: string): AuditEventOut[] => {
    let root: QueryNode | null;
    try {
      root = parseQuery(query);
    } catch (e) {
      if (e instanceof QuerySyntaxError) throw new MemoryApiError(e.message, 'query_syntax', e.column);
      throw e;
    }
    return root ? events.filter((e) => matches(root, e, now)) : events;
  };
  const strip = (e: AuditEventOut, raw: boolean): AuditEventOut => {
    if (raw) return e;
    const { raw: _raw, ...rest } = e;
    return rest;
  };

  const client = {
    async 'events.search'(input) {
      record('events.search', input);
      const all = select(input.query ?? '');
      const limit = input.limit ?? 100;
      const offset = input.cursor ? Number(input.cursor) : 0;
      const page = all.slice(offset, offset + limit);
      const next = offset + limit < all.length ? String(offset + limit) : null;
      const facetNames = input.facets === false ? [] : (input.facets ?? DEFAULT_FACETS);
      const facets: SearchResult['facets'] = {};
      for (const f of facetNames) facets[f] = facetOf(all, f, input.facetLimit ?? 10);
      let histogram: SearchResult['histogram'] = null;
      const timed = all.filter((e) => e.ts != null).map((e) => e.ts as number);
      if (input.histogram !== false && timed.length > 0) {
        const min = Math.min(...timed);
        const max = Math.max(...timed);
        const bucketMs = Math.max(1000, Math.ceil((max - min + 1) / 40 / 1000) * 1000);
        const from = Math.floor(min / bucketMs) * bucketMs;
        const n = Math.floor((max - from) / bucketMs) + 1;
        const byOutcome = {
          success: new Array<number>(n).fill(0),
          failure: new Array<number>(n).fill(0),
          unknown: new Array<number>(n).fill(0),
        };
        const counts = new Array<number>(n).fill(0);
        for (const e of all) {
          if (e.ts == null) continue;
          const i = Math.floor((e.ts - from) / bucketMs);
          counts[i]! += 1;
          byOutcome[e.outcome][i]! += 1;
        }
        histogram = { from, bucketMs, counts, byOutcome };
      }
      return {
        total: all.length,
        events: page.map((e) => strip(e, input.raw ?? true)),
        nextCursor: next,
        facets,
        histogram,
        timing: { plan: 0, scan: 0, fetch: 0, total: 1 },
      };
    },
    async 'events.count'(input) {
      record('events.count', input);
      return { total: select(input.query ?? '').length };
    },
    async 'events.facet'(input) {
      record('events.facet', input);
      const all = select(input.query ?? '');
      return { ...facetOf(all, input.field, input.limit ?? 20), total: all.length };
    },
    async 'events.get'(input) {
      record('events.get', input);
      return { event: events.find((e) => e.id === input.id) ?? null };
    },
    async 'events.surrounding'(input) {
      record('events.surrounding', input);
      const all = select(input.query ?? '');
      const at = all.findIndex((e) => e.id === input.id);
      if (at < 0) return { events: [], anchorIndex: null };
      const from = Math.max(0, at - (input.after ?? 10));
      return {
        events: all.slice(from, at + (input.before ?? 10) + 1).map((e) => strip(e, false)),
        anchorIndex: at - from,
      };
    },
    async 'values.list'(input) {
      record('values.list', input);
      const prefix = input.prefix?.toLowerCase() ?? '';
      const matching = facetOf(events, input.field, 100_000).values.filter(
        (v): v is { value: string; count: number } =>
          v.value != null && v.value.toLowerCase().startsWith(prefix),
      );
      return { values: matching.slice(0, input.limit ?? 50), distinct: matching.length };
    },
    async 'stats.get'(input) {
      record('stats.get', input);
      const timed = events.filter((e) => e.ts != null).map((e) => e.ts as number);
      return {
        file: ':memory:',
        events: events.length,
        sources: new Set(events.map((e) => e.source)).size,
        objects: new Set(events.map((e) => e.object)).size,
        objectErrors: 0,
        quarantined: 0,
        quarantineExcerpts: 0,
        duplicates: 0,
        rawBytes: 0,
        dbBytes: 0,
        first: timed.length ? Math.min(...timed) : null,
        last: timed.length ? Math.max(...timed) : null,
        untimed: events.length - timed.length,
        schemaVersion: 1,
        retentionHorizon: null,
      };
    },
    async 'samples.load'(input) {
      record('samples.load', input);
      const already = events.length > 0;
      if (!already) events = [...fixture].sort((a, b) => (b.ts ?? 0) - (a.ts ?? 0));
      return { events: events.length, alreadyLoaded: already };
    },
    async 'ingest.paths'() {
      throw new MemoryApiError('Not available in the memory client.', 'bad_input');
    },
    async 'quarantine.list'(input) {
      record('quarantine.list', input);
      return { total: 0, withExcerpts: 0, entries: [], counted: [] };
    },
    async 'retention.run'() {
      throw new MemoryApiError('Not available in the memory client.', 'bad_input');
    },
    // Sources and sync: none configured in the memory client (the UI's sources screen is a later issue).
    async 'sources.list'(input) {
      record('sources.list', input);
      return [];
    },
    async 'sources.get'() {
      throw new MemoryApiError('There is no source by that name.', 'not_found');
    },
    async 'sources.add'() {
      throw new MemoryApiError('Not available in the memory client.', 'bad_input');
    },
    async 'sources.update'() {
      throw new MemoryApiError('Not available in the memory client.', 'bad_input');
    },
    async 'sources.remove'() {
      throw new MemoryApiError('There is no source by that name.', 'not_found');
    },
    async 'sources.test'() {
      throw new MemoryApiError('There is no source by that name.', 'not_found');
    },
    async 'sync.run'(input) {
      record('sync.run', input);
      return { sources: [] };
    },
    async 'sync.runs'(input) {
      record('sync.runs', input);
      return [];
    },
    async 'sync.objects'() {
      throw new MemoryApiError('There is no source by that name.', 'not_found');
    },
    async 'retention.settings.get'(input) {
      record('retention.settings.get', input);
      return { retentionDays: null, gcSchedule: '0 0 1 * * *', gcDisabled: false };
    },
    async 'retention.settings.set'() {
      throw new MemoryApiError('Not available in the memory client.', 'bad_input');
    },
    async 'schedule.preview'() {
      throw new MemoryApiError('Not available in the memory client.', 'bad_input');
    },
    async 'sources.setSchedule'() {
      throw new MemoryApiError('There is no source by that name.', 'not_found');
    },
    // Casework (issue 11): the detail panel asks which investigations pin an event (none here).
    async 'saved.list'(input) {
      record('saved.list', input);
      return { searches: [] };
    },
    async 'saved.add'() {
      throw new MemoryApiError('Not available in the memory client.', 'bad_input');
    },
    async 'saved.rename'() {
      throw new MemoryApiError('Not available in the memory client.', 'bad_input');
    },
    async 'saved.remove'() {
      throw new MemoryApiError('Not available in the memory client.', 'bad_input');
    },
    async 'history.list'() {
      throw new MemoryApiError('Not available in the memory client.', 'bad_input');
    },
    async 'history.record'(input) {
      record('history.record', input);
      return { recorded: false };
    },
    async 'investigations.create'() {
      throw new MemoryApiError('Not available in the memory client.', 'bad_input');
    },
    async 'investigations.list'(input) {
      record('investigations.list', input);
      return { investigations: [] };
    },
    async 'investigations.get'() {
      throw new MemoryApiError('Not available in the memory client.', 'bad_input');
    },
    async 'investigations.forEvent'(input) {
      record('investigations.forEvent', input);
      return { investigations: [] };
    },
    async 'investigations.addSearches'() {
      throw new MemoryApiError('Not available in the memory client.', 'bad_input');
    },
    async 'investigations.pin'() {
      throw new MemoryApiError('Not available in the memory client.', 'bad_input');
    },
    async 'investigations.unpin'() {
      throw new MemoryApiError('Not available in the memory client.', 'bad_input');
    },
    async 'investigations.note'() {
      throw new MemoryApiError('Not available in the memory client.', 'bad_input');
    },
    async 'investigations.close'() {
      throw new MemoryApiError('Not available in the memory client.', 'bad_input');
    },
    async 'investigations.removeSearches'() {
      throw new MemoryApiError('Not available in the memory client.', 'bad_input');
    },
    async 'investigations.update'() {
      throw new MemoryApiError('Not available in the memory client.', 'bad_input');
    },
    async 'investigations.reopen'() {
      throw new MemoryApiError('Not available in the memory client.', 'bad_input');
    },
    async 'export.run'() {
      throw new MemoryApiError('Not available in the memory client.', 'bad_input');
    },
    async 'keys.show'() {
      throw new MemoryApiError('Not available in the memory client.', 'bad_input');
    },
    async 'exports.create'() {
      throw new MemoryApiError('Not available in the memory client.', 'bad_input');
    },
    async 'exports.cancel'() {
      throw new MemoryApiError('Not available in the memory client.', 'bad_input');
    },
    async 'exports.list'() {
      return { folder: '/memory/exports', exports: [] };
    },
    async 'exports.remove'() {
      throw new MemoryApiError('Not available in the memory client.', 'bad_input');
    },
    async 'exports.download'() {
      throw new MemoryApiError('Not available in the memory client.', 'bad_input');
    },
    async 'exports.save'() {
      throw new MemoryApiError('Not available in the memory client.', 'bad_input');
    },
    subscribe(listener: (event: ServiceEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } satisfies AuditClient;

  return {
    client: client as AuditClient,
    calls,
    /** Starts empty (a first run) until `samples.load`. */
    clear() {
      events = [];
    },
    emit(event: ServiceEvent) {
      for (const l of listeners) l(event);
    },
  };
}

/** Fixture events: a few users, entities and outcomes over two days, one with a redacted secret. */
export function fixtureEvents(): AuditEventOut[] {
  const base = Date.UTC(2026, 2, 7, 12, 0, 0);
  const users = ['alice@acme.io', 'bob@acme.io', 'carol@acme.io'];
  const actions: [string, string, string][] = [
    ['releaseProject', 'Project', 'Mutation'],
    ['setPassword', 'User', 'Mutation'],
    ['getProject', 'Project', 'Query'],
    ['listUsers', 'User', 'Query'],
  ];
  const out: AuditEventOut[] = [];
  for (let i = 0; i < 60; i++) {
    const [action, entity, opType] = actions[i % actions.length]!;
    const user = users[i % users.length]!;
    const failure = i % 7 === 0;
    const body: Record<string, unknown> = {
      userEmail: user,
      nameHints: [action],
      opType,
      responseCode: failure ? 403 : 200,
    };
    if (action === 'setPassword') body.requestParams = { newPassword: '[REDACTED]', userId: `u-${i}` };
    out.push({
      id: (0xa0000 + i).toString(16).padStart(32, '0'),
      ts: base - i * 37 * 60_000 - i * 123,
      user,
      entity,
      action,
      opType,
      outcome: failure ? 'failure' : i % 11 === 0 ? 'unknown' : 'success',
      status: failure ? '403' : '200',
      org: 'acme',
      target: i % 2 ? 'billing api' : `u-${i}`,
      ip: '10.0.0.1',
      userAgent: 'Mozilla/5.0',
      latencyMs: 12 + i,
      txn: `txn-${Math.floor(i / 3)}`,
      format: 'prophecy',
      source: i % 5 === 0 ? 's3-audit' : 'import',
      object: `audit/2026-03-07/part-${Math.floor(i / 20)}.ndjson`,
      line: (i % 20) + 1,
      raw: JSON.stringify(body),
    });
  }
  return out;
}
