// Issue 7, item 7: every search has a bounded cost. Repeats are merged, prefixes that expand to too much
// and queries of too many terms are refused with a sentence saying what to change, and a search past its
// time or memory budget stops with one. The hostile set runs against a seeded corpus and ends every time
// in a result or such an error.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createEventStream } from '../../bench/generate.ts';
import { hostileQueries } from '../../support/hostileQueries.ts';
import { describeError } from '../../../electron/agent/errors.ts';
import { QueryTooCostlyError } from '../../../electron/agent/store/budget.ts';
import { MAX_PREFIX_WORDS, MAX_TERMS } from '../../../electron/agent/store/plan.ts';
import { createService, type AuditService } from '../../../electron/agent/service.ts';
import type { SearchLimits } from '../../../electron/agent/store/budget.ts';
import {
  buildTemplate,
  count,
  FIXED_NOW,
  ingest,
  openCopy,
  prophecyLine,
  writeLines,
  type Engine,
  type Template,
} from './support.ts';

const EVENTS = 5_000;
/** Words of the seeded corpus, most of them in many events. */
const WORDS = ['created', 'project', 'language', 'teams', 'branch', 'gateway', 'releases', 'fabric'];
/** One event holds MAX_PREFIX_WORDS + 1 different words starting with `qq`. */
const MANY_WORDS = Array.from({ length: MAX_PREFIX_WORDS + 1 }, (_, i) => `qq${i.toString(36)}`);

let template: Template;
let engine: Engine;

beforeAll(async () => {
  template = await buildTemplate(async (built) => {
    const lines = [...createEventStream({ events: EVENTS, seed: 7 })];
    lines.push(
      prophecyLine({
        ts: FIXED_NOW - 1000,
        user: 'many@words.test',
        action: 'x',
        payload: MANY_WORDS.join(' '),
      }),
    );
    const file = writeLines(path.join(built.dir, 'data', 'corpus.ndjson'), lines);
    const summary = await ingest(built, [file]);
    expect(summary.events).toBe(EVENTS + 1);
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

/** The error a search fails with (the test fails if it succeeds). */
async function failure(query: string, service: AuditService = engine.service): Promise<Error> {
  try {
    await service['events.count']({ query });
  } catch (error) {
    return error as Error;
  }
  throw new Error(`expected ${query.slice(0, 80)} to fail`);
}

/** A service on this test's database with other search limits (closed when the test ends). */
async function withLimits(limits: Partial<SearchLimits>, queryWorker = false): Promise<AuditService> {
  const service = await createService({
    dbFile: engine.dbFile,
    now: () => FIXED_NOW,
    searchLimits: limits,
    queryWorker,
  });
  onCleanup.push(() => service.close());
  return service;
}
const onCleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of onCleanup.splice(0)) await close();
});

describe('the hostile query set', () => {
  test('the corpus holds the words the set is built from', async () => {
    for (const word of WORDS) expect(await count(engine, word), word).toBeGreaterThan(10);
  });

  test.each(hostileQueries(WORDS).map((q) => [q.name, q.query] as const))(
    '%s: a result or an error the user can act on',
    async (_name, query) => {
      let result: { total: number } | null = null;
      let error: unknown = null;
      try {
        result = await engine.service['events.search']({ query, limit: 10 });
      } catch (e) {
        error = e;
      }
      if (result !== null) {
        expect(result.total).toBeGreaterThanOrEqual(0);
        return;
      }
      const info = describeError(error);
      expect(['query_syntax', 'query_too_costly'], `${info.code}: ${info.message}`).toContain(info.code);
      expect(info.message).not.toMatch(/stack|Invalid input|SQLITE|fts5/i);
    },
  );
});

describe('repeated terms', () => {
  test('a word ORed 909 times counts what the word counts', async () => {
    const query = Array(909).fill('ratings').join(' OR ');
    expect(query.length).toBe(9_995);
    expect(await count(engine, query)).toBe(await count(engine, 'ratings'));
    expect(await count(engine, Array(900).fill('created').join(' OR '))).toBe(await count(engine, 'created'));
  });

  test('repeats do not count towards the term limit', async () => {
    const query = Array(MAX_TERMS * 3)
      .fill(0)
      .map((_, i) => WORDS[i % WORDS.length])
      .join(' OR ');
    expect(await count(engine, query)).toBe(await count(engine, WORDS.join(' OR ')));
  });
});

describe('many words ORed or excluded', () => {
  // Words only in event text, words that are dictionary values (a user's name, an org) and a prefix.
  const mixed = [...WORDS, 'sybil', 'acme', 'lew*', '"project language"'];

  test('an OR of words and the exclusion of the same words split the events between them', async () => {
    const total = await count(engine, '');
    const any = await count(engine, mixed.join(' OR '));
    const none = await count(engine, mixed.map((w) => `-${w}`).join(' '));
    expect(any).toBeGreaterThan(0);
    expect(none).toBeGreaterThan(0);
    expect(any + none).toBe(total);
  });

  test('an OR of words counts each event once, as the words one by one would', async () => {
    const [a, b] = ['sybil', 'created'];
    const both = await count(engine, `${a} ${b}`);
    expect(await count(engine, `${a} OR ${b}`)).toBe(
      (await count(engine, a)) + (await count(engine, b)) - both,
    );
  });
});

describe('prefixes', () => {
  test('the issue’s 1,665 one-letter prefixes are refused at the first one', async () => {
    const query = Array.from({ length: 1665 }, (_, i) => `${'abcdefghijklmnopqrstuvwxyz'[i % 26]}*`).join(
      ' OR ',
    );
    expect(query.length).toBe(9_986);
    const error = await failure(query);
    expect(error).toBeInstanceOf(QueryTooCostlyError);
    expect(describeError(error)).toEqual({
      code: 'query_too_costly',
      message: "Prefix 'a*' at column 1 is too short: give at least 2 letters or digits before the *.",
      column: 1,
    });
  });

  test('a one-letter prefix of target: is refused too; a two-letter one runs', async () => {
    expect((await failure('user:x* target:a*')).message).toMatch(/^Prefix 'a\*' at column 9 is too short/);
    expect(await count(engine, 'or*')).toBeGreaterThan(0);
  });

  test('a phrase may end in a one-letter prefix: its other words narrow it', async () => {
    expect(await count(engine, '"revenue r"*')).toBeGreaterThanOrEqual(0);
  });

  test(`a prefix that stands for more than ${MAX_PREFIX_WORDS.toLocaleString('en-US')} words is refused`, async () => {
    expect(await count(engine, 'qq1*')).toBe(1);
    const error = await failure('revenue qq*');
    expect(describeError(error)).toEqual({
      code: 'query_too_costly',
      message: "Prefix 'qq*' at column 9 stands for more than 10,000 different words: give more of the word.",
      column: 9,
    });
  });
});

describe('the term limit', () => {
  test(`${MAX_TERMS + 1} different terms are refused, pointing at the one past the limit`, async () => {
    const terms = Array.from({ length: 300 }, (_, i) => `w${i}`);
    const query = terms.join(' OR ');
    const column = query.indexOf(`w${MAX_TERMS} `) + 1;
    expect(describeError(await failure(query))).toEqual({
      code: 'query_too_costly',
      message:
        `This query has 300 different terms; the limit is 256 (term 257 is at column ${column}).` +
        ' Search for fewer words or values, or split it into several searches.',
      column,
    });
    expect(await count(engine, terms.slice(0, MAX_TERMS).join(' OR '))).toBe(0);
  });
});

describe('the budget', () => {
  test('a search over its memory budget stops and names the term', async () => {
    const service = await withLimits({ memoryMiB: 0.001 });
    // 0.001 MiB holds 65 keys; the corpus has far more events with 'created'.
    expect(await count(engine, 'created')).toBeGreaterThan(65);
    expect(describeError(await failure('created', service))).toEqual({
      code: 'query_too_costly',
      message:
        "This search would need more than its 0.001 MiB of memory: the free-text term 'created' matches more" +
        ' than 65 events. Add a field or time filter, or search for something rarer.',
    });
    expect((await service['events.count']({ query: 'user:many@words.test' })).total).toBe(1);
  });

  test('a prefix whose words hold more events than the memory budget is refused before it is expanded', async () => {
    const service = await withLimits({ memoryMiB: 0.001 });
    expect((await failure('or*', service)).message).toMatch(
      /^This search would need more than its 0\.001 MiB of memory: the free-text term 'or\*' matches more than/,
    );
  });

  test('a search past its time limit stops with a message saying what to do', async () => {
    const service = await withLimits({ timeMs: 0 });
    expect(describeError(await failure('created OR project', service))).toEqual({
      code: 'query_too_costly',
      message: expect.stringMatching(
        /^This search stopped after \d+\.\d s, its time limit, before it finished\. Use fewer terms, or add a field or time filter to narrow it\.$/,
      ),
    });
  });

  test('on the query worker the same budget applies, and its error crosses with its code and sentence', async () => {
    const service = await withLimits({ memoryMiB: 0.001 }, true);
    expect(describeError(await failure('created', service))).toEqual({
      code: 'query_too_costly',
      message:
        "This search would need more than its 0.001 MiB of memory: the free-text term 'created' matches more" +
        ' than 65 events. Add a field or time filter, or search for something rarer.',
    });
    expect(describeError(await failure('user:x* target:a*', service))).toEqual({
      code: 'query_too_costly',
      message: "Prefix 'a*' at column 9 is too short: give at least 2 letters or digits before the *.",
      column: 9,
    });
    expect((await service['events.count']({ query: 'user:many@words.test' })).total).toBe(1);
  });

  test('an ordinary search is well within the default budget', async () => {
    expect(await count(engine, 'created project')).toBeGreaterThan(0);
    expect(await count(engine, 'user:a* -created')).toBeGreaterThan(0);
  });
});

describe('the query length', () => {
  test('a query over 10,000 characters is refused with a sentence, at every method', async () => {
    const query = 'orders '.repeat(1764) + 'xyz';
    expect(query.length).toBe(12_351);
    const message =
      'The query is 12,351 characters long; the limit is 10,000. Shorten it or split it into several searches.';
    for (const call of [
      () => engine.service['events.count']({ query }),
      () => engine.service['events.search']({ query }),
      () => engine.service['events.facet']({ query, field: 'user' }),
    ]) {
      const error = await call().then(
        () => null,
        (e: unknown) => e,
      );
      expect(describeError(error)).toEqual({ code: 'query_too_costly', message });
    }
  });
});
