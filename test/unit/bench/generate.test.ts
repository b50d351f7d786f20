import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BENCH_QUERIES, benchQueries, createEventStream, generateCorpus } from '../../bench/generate.ts';
import type { CorpusTruth } from '../../bench/generate.ts';
import { PROPHECY_OPS } from '../../bench/corpus/prophecy.ts';
import type { Format, ReadLine } from './readBack.ts';
import { fileContent, isGzip, listFiles, pyDumps, readLines, stringValues, tokens } from './readBack.ts';

// Copied from shared/formats/samples (the repo never reads /work/shared at run time).
const SAMPLES = {
  prophecy: [
    '{"opType": "Query", "createdAt": 1690610557857, "nameHints": ["User"], "userEmail": "prophecy-system@prophecy.io", "customerName": "prophecy.io", "responseCode": 200, "requestParams": {"email": "\\"adminuser@prophecy.io\\""}, "requestPayload": "[\\"_id\\",\\"name\\",\\"firstName\\",\\"lastName\\",\\"email\\",\\"created\\",\\"createdBy\\",\\"aspects(aspect:[Info]){AspectName AspectValue}\\"]", "latencyInMillis": 11}',
    '{"opType": "Query", "createdAt": 1690552930350, "nameHints": ["ProjectReleaseByProjectIdAndStatus"], "userEmail": "prophecy-system@prophecy.io", "customerName": "prophecy.io", "responseCode": 200, "requestParams": {"statuses": "[Pending,Running,Retrying]"}, "requestPayload": "[\\"_id\\",\\"releaseTag\\",\\"status\\",\\"attempt\\",\\"createdBy\\",\\"project{_id name}\\"]", "latencyInMillis": 5}',
  ],
  dronahqLogger: [
    '{"level": "info", "msg": "DB Connector Query Execute", "meta": {"time": 1698747079624, "organization-id": "DRONA5_Team1809", "environment": "Production", "user-email": "test@studio.com", "resource-id": 20253, "resource-name": "getAuthor", "resource-type": "mysql", "resource-action": "runapi", "parent-name": "Login", "parent-type": "mysql", "resource-meta": {"env_id": 1, "env_name": "Production"}, "event-id": "db_query", "source": "automation", "user-agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36", "resource-group-id": 6625}}',
    '{"level": "error", "msg": "User Logged In", "meta": {"time": 1698747101000, "organization-id": "DRONA5_Team1809", "environment": "Production", "user-email": "ops@studio.com", "resource-id": 1, "resource-name": "Login", "resource-type": "user", "resource-action": "login", "event-id": "user_logged_in", "source": "studio", "user-agent": "Mozilla/5.0", "resource-group-id": 6625}}',
  ],
  dronahqRow: [
    '{"id": 9912, "level": "info", "message": "App Published", "meta": {"user-email": "builder@studio.com", "organization-id": "DRONA5_Team1809", "event-id": "app_published", "resource-name": "Orders", "resource-type": "microapp", "environment": "Production"}, "timestamp": "2023-10-31T10:12:00.000Z"}',
  ],
  gravitee: [
    '{"@timestamp": "2024-03-04T09:15:27.301Z", "event_id": "6f1c2a", "event_type": "USER_LOGIN", "organizationId": "DEFAULT", "environmentId": "DEFAULT", "transactionId": "b7a9-11", "nodeId": "am-gw-1", "nodeHostname": "am-gateway-7d9f", "referenceType": "DOMAIN", "referenceId": "acme", "status": "FAILURE", "accessPoint": {"id": "portal", "alternativeId": "portal-app", "ipAddress": "203.0.113.7", "userAgent": "Mozilla/5.0 (X11; Linux x86_64)"}, "actor": {"id": "u-42", "alternativeId": "alice@acme.example", "type": "USER", "displayName": "Alice", "referenceType": "DOMAIN", "referenceId": "acme"}, "target": {"id": "u-42", "alternativeId": "alice@acme.example", "type": "USER", "displayName": "Alice", "referenceType": "DOMAIN", "referenceId": "acme"}}',
    '{"@timestamp": "2024-03-04T09:16:02.118Z", "event_id": "6f1c2b", "event_type": "CLIENT_SECRET_RENEWED", "organizationId": "DEFAULT", "environmentId": "DEFAULT", "transactionId": "b7a9-12", "nodeId": "am-mgmt-1", "nodeHostname": "am-mgmt", "referenceType": "DOMAIN", "referenceId": "acme", "status": "SUCCESS", "accessPoint": {"id": "console", "ipAddress": "198.51.100.4", "userAgent": "curl/8.5"}, "actor": {"id": "admin", "alternativeId": "admin", "type": "USER", "displayName": "admin", "referenceType": "ORGANIZATION", "referenceId": "DEFAULT"}, "target": {"id": "c-9", "alternativeId": "billing-api", "type": "CLIENT", "displayName": "billing-api", "referenceType": "DOMAIN", "referenceId": "acme"}}',
  ],
};

type Obj = Record<string, unknown>;
const keysOf = (v: unknown): string => Object.keys(v as Obj).join(',');
const parse = (s: string): Obj => JSON.parse(s) as Obj;

/** Allowed key orders per object path, from the samples. */
const SHAPES = {
  prophecy: new Set(SAMPLES.prophecy.map((s) => keysOf(parse(s)))),
  loggerTop: new Set(SAMPLES.dronahqLogger.map((s) => keysOf(parse(s)))),
  loggerMeta: new Set(SAMPLES.dronahqLogger.map((s) => keysOf(parse(s).meta))),
  rowTop: new Set(SAMPLES.dronahqRow.map((s) => keysOf(parse(s)))),
  rowMeta: new Set(SAMPLES.dronahqRow.map((s) => keysOf(parse(s).meta))),
  graviteeTop: new Set(SAMPLES.gravitee.map((s) => keysOf(parse(s)))),
  accessPoint: new Set(SAMPLES.gravitee.map((s) => keysOf(parse(s).accessPoint))),
  party: new Set(SAMPLES.gravitee.flatMap((s) => [keysOf(parse(s).actor), keysOf(parse(s).target)])),
};

// ---------- an independent implementation of DESIGN §4, to re-derive the truth ----------

const PROPHECY_ENTITIES = [
  'Fabric',
  'Project',
  'Pipeline',
  'Job',
  'Dataset',
  'Team',
  'User',
  'Git',
  'Transpiler',
  'Generic',
];
const TABLE = new Map(PROPHECY_OPS.filter((o) => o.tableEntity !== '').map((o) => [o.name, o.tableEntity]));
const unwrap = (v: unknown): string | null =>
  typeof v === 'string' && v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : null;

function prophecyEntity(action: string, params: Obj): string {
  const table = TABLE.get(action);
  if (table !== undefined) {
    if (action === 'removeEntity' || action === 'updateEntity') {
      const kind = unwrap(params.entityKind);
      if (kind !== null && PROPHECY_ENTITIES.includes(kind)) return kind;
    }
    return table;
  }
  const lower = action.toLowerCase();
  const exact = PROPHECY_ENTITIES.find((e) => e.toLowerCase() === lower);
  if (exact) return exact;
  const prefixes = PROPHECY_ENTITIES.filter((e) => lower.startsWith(e.toLowerCase())).sort(
    (a, b) => b.length - a.length,
  );
  return prefixes[0] ?? 'Other';
}

function dronaEntity(id: string): string {
  if (/^(user|admin)_/.test(id)) return 'User';
  if (/^(app_|public_access_|organizational_access_)/.test(id)) return 'App';
  if (/^connectors_/.test(id) || id === 'db_query' || id === 'api_call') return 'Connector';
  const m = /^(group|environment|template|catalog|settings)_/.exec(id);
  return m ? m[1]!.charAt(0).toUpperCase() + m[1]!.slice(1) : 'Other';
}

interface Normal {
  ts: number;
  user: string;
  action: string;
  entity: string;
  opType: string;
  failure: boolean;
}

function normalise(format: Format, o: Obj): Normal {
  if (format === 'prophecy') {
    const action = (o.nameHints as string[])[0]!;
    return {
      ts: o.createdAt as number,
      user: o.userEmail as string,
      action,
      entity: prophecyEntity(action, o.requestParams as Obj),
      opType: o.opType as string,
      failure: (o.responseCode as number) >= 400,
    };
  }
  if (format === 'dronahq') {
    const meta = o.meta as Obj;
    return {
      ts: typeof meta.time === 'number' ? meta.time : Date.parse(o.timestamp as string),
      user: meta['user-email'] as string,
      action: meta['event-id'] as string,
      entity: dronaEntity(meta['event-id'] as string),
      opType: (meta['resource-action'] as string | undefined) ?? '(none)',
      failure: o.level === 'error',
    };
  }
  const actor = o.actor as Obj;
  const type = (o.target as Obj).type as string;
  return {
    ts: Date.parse(o['@timestamp'] as string),
    user: (actor.alternativeId ?? actor.displayName ?? actor.id) as string,
    action: o.event_type as string,
    entity: type
      .toLowerCase()
      .split('_')
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(''),
    opType: '(none)',
    failure: o.status === 'FAILURE',
  };
}

// ---------- reading a corpus back ----------

interface Recount {
  lines: ReadLine[];
  distinct: ReadLine[];
  duplicates: number;
  byFile: Map<string, ReadLine[]>;
}

function recount(dir: string, truth: CorpusTruth): Recount {
  const dataDir = path.join(dir, truth.dataDir);
  const truncated = new Set(truth.files.filter((f) => f.truncated).map((f) => f.path));
  const lines: ReadLine[] = [];
  const byFile = new Map<string, ReadLine[]>();
  for (const file of listFiles(dataDir)) {
    if (truncated.has(file)) continue;
    const read = readLines(file, fileContent(path.join(dataDir, file)));
    byFile.set(file, read);
    lines.push(...read);
  }
  const seen = new Set<string>();
  const distinct: ReadLine[] = [];
  let duplicates = 0;
  for (const l of lines) {
    if (l.kind !== 'valid') continue;
    const key = l.text.trim();
    if (seen.has(key)) duplicates++;
    else {
      seen.add(key);
      distinct.push(l);
    }
  }
  return { lines, distinct, duplicates, byFile };
}

function tally<T>(items: Iterable<T>, key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of items) {
    const k = key(t);
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** The string value under `key` at any depth. */
function findKey(v: unknown, key: string): string | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  for (const [k, x] of Object.entries(v)) {
    if (k === key && typeof x === 'string') return x;
    const inner = findKey(x, key);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

function hasToken(o: Obj, word: string): boolean {
  return stringValues(o).some((s) => tokens(s).includes(word));
}

function hasPhrase(o: Obj, a: string, b: string): boolean {
  return stringValues(o).some((s) => {
    const t = tokens(s);
    for (let i = 0; i + 1 < t.length; i++) if (t[i] === a && t[i + 1] === b) return true;
    return false;
  });
}

/** Expected answers of the bench questions, re-derived from the distinct events. */
function answer(truth: CorpusTruth, distinct: ReadLine[]): Record<string, number> {
  const q = (name: string): string => truth.questions.find((x) => x.name === name)!.query;
  const userQuery = q('user-time-range');
  const user = /user:(\S+)/.exec(userQuery)![1]!;
  const after = Date.parse(/after:(\S+)/.exec(userQuery)![1]!);
  const before = Date.parse(/before:(\S+)/.exec(userQuery)![1]!);
  const [a, b] = truth.words.phrase.text.split(' ') as [string, string];
  const out: Record<string, number> = {
    'user-time-range': 0,
    'entity-op': 0,
    action: 0,
    'outcome-failure': 0,
    'op-mutation': 0,
    'word-frequent': 0,
    'word-rare': 0,
    phrase: 0,
  };
  for (const l of distinct) {
    const n = normalise(l.format!, l.obj!);
    if (n.user.toLowerCase() === user.toLowerCase() && n.ts >= after && n.ts < before)
      out['user-time-range']!++;
    if (n.entity === 'Project' && n.opType === 'Mutation') out['entity-op']!++;
    if (n.action === 'releaseProject') out.action!++;
    if (n.failure) out['outcome-failure']!++;
    if (n.opType === 'Mutation') out['op-mutation']!++;
    if (hasToken(l.obj!, truth.words.frequent.word)) out['word-frequent']!++;
    if (hasToken(l.obj!, truth.words.rare.word)) out['word-rare']!++;
    if (hasPhrase(l.obj!, a, b)) out.phrase!++;
  }
  return out;
}

function expectedOf(truth: CorpusTruth): Record<string, number> {
  return Object.fromEntries(truth.questions.map((q) => [q.name, q.expected]));
}

// ---------- fixtures ----------

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-generate-'));
const CLEAN = path.join(tmp, 'clean');
const HOSTILE = path.join(tmp, 'hostile');
const CLEAN_OPTS = { seed: 42, events: 5000, files: 24, gzipRatio: 0.3 };
const HOSTILE_OPTS = { seed: 7, events: 5000, hostile: true };
let clean: CorpusTruth;
let hostile: CorpusTruth;
let cleanRead: Recount;
let hostileRead: Recount;

beforeAll(async () => {
  clean = await generateCorpus({ dir: CLEAN, ...CLEAN_OPTS });
  hostile = await generateCorpus({ dir: HOSTILE, ...HOSTILE_OPTS });
  cleanRead = recount(CLEAN, clean);
  hostileRead = recount(HOSTILE, hostile);
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('format fidelity', () => {
  test('the sample lines round-trip through the Python-style serialiser used below', () => {
    for (const s of Object.values(SAMPLES).flat()) expect(pyDumps(JSON.parse(s))).toBe(s);
  });

  test('every clean line is a JSON object serialised exactly like the samples', () => {
    for (const l of cleanRead.lines) {
      expect(l.kind, `${l.file}:${l.line}`).toBe('valid');
      expect(pyDumps(l.obj), `${l.file}:${l.line}`).toBe(l.text);
    }
  });

  test('key order matches the samples for every shape', () => {
    const seen = new Set<string>();
    for (const l of cleanRead.lines) {
      const o = l.obj!;
      const where = `${l.file}:${l.line}`;
      if (l.format === 'prophecy') {
        expect(SHAPES.prophecy.has(keysOf(o)), where).toBe(true);
        seen.add('prophecy');
      } else if (l.format === 'dronahq' && 'msg' in o) {
        expect(SHAPES.loggerTop.has(keysOf(o)), where).toBe(true);
        expect(SHAPES.loggerMeta.has(keysOf(o.meta)), `${where} ${keysOf(o.meta)}`).toBe(true);
        seen.add('logger');
      } else if (l.format === 'dronahq') {
        expect(SHAPES.rowTop.has(keysOf(o)), where).toBe(true);
        expect(SHAPES.rowMeta.has(keysOf(o.meta)), where).toBe(true);
        expect(new Date(o.timestamp as string).toISOString()).toBe(o.timestamp);
        seen.add('row');
      } else {
        expect(SHAPES.graviteeTop.has(keysOf(o)), where).toBe(true);
        expect(SHAPES.accessPoint.has(keysOf(o.accessPoint)), where).toBe(true);
        expect(SHAPES.party.has(keysOf(o.actor)), where).toBe(true);
        expect(SHAPES.party.has(keysOf(o.target)), where).toBe(true);
        expect(['SUCCESS', 'FAILURE']).toContain(o.status);
        expect(new Date(o['@timestamp'] as string).toISOString()).toBe(o['@timestamp']);
        seen.add('gravitee');
      }
    }
    expect([...seen].sort()).toEqual(['gravitee', 'logger', 'prophecy', 'row']);
  });

  test('Prophecy lines are consistent: opType follows the operation, string params are quoted', () => {
    const opType = new Map(PROPHECY_OPS.map((o) => [o.name, o.opType]));
    for (const l of cleanRead.lines.filter((x) => x.format === 'prophecy')) {
      const o = l.obj!;
      const action = (o.nameHints as string[])[0]!;
      expect(o.opType).toBe(opType.get(action));
      expect((o.userEmail as string).endsWith(`@${o.customerName as string}`)).toBe(true);
      for (const v of Object.values(o.requestParams as Obj)) {
        expect(typeof v).toBe('string');
        expect(/^(".*"|\[.*\]|true|false|\d+|[A-Za-z]+)$/.test(v as string), String(v)).toBe(true);
      }
      const payload = o.requestPayload as string;
      expect(payload.length, payload).toBeGreaterThanOrEqual(50);
      expect(payload.length, payload).toBeLessThanOrEqual(400);
    }
  });

  test('timestamps increase inside each file and stay inside the configured range', () => {
    const start = Date.parse(clean.options.start);
    const end = Date.parse(clean.options.end);
    for (const [file, lines] of cleanRead.byFile) {
      let prev = -Infinity;
      for (const l of lines) {
        const { ts } = normalise(l.format!, l.obj!);
        expect(ts, file).toBeGreaterThan(prev);
        expect(ts).toBeGreaterThanOrEqual(start);
        expect(ts).toBeLessThan(end);
        prev = ts;
      }
    }
  });
});

describe('determinism', () => {
  test('same seed and options give byte-identical files; another seed does not', async () => {
    const again = path.join(tmp, 'again');
    const other = path.join(tmp, 'other');
    const truth = await generateCorpus({ dir: again, ...HOSTILE_OPTS });
    await generateCorpus({ dir: other, ...HOSTILE_OPTS, seed: 8 });
    const a = listFiles(HOSTILE);
    expect(listFiles(again)).toEqual(a);
    for (const f of a)
      expect(fs.readFileSync(path.join(again, f)).equals(fs.readFileSync(path.join(HOSTILE, f))), f).toBe(
        true,
      );
    expect(truth).toEqual(hostile);
    const b = fileContent(path.join(other, 'data', listFiles(path.join(other, 'data'))[0]!));
    expect(b.equals(fileContent(path.join(HOSTILE, 'data', listFiles(path.join(HOSTILE, 'data'))[0]!)))).toBe(
      false,
    );
  });

  test('createEventStream yields exactly the clean corpus lines, file by file', () => {
    const streamed = [...createEventStream(CLEAN_OPTS)];
    const order = clean.files.map((f) => f.path);
    const written = order.flatMap((f) => cleanRead.byFile.get(f)!.map((l) => l.text));
    expect(streamed.length).toBe(CLEAN_OPTS.events);
    expect(streamed).toEqual(written);
  });

  test('refuses a non-empty directory', async () => {
    await expect(generateCorpus({ dir: CLEAN, events: 10 })).rejects.toThrow(/not empty/);
  });
});

describe('truth of a clean corpus', () => {
  test('line and event counts match a re-count', () => {
    expect(cleanRead.lines.length).toBe(clean.lines.total);
    expect(clean.lines).toEqual({ total: 5000, blank: 0, valid: 5000, duplicate: 0, malformed: 0 });
    expect(cleanRead.distinct.length).toBe(clean.events.distinct);
    expect(tally(cleanRead.distinct, (l) => l.format!)).toEqual(clean.events.byFormat);
    expect(clean.events.byFormat).toEqual({ prophecy: 3500, dronahq: 750, gravitee: 750 });
  });

  test('per action, entity, opType, user and failure counts match a re-count', () => {
    const n = cleanRead.distinct.map((l) => normalise(l.format!, l.obj!));
    expect(tally(n, (x) => x.action)).toEqual(clean.actions);
    expect(tally(n, (x) => x.entity)).toEqual(clean.entities);
    expect(tally(n, (x) => x.opType)).toEqual(clean.opTypes);
    const entityOps: Record<string, Record<string, number>> = {};
    for (const x of n) (entityOps[x.entity] ??= {})[x.opType] = (entityOps[x.entity]![x.opType] ?? 0) + 1;
    expect(entityOps).toEqual(clean.entityOps);
    const users = tally(n, (x) => x.user);
    expect(Object.keys(users).length).toBe(clean.users.distinct);
    for (const u of clean.users.top) expect(users[u.user]).toBe(u.events);
    expect(n.filter((x) => x.failure).length).toBe(clean.failures.total);
    const ts = n.map((x) => x.ts);
    expect(clean.timeRange.firstEventMs).toBe(Math.min(...ts));
    expect(clean.timeRange.lastEventMs).toBe(Math.max(...ts));
  });

  test('the questions, words and phrase match a re-count', () => {
    expect(answer(clean, cleanRead.distinct)).toEqual(expectedOf(clean));
    expect(clean.words.frequent.events).toBe(expectedOf(clean)['word-frequent']);
    for (const q of clean.questions) expect(q.expected, q.name).toBeGreaterThan(0);
  });

  test('per-file truth matches the files', () => {
    expect(clean.files.map((f) => f.path).sort()).toEqual([...cleanRead.byFile.keys()].sort());
    for (const f of clean.files) {
      const lines = cleanRead.byFile.get(f.path)!;
      expect(lines.length).toBe(f.lines);
      expect(f.bytes).toBe(fs.statSync(path.join(CLEAN, 'data', f.path)).size);
      const raw = fs.readFileSync(path.join(CLEAN, 'data', f.path));
      expect(isGzip(raw), f.path).toBe(f.gzip);
      expect(f.path.endsWith('.gz')).toBe(f.gzip);
      expect(
        /^(prophecy|dronahq|dronahq-db|gravitee-am)\/audit\/\d{4}-\d\d-\d\dT\d\d(-part\d+)?\.ndjson(\.gz)?$/.test(
          f.path,
        ),
      ).toBe(true);
    }
    expect(clean.files.some((f) => f.gzip)).toBe(true);
  });

  test('realistic skew: Zipf users, queries ≫ mutations, mostly 200, rare word 0.01–0.1%', () => {
    const top = clean.users.top;
    expect(top[0]!.events).toBeGreaterThan(5 * top[20]!.events);
    expect(clean.users.distinct).toBeGreaterThan(150);
    const q = clean.opTypes.Query!;
    const m = clean.opTypes.Mutation!;
    expect(q).toBeGreaterThan(8 * m);
    expect(clean.actions.releaseProject ?? 0).toBeLessThan(q / 50);
    expect(clean.failures.total / clean.events.distinct).toBeLessThan(0.06);
    const rare = clean.words.rare.events / clean.events.distinct;
    expect(rare).toBeGreaterThanOrEqual(0.0001);
    expect(rare).toBeLessThanOrEqual(0.001);
    expect(clean.words.frequent.events / clean.events.distinct).toBeGreaterThan(0.02);
  });

  test('ripgrep patterns marked exact count the same lines as the questions', () => {
    const expected = expectedOf(clean);
    for (const q of clean.questions) {
      const re = new RegExp(q.rg.pattern, q.rg.ignoreCase ? 'i' : '');
      const hits = cleanRead.lines.filter((l) => re.test(l.text)).length;
      if (q.rg.exact) expect(hits, q.name).toBe(expected[q.name]);
      else expect(hits, q.name).toBeGreaterThanOrEqual(expected[q.name]!);
    }
  });
});

describe('hostile corpus', () => {
  test('line, blank, malformed and duplicate counts match a re-count', () => {
    const r = hostileRead;
    expect(r.lines.length).toBe(hostile.lines.total);
    expect(r.lines.filter((l) => l.kind === 'blank').length).toBe(hostile.lines.blank);
    expect(r.lines.filter((l) => l.kind === 'valid').length).toBe(hostile.lines.valid);
    expect(r.duplicates).toBe(hostile.lines.duplicate);
    expect(r.distinct.length).toBe(hostile.events.distinct);
    expect(hostile.events.distinct).toBe(5000);
    expect(hostile.lines.total).toBe(hostile.lines.blank + hostile.lines.valid + hostile.lines.malformed);
    const malformed = r.lines.filter((l) => l.kind === 'malformed').map((l) => `${l.file}:${l.line}`);
    expect(malformed.sort()).toEqual(hostile.malformed.lines.map((m) => `${m.file}:${m.line}`).sort());
    expect(tally(hostile.malformed.lines, (m) => m.kind)).toEqual(hostile.malformed.byKind);
    expect(tally(r.distinct, (l) => l.format!)).toEqual(hostile.events.byFormat);
  });

  test('duplicates within a file and across files are where the truth says', () => {
    let within = 0;
    for (const lines of hostileRead.byFile.values()) {
      const seen = new Set<string>();
      for (const l of lines) {
        if (l.kind !== 'valid') continue;
        if (seen.has(l.text.trim())) within++;
        seen.add(l.text.trim());
      }
    }
    expect(within).toBe(hostile.duplicates.withinFile);
    expect(hostile.duplicates.total).toBe(
      hostile.duplicates.withinFile + hostile.duplicates.acrossFiles + hostile.duplicates.wholeFileCopies,
    );
    const copies = hostile.files.filter((f) => f.copyOf !== undefined);
    expect(copies.reduce((a, f) => a + f.lines, 0)).toBe(hostile.duplicates.wholeFileCopies);
  });

  test('the questions match a re-count despite duplicates and junk', () => {
    expect(answer(hostile, hostileRead.distinct)).toEqual(expectedOf(hostile));
    const n = hostileRead.distinct.map((l) => normalise(l.format!, l.obj!));
    expect(tally(n, (x) => x.action)).toEqual(hostile.actions);
    expect(tally(n, (x) => x.entity)).toEqual(hostile.entities);
  });

  test('every hostile kind occurs at least once', () => {
    const h = hostile.hostile!;
    for (const [kind, n] of Object.entries(hostile.malformed.byKind))
      expect(n, kind).toBeGreaterThanOrEqual(1);
    expect(hostile.duplicates.withinFile).toBeGreaterThanOrEqual(1);
    expect(hostile.duplicates.acrossFiles).toBeGreaterThanOrEqual(1);
    expect(hostile.duplicates.wholeFileCopies).toBeGreaterThanOrEqual(1);
    expect(hostile.lines.blank).toBeGreaterThanOrEqual(3);
    for (const list of [
      h.bom,
      h.crlf,
      h.noFinalNewline,
      h.gzipTwoMembers,
      h.gzipWithoutExtension,
      h.wholeFileCopies,
    ]) {
      expect(list.length).toBeGreaterThanOrEqual(1);
    }
    expect(h.longLines.length).toBe(2);
    expect(new Set(hostile.secrets.map((s) => s.key))).toEqual(
      new Set(['newPassword', 'apiKey', 'Authorization', 'client_secret']),
    );
    expect(hostile.truncatedGzip).not.toBeNull();
  });

  test('the hostile features are really in the bytes', () => {
    const data = path.join(HOSTILE, 'data');
    const h = hostile.hostile!;
    for (const f of h.bom)
      expect(fileContent(path.join(data, f)).subarray(0, 3).toString('hex')).toBe('efbbbf');
    for (const f of h.crlf) {
      const text = fileContent(path.join(data, f)).toString('latin1');
      expect(
        text
          .split('\n')
          .slice(0, -1)
          .every((l) => l.endsWith('\r')),
      ).toBe(true);
    }
    for (const f of h.noFinalNewline) expect(fileContent(path.join(data, f)).at(-1)).not.toBe(0x0a);
    for (const f of h.gzipWithoutExtension) {
      expect(f.endsWith('.ndjson')).toBe(true);
      expect(isGzip(fs.readFileSync(path.join(data, f)))).toBe(true);
    }
    for (const f of h.gzipTwoMembers) {
      const raw = fs.readFileSync(path.join(data, f));
      // A gzip member ends with CRC32 + ISIZE; the second header follows right after the first member.
      const first = zlib.gunzipSync(raw.subarray(0, raw.indexOf(Buffer.from([0x1f, 0x8b, 0x08]), 10)));
      expect(first.length).toBeGreaterThan(0);
      expect(fileContent(path.join(data, f)).length).toBeGreaterThan(first.length);
    }
    for (const c of h.wholeFileCopies) {
      expect(fileContent(path.join(data, c.path)).equals(fileContent(path.join(data, c.copyOf)))).toBe(true);
    }
    for (const l of h.longLines) {
      const line = hostileRead.byFile.get(l.file)![l.line - 1]!;
      expect(line.kind).toBe('valid');
      expect(line.text.length).toBe(l.bytes);
      expect(l.bytes).toBeGreaterThan(2_000_000);
    }
    for (const s of hostile.secrets) {
      const line = hostileRead.byFile.get(s.file)![s.line - 1]!;
      expect(line.kind).toBe('valid');
      expect(line.text).toContain(s.marker);
      expect(findKey(line.obj, s.key), s.key).toContain(s.marker);
    }
    expect(new Set(hostile.secrets.map((s) => s.marker)).size).toBe(hostile.secrets.length);
  });

  test('the truncated gzip file yields its complete lines, then an error', () => {
    const t = hostile.truncatedGzip!;
    const raw = fs.readFileSync(path.join(HOSTILE, 'data', t.file));
    expect(isGzip(raw)).toBe(true);
    expect(() => zlib.gunzipSync(raw)).toThrow();
    const text = zlib.gunzipSync(raw, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString('utf8');
    const lines = text.split('\n');
    expect(lines.length - 1).toBe(t.completeLines);
    expect(lines.at(-1)!.length).toBe(t.partialLineBytes);
    expect(t.completeLines).toBeGreaterThan(0);
    expect(t.completeLines).toBeLessThan(t.eventsWritten);
    const rest = new Set(hostileRead.lines.map((l) => l.text.trim()));
    for (const l of lines.slice(0, -1)) expect(rest.has(l)).toBe(false);
    expect(t.counts.events).toBe(t.completeLines);
  });
});

describe('bench queries', () => {
  test('BENCH_QUERIES covers every question, derived from seed 1', () => {
    expect(BENCH_QUERIES.map((q) => q.name)).toEqual([
      'user-time-range',
      'entity-op',
      'action',
      'outcome-failure',
      'op-mutation',
      'word-frequent',
      'word-rare',
      'phrase',
    ]);
    expect(benchQueries({ seed: 1 })).toEqual(BENCH_QUERIES);
    expect(BENCH_QUERIES[0]!.query).toMatch(
      /^user:\S+@\S+ after:\d{4}-\d\d-\d\dT\d\d:\d\dZ before:\d{4}-\d\d-\d\dT\d\d:\d\dZ$/,
    );
    expect(BENCH_QUERIES.find((q) => q.name === 'phrase')!.query).toMatch(/^"\w+ \w+"$/);
    expect(benchQueries({ seed: 42 })).toEqual(clean.questions.map(({ expected: _e, ...q }) => q));
  });
});
