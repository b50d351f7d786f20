// Acceptance 10: retention. After `retention.run({before})` the events before the cut-off are gone from
// every answer (search, counts, facets, histogram, free text); the rest stays; dry runs and second runs
// delete nothing; ingesting afterwards works.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createService } from '../../../electron/agent/service.ts';
import {
  allPages,
  count,
  dronahqLine,
  eventIdOf,
  FIXED_NOW,
  ingest,
  openEngine,
  prophecyLine,
  writeLines,
  type Engine,
} from './support.ts';

const DAY = 86_400_000;
const D1 = Date.UTC(2024, 2, 1, 9, 0, 0, 0);
const CUT = D1 + 2 * DAY; // the start of the third day's 09:00

interface Ev {
  line: string;
  ts: number | null;
  user: string;
  words: string[];
}

function ev(ts: number | null, user: string, words: string[]): Ev {
  const line =
    ts === null
      ? dronahqLine({ ts: null, user, eventId: 'app_saved', meta: { note: words.join(' ') } })
      : prophecyLine({ ts, user, action: 'getDetails', payload: words.join(' ') });
  return { line, ts, user, words };
}

/** Days 1–2 (before the cut), days 3–5 (after it, one exactly at the cut), and two events without a time. */
const OLD: Ev[] = [
  ev(D1, 'olduser@acme.example', ['oldword', 'sharedword']),
  ev(D1 + 3_600_000, 'olduser@acme.example', ['oldword']),
  ev(D1 + 5 * 3_600_000, 'shared@acme.example', ['sharedword']),
  ev(D1 + DAY, 'olduser@acme.example', ['oldword', 'sharedword']),
  ev(D1 + DAY + 60_000, 'shared@acme.example', ['oldword']),
  ev(CUT - 1, 'shared@acme.example', ['lastmillisecond', 'sharedword']),
];
const RECENT: Ev[] = [
  ev(CUT, 'shared@acme.example', ['atthecut', 'sharedword']),
  ev(CUT + 1000, 'newuser@acme.example', ['newword']),
  ev(CUT + DAY, 'newuser@acme.example', ['newword', 'sharedword']),
  ev(CUT + DAY + 5, 'shared@acme.example', ['newword']),
  ev(CUT + 2 * DAY, 'newuser@acme.example', ['sharedword']),
  ev(CUT + 2 * DAY + 7, 'shared@acme.example', ['newword']),
];
const UNTIMED: Ev[] = [
  ev(null, 'timeless@acme.example', ['untimedword', 'sharedword']),
  ev(null, 'timeless@acme.example', ['untimedword', 'oldword']),
];
const ALL = [...OLD, ...RECENT];

let engine: Engine;

beforeEach(async () => {
  engine = await openEngine();
  // The recent object first and the older one in a later run, as a sync catching up would.
  writeLines(
    path.join(engine.dir, 'recent', 'recent.ndjson'),
    RECENT.map((e) => e.line),
  );
  writeLines(
    path.join(engine.dir, 'old', 'old.ndjson'),
    OLD.map((e) => e.line),
  );
  await ingest(engine, [path.join(engine.dir, 'recent')]);
  await ingest(engine, [path.join(engine.dir, 'old')]);
  expect(await count(engine, '')).toBe(ALL.length);
});

afterEach(async () => {
  await engine.dispose();
});

const ids = (events: readonly Ev[]) => events.map((e) => eventIdOf(engine.dbFile, e.line)).sort();
const withWord = (events: readonly Ev[], word: string) => events.filter((e) => e.words.includes(word)).length;

test('a retention run reports the events it deleted, per source', async () => {
  const result = await engine.service['retention.run']({ before: CUT });
  expect(result).toEqual({
    events: OLD.length,
    before: CUT,
    blocks: expect.any(Number),
    dryRun: false,
    perSource: { import: OLD.length },
    held: 0,
    // The span of what went: the oldest and the newest deleted event (one is a millisecond before the cut).
    sources: [{ name: 'import', events: OLD.length, from: D1, to: CUT - 1 }],
  });
});

test('events without a time are never deleted by age', async () => {
  writeLines(
    path.join(engine.dir, 'untimed', 'untimed.ndjson'),
    UNTIMED.map((e) => e.line),
  );
  await ingest(engine, [path.join(engine.dir, 'untimed')]);
  const result = await engine.service['retention.run']({ before: CUT });
  const { events } = await allPages(engine, '', 4);
  expect([result.events, events.map((e) => e.id).sort()]).toEqual([OLD.length, ids([...RECENT, ...UNTIMED])]);
  expect(await count(engine, 'untimedword')).toBe(UNTIMED.length);
});

describe('after a retention run', () => {
  beforeEach(async () => {
    await engine.service['retention.run']({ before: CUT });
  });

  test('exactly the events from the cut-off on remain', async () => {
    const { events } = await allPages(engine, '', 4);
    expect(events.map((e) => e.id).sort()).toEqual(ids(RECENT));
  });

  test('counts no longer include the deleted events', async () => {
    expect({
      all: await count(engine, ''),
      beforeCut: await count(engine, `before:${new Date(CUT).toISOString()}`),
      atOrAfterCut: await count(engine, `after:${new Date(CUT).toISOString()}`),
      oldUser: await count(engine, 'user:olduser@acme.example'),
    }).toEqual({ all: RECENT.length, beforeCut: 0, atOrAfterCut: RECENT.length, oldUser: 0 });
  });

  test('free text no longer finds the deleted events', async () => {
    expect({
      oldword: await count(engine, 'oldword'),
      lastmillisecond: await count(engine, 'lastmillisecond'),
      sharedword: await count(engine, 'sharedword'),
      atthecut: await count(engine, 'atthecut'),
    }).toEqual({
      oldword: withWord(RECENT, 'oldword'),
      lastmillisecond: 0,
      sharedword: withWord(RECENT, 'sharedword'),
      atthecut: 1,
    });
  });

  test('facets count the remaining events only', async () => {
    const facet = await engine.service['events.facet']({ query: '', field: 'user', limit: 10 });
    expect(facet).toEqual({
      values: [
        { value: 'newuser@acme.example', count: 3 },
        { value: 'shared@acme.example', count: 3 },
      ],
      other: 0,
      distinct: 2,
      total: RECENT.length,
    });
  });

  test('the histogram holds the remaining timed events, none before the cut-off', async () => {
    const { histogram } = await engine.service['events.search']({ query: '', limit: 0, facets: false });
    const { from, bucketMs, counts } = histogram!;
    expect(counts.reduce((a, b) => a + b, 0)).toBe(RECENT.length);
    counts.forEach((n, b) => {
      if (n > 0) expect(from + (b + 1) * bucketMs).toBeGreaterThan(CUT);
    });
  });

  test('the stats describe what is left', async () => {
    const stats = await engine.service['stats.get']({});
    expect([stats.events, stats.first, stats.last, stats.untimed, stats.retentionHorizon]).toEqual([
      RECENT.length,
      CUT,
      CUT + 2 * DAY + 7,
      0,
      null,
    ]);
  });

  test('a second run deletes nothing more', async () => {
    const again = await engine.service['retention.run']({ before: CUT });
    expect([again.events, await count(engine, '')]).toEqual([0, RECENT.length]);
  });
});

test('a dry run deletes nothing and reports what a real run then deletes', async () => {
  const dry = await engine.service['retention.run']({ before: CUT, dryRun: true });
  expect([dry.events, dry.dryRun, dry.perSource]).toEqual([OLD.length, true, { import: OLD.length }]);
  expect([await count(engine, ''), await count(engine, 'oldword')]).toEqual([
    ALL.length,
    withWord(ALL, 'oldword'),
  ]);
  const real = await engine.service['retention.run']({ before: CUT });
  expect(real.events).toBe(dry.events);
});

test('olderThanMs counts back from the engine clock', async () => {
  const result = await engine.service['retention.run']({ olderThanMs: FIXED_NOW - CUT, dryRun: true });
  expect([result.before, result.events]).toEqual([CUT, OLD.length]);
});

describe('ingesting after retention', () => {
  const LATER = [
    ev(CUT + 3 * DAY, 'later@acme.example', ['laterword']),
    ev(CUT + 3 * DAY + 1, 'later@acme.example', ['laterword', 'sharedword']),
  ];

  test('new events are stored and found, and the old ones stay gone', async () => {
    // A search before the run, as the UI would have made.
    expect((await engine.service['events.search']({ query: '', limit: 100 })).total).toBe(ALL.length);
    await engine.service['retention.run']({ before: CUT });
    writeLines(
      path.join(engine.dir, 'later', 'later.ndjson'),
      LATER.map((e) => e.line),
    );
    const summary = await ingest(engine, [path.join(engine.dir, 'later')]);
    expect([summary.events, summary.duplicates]).toEqual([2, 0]);
    const { events } = await allPages(engine, '', 100);
    expect(events.map((e) => e.id).sort()).toEqual(ids([...RECENT, ...LATER]));
    expect({
      total: await count(engine, ''),
      laterword: await count(engine, 'laterword'),
      oldword: await count(engine, 'oldword'),
      oldUser: await count(engine, 'user:olduser@acme.example'),
    }).toEqual({ total: RECENT.length + 2, laterword: 2, oldword: withWord(RECENT, 'oldword'), oldUser: 0 });
  });

  test('facets and the histogram include the new events', async () => {
    await engine.service['retention.run']({ before: CUT });
    writeLines(
      path.join(engine.dir, 'later', 'later.ndjson'),
      LATER.map((e) => e.line),
    );
    await ingest(engine, [path.join(engine.dir, 'later')]);
    const result = await engine.service['events.search']({ query: '', limit: 0, facets: ['user'] });
    expect(result.total).toBe(RECENT.length + 2);
    expect(result.facets.user!.values.find((v) => v.value === 'later@acme.example')?.count).toBe(2);
    expect(result.facets.user!.values.find((v) => v.value === 'olduser@acme.example')).toBeUndefined();
    expect(result.histogram!.counts.reduce((a, b) => a + b, 0)).toBe(RECENT.length + 2);
  });
});

describe('legal hold', () => {
  test('with the query worker, the dry run and the real run both count held events, and the run announces the change', async () => {
    const pinned = OLD[0]!;
    await engine.service['investigations.create']({ name: 'case', description: '', searches: [] });
    await engine.service['investigations.pin']({
      name: 'case',
      eventIds: [eventIdOf(engine.dbFile, pinned.line)],
    });
    await engine.close();
    // The preview runs on the query worker here (serve, the desktop app), the run in withWriter.
    const service = await createService({ dbFile: engine.dbFile, now: () => FIXED_NOW, queryWorker: true });
    try {
      const changes: number[] = [];
      service.subscribe((event) => {
        if (event.name === 'events.changed') changes.push(event.payload.total);
      });
      const dry = await service['retention.run']({ before: CUT, dryRun: true });
      expect([dry.events, dry.held, dry.dryRun]).toEqual([OLD.length - 1, 1, true]);
      const run = await service['retention.run']({ before: CUT });
      expect([run.events, run.held, run.dryRun]).toEqual([OLD.length - 1, 1, false]);
      expect(changes).toEqual([RECENT.length + 1]);
      const { events } = await service['events.search']({ query: '', limit: 100 });
      expect(events.map((e) => e.id)).toContain(eventIdOf(engine.dbFile, pinned.line));
    } finally {
      await service.close();
    }
  });
});
