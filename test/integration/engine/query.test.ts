// Acceptance 5: the query language (DESIGN §7) against a small data set whose every answer is known.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { QuerySyntaxError } from '../../../shared/query/index.ts';
import { QueryError } from '../../../electron/agent/store/plan.ts';
import {
  allPages,
  count,
  dronahqLine,
  eventIdOf,
  FIXED_NOW,
  graviteeLine,
  buildTemplate,
  ingest,
  openCopy,
  prophecyLine,
  writeLines,
  type Engine,
  type Template,
} from './support.ts';

const T = Date.UTC(2024, 2, 1, 10, 0, 0, 0);
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** Named lines, so expectations can say which events a query must return. */
const LINES = {
  e1: graviteeLine({
    ts: T,
    user: 'alice@acme.example',
    type: 'USER_LOGIN',
    status: 'SUCCESS',
    ua: 'Mozilla X11 Browser',
    txn: 'tx-aaa-1',
    target: 'billing-api',
    targetType: 'CLIENT',
    ip: '10.0.0.1',
  }),
  e2: graviteeLine({
    ts: T + 1,
    user: 'Alice@Acme.Example',
    type: 'USER_LOGIN',
    status: 'FAILURE',
    ua: 'curl/8.5',
    txn: 'tx-aaa-10',
    ip: '10.0.0.2',
  }),
  e3: graviteeLine({
    ts: T + 2,
    user: 'bob@acme.example',
    type: 'USER_LOGIN',
    status: 'FAILURE',
    ua: 'X11 Mozilla Client',
    txn: 'tx-bbb-1',
    ip: '10.0.0.1',
  }),
  e4: graviteeLine({
    ts: T + 3,
    user: 'alicia@other.example',
    type: 'CLIENT_CREATED',
    target: 'crm-api',
    targetType: 'CLIENT',
    txn: 'tx-ccc-1',
  }),
  e5: graviteeLine({
    ts: T + 1 * MIN,
    user: 'carol@acme.example',
    type: 'USER_LOGOUT',
    ua: 'Mozilla Firefox',
  }),
  e6: prophecyLine({
    ts: FIXED_NOW - 30 * MIN,
    user: 'dave@acme.example',
    action: 'releaseProject',
    op: 'Mutation',
  }),
  e7: prophecyLine({ ts: FIXED_NOW - 59 * MIN, user: 'dave@acme.example', action: 'getDetails', code: 500 }),
  e8: prophecyLine({ ts: FIXED_NOW - 61 * MIN, user: 'erin@acme.example', action: 'getDetails' }),
  e9: prophecyLine({
    ts: FIXED_NOW - 3 * 24 * 60 * MIN,
    user: 'erin@acme.example',
    action: 'addProject',
    op: 'Mutation',
    code: 403,
  }),
} as const;
const OTHER_FILE_LINE = dronahqLine({
  ts: T + 5,
  user: 'frank@acme.example',
  eventId: 'app_saved',
  target: 'Orders',
});

type Name = keyof typeof LINES | 'e10';
const ALL: Name[] = [...(Object.keys(LINES) as Name[]), 'e10'];
/** Event id → name; ids are keyed per database, so this is filled once the template exists. */
const ID_OF = new Map<string, Name>();

let template: Template;
let files: { main: string; other: string };
let engine: Engine;

beforeAll(async () => {
  template = await buildTemplate(async (built) => {
    const data = path.join(built.dir, 'data');
    files = {
      main: writeLines(path.join(data, 'main.ndjson'), Object.values(LINES)),
      other: writeLines(path.join(data, 'other.ndjson'), [OTHER_FILE_LINE]),
    };
    const summary = await ingest(built, [data]);
    expect(summary.events).toBe(10);
  });
  for (const [name, line] of Object.entries(LINES)) ID_OF.set(eventIdOf(template.dbFile, line), name as Name);
  ID_OF.set(eventIdOf(template.dbFile, OTHER_FILE_LINE), 'e10');
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

/** The names of the events a query returns, sorted. */
async function names(query: string): Promise<Name[]> {
  const { events } = await allPages(engine, query, 100);
  return events.map((e) => ID_OF.get(e.id)!).sort();
}
const except = (...out: Name[]) => ALL.filter((n) => !out.includes(n)).sort();

describe('field terms', () => {
  test('a field value matches ignoring case, both ways', async () => {
    expect(await names('user:ALICE@ACME.EXAMPLE')).toEqual(['e1', 'e2']);
    expect(await names('user:alice@acme.example')).toEqual(['e1', 'e2']);
    expect(await names('action:user_login')).toEqual(['e1', 'e2', 'e3']);
  });

  test('a field value ending in * matches as a prefix, ignoring case', async () => {
    expect(await names('user:ali*')).toEqual(['e1', 'e2', 'e4']);
    expect(await names('user:ALI*')).toEqual(['e1', 'e2', 'e4']);
  });

  test('the same field twice means either value', async () => {
    expect(await names('user:alice@acme.example user:bob@acme.example')).toEqual(['e1', 'e2', 'e3']);
  });

  test('different fields must all match', async () => {
    expect(await names('user:alice@acme.example outcome:failure')).toEqual(['e2']);
    expect(await names('action:USER_LOGIN outcome:failure ip:10.0.0.1')).toEqual(['e3']);
  });

  test('a minus or NOT excludes what the term matches', async () => {
    expect(await names('-user:alice@acme.example')).toEqual(except('e1', 'e2'));
    expect(await names('NOT user:alice@acme.example')).toEqual(except('e1', 'e2'));
    expect(await names('action:USER_LOGIN -outcome:failure')).toEqual(['e1']);
  });

  test('OR and parentheses group as written', async () => {
    expect(await names('user:bob@acme.example OR user:carol@acme.example')).toEqual(['e3', 'e5']);
    expect(await names('user:alice@acme.example OR outcome:failure')).toEqual(['e1', 'e2', 'e3', 'e7', 'e9']);
    expect(await names('(user:alice@acme.example OR user:bob@acme.example) outcome:failure')).toEqual([
      'e2',
      'e3',
    ]);
    expect(await names('-(user:alice@acme.example OR outcome:failure)')).toEqual(
      except('e1', 'e2', 'e3', 'e7', 'e9'),
    );
  });

  test('entity, op, status and org match their normalised values', async () => {
    expect(await names('entity:Project')).toEqual(['e6', 'e7', 'e8', 'e9']);
    expect(await names('entity:client')).toEqual(['e1', 'e4']);
    expect(await names('op:mutation')).toEqual(['e6', 'e9']);
    expect(await names('status:403')).toEqual(['e9']);
    expect(await names('org:default')).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
  });

  test('target: matches exactly or as a prefix, ignoring case', async () => {
    expect(await names('target:billing-api')).toEqual(['e1']);
    expect(await names('target:BILLING-API')).toEqual(['e1']);
    expect(await names('target:bill*')).toEqual(['e1']);
    expect(await names('target:Orders')).toEqual(['e10']);
    expect(await names('target:billing')).toEqual([]);
  });

  test('ip: matches an address or a prefix of it', async () => {
    expect(await names('ip:10.0.0.1')).toEqual(['e1', 'e3']);
    expect(await names('ip:10.0.0.*')).toEqual(['e1', 'e2', 'e3']);
  });

  test('txn: matches the whole transaction id, or a prefix with *', async () => {
    expect(await names('txn:tx-aaa-1')).toEqual(['e1']);
    expect(await names('txn:tx-aaa-1*')).toEqual(['e1', 'e2']);
    expect(await names('txn:tx*')).toEqual(['e1', 'e2', 'e3', 'e4']);
    expect(await names('txn:aaa')).toEqual([]);
  });

  test('object: matches the object key exactly, or a prefix with *', async () => {
    expect(await names(`object:"${files.other}"`)).toEqual(['e10']);
    expect(await names(`object:"${files.main}"`)).toEqual(except('e10'));
    expect(await names(`object:"${path.dirname(files.main)}/"*`)).toEqual(ALL.slice().sort());
    expect(await names(`object:"${files.other}.gz"`)).toEqual([]);
  });

  test('id: finds an event by its full id, in any case, or by a prefix', async () => {
    const id = eventIdOf(engine.dbFile, LINES.e3);
    expect(await names(`id:${id}`)).toEqual(['e3']);
    expect(await names(`id:${id.toUpperCase()}`)).toEqual(['e3']);
    const prefix = id.slice(0, 2);
    const expected = [...ID_OF].filter(([other]) => other.startsWith(prefix)).map(([, name]) => name);
    expect(await names(`id:${prefix}*`)).toEqual(expected.sort());
  });

  test('id: with something that is not an id is a query error pointing at it', async () => {
    await expect(count(engine, 'user:x id:nothex')).rejects.toSatisfy(
      (e) => e instanceof QueryError && e.column === 8,
    );
  });

  test('a query syntax error is reported with its column', async () => {
    await expect(count(engine, 'user:alice nosuchfield:x')).rejects.toSatisfy(
      (e) => e instanceof QuerySyntaxError && e.column === 12,
    );
  });
});

describe('time bounds', () => {
  test('after: is inclusive at the millisecond', async () => {
    expect(await names(`after:${iso(T + 1)}`)).toEqual(except('e1'));
    expect(await names(`after:${iso(T)}`)).toEqual(ALL.slice().sort());
  });

  test('before: is exclusive at the millisecond', async () => {
    expect(await names(`before:${iso(T + 1)}`)).toEqual(['e1']);
    expect(await names(`before:${iso(T)}`)).toEqual([]);
  });

  test('after: and before: together give the range between them', async () => {
    expect(await names(`after:${iso(T + 1)} before:${iso(T + 3)}`)).toEqual(['e2', 'e3']);
    expect(await names(`after:${iso(T + 1)} before:${iso(T + 3)} outcome:failure user:bob*`)).toEqual(['e3']);
  });

  test('a time bound inside OR applies to its branch only', async () => {
    expect(await names(`before:${iso(T + 1)} OR user:carol@acme.example`)).toEqual(['e1', 'e5']);
  });

  test('last: counts back from the engine clock', async () => {
    expect(await names('last:1h')).toEqual(['e6', 'e7']);
    expect(await names('last:60m')).toEqual(['e6', 'e7']);
    expect(await names('last:4d')).toEqual(['e6', 'e7', 'e8', 'e9']);
  });
});

describe('events without a time', () => {
  const untimed = [
    dronahqLine({ ts: null, user: 'timeless1@acme.example', eventId: 'app_saved' }),
    dronahqLine({ ts: null, user: 'timeless2@acme.example', eventId: 'app_saved' }),
    prophecyLine({ ts: 'not a time', user: 'timeless3@acme.example', action: 'getDetails' }),
  ];

  beforeEach(async () => {
    writeLines(path.join(engine.dir, 'untimed', 'untimed.ndjson'), untimed);
    await ingest(engine, [path.join(engine.dir, 'untimed')]);
  });

  test('are stored with no time and found by their fields', async () => {
    const { events } = await allPages(engine, 'user:timeless*');
    expect(events.map((e) => [e.user, e.ts]).sort()).toEqual([
      ['timeless1@acme.example', null],
      ['timeless2@acme.example', null],
      ['timeless3@acme.example', null],
    ]);
  });

  test('never match a time bound', async () => {
    expect({
      before: await count(engine, 'user:timeless* before:2100-01-01'),
      after: await count(engine, 'user:timeless* after:1900-01-01'),
      last: await count(engine, 'user:timeless* last:100000d'),
      range: await count(engine, 'before:2100-01-01'),
    }).toEqual({ before: 0, after: 0, last: 0, range: ALL.length });
  });

  test('are counted as untimed by the stats, which give the first and last timed event', async () => {
    const stats = await engine.service['stats.get']({});
    expect([stats.events, stats.untimed, stats.first, stats.last]).toEqual([13, 3, T, FIXED_NOW - 30 * MIN]);
  });
});

describe('full text', () => {
  test('bare words match any string value, in any order', async () => {
    expect(await names('mozilla')).toEqual(['e1', 'e10', 'e3', 'e5']);
    expect(await names('mozilla x11')).toEqual(['e1', 'e3']);
    expect(await names('x11 mozilla')).toEqual(['e1', 'e3']);
  });

  test('a phrase matches its words adjacent and in order only', async () => {
    expect(await names('"mozilla x11"')).toEqual(['e1']);
    expect(await names('"x11 mozilla"')).toEqual(['e3']);
    expect(await names('"client mozilla"')).toEqual([]);
  });

  test('a word ending in * matches as a prefix', async () => {
    expect(await names('mozil*')).toEqual(['e1', 'e10', 'e3', 'e5']);
    expect(await names('fire*')).toEqual(['e5']);
    expect(await names('"mozilla fire"*')).toEqual(['e5']);
    expect(await names('"mozilla x"*')).toEqual(['e1']);
  });

  test('a word with punctuation inside matches only that sequence of tokens', async () => {
    expect(await names('alice@acme.example')).toEqual(['e1', 'e2']);
    expect(await names('acme.example')).toEqual(['e1', 'e10', 'e2', 'e3', 'e5', 'e6', 'e7', 'e8', 'e9']);
  });

  test('free text combines with fields and negation', async () => {
    expect(await names('mozilla -x11')).toEqual(['e10', 'e5']);
    expect(await names('mozilla outcome:failure')).toEqual(['e3']);
    expect(await names('curl OR firefox')).toEqual(['e2', 'e4', 'e5']);
  });
});

describe('keyset pagination', () => {
  test('the first page holds the newest events, newest first', async () => {
    const page = await engine.service['events.search']({ query: '', limit: 3, facets: false });
    expect(page.events.map((e) => ID_OF.get(e.id))).toEqual(['e6', 'e7', 'e8']);
    expect(page.total).toBe(10);
    expect(page.nextCursor).not.toBeNull();
  });

  test('walking every page returns every match exactly once, newest first', async () => {
    const { events, pages, totals } = await allPages(engine, '', 3);
    expect(events.map((e) => ID_OF.get(e.id))).toEqual([
      'e6',
      'e7',
      'e8',
      'e9',
      'e5',
      'e10',
      'e4',
      'e3',
      'e2',
      'e1',
    ]);
    expect(pages).toBe(4);
    expect(totals).toEqual([10, 10, 10, 10]);
  });

  test('a page exactly as long as what is left has no next cursor', async () => {
    const page = await engine.service['events.search']({ query: 'user:dave*', limit: 2, facets: false });
    expect([page.events.length, page.nextCursor]).toEqual([2, null]);
  });
});

describe('many events in one millisecond', () => {
  test('pages over events sharing a millisecond return each exactly once, with no gaps', async () => {
    const burstAt = T + 2 * MIN;
    const burst = Array.from({ length: 250 }, (_, i) =>
      graviteeLine({ ts: burstAt, user: `burst${i}@acme.example`, type: 'USER_LOGIN', txn: `b-${i}` }),
    );
    const around = Array.from({ length: 50 }, (_, i) =>
      graviteeLine({ ts: burstAt + (i - 25) * 7, user: `around${i}@acme.example`, type: 'USER_LOGIN' }),
    );
    writeLines(path.join(engine.dir, 'burst', 'burst.ndjson'), [...burst, ...around]);
    await ingest(engine, [path.join(engine.dir, 'burst')]);

    const expected = new Set([...burst, ...around].map((l) => eventIdOf(engine.dbFile, l)));
    const { events, pages } = await allPages(engine, 'user:burst* OR user:around*', 7);
    const ids = events.map((e) => e.id);
    expect(ids.length).toBe(300);
    expect(new Set(ids).size).toBe(300);
    expect(new Set(ids)).toEqual(expected);
    expect(pages).toBe(Math.ceil(300 / 7));
    const times = events.map((e) => e.ts!);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });
});
