// Issue 7.8: the corpus of secret shapes (test/fixtures/secrets) ingested through the CLI leaves no secret
// in any output — search in every format, quarantine in every format — nor in the database's bytes, and
// the ordinary audit data around the secrets stays searchable.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { expect, test } from 'vitest';
import { REPO_ROOT, workspace, type Workspace } from './support.ts';

const SECRETS_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'secrets');
const FILES = ['events.ndjson', 'quarantine.ndjson', 'ordinary.ndjson'].map((f) => path.join(SECRETS_DIR, f));
/** Every secret in the corpus holds this marker, and nothing else does. */
const MARKER = 'SECRETSHAPE';

const lines = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '');

async function ingested(): Promise<Workspace> {
  const ws = workspace();
  const r = await ws.cli('ingest', ...FILES, '--json');
  expect(r.code).toBe(0);
  const summary = JSON.parse(r.out) as { events: number; quarantined: number; redacted: number };
  const events = lines(FILES[0]!).length + lines(FILES[2]!).length;
  expect([summary.events, summary.quarantined]).toEqual([events, lines(FILES[1]!).length]);
  return ws;
}

/** Where the marker occurs in `text`, ignoring case (the full-text index folds it). */
function hits(text: string): string[] {
  return [...text.matchAll(/.{0,40}secretshape.{0,20}/gis)].map((m) => m[0]);
}

test('the corpus has a secret on every line but the ordinary ones (it tests what it claims to)', () => {
  for (const file of FILES.slice(0, 2)) for (const line of lines(file)) expect(line).toContain(MARKER);
});

test('search finds no secret, and no export of every event or of the quarantine holds one', async () => {
  const ws = await ingested();
  const count = await ws.cli('search', `${MARKER}*`, '--count');
  expect(count.out.trim()).toBe('0');
  const outputs: Record<string, string> = {};
  for (const format of ['ndjson', 'csv', 'json', 'table'])
    outputs[`search ${format}`] = (await ws.cli('search', '--all', '--format', format)).out;
  for (const format of ['json', 'csv', 'ndjson', 'table'])
    outputs[`quarantine ${format}`] = (await ws.cli('quarantine', '--format', format)).out;
  expect(outputs['search ndjson']!.trim().split('\n')).toHaveLength(
    lines(FILES[0]!).length + lines(FILES[2]!).length,
  );
  expect(JSON.parse(outputs['quarantine json']!)).toHaveLength(lines(FILES[1]!).length);
  const found = Object.fromEntries(Object.entries(outputs).map(([name, text]) => [name, hits(text)]));
  expect(found).toEqual(Object.fromEntries(Object.keys(outputs).map((name) => [name, []])));
  expect(outputs['search ndjson']).toContain('[REDACTED]');
  expect(outputs['quarantine json']).toContain('[REDACTED]');
});

test('the database file (and its WAL), its decompressed raw lines and its full-text terms hold no secret', async () => {
  const ws = await ingested();
  for (const suffix of ['', '-wal', '-shm']) {
    const file = ws.db + suffix;
    if (fs.existsSync(file)) expect(hits(fs.readFileSync(file).toString('latin1')), file).toEqual([]);
  }
  const db = new Database(ws.db, { readonly: true });
  try {
    const blocks = db.prepare('SELECT data FROM raw_blocks').pluck().all() as Buffer[];
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) expect(hits(zlib.zstdDecompressSync(block).toString('utf8'))).toEqual([]);
    db.exec('CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, events_fts, row)');
    db.exec('CREATE VIRTUAL TABLE temp.dict_terms USING fts5vocab(main, dict_fts, row)');
    const terms = db
      .prepare('SELECT term FROM temp.terms UNION ALL SELECT term FROM temp.dict_terms')
      .pluck();
    expect((terms.all() as string[]).filter((t) => t.includes('secretshape'))).toEqual([]);
    expect(db.prepare("SELECT value FROM dict WHERE value LIKE '%secretshape%'").pluck().all()).toEqual([]);
  } finally {
    db.close();
  }
});

test('ordinary audit data next to the secrets stays searchable', async () => {
  const ws = await ingested();
  const n = async (query: string) => Number((await ws.cli('search', query, '--count')).out.trim());
  const answers: Record<string, number> = {};
  for (const query of [
    'action:setPassword',
    'user:alice@acme.example',
    'action:USER_LOGIN',
    'action:CLIENT_SECRET_RENEWED',
    'target:billing-api',
    '"Basic Information"',
    'pinned',
    'carol',
    'keyboard',
    'INC-4411',
    'target:u-30',
    'user:shape10@acme.example',
  ])
    answers[query] = await n(query);
  expect(answers).toEqual({
    'action:setPassword': 2,
    'user:alice@acme.example': 1,
    'action:USER_LOGIN': 3,
    'action:CLIENT_SECRET_RENEWED': 1,
    'target:billing-api': 1,
    '"Basic Information"': 1,
    pinned: 1,
    carol: 1,
    keyboard: 1,
    'INC-4411': 1,
    'target:u-30': 1,
    'user:shape10@acme.example': 1,
  });
});
