// Acceptance 12: end to end on a generated hostile corpus (20,000 events, 24 hourly files, seed 3): every
// count the engine gives equals the generator's ground truth (truth.json).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { generateCorpus, type CorpusTruth, type MalformedKind } from '../../bench/generate.ts';
import {
  buildTemplate,
  count,
  ingest,
  makeTempDir,
  openCopy,
  quarantine,
  type Engine,
  type IngestSummary,
  type Template,
} from './support.ts';

let corpusDir: string;
let dataDir: string;
let truth: CorpusTruth;
let truncated: NonNullable<CorpusTruth['truncatedGzip']>;
/** A query term that leaves out the truncated gzip file, whose lines the truth keeps out of its counts. */
let notTruncated: string;
/** The summary of the one ingest of the corpus; each test then gets its own copy of the database it made. */
let summary: IngestSummary;
let template: Template;

beforeAll(async () => {
  corpusDir = makeTempDir();
  await generateCorpus({
    dir: path.join(corpusDir, 'corpus'),
    events: 20_000,
    hostile: true,
    seed: 3,
    files: 24,
  });
  truth = JSON.parse(fs.readFileSync(path.join(corpusDir, 'corpus', 'truth.json'), 'utf8')) as CorpusTruth;
  dataDir = path.join(corpusDir, 'corpus', truth.dataDir);
  truncated = truth.truncatedGzip!;
  notTruncated = `-object:"${path.join(dataDir, truncated.file)}"`;
  // The corpus the acceptance list describes. The reader keeps the complete lines before the damage of the
  // truncated gzip file: distinct events of their own, in no other count of the truth.
  expect([truth.seed, truth.options.events, truth.options.files, truth.options.hostile]).toEqual([
    3,
    20_000,
    24,
    true,
  ]);
  expect(truncated.counts.events).toBe(truncated.completeLines);
  expect(truncated.completeLines).toBeGreaterThan(0);

  template = await buildTemplate(async (engine) => {
    summary = await ingest(engine, [dataDir]);
  });
});

afterAll(() => {
  fs.rmSync(corpusDir, { recursive: true, force: true });
  fs.rmSync(template.dir, { recursive: true, force: true });
});

let engine: Engine;

beforeEach(async () => {
  engine = await openCopy(template);
});

afterEach(async () => {
  await engine.dispose();
});

/** A facet as `value → count`, all values, events without a value as "(none)". */
async function facetMap(
  query: string,
  field: 'user' | 'action' | 'entity' | 'opType',
): Promise<Record<string, number>> {
  const facet = await engine.service['events.facet']({ query, field, limit: 100_000 });
  expect(facet.other).toBe(0);
  return Object.fromEntries(facet.values.map((v) => [v.value ?? '(none)', v.count]));
}

test('the ingest summary matches the truth: events, duplicates, quarantined lines, objects, one error', () => {
  expect({
    events: summary.events,
    duplicates: summary.duplicates,
    quarantined: summary.quarantined,
    objects: summary.objects,
    errors: summary.errors,
    redacted: summary.redacted,
    lines: summary.lines,
  }).toEqual({
    events: truth.events.distinct + truncated.completeLines,
    duplicates: truth.duplicates.total,
    quarantined: truth.lines.malformed,
    objects: truth.files.length,
    errors: 1,
    redacted: truth.secrets.length,
    lines: truth.lines.total - truth.lines.blank + truncated.completeLines,
  });
});

test('each file is read whole: its lines, bad lines and events plus duplicates match the truth', () => {
  const byKey = new Map(summary.perObject.map((o) => [o.key, o]));
  const got = truth.files.map((f) => {
    const o = byKey.get(path.join(dataDir, f.path))!;
    return [f.path, o.lines, o.quarantined, o.events + o.duplicates, o.error === null];
  });
  const want = truth.files.map((f) =>
    f.truncated
      ? [f.path, truncated.completeLines, 0, truncated.completeLines, false]
      : [f.path, f.lines - f.blank, f.malformed, f.valid, true],
  );
  expect(got).toEqual(want);
});

test('the truncated gzip file is the one error, with the lines before the damage kept', async () => {
  const failed = summary.perObject.filter((o) => o.error !== null);
  expect(failed.map((o) => o.key)).toEqual([path.join(dataDir, truncated.file)]);
  expect(failed[0]!.error).toMatch(/gzip data is truncated/);
  expect(await count(engine, `object:"${path.join(dataDir, truncated.file)}"`)).toBe(truncated.completeLines);
});

test('the whole store holds the distinct events, first to last', async () => {
  const stats = await engine.service['stats.get']({});
  expect([stats.events, stats.duplicates, stats.quarantined, stats.objectErrors, stats.untimed]).toEqual([
    truth.events.distinct + truncated.completeLines,
    truth.duplicates.total,
    truth.lines.malformed,
    1,
    0,
  ]);
  expect([stats.first, stats.last]).toEqual([truth.timeRange.firstEventMs, truth.timeRange.lastEventMs]);
  expect(await count(engine, '')).toBe(truth.events.distinct + truncated.completeLines);
});

test('events per format match the truth', async () => {
  const got = {
    prophecy: await count(engine, 'format:prophecy'),
    dronahq: await count(engine, 'format:dronahq'),
    gravitee: await count(engine, 'format:gravitee-am'),
  };
  expect(got).toEqual({
    prophecy: truth.events.byFormat.prophecy + truncated.counts.byFormat.prophecy,
    dronahq: truth.events.byFormat.dronahq + truncated.counts.byFormat.dronahq,
    gravitee: truth.events.byFormat.gravitee + truncated.counts.byFormat.gravitee,
  });
});

test('failures (outcome:failure) match the truth, in total and per format', async () => {
  expect({
    total: await count(engine, 'outcome:failure'),
    prophecy: await count(engine, `outcome:failure format:prophecy ${notTruncated}`),
    dronahq: await count(engine, `outcome:failure format:dronahq ${notTruncated}`),
    gravitee: await count(engine, `outcome:failure format:gravitee-am ${notTruncated}`),
  }).toEqual({
    total: truth.failures.total + truncated.counts.failures,
    prophecy: truth.failures.byFormat.prophecy,
    dronahq: truth.failures.byFormat.dronahq,
    gravitee: truth.failures.byFormat.gravitee,
  });
});

test('the top users have the truth’s event counts, and there are as many distinct users', async () => {
  const got: Record<string, number> = {};
  for (const { user } of truth.users.top) got[user] = await count(engine, `user:${user} ${notTruncated}`);
  expect(got).toEqual(Object.fromEntries(truth.users.top.map((u) => [u.user, u.events])));
  const facet = await engine.service['events.facet']({ query: notTruncated, field: 'user', limit: 10 });
  expect(facet.distinct).toBe(truth.users.distinct);
});

test('events per action match the truth (case-sensitive values stay apart)', async () => {
  expect(await facetMap(notTruncated, 'action')).toEqual(truth.actions);
});

test('action: finds each action’s events', async () => {
  // Actions whose name has no case twin (action: ignores case).
  const names = Object.keys(truth.actions);
  const single = names.filter((a) => names.filter((b) => b.toLowerCase() === a.toLowerCase()).length === 1);
  const got: Record<string, number> = {};
  for (const action of single) got[action] = await count(engine, `action:${action} ${notTruncated}`);
  expect(got).toEqual(Object.fromEntries(single.map((a) => [a, truth.actions[a]])));
});

test('events per entity, and per entity and opType, match the truth', async () => {
  expect(await facetMap(notTruncated, 'entity')).toEqual(truth.entities);
  const got: Record<string, Record<string, number>> = {};
  for (const entity of Object.keys(truth.entityOps)) {
    got[entity] = await facetMap(`entity:${entity} ${notTruncated}`, 'opType');
  }
  expect(got).toEqual(truth.entityOps);
});

test('events per opType match the truth', async () => {
  expect(await facetMap(notTruncated, 'opType')).toEqual(truth.opTypes);
});

test('the frequent word, the rare word and the phrase are found as often as the truth says', async () => {
  const { frequent, rare, phrase } = truth.words;
  expect({
    frequent: await count(engine, `${frequent.word} ${notTruncated}`),
    rare: await count(engine, `${rare.word} ${notTruncated}`),
    phrase: await count(engine, `"${phrase.text}" ${notTruncated}`),
  }).toEqual({ frequent: frequent.events, rare: rare.events, phrase: phrase.events });
});

test('every bench question gets the truth’s answer', async () => {
  const got: Record<string, number> = {};
  const want: Record<string, number> = {};
  for (const q of truth.questions) {
    got[q.name] = await count(engine, q.query);
    want[q.name] = q.expected + (truncated.counts.questions[q.name] ?? 0);
  }
  expect(got).toEqual(want);
});

describe('hostile content', () => {
  const REASONS: Record<MalformedKind, RegExp> = {
    'truncated-json': /^not JSON/,
    'trailing-comma': /^not JSON/,
    'plain-text': /^not JSON/,
    'json-array': /^not a JSON object \(found an array\)/,
    'json-number': /^not a JSON object \(found a number\)/,
    'unknown-object': /^no known format matches/,
    'invalid-utf8': /invalid UTF-8/,
    'nul-bytes': /NUL/,
  };

  test('every malformed line is in the quarantine with its object, line and a reason for its kind', async () => {
    const { total, entries } = await quarantine(engine);
    expect(total).toBe(truth.malformed.lines.length);
    const got = new Map(entries.map((e) => [`${e.object}:${e.line}`, e.reason]));
    expect([...got.keys()].sort()).toEqual(
      truth.malformed.lines.map((m) => `${path.join(dataDir, m.file)}:${m.line}`).sort(),
    );
    for (const m of truth.malformed.lines) {
      expect(got.get(`${path.join(dataDir, m.file)}:${m.line}`), `${m.file}:${m.line} (${m.kind})`).toMatch(
        REASONS[m.kind],
      );
    }
  });

  test('no secret marker is findable, and the lines that carried one hold "[REDACTED]" instead', async () => {
    expect(truth.secrets.length).toBeGreaterThan(0);
    const found: Record<string, number> = {};
    for (const s of truth.secrets) found[s.marker] = await count(engine, s.marker);
    found.prefix = await count(engine, 'SECRETMARKER*');
    expect(found).toEqual({ ...Object.fromEntries(truth.secrets.map((s) => [s.marker, 0])), prefix: 0 });
    for (const s of truth.secrets) {
      const page = await engine.service['events.search']({
        query: `object:"${path.join(dataDir, s.file)}"`,
        limit: 10_000,
        facets: false,
        histogram: false,
      });
      const event = page.events.find((e) => e.line === s.line);
      expect(event, `${s.file}:${s.line}`).toBeDefined();
      expect(event!.raw).not.toContain(s.marker);
      expect(event!.raw).toContain('[REDACTED]');
    }
    const { entries } = await quarantine(engine);
    expect(entries.filter((e) => e.excerpt.includes('SECRETMARKER'))).toEqual([]);
  });

  test('the very long lines are stored whole', async () => {
    const lines = truth.hostile!.longLines;
    expect(lines.length).toBeGreaterThan(0);
    for (const long of lines) {
      const page = await engine.service['events.search']({
        query: `object:"${path.join(dataDir, long.file)}"`,
        limit: 10_000,
        facets: false,
        histogram: false,
      });
      const event = page.events.find((e) => e.line === long.line);
      expect([long.file, long.line, Buffer.byteLength(event?.raw ?? '')]).toEqual([
        long.file,
        long.line,
        long.bytes,
      ]);
    }
  });

  test('ingesting the corpus a second time adds nothing and counts every valid line as a duplicate', async () => {
    const again = await ingest(engine, [dataDir]);
    expect([again.events, again.duplicates, again.quarantined, again.errors]).toEqual([
      0,
      truth.lines.valid + truncated.completeLines,
      truth.lines.malformed,
      1,
    ]);
    expect(await count(engine, '')).toBe(truth.events.distinct + truncated.completeLines);
  });
});
