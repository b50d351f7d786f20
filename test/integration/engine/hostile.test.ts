// Acceptance 2: hostile input. Bad lines are quarantined with their object, 1-based line and a reason; the
// corrupt file is counted in `errors` with its message; every good line of every file is kept, nothing else.
import { createHash } from 'node:crypto';
import path from 'node:path';
import zlib from 'node:zlib';
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import {
  allPages,
  count,
  dronahqLine,
  eventIdOf,
  graviteeLine,
  buildTemplate,
  ingest,
  openCopy,
  prophecyLine,
  quarantine,
  writeLines,
  type Engine,
  type IngestSummary,
  type Template,
} from './support.ts';

const T0 = Date.UTC(2024, 2, 1, 8, 0, 0, 0);
const user = (n: number) => `h${String(n).padStart(2, '0')}@hostile.test`;
const truncatedUser = (n: number) => `t${String(n).padStart(3, '0')}@truncated.test`;

const P = (n: number, extra: Partial<Parameters<typeof prophecyLine>[0]> = {}) =>
  prophecyLine({ ts: T0 + n * 1000, user: user(n), action: 'getDetails', ...extra });
const G = (n: number) => graviteeLine({ ts: T0 + n * 1000, user: user(n), type: 'USER_LOGIN' });
const D = (n: number) => dronahqLine({ ts: T0 + n * 1000, user: user(n), eventId: 'app_saved' });

/** About 5 MB of valid JSON in one line, ending in a word found nowhere else. */
function fiveMegabyteLine(): string {
  const words = 'lorem ipsum dolor sit amet consectetur adipiscing elit '.repeat(92_000);
  return P(14, { payload: `${words}fivemegabyteend` });
}

interface Corpus {
  dir: string;
  files: {
    mixed: string;
    bomCrlf: string;
    packed: string;
    members: string;
    truncated: string;
  };
  /** Good lines: file → [line number, text]. */
  good: Map<string, [number, string][]>;
  /** Complete lines a reader can recover before the truncation. */
  recoverable: number;
  truncatedTotal: number;
  longLine: string;
}

const TRAILING_COMMA =
  '{"level": "info", "msg": "User Logged In", "meta": {"time": 1698747101000, "organization-id": "DRONA5_Team1809", "event-id": "user_logged_in",},}';
const INVALID_UTF8 = Buffer.concat([
  Buffer.from('{"opType": "Query", "createdAt": 1700000000000, ', 'latin1'),
  Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
  Buffer.from(' "nameHints": ["getDetails"], "userEmail": "x@y.z"}', 'latin1'),
]);
const NUL_LINE = '\0'.repeat(8) + '{"opType": "Query", "createdAt": 1700000000000}';

function buildCorpus(root: string): Corpus {
  const dir = path.join(root, 'data');
  const good = new Map<string, [number, string][]>();
  const longLine = fiveMegabyteLine();

  const mixedLines: (string | Buffer)[] = [
    P(1), // 1
    'this is not json at all', // 2
    TRAILING_COMMA, // 3
    '[{"opType": "Query", "createdAt": 1700000000000, "nameHints": ["User"]}]', // 4
    '1700000000000', // 5
    '"just a string"', // 6
    '{"event": "heartbeat", "exporter": "uevents", "seq": 7, "ok": true}', // 7
    '', // 8
    '   \t ', // 9
    D(10), // 10
    INVALID_UTF8, // 11
    NUL_LINE, // 12
    G(13), // 13
    longLine, // 14
    P(15), // 15, no newline after it
  ];
  const mixed = writeLines(path.join(dir, 'mixed.ndjson'), mixedLines, { final: false });
  good.set(mixed, [
    [1, P(1)],
    [10, D(10)],
    [13, G(13)],
    [14, longLine],
    [15, P(15)],
  ]);

  const bomCrlf = writeLines(path.join(dir, 'bom-crlf.ndjson'), [P(6), '', G(7), D(8)], {
    bom: true,
    eol: '\r\n',
  });
  good.set(bomCrlf, [
    [1, P(6)],
    [3, G(7)],
    [4, D(8)],
  ]);

  // Gzip under a plain name: recognised by its magic bytes.
  const packed = path.join(dir, 'packed.txt');
  fs.writeFileSync(packed, zlib.gzipSync([P(9), '{"opType": "Query", bad json', G(10)].join('\n') + '\n'));
  good.set(packed, [
    [1, P(9)],
    [3, G(10)],
  ]);

  // Two concatenated gzip members, the second starting in the middle of line 3.
  const membersText = [P(11), D(12), G(13).replace(user(13), user(16)), P(17)].join('\n') + '\n';
  const cut = membersText.indexOf(user(16)) + 3;
  const members = path.join(dir, 'members.ndjson.gz');
  fs.writeFileSync(
    members,
    Buffer.concat([zlib.gzipSync(membersText.slice(0, cut)), zlib.gzipSync(membersText.slice(cut))]),
  );
  good.set(members, [
    [1, P(11)],
    [2, D(12)],
    [3, G(13).replace(user(13), user(16))],
    [4, P(17)],
  ]);

  // A gzip file cut at 60 %: the complete lines before the cut are readable, the rest is lost.
  const truncatedTotal = 60;
  const truncatedLines = Array.from({ length: truncatedTotal }, (_, i) =>
    prophecyLine({
      ts: T0 + 100_000 + i,
      user: truncatedUser(i + 1),
      action: 'getDetails',
      // Incompressible filler, so the cut lands well inside the data.
      payload: createHash('sha256').update(String(i)).digest('hex').repeat(4),
    }),
  );
  const gz = zlib.gzipSync(truncatedLines.join('\n') + '\n');
  const cutGz = gz.subarray(0, Math.floor(gz.length * 0.6));
  const truncated = path.join(dir, 'truncated.ndjson.gz');
  fs.writeFileSync(truncated, cutGz);
  const recovered = zlib.gunzipSync(cutGz, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString('utf8');
  const recoverable = recovered.split('\n').length - 1;
  good.set(
    truncated,
    truncatedLines.slice(0, recoverable).map((line, i): [number, string] => [i + 1, line]),
  );

  return {
    dir,
    files: { mixed, bomCrlf, packed, members, truncated },
    good,
    recoverable,
    truncatedTotal,
    longLine,
  };
}

let template: Template;
let corpus: Corpus;
let summary: IngestSummary;
let engine: Engine;

beforeAll(async () => {
  template = await buildTemplate(async (built) => {
    corpus = buildCorpus(built.dir);
    summary = await ingest(built, [corpus.dir]);
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

test('the summary counts every good line, bad line, object and error exactly', () => {
  const goodLines = [...corpus.good.values()].reduce((n, lines) => n + lines.length, 0);
  expect({
    events: summary.events,
    duplicates: summary.duplicates,
    quarantined: summary.quarantined,
    objects: summary.objects,
    errors: summary.errors,
    redacted: summary.redacted,
    lines: summary.lines,
  }).toEqual({
    events: goodLines,
    duplicates: 0,
    quarantined: 9,
    objects: 5,
    errors: 1,
    redacted: 0,
    // Non-blank lines read: 13 + 3 + 3 + 4 + the recoverable ones.
    lines: 23 + corpus.recoverable,
  });
  expect(goodLines).toBe(14 + corpus.recoverable);
});

test('per object, the summary says how many lines, events and bad lines each file had', () => {
  const perObject = Object.fromEntries(
    summary.perObject.map((o) => [path.basename(o.key), [o.lines, o.events, o.duplicates, o.quarantined]]),
  );
  expect(perObject).toEqual({
    'bom-crlf.ndjson': [3, 3, 0, 0],
    'members.ndjson.gz': [4, 4, 0, 0],
    'mixed.ndjson': [13, 5, 0, 8],
    'packed.txt': [3, 2, 0, 1],
    'truncated.ndjson.gz': [corpus.recoverable, corpus.recoverable, 0, 0],
  });
});

test('every bad line is in the quarantine with its object, its 1-based line number and a reason', async () => {
  const { total, entries } = await quarantine(engine);
  const got = entries.map((e) => ({ object: e.object, line: e.line, reason: e.reason, source: e.source }));
  const { mixed, packed } = corpus.files;
  const expected: [string, number, RegExp][] = [
    [mixed, 2, /^not JSON/],
    [mixed, 3, /^not JSON/],
    [mixed, 4, /^not a JSON object \(found an array\)/],
    [mixed, 5, /^not a JSON object \(found a number\)/],
    [mixed, 6, /^not a JSON object \(found a string\)/],
    [mixed, 7, /^no known format matches this line/],
    [mixed, 11, /invalid UTF-8/],
    [mixed, 12, /NUL/],
    [packed, 2, /^not JSON/],
  ];
  expect(total).toBe(expected.length);
  expect(got.map((e) => [e.object, e.line, e.source])).toEqual(
    expected.map(([object, line]) => [object, line, 'import']),
  );
  got.forEach((entry, i) => expect(entry.reason, `${entry.object}:${entry.line}`).toMatch(expected[i]![2]));
});

test('a quarantined line keeps an excerpt of what it was (the trailing-comma DronaHQ example verbatim)', async () => {
  const { entries } = await quarantine(engine);
  const at = (line: number) => entries.find((e) => e.object === corpus.files.mixed && e.line === line)!;
  expect(at(3).excerpt).toBe(TRAILING_COMMA);
  expect(at(2).excerpt).toBe('this is not json at all');
  // NUL bytes are shown as U+2400 so the excerpt stays printable.
  expect(at(12).excerpt).toBe('\u2400'.repeat(8) + '{"opType": "Query", "createdAt": 1700000000000}');
});

test('the truncated gzip file is counted as an error with a message naming the damage', async () => {
  const failed = summary.perObject.filter((o) => o.error !== null);
  expect(failed.map((o) => o.key)).toEqual([corpus.files.truncated]);
  expect(failed[0]!.error).toMatch(/gzip data is truncated/);
  expect(failed[0]!.error).toContain(`after line ${corpus.recoverable}`);
  const stats = await engine.service['stats.get']({});
  expect([stats.objects, stats.objectErrors, stats.quarantined]).toEqual([5, 1, 9]);
});

test('every good line of every file is stored once, with its object and line number', async () => {
  const { events } = await allPages(engine, '', 7);
  const got = events.map((e) => `${e.object}#${e.line}#${e.id}`).sort();
  const expected = [...corpus.good].flatMap(([file, lines]) =>
    lines.map(([no, text]) => `${file}#${no}#${eventIdOf(engine.dbFile, text)}`),
  );
  expect(got).toEqual(expected.sort());
});

test('the lines before the truncation are searchable and none after it', async () => {
  // The cut lands inside the data: some lines survive it, some do not.
  expect(corpus.recoverable).toBeGreaterThan(5);
  expect(corpus.recoverable).toBeLessThan(corpus.truncatedTotal);
  const found: number[] = [];
  for (let i = 1; i <= corpus.truncatedTotal; i++) {
    if ((await count(engine, `user:${truncatedUser(i)}`)) === 1) found.push(i);
  }
  expect(found).toEqual(Array.from({ length: corpus.recoverable }, (_, i) => i + 1));
  expect(await count(engine, `object:"${corpus.files.truncated}"`)).toBe(corpus.recoverable);
});

test('a 5 MB line is one event, stored whole, and its last word is found', async () => {
  expect(corpus.longLine.length).toBeGreaterThan(5_000_000);
  expect(await count(engine, 'fivemegabyteend')).toBe(1);
  const page = await engine.service['events.search']({ query: `user:${user(14)}`, limit: 1, facets: false });
  expect(page.events.map((e) => [e.line, e.raw?.length, e.raw === corpus.longLine])).toEqual([
    [14, corpus.longLine.length, true],
  ]);
});

describe('line framing does not change the stored line', () => {
  test('a BOM and CRLF endings are not part of the stored raw line or its id', async () => {
    const { events } = await allPages(engine, `object:"${corpus.files.bomCrlf}"`);
    const got = events.map((e) => [e.line, e.raw, e.id]).sort((a, b) => Number(a[0]) - Number(b[0]));
    expect(got).toEqual([
      [1, P(6), eventIdOf(engine.dbFile, P(6))],
      [3, G(7), eventIdOf(engine.dbFile, G(7))],
      [4, D(8), eventIdOf(engine.dbFile, D(8))],
    ]);
  });

  test('a last line without a newline is read', async () => {
    const page = await engine.service['events.search']({
      query: `user:${user(15)}`,
      limit: 5,
      facets: false,
    });
    expect(page.events.map((e) => [e.object, e.line, e.raw])).toEqual([[corpus.files.mixed, 15, P(15)]]);
  });

  test('gzip is recognised by content, whatever the name: a .txt of gzip is read line by line', async () => {
    const { events } = await allPages(engine, `object:"${corpus.files.packed}"`);
    expect(events.map((e) => [e.line, e.raw]).sort()).toEqual([
      [1, P(9)],
      [3, G(10)],
    ]);
  });

  test('a line split across two gzip members is one event', async () => {
    const { events } = await allPages(engine, `object:"${corpus.files.members}"`);
    expect(events.map((e) => [e.line, e.user]).sort()).toEqual([
      [1, user(11)],
      [2, user(12)],
      [3, user(16)],
      [4, user(17)],
    ]);
  });
});
