// Acceptance 1: the vendor samples of every format ingest, are normalised as DESIGN §4 says, and are found
// by every field and by free text with exact totals.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import {
  buildTemplate,
  count,
  eventIdOf,
  ingest,
  openCopy,
  type Engine,
  type IngestSummary,
  type Template,
} from './support.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/formats/', import.meta.url));
const SOURCE = 'vendor-samples';

let template: Template;
let data: string;
let summary: IngestSummary;
let engine: Engine;

beforeAll(async () => {
  template = await buildTemplate(async (built) => {
    // A copy, so the object keys are ours and the fixtures are never touched.
    data = path.join(built.dir, 'data');
    fs.cpSync(FIXTURES, data, { recursive: true });
    summary = await ingest(built, [data], { source: SOURCE });
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

const lineOf = (file: string, no: number): string =>
  fs.readFileSync(path.join(data, file), 'utf8').split('\n')[no - 1]!;

test('every sample line of every format becomes one event and nothing is quarantined', () => {
  expect({
    events: summary.events,
    duplicates: summary.duplicates,
    quarantined: summary.quarantined,
    objects: summary.objects,
    errors: summary.errors,
    lines: summary.lines,
  }).toEqual({ events: 8, duplicates: 0, quarantined: 0, objects: 3, errors: 0, lines: 8 });
});

test('each sample is stored with the normalised fields DESIGN §4 gives it', async () => {
  const result = await engine.service['events.search']({ query: '', limit: 100, facets: false });
  const byKey = new Map(result.events.map((e) => [`${path.basename(e.object)}:${e.line}`, e]));
  const expected = {
    'prophecy.ndjson:1': {
      ts: 1690610557857,
      user: 'prophecy-system@prophecy.io',
      entity: 'User',
      action: 'User',
      opType: 'Query',
      outcome: 'success',
      status: '200',
      org: 'prophecy.io',
      target: 'adminuser@prophecy.io',
      ip: null,
      userAgent: null,
      latencyMs: 11,
      txn: null,
      format: 'prophecy',
    },
    'prophecy.ndjson:2': {
      ts: 1690552930350,
      user: 'prophecy-system@prophecy.io',
      entity: 'Project',
      action: 'ProjectReleaseByProjectIdAndStatus',
      opType: 'Query',
      outcome: 'success',
      status: '200',
      org: 'prophecy.io',
      target: null,
      ip: null,
      userAgent: null,
      latencyMs: 5,
      txn: null,
      format: 'prophecy',
    },
    'prophecy.ndjson:3': {
      ts: 1690610557967,
      user: 'prophecy-system@prophecy.io',
      entity: 'User',
      action: 'User',
      opType: 'Query',
      outcome: 'success',
      status: '200',
      org: 'prophecy.io',
      target: 'adminuser@prophecy.io',
      ip: null,
      userAgent: null,
      latencyMs: 10,
      txn: null,
      format: 'prophecy',
    },
    'dronahq.ndjson:1': {
      ts: 1698747079624,
      user: 'test@studio.com',
      entity: 'Connector',
      action: 'db_query',
      opType: 'runapi',
      outcome: 'success',
      status: 'info',
      org: 'DRONA5_Team1809',
      target: 'getAuthor',
      ip: null,
      userAgent:
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36',
      latencyMs: null,
      txn: null,
      format: 'dronahq',
    },
    'dronahq.ndjson:2': {
      ts: 1698747101000,
      user: 'ops@studio.com',
      entity: 'User',
      action: 'user_logged_in',
      opType: 'login',
      outcome: 'failure',
      status: 'error',
      org: 'DRONA5_Team1809',
      target: 'Login',
      ip: null,
      userAgent: 'Mozilla/5.0',
      latencyMs: null,
      txn: null,
      format: 'dronahq',
    },
    'dronahq.ndjson:3': {
      ts: Date.parse('2023-10-31T10:12:00.000Z'),
      user: 'builder@studio.com',
      entity: 'App',
      action: 'app_published',
      opType: null,
      outcome: 'success',
      status: 'info',
      org: 'DRONA5_Team1809',
      target: 'Orders',
      ip: null,
      userAgent: null,
      latencyMs: null,
      txn: null,
      format: 'dronahq',
    },
    'gravitee-am.ndjson:1': {
      ts: Date.parse('2024-03-04T09:15:27.301Z'),
      user: 'alice@acme.example',
      entity: 'User',
      action: 'USER_LOGIN',
      opType: null,
      outcome: 'failure',
      status: 'FAILURE',
      org: 'DEFAULT',
      target: 'alice@acme.example',
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
      latencyMs: null,
      txn: 'b7a9-11',
      format: 'gravitee-am',
    },
    'gravitee-am.ndjson:2': {
      ts: Date.parse('2024-03-04T09:16:02.118Z'),
      user: 'admin',
      entity: 'Client',
      action: 'CLIENT_SECRET_RENEWED',
      opType: null,
      outcome: 'success',
      status: 'SUCCESS',
      org: 'DEFAULT',
      target: 'billing-api',
      ip: '198.51.100.4',
      userAgent: 'curl/8.5',
      latencyMs: null,
      txn: 'b7a9-12',
      format: 'gravitee-am',
    },
  } as const;
  expect([...byKey.keys()].sort()).toEqual(Object.keys(expected).sort());
  for (const [key, fields] of Object.entries(expected)) {
    const [file, no] = key.split(':') as [string, string];
    const line = lineOf(file, Number(no));
    expect(byKey.get(key), key).toEqual({
      ...fields,
      id: eventIdOf(engine.dbFile, line),
      source: SOURCE,
      object: path.join(data, file),
      line: Number(no),
      raw: line,
    });
  }
});

// Field → [value as typed, exact total] (the values of the eight samples, each counted by hand).
const FIELD_QUERIES: Record<string, [string, number][]> = {
  user: [
    ['prophecy-system@prophecy.io', 3],
    ['test@studio.com', 1],
    ['ops@studio.com', 1],
    ['builder@studio.com', 1],
    ['alice@acme.example', 1],
    ['admin', 1],
  ],
  entity: [
    ['User', 4],
    ['Project', 1],
    ['Connector', 1],
    ['App', 1],
    ['Client', 1],
  ],
  action: [
    ['User', 2],
    ['ProjectReleaseByProjectIdAndStatus', 1],
    ['db_query', 1],
    ['user_logged_in', 1],
    ['app_published', 1],
    ['USER_LOGIN', 1],
    ['CLIENT_SECRET_RENEWED', 1],
  ],
  op: [
    ['Query', 3],
    ['runapi', 1],
    ['login', 1],
  ],
  outcome: [
    ['success', 6],
    ['failure', 2],
    ['unknown', 0],
  ],
  status: [
    ['200', 3],
    ['info', 2],
    ['error', 1],
    ['FAILURE', 1],
    ['SUCCESS', 1],
  ],
  org: [
    ['prophecy.io', 3],
    ['DRONA5_Team1809', 3],
    ['DEFAULT', 2],
  ],
  target: [
    ['adminuser@prophecy.io', 2],
    ['getAuthor', 1],
    ['Login', 1],
    ['Orders', 1],
    ['alice@acme.example', 1],
    ['billing-api', 1],
  ],
  ip: [
    ['203.0.113.7', 1],
    ['198.51.100.4', 1],
  ],
  txn: [
    ['b7a9-11', 1],
    ['b7a9-12', 1],
  ],
  format: [
    ['prophecy', 3],
    ['dronahq', 3],
    ['gravitee-am', 2],
  ],
  source: [
    [SOURCE, 8],
    ['import', 0],
  ],
};

describe('each field finds exactly the samples that carry its value', () => {
  test.each(Object.keys(FIELD_QUERIES))('%s:', async (field) => {
    const got: [string, number][] = [];
    for (const [value] of FIELD_QUERIES[field]!) got.push([value, await count(engine, `${field}:${value}`)]);
    expect(got).toEqual(FIELD_QUERIES[field]);
  });
});

test('free-text words find exactly the samples holding them in any string value', async () => {
  const words: [string, number][] = [
    ['getAuthor', 1], // DronaHQ resource-name
    ['Production', 3], // DronaHQ environment, all three
    ['aspects', 2], // inside Prophecy's requestPayload string
    ['curl', 1], // Gravitee accessPoint.userAgent
    ['acme', 2], // Gravitee referenceId (and alice@acme.example)
    ['Pending', 1], // Prophecy requestParams.statuses
    ['nosuchwordanywhere', 0],
  ];
  const got: [string, number][] = [];
  for (const [word] of words) got.push([word, await count(engine, word)]);
  expect(got).toEqual(words);
});

test('the whole set is the total of an empty query, and every format adds up to it', async () => {
  const total = await count(engine, '');
  const perFormat =
    (await count(engine, 'format:prophecy')) +
    (await count(engine, 'format:dronahq')) +
    (await count(engine, 'format:gravitee-am'));
  expect([total, perFormat]).toEqual([8, 8]);
});

test('free text matches the values of a DronaHQ row’s JSON meta column, not its key names, as for the logger shape', async () => {
  const meta = {
    'user-email': 'row@acme.example',
    'event-id': 'app_published',
    'resource-name': 'Invoices',
    environment: 'Staging',
  };
  const row = JSON.stringify({
    id: 1,
    level: 'info',
    message: 'App Published',
    meta: JSON.stringify(meta),
    timestamp: '2024-03-01T00:00:00.000Z',
  });
  const logger = JSON.stringify({
    level: 'info',
    msg: 'App Published',
    meta: { ...meta, 'user-email': 'logger@acme.example', time: Date.parse('2024-03-01T00:00:01.000Z') },
  });
  const dir = path.join(engine.dir, 'shapes');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'dronahq.ndjson'), `${row}\n${logger}\n`);
  await ingest(engine, [dir], { source: 'shapes' });
  const words: [string, number][] = [
    ['Staging', 2],
    ['Invoices', 2],
    ['environment', 0],
    ['email', 0],
    ['resource', 0],
  ];
  const got: [string, number][] = [];
  for (const [word] of words) got.push([word, await count(engine, `${word} source:shapes`)]);
  expect(got).toEqual(words);
});
