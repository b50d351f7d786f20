/**
 * Stopping the command stops the work (issue 7, item 3): a signal to `bin/audit-explorer.js` reaches the
 * child it re-runs itself in for imports; the import commits what it read, says so, exits 128 + the signal,
 * leaves no process behind, and the next import is exact.
 */
import { describe, expect, test } from 'vitest';
import { acquireWriterLock } from '../../../electron/agent/store/writerLock.ts';
import {
  alive,
  childPids,
  prophecyCorpus,
  runBinary,
  startBinary,
  storedEvents,
  until,
  workspace,
  type RunningBinary,
} from './support.ts';

const STOPPED =
  /^Stopped: ([\d,]+) events from ([\d,]+) objects were stored; run the same ingest again to finish — nothing is read twice into the index\.$/m;

/** The launcher's one child: the process that imports. */
function importerOf(launcher: RunningBinary): number {
  const children = childPids(launcher.child.pid!);
  expect(children).toHaveLength(1);
  return children[0]!;
}

const number = (text: string) => Number(text.replaceAll(',', ''));

describe('stopping an import', () => {
  test('SIGTERM to the launcher mid-import: the child stops too, what was read is stored and reported, exit 143, and the next import is exact', async () => {
    const ws = workspace();
    const corpus = prophecyCorpus(ws, 'big', 8, 12_500);
    const launcher = startBinary(['ingest', corpus.dir], ws.db);
    await until('the import to commit a batch', () => storedEvents(ws.db) > 0);
    const importer = importerOf(launcher);
    launcher.child.kill('SIGTERM');
    const r = await launcher.result;

    expect(r.code, r.err).toBe(143);
    expect(alive(importer)).toBe(false);
    const [, events, objects] = STOPPED.exec(r.err) ?? [];
    expect(r.err).toMatch(STOPPED);
    const stored = number(events!);
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(corpus.events);
    expect(number(objects!)).toBeGreaterThan(0);
    expect(r.out).toBe('');
    expect(storedEvents(ws.db)).toBe(stored);

    const again = await runBinary(['ingest', corpus.dir, '--json'], ws.db);
    expect(again.code, again.err).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({
      events: corpus.events - stored,
      duplicates: stored,
      stopped: false,
    });
    expect((await runBinary(['search', '--count'], ws.db)).out).toBe(`${corpus.events}\n`);
  }, 180_000);

  test('Ctrl-C in a terminal (SIGINT to the launcher and its child at once) is one clean stop: exit 130', async () => {
    const ws = workspace();
    const corpus = prophecyCorpus(ws, 'big', 8, 12_500);
    const launcher = startBinary(['ingest', corpus.dir, '--json'], ws.db);
    await until('the import to commit a batch', () => storedEvents(ws.db) > 0);
    const importer = importerOf(launcher);
    // A terminal sends SIGINT to the whole foreground process group; the launcher forwards it once more.
    process.kill(importer, 'SIGINT');
    launcher.child.kill('SIGINT');
    const r = await launcher.result;

    expect(r.code, r.err).toBe(130);
    expect(alive(importer)).toBe(false);
    expect(r.err).toMatch(STOPPED);
    expect(r.err).not.toContain('stopped at once');
    const summary = JSON.parse(r.out) as { events: number; stopped: boolean };
    expect(summary.stopped).toBe(true);
    expect(storedEvents(ws.db)).toBe(summary.events);
    expect((await runBinary(['ingest', corpus.dir], ws.db)).code).toBe(0);
    expect((await runBinary(['search', '--count'], ws.db)).out).toBe(`${corpus.events}\n`);
  }, 180_000);

  test('a stop while waiting for another writer gives up the wait at once, says nothing was written, exit 130', async () => {
    const ws = workspace();
    const corpus = prophecyCorpus(ws, 'small', 1, 100);
    const lock = await acquireWriterLock(ws.db, { command: 'agent', timeoutMs: 0 });
    try {
      const launcher = startBinary(['ingest', corpus.dir], ws.db);
      await until('the import to say it waits', () => launcher.err().includes('waiting…'));
      launcher.child.kill('SIGINT');
      const r = await launcher.result;
      expect(r.code).toBe(130);
      expect(r.err).toContain(
        'audit-explorer: Stopped while waiting for another Audit Explorer process to finish writing; nothing was written.',
      );
    } finally {
      lock.release();
    }
    expect(storedEvents(ws.db)).toBe(0);
  }, 60_000);
});
