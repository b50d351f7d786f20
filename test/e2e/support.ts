/**
 * End-to-end support: a seeded database, the real `audit-explorer serve` on a free loopback port, and
 * Debian's Chromium driven by playwright-core (never a downloaded browser).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prophecyLine, runBinary } from '../integration/cli/support.ts';
import { startServe } from './browser.ts';

export { CHROMIUM, SCREENSHOTS, launchChromium } from './browser.ts';

/** Base of the seeded events: 2026-03-05 00:00 UTC; three days of events, newest first in results. */
export const SEED_START = Date.UTC(2026, 2, 5);
const HOUR = 3_600_000;

const USERS = ['alice@acme.io', 'bob@acme.io', 'carol@acme.io', 'dave@initech.net'];
const ACTIONS: { action: string; opType: string; params?: Record<string, string> }[] = [
  { action: 'releaseProject', opType: 'Mutation', params: { projectID: '"p-7"', branch: '"main"' } },
  { action: 'setPassword', opType: 'Mutation', params: { uid: '"u-42"', newPassword: '"hunter2"' } },
  { action: 'tableQueryPipeline', opType: 'Query', params: { projectId: '"p-7"' } },
  { action: 'addTeam', opType: 'Mutation', params: { name: '"audit"' } },
  { action: 'fabricDetailQuery', opType: 'Query', params: { id: '"f-1"' } },
];

/** 360 Prophecy events over three days: every user, five actions, a failure every seventh. */
export function seedLines(): string[] {
  const lines: string[] = [];
  for (let i = 0; i < 360; i++) {
    const a = ACTIONS[i % ACTIONS.length]!;
    // Busier in the middle day, so the histogram has a shape.
    const ts = SEED_START + Math.floor((i / 360) ** 1.3 * 72 * HOUR) + i * 17;
    lines.push(
      prophecyLine({
        ts,
        user: USERS[(i * 7) % USERS.length]!,
        action: a.action,
        opType: a.opType,
        responseCode: i % 7 === 0 ? 403 : 200,
        org: 'acme.io',
        ...(a.params ? { params: a.params } : {}),
      }),
    );
  }
  return lines;
}

export interface Served {
  url: string;
  token: string;
  db: string;
  stop(): Promise<void>;
}

/**
 * Seeds a database in a temp dir (or leaves it empty: a first run) and starts `serve --port 0` on it;
 * resolves with its URL.
 */
export async function serveSeeded(options: { empty?: boolean } = {}): Promise<Served> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-e2e-'));
  const db = path.join(dir, 'audit.db');
  const file = path.join(dir, 'audit', 'seed.ndjson');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // The empty case imports one event from 2001 and lets retention remove it (whatever today's date).
  const lines = options.empty
    ? [prophecyLine({ ts: Date.UTC(2001, 0, 1), user: 'old@acme.io' })]
    : seedLines();
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  const ingest = await runBinary(['ingest', file], db);
  if (ingest.code !== 0) throw new Error(`seeding failed: ${ingest.err}`);
  if (options.empty) {
    // serve fills a brand-new database with the samples itself; one whose events retention removed stays
    // empty, which is the state the UI's first-run offer is for.
    const gc = await runBinary(['gc', '--older-than', '1d'], db);
    if (gc.code !== 0) throw new Error(`emptying failed: ${gc.err}`);
  }

  const token = 'e2e-token-0123456789abcdef';
  const serve = await startServe(db, token);
  return {
    url: serve.url,
    token,
    db,
    stop: async () => {
      await serve.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
