/**
 * End to end, the way a reviewer checks it: a hostile generated corpus (duplicates, malformed lines,
 * BOM/CRLF, long lines, secrets, odd and truncated gzip) ingested through the CLI, every number compared
 * with the generator's truth.json. The corpus is generated once (read only); each test has its own database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CorpusTruth } from '../../bench/generate.ts';
import { generateCorpus } from '../../bench/generate.ts';
import type { Workspace } from './support.ts';
import { ndjson, workspace } from './support.ts';

let corpusDir = '';
let dataDir = '';
let truth: CorpusTruth;

beforeAll(async () => {
  corpusDir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-cli-corpus-'));
  truth = await generateCorpus({ dir: corpusDir, events: 5_000, hostile: true, seed: 11, files: 16 });
  dataDir = path.join(corpusDir, truth.dataDir);
});

afterAll(() => {
  if (corpusDir) fs.rmSync(corpusDir, { recursive: true, force: true });
});

/** The truncated gzip's complete lines are kept by the reader: they count on top of the truth's totals. */
function truncated(): NonNullable<CorpusTruth['truncatedGzip']> {
  expect(truth.truncatedGzip).not.toBeNull();
  return truth.truncatedGzip!;
}

async function ingested(): Promise<{ ws: Workspace; code: number; summary: Record<string, unknown> }> {
  const ws = workspace();
  const r = await ws.cli('ingest', dataDir, '--json');
  return { ws, code: r.code, summary: JSON.parse(r.out) as Record<string, unknown> };
}

describe('a hostile generated corpus (5,000 events, seed 11, 16 files)', () => {
  test('ingest --json matches truth.json and exits 1 for the truncated gzip', async () => {
    const { code, summary } = await ingested();
    expect(summary).toMatchObject({
      events: truth.events.distinct + truncated().completeLines,
      duplicates: truth.duplicates.total,
      quarantined: truth.lines.malformed,
      objects: truth.files.length,
      errors: 1,
    });
    expect(summary.failures).toEqual([
      { object: path.join(dataDir, truncated().file), error: expect.any(String) },
    ]);
    expect(code).toBe(1);
  });

  test('stats match truth.json', async () => {
    const { ws } = await ingested();
    const cut = truth.files.find((f) => f.truncated)!;
    expect(JSON.parse((await ws.cli('stats', '--json')).out)).toMatchObject({
      events: truth.events.distinct + truncated().completeLines,
      objects: truth.files.length,
      objectErrors: 1,
      quarantined: truth.lines.malformed,
      duplicates: truth.duplicates.total,
      first: Math.min(truth.timeRange.firstEventMs, cut.firstTs),
      last: Math.max(truth.timeRange.lastEventMs, cut.lastTs),
    });
  });

  test('search --count answers every truth question exactly', async () => {
    const { ws } = await ingested();
    const answers: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const q of truth.questions) {
      answers[q.name] = (await ws.cli('search', '--count', q.query)).out;
      expected[q.name] = `${q.expected + truncated().counts.questions[q.name]!}\n`;
    }
    expect(answers).toEqual(expected);
  });

  test('quarantine --format json holds every malformed line with its file and line', async () => {
    const { ws } = await ingested();
    const entries = JSON.parse((await ws.cli('quarantine', '--format', 'json')).out) as {
      object: string;
      line: number;
    }[];
    const got = entries.map((e) => `${e.object}:${e.line}`).sort();
    const want = truth.malformed.lines.map((m) => `${path.join(dataDir, m.file)}:${m.line}`).sort();
    expect(got).toEqual(want);
  });

  test('no secret marker is found by search --count', async () => {
    const { ws } = await ingested();
    expect(truth.secrets.length).toBeGreaterThan(0);
    const counts: Record<string, string> = {};
    for (const s of truth.secrets) counts[s.marker] = (await ws.cli('search', '--count', s.marker)).out;
    expect(counts).toEqual(Object.fromEntries(truth.secrets.map((s) => [s.marker, '0\n'])));
  });

  test("no secret marker appears anywhere in search '' --all --format ndjson", async () => {
    const { ws } = await ingested();
    const r = await ws.cli('search', '', '--all', '--format', 'ndjson');
    expect(r.code).toBe(0);
    expect(ndjson(r.out)).toHaveLength(truth.events.distinct + truncated().completeLines);
    expect(truth.secrets.filter((s) => r.out.includes(s.marker))).toEqual([]);
  });
});
