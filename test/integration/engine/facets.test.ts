// Acceptance 7: facets and the histogram agree with a count made here from the ingested lines.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Facet, FacetName } from '../../../shared/contract.ts';
import {
  buildTemplate,
  graviteeLine,
  ingest,
  openCopy,
  prophecyLine,
  tally,
  writeLines,
  type Engine,
  type Template,
} from './support.ts';

const BASE = Date.UTC(2024, 1, 20, 3, 17, 0, 0);
const HOUR = 3_600_000;

/** `[value, how many]` expanded into a list of values. */
const expand = (counts: [string, number][]) => counts.flatMap(([v, n]) => Array<string>(n).fill(v));
const USERS = expand([
  ['u1@acme.example', 13],
  ['u2@acme.example', 10],
  ['u3@acme.example', 8],
  ['u4@acme.example', 6],
  ['u5@acme.example', 4],
  ['u6@acme.example', 3],
  ['u7@acme.example', 1],
]);
const ACTIONS = expand([
  ['getDetails', 20],
  ['addProject', 12],
  ['releaseProject', 7],
  ['getUser', 4],
  ['addTeam', 2],
]);
const ENTITY: Record<string, string> = {
  getDetails: 'Project',
  addProject: 'Project',
  releaseProject: 'Project',
  getUser: 'User',
  addTeam: 'Team',
};
const N = 45;

interface Spec {
  ts: number;
  user: string;
  action: string;
  entity: string;
  opType: string;
  outcome: string;
  status: string;
  org: string;
  source: string;
  format: string;
  line: string;
}

/** 45 events over about nine days, every facet value with its own count (no ties to order). */
const SPECS: Spec[] = Array.from({ length: N }, (_, i) => {
  const user = USERS[(i * 7) % N]!;
  const action = ACTIONS[(i * 11) % N]!;
  const failure = i % 4 === 0;
  const ts = BASE + i * 5 * HOUR + i;
  const op = action.startsWith('get') ? 'Query' : 'Mutation';
  const org = i % 5 === 0 ? 'globex' : 'acme';
  return {
    ts,
    user,
    action,
    entity: ENTITY[action]!,
    opType: op,
    outcome: failure ? 'failure' : 'success',
    status: failure ? '500' : '200',
    org,
    source: i % 3 === 0 ? 'beta' : 'alpha',
    format: 'prophecy',
    line: prophecyLine({ ts, user, action, op, code: failure ? 500 : 200, org }),
  };
});

let template: Template;
let engine: Engine;

beforeAll(async () => {
  template = await buildTemplate(async (built) => {
    for (const source of ['alpha', 'beta']) {
      const dir = path.join(built.dir, source);
      writeLines(
        path.join(dir, 'events.ndjson'),
        SPECS.filter((s) => s.source === source).map((s) => s.line),
      );
      await ingest(built, [dir], { source });
    }
  });
});

afterAll(() => {
  fs.rmSync(template.dir, { recursive: true, force: true });
});

beforeEach(async () => {
  engine = await openCopy(template);
});

afterEach(async () => {
  await engine.dispose();
});

const FIELD_OF: Record<FacetName, keyof Spec> = {
  user: 'user',
  entity: 'entity',
  action: 'action',
  opType: 'opType',
  outcome: 'outcome',
  source: 'source',
  format: 'format',
  status: 'status',
  org: 'org',
};

/** The facet DESIGN promises: top values by count, the rest as `other`, and the number of distinct values. */
function expectedFacet(specs: readonly Spec[], name: FacetName, limit: number): Facet {
  const counts = [...tally(specs, (s) => s[FIELD_OF[name]] as string)].sort((a, b) => b[1] - a[1]);
  const values = counts.slice(0, limit).map(([value, count]) => ({ value, count }));
  const shown = values.reduce((n, v) => n + v.count, 0);
  return { values, other: specs.length - shown, distinct: counts.length };
}

const ALL_FACETS = Object.keys(FIELD_OF) as FacetName[];

test('every facet counts exactly what the ingested lines hold', async () => {
  const result = await engine.service['events.search']({
    query: '',
    limit: 0,
    facets: ALL_FACETS,
    facetLimit: 100,
  });
  const expected = Object.fromEntries(ALL_FACETS.map((f) => [f, expectedFacet(SPECS, f, 100)]));
  expect(result.total).toBe(N);
  expect(result.facets).toEqual(expected);
});

test('a facet cut to its top values reports the rest as other, and how many distinct values there are', async () => {
  const facet = await engine.service['events.facet']({ query: '', field: 'user', limit: 3 });
  expect(facet).toEqual({
    values: [
      { value: 'u1@acme.example', count: 13 },
      { value: 'u2@acme.example', count: 10 },
      { value: 'u3@acme.example', count: 8 },
    ],
    other: 14,
    distinct: 7,
    total: 45,
  });
});

describe('facets of a query count only its matches', () => {
  const cases: [string, (s: Spec) => boolean][] = [
    ['outcome:failure', (s) => s.outcome === 'failure'],
    ['source:beta', (s) => s.source === 'beta'],
    ['entity:Project -org:globex', (s) => s.entity === 'Project' && s.org !== 'globex'],
    ['user:u1@acme.example OR action:addTeam', (s) => s.user === 'u1@acme.example' || s.action === 'addTeam'],
  ];
  test.each(cases)('%s', async (query, match) => {
    const matching = SPECS.filter(match);
    const result = await engine.service['events.search']({
      query,
      limit: 0,
      facets: ALL_FACETS,
      facetLimit: 2,
    });
    expect(result.total).toBe(matching.length);
    for (const name of ALL_FACETS) {
      const got = result.facets[name]!;
      const want = expectedFacet(matching, name, 2);
      // Values of equal count may come in either order; the counts, other and distinct may not differ.
      expect({ ...got, values: got.values.map((v) => v.count) }, name).toEqual({
        ...want,
        values: want.values.map((v) => v.count),
      });
      const tallied = tally(matching, (s) => s[FIELD_OF[name]] as string);
      for (const v of got.values) expect(tallied.get(v.value), `${name}=${v.value}`).toBe(v.count);
    }
  });
});

describe('histogram', () => {
  /** Events per bucket counted here from the timestamps, on the axis the engine chose. */
  function bucketsOf(specs: readonly Spec[], from: number, bucketMs: number, length: number): number[] {
    const counts = Array<number>(length).fill(0);
    for (const s of specs) counts[Math.floor((s.ts - from) / bucketMs)]!++;
    return counts;
  }

  test('the buckets are aligned to their size, sum to the total and hold the events of their range', async () => {
    const { histogram, total } = await engine.service['events.search']({
      query: '',
      limit: 0,
      facets: false,
    });
    expect(histogram).not.toBeNull();
    const { from, bucketMs, counts } = histogram!;
    expect(from % bucketMs).toBe(0);
    expect(from).toBeLessThanOrEqual(SPECS[0]!.ts);
    expect(from + counts.length * bucketMs).toBeGreaterThan(SPECS[N - 1]!.ts);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(total);
    expect(counts).toEqual(bucketsOf(SPECS, from, bucketMs, counts.length));
  });

  test('the histogram of a query counts its matches only', async () => {
    const matching = SPECS.filter((s) => s.outcome === 'failure');
    const { histogram, total } = await engine.service['events.search']({
      query: 'outcome:failure',
      limit: 0,
      facets: false,
    });
    const { from, bucketMs, counts } = histogram!;
    expect(total).toBe(matching.length);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(matching.length);
    expect(counts).toEqual(bucketsOf(matching, from, bucketMs, counts.length));
  });

  test('events without a time are not in the histogram and do not stretch its axis', async () => {
    const before = await engine.service['events.search']({ query: '', limit: 0, facets: false });
    const untimed = path.join(engine.dir, 'untimed');
    writeLines(path.join(untimed, 'events.ndjson'), [
      prophecyLine({ ts: 'unknown', user: 'u1@acme.example', action: 'getDetails' }),
    ]);
    await ingest(engine, [untimed], { source: 'alpha' });
    const after = await engine.service['events.search']({ query: '', limit: 0, facets: false });
    expect(after.total).toBe(N + 1);
    expect(after.histogram).toEqual(before.histogram);
  });

  test('the histogram is stacked by outcome: the three series add up to counts and match outcome: queries', async () => {
    // A few events with an outcome that is neither success nor failure, so every series has something.
    const unknown = path.join(engine.dir, 'unknown');
    writeLines(
      path.join(unknown, 'events.ndjson'),
      [1, 2, 3].map((i) =>
        graviteeLine({
          ts: BASE + i * 30 * HOUR,
          user: `u${i}@acme.example`,
          type: 'USER_LOGIN',
          extra: { status: 'PENDING' },
        }),
      ),
    );
    await ingest(engine, [unknown], { source: 'alpha' });
    const range = `after:${new Date(BASE).toISOString()} before:${new Date(BASE + 10 * 24 * HOUR).toISOString()}`;
    const all = (await engine.service['events.search']({ query: range, limit: 0, facets: false })).histogram!;
    const { success, failure, unknown: rest } = all.byOutcome;
    for (const series of [success, failure, rest]) expect(series).toHaveLength(all.counts.length);
    expect(all.counts.map((_, b) => success[b]! + failure[b]! + rest[b]!)).toEqual(all.counts);
    for (const outcome of ['success', 'failure', 'unknown'] as const) {
      const one = (
        await engine.service['events.search']({
          query: `${range} outcome:${outcome}`,
          limit: 0,
          facets: false,
        })
      ).histogram!;
      expect({ from: one.from, bucketMs: one.bucketMs }).toEqual({ from: all.from, bucketMs: all.bucketMs });
      expect(all.byOutcome[outcome], outcome).toEqual(one.counts);
      expect(
        all.byOutcome[outcome].reduce((a, b) => a + b, 0),
        outcome,
      ).toBeGreaterThan(0);
    }
    expect(failure).toEqual(
      bucketsOf(
        SPECS.filter((x) => x.outcome === 'failure'),
        all.from,
        all.bucketMs,
        all.counts.length,
      ),
    );
  });

  test('with after: and before:, the axis covers the bounds and counts the events between them', async () => {
    const after = BASE + 24 * HOUR;
    const before = BASE + 6 * 24 * HOUR;
    const matching = SPECS.filter((s) => s.ts >= after && s.ts < before);
    const { histogram, total } = await engine.service['events.search']({
      query: `after:${new Date(after).toISOString()} before:${new Date(before).toISOString()}`,
      limit: 0,
      facets: false,
    });
    const { from, bucketMs, counts } = histogram!;
    expect(total).toBe(matching.length);
    expect(from % bucketMs).toBe(0);
    expect(from).toBeLessThanOrEqual(after);
    expect(from + counts.length * bucketMs).toBeGreaterThanOrEqual(before);
    expect(counts).toEqual(bucketsOf(matching, from, bucketMs, counts.length));
  });
});
