// `audit-explorer agent` as the real process: it syncs a never-synced source at once (catch-up), prints
// readable lines, and on SIGINT/SIGTERM drains and exits cleanly.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { lines } from '../sync/support.ts';
import { startBinary, until, workspace } from './support.ts';

test.each(['SIGINT', 'SIGTERM'] as const)('agent syncs, then exits cleanly on %s', async (signal) => {
  const ws = workspace();
  const folder = path.join(ws.dir, 'exports');
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, 'a.ndjson'), lines('a', 25));
  const config = ws.write('local.json', JSON.stringify({ name: 'local', kind: 'folder', path: folder }));
  expect((await ws.cli('sources', 'add', '--file', config)).code).toBe(0);
  const agent = startBinary(['--db', ws.db, 'agent'], ws.db);
  await until('the first pass and the schedule', () =>
    /local: ok[\s\S]*local: next run \d{4}-/.test(agent.err()),
  );
  agent.child.kill(signal);
  const result = await agent.result;
  expect(result.code, result.err).toBe(0);
  expect(result.err).toMatch(/stopping: waiting for the runs in flight to commit[\s\S]*stopped/);
  expect((await ws.cli('search', '--count', 'source:local')).out.trim()).toBe('25');
  const list = JSON.parse((await ws.cli('sources', 'list', '--json')).out);
  expect(list[0]).toMatchObject({ name: 'local', status: 'ok', events: 25 });
});
