// Acceptance 4: redaction (DESIGN §3). Secret values are replaced by "[REDACTED]" before storage and
// indexing: not findable, not in any raw line, not in the quarantine; `redact: false` keeps them.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  allPages,
  count,
  dronahqLine,
  graviteeLine,
  ingest,
  openEngine,
  prophecyLine,
  quarantine,
  writeLines,
  type Engine,
} from './support.ts';

const T0 = Date.UTC(2024, 2, 5, 10, 0, 0, 0);

/** Each secret is one search token found nowhere else. */
const SECRETS = {
  newPassword: 'newpasswordsecret1111',
  apiKey: 'apikeysecret2222',
  authorization: 'authheadersecret3333',
  clientSecret: 'clientsecret4444',
  embedded: 'embeddedpasswordsecret5555',
} as const;

/** Lines that carry the secrets, the way the vendors send them. */
function secretLines(): string[] {
  return [
    // Prophecy setPassword: requestParams.newPassword, wrapped in quotes like every string parameter.
    prophecyLine({
      ts: T0,
      user: 'alice@acme.example',
      action: 'setPassword',
      op: 'Mutation',
      params: { userId: '"u-1"', newPassword: `"${SECRETS.newPassword}"` },
    }),
    // DronaHQ: an API key nested deep in meta.
    dronahqLine({
      ts: T0 + 1000,
      user: 'bob@acme.example',
      eventId: 'connectors_updated',
      meta: { 'resource-meta': { config: { auth: { apiKey: SECRETS.apiKey } } } },
    }),
    // Gravitee: an Authorization header.
    graviteeLine({
      ts: T0 + 2000,
      user: 'carol@acme.example',
      type: 'CLIENT_UPDATED',
      extra: { request: { headers: { Authorization: `Bearer ${SECRETS.authorization}` } } },
    }),
    // DronaHQ database row whose meta column is a JSON string carrying a client_secret.
    JSON.stringify({
      id: 77,
      level: 'info',
      message: 'Connector updated',
      meta: JSON.stringify({
        'user-email': 'dave@acme.example',
        'event-id': 'connectors_updated',
        'resource-name': 'crm',
        oauth: { client_id: 'crm-app', client_secret: SECRETS.clientSecret },
      }),
      timestamp: new Date(T0 + 3000).toISOString(),
    }),
    // Prophecy: a password inside a JSON document held in a plain string field.
    prophecyLine({
      ts: T0 + 4000,
      user: 'erin@acme.example',
      action: 'updateJobConfiguration',
      op: 'Mutation',
      payload: JSON.stringify({ job: 'nightly', connection: { password: SECRETS.embedded } }),
    }),
  ];
}

/** Walks into parsed JSON by keys; a string holding JSON is parsed on the way (and at the end). */
function dig(value: unknown, ...keys: string[]): unknown {
  let at = value;
  for (const key of [...keys, null]) {
    if (typeof at === 'string' && /^[[{]/.test(at)) at = JSON.parse(at);
    if (key === null) break;
    at = (at as Record<string, unknown> | null)?.[key];
  }
  return at;
}

let engine: Engine;
let data: string;

beforeEach(async () => {
  engine = await openEngine();
  data = path.join(engine.dir, 'data');
});

afterEach(async () => {
  await engine.dispose();
});

describe('with redaction on (the default)', () => {
  beforeEach(async () => {
    writeLines(path.join(data, 'secrets.ndjson'), secretLines());
  });

  test('every secret value is replaced, and the summary counts each replacement', async () => {
    const summary = await ingest(engine, [data]);
    expect([summary.events, summary.redacted, summary.quarantined]).toEqual([5, 5, 0]);
  });

  test.each(Object.entries(SECRETS))('the %s value is not findable by free text', async (_name, secret) => {
    await ingest(engine, [data]);
    expect([await count(engine, secret), await count(engine, `${secret.slice(0, 10)}*`)]).toEqual([0, 0]);
  });

  test('no raw line returned by search holds a secret, and each holds "[REDACTED]" in its place', async () => {
    await ingest(engine, [data]);
    const { events } = await allPages(engine, '');
    expect(events).toHaveLength(5);
    for (const event of events) {
      for (const secret of Object.values(SECRETS)) expect(event.raw).not.toContain(secret);
      expect(event.raw, event.user ?? '').toContain('[REDACTED]');
    }
  });

  test('each secret is replaced by "[REDACTED]" under its own key, its neighbours kept', async () => {
    await ingest(engine, [data]);
    const raw = async (user: string): Promise<unknown> => {
      const page = await engine.service['events.search']({ query: `user:${user}`, limit: 1, facets: false });
      return JSON.parse(page.events[0]?.raw ?? 'null');
    };
    expect(dig(await raw('alice@acme.example'), 'requestParams')).toEqual({
      userId: '"u-1"',
      newPassword: '[REDACTED]',
    });
    expect(dig(await raw('bob@acme.example'), 'meta', 'resource-meta')).toEqual({
      config: { auth: { apiKey: '[REDACTED]' } },
    });
    expect(dig(await raw('carol@acme.example'), 'request')).toEqual({
      headers: { Authorization: '[REDACTED]' },
    });
    expect(dig(await raw('dave@acme.example'), 'meta', 'oauth')).toEqual({
      client_id: 'crm-app',
      client_secret: '[REDACTED]',
    });
    expect(dig(await raw('erin@acme.example'), 'requestPayload')).toEqual({
      job: 'nightly',
      connection: { password: '[REDACTED]' },
    });
  });

  test('the fields around a secret stay searchable (target of setPassword, user of every line)', async () => {
    await ingest(engine, [data]);
    expect([
      await count(engine, 'target:u-1'),
      await count(engine, 'action:setPassword'),
      await count(engine, 'user:dave@acme.example'),
      await count(engine, 'crm'),
    ]).toEqual([1, 1, 1, 1]);
  });
});

test('a secret in a JSON string field that starts with whitespace is redacted too', async () => {
  // A database row whose meta column was stored pretty-printed: the format reads it as JSON all the same.
  const line = JSON.stringify({
    id: 78,
    level: 'info',
    message: 'Connector updated',
    meta: `\n  ${JSON.stringify({ 'user-email': 'gina@acme.example', 'event-id': 'connectors_updated', apiKey: 'indentedapikey6666' }, null, 2)}`,
    timestamp: new Date(T0).toISOString(),
  });
  writeLines(path.join(data, 'row.ndjson'), [line]);
  const summary = await ingest(engine, [data]);
  expect(summary.events).toBe(1);
  expect(await count(engine, 'user:gina@acme.example')).toBe(1);
  expect(await count(engine, 'indentedapikey6666')).toBe(0);
  const { events } = await allPages(engine, '');
  expect(events[0]!.raw).not.toContain('indentedapikey6666');
});

describe('with redaction off', () => {
  test('the values are kept in the raw line and are findable', async () => {
    writeLines(path.join(data, 'secrets.ndjson'), secretLines());
    const summary = await ingest(engine, [data], { redact: false });
    expect([summary.events, summary.redacted]).toEqual([5, 0]);
    const found: Record<string, number> = {};
    for (const [name, secret] of Object.entries(SECRETS)) found[name] = await count(engine, secret);
    expect(found).toEqual({ newPassword: 1, apiKey: 1, authorization: 1, clientSecret: 1, embedded: 1 });
    const { events } = await allPages(engine, '');
    expect(events.filter((e) => e.raw?.includes('[REDACTED]') !== false)).toEqual([]);
  });
});

describe('quarantined lines', () => {
  test('a malformed line keeps "[REDACTED]" instead of its password in the excerpt', async () => {
    const bad = '{"opType": "Query", "createdAt": 1709632800000, "requestParams": {"password": "hunter2",},}';
    writeLines(path.join(data, 'bad.ndjson'), [bad]);
    await ingest(engine, [data]);
    const { entries } = await quarantine(engine);
    expect(entries.map((e) => e.excerpt)).toEqual([
      '{"opType": "Query", "createdAt": 1709632800000, "requestParams": {"password": "[REDACTED]",},}',
    ]);
  });

  test('a line that is JSON but of no known format keeps its secret out of the excerpt', async () => {
    writeLines(path.join(data, 'bad.ndjson'), [
      '{"event": "login", "credentials": {"user": "x", "pass": "hunter2"}}',
    ]);
    await ingest(engine, [data]);
    const { entries } = await quarantine(engine);
    expect(entries).toHaveLength(1);
    expect(JSON.stringify(entries[0])).not.toContain('hunter2');
    expect(entries[0]!.excerpt).toContain('[REDACTED]');
  });

  test('the reason given for a malformed line does not quote its password', async () => {
    // V8's JSON.parse messages quote the text around the error ("…"password": hunter2}" is not valid JSON).
    writeLines(path.join(data, 'bad.ndjson'), ['{"userEmail": "a@b.c", "password": hunter2}']);
    await ingest(engine, [data]);
    const { entries } = await quarantine(engine);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.excerpt).toBe('{"userEmail": "a@b.c", "password": "[REDACTED]"}');
    expect(entries[0]!.reason).toMatch(/^not JSON/);
    expect(entries[0]!.reason).not.toContain('hunter2');
  });

  test('a line with invalid UTF-8 keeps its password out of the excerpt', async () => {
    const line = Buffer.concat([
      Buffer.from('{"opType": "Query", "nameHints": ["setPassword"], "bad": "', 'latin1'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('", "requestParams": {"newPassword": "hunter2"}}', 'latin1'),
    ]);
    writeLines(path.join(data, 'bad.ndjson'), [line]);
    await ingest(engine, [data]);
    const { entries } = await quarantine(engine);
    expect(entries.map((e) => e.reason)).toEqual([expect.stringMatching(/invalid UTF-8/)]);
    expect(entries[0]!.excerpt).not.toContain('hunter2');
    expect(entries[0]!.excerpt).toContain('"newPassword": "[REDACTED]"');
  });

  test('a line with NUL bytes keeps its password out of the excerpt', async () => {
    const line = '\0\0\0\0{"opType": "Query", "requestParams": {"password": "hunter2"}}';
    writeLines(path.join(data, 'bad.ndjson'), [line]);
    await ingest(engine, [data]);
    const { entries } = await quarantine(engine);
    expect(entries.map((e) => e.reason)).toEqual([expect.stringMatching(/NUL/)]);
    expect(entries[0]!.excerpt).not.toContain('hunter2');
    expect(entries[0]!.excerpt).toContain('"password": "[REDACTED]"');
  });
});

describe('the corpus of secret shapes (test/fixtures/secrets)', () => {
  const dir = path.join(import.meta.dirname, '..', '..', 'fixtures', 'secrets');
  const files = ['events.ndjson', 'quarantine.ndjson', 'ordinary.ndjson'].map((f) => path.join(dir, f));
  const markers = files
    .flatMap((f) => [...fs.readFileSync(f, 'utf8').matchAll(/SECRETSHAPE\w+/g)].map((m) => m[0]))
    .filter((m, i, all) => all.indexOf(m) === i);

  test('no secret is found by search, returned in a raw line or quarantine excerpt, or left in the open database files', async () => {
    expect(markers.length).toBeGreaterThan(40);
    const summary = await ingest(engine, files);
    // Every secret of the event files was replaced (a line may hold several, one replacement may take two).
    const inEvents = files
      .filter((f) => !f.endsWith('quarantine.ndjson'))
      .flatMap((f) => fs.readFileSync(f, 'utf8').match(/SECRETSHAPE/g) ?? []).length;
    expect(summary.redacted).toBeGreaterThanOrEqual(inEvents - 2);
    const found: Record<string, number> = {};
    for (const marker of markers) {
      const n = (await count(engine, marker)) + (await count(engine, `${marker.slice(0, 14)}*`));
      if (n > 0) found[marker] = n;
    }
    expect(found).toEqual({});
    expect(await count(engine, 'SECRETSHAPE*')).toBe(0);
    const everything = JSON.stringify([(await allPages(engine, '')).events, await quarantine(engine)]);
    expect(everything.match(/.{0,30}secretshape.{0,10}/gi)).toBeNull();
    // While the service is open the WAL holds the latest pages: neither file may hold a secret.
    for (const suffix of ['', '-wal']) {
      const file = engine.dbFile + suffix;
      if (fs.existsSync(file))
        expect(fs.readFileSync(file).toString('latin1'), file).not.toMatch(/secretshape/i);
    }
  });
});
