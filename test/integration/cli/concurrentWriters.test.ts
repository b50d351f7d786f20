/**
 * One writer per database across processes (issue 7, item 2): real `bin/audit-explorer.js` processes
 * writing one database at once take turns through the writer lock, say whom they wait for, give up after
 * --wait-timeout with a sentence, and are never blocked by a writer that was killed.
 */
import { describe, expect, test } from 'vitest';
import { acquireWriterLock } from '../../../electron/agent/store/writerLock.ts';
import {
  alive,
  childPids,
  FIXTURES_DIR,
  prophecyCorpus,
  runBinary,
  startBinary,
  storedEvents,
  until,
  workspace,
} from './support.ts';

const WAITING =
  /^Another Audit Explorer process \(pid (\d+), `ingest` since \d\d:\d\d\) is writing to (.+); waiting… \(--wait-timeout to change, Ctrl-C to stop\)$/m;

/** True when some process holds the writer lock of `db` (checked by trying to take it at once). */
async function writerLockHeld(db: string): Promise<boolean> {
  try {
    (await acquireWriterLock(db, { command: 'test', timeoutMs: 0 })).release();
    return false;
  } catch {
    return true;
  }
}

describe('two processes writing one database', () => {
  test('two imports of different corpora at once both exit 0, the second waits and says so, and the total is the exact sum; searches keep working meanwhile', async () => {
    const ws = workspace();
    const a = prophecyCorpus(ws, 'a', 8, 12_500);
    const b = prophecyCorpus(ws, 'b', 4, 10_000);
    const first = startBinary(['ingest', a.dir, '--json'], ws.db);
    // The second starts once the first has committed a batch, so the first is mid-way and holds the lock.
    await until('the first import to commit a batch', () => storedEvents(ws.db) > 0);
    const second = startBinary(['ingest', b.dir, '--json'], ws.db);
    await until('the second import to say it waits', () => WAITING.test(second.err()));

    // Readers never take the writer lock: a search answers while both imports run.
    const during = await runBinary(['search', '--count'], ws.db);
    expect(during.code).toBe(0);
    expect(Number(during.out)).toBeGreaterThan(0);

    const [r1, r2] = await Promise.all([first.result, second.result]);
    expect(r1.code, r1.err).toBe(0);
    expect(r2.code, r2.err).toBe(0);
    expect(r2.err).toMatch(WAITING);
    expect(r2.err.match(WAITING)![2]).toBe(ws.db);
    expect(r1.err + r2.err).not.toMatch(/SQLITE|UNIQUE constraint/i);
    expect(JSON.parse(r1.out)).toMatchObject({ events: a.events, duplicates: 0, stopped: false });
    expect(JSON.parse(r2.out)).toMatchObject({ events: b.events, duplicates: 0, stopped: false });
    const total = await runBinary(['search', '--count'], ws.db);
    expect(total).toEqual({ code: 0, out: `${a.events + b.events}\n`, err: '' });
  }, 180_000);

  test('a writer killed with SIGKILL does not block the next one', async () => {
    const ws = workspace();
    const a = prophecyCorpus(ws, 'a', 8, 12_500);
    const b = prophecyCorpus(ws, 'b', 2, 5_000);
    const killed = startBinary(['ingest', a.dir], ws.db);
    await until('the import to commit a batch', () => storedEvents(ws.db) > 0);
    expect(await writerLockHeld(ws.db)).toBe(true);
    // SIGKILL the whole process group's writer: the launcher and the child that imports.
    const pids = childPids(killed.child.pid!);
    for (const pid of [...pids, killed.child.pid!]) process.kill(pid, 'SIGKILL');
    await killed.result;
    await until('the killed writer to be gone', () => pids.every((pid) => !alive(pid)));

    // It would wait at most a second: the lock died with its holder.
    const next = await runBinary(['ingest', b.dir, '--wait-timeout', '1', '--json'], ws.db);
    expect(next.code, next.err).toBe(0);
    expect(next.err).not.toMatch(WAITING);
    expect(JSON.parse(next.out)).toMatchObject({ events: b.events });
    // The killed import, run again, finishes exactly.
    const again = await runBinary(['ingest', a.dir], ws.db);
    expect(again.code, again.err).toBe(0);
    const total = await runBinary(['search', '--count'], ws.db);
    expect(total.out).toBe(`${a.events + b.events}\n`);
  }, 180_000);

  test('--wait-timeout 1 while another process holds the writer: exit 1 with a sentence, nothing written, searches still answer', async () => {
    const ws = workspace();
    expect((await runBinary(['ingest', FIXTURES_DIR], ws.db)).code).toBe(0);
    const b = prophecyCorpus(ws, 'b', 1, 100);
    // This test process is the other writer.
    const lock = await acquireWriterLock(ws.db, { command: 'agent', timeoutMs: 0 });
    try {
      const started = performance.now();
      const r = await runBinary(['ingest', b.dir, '--wait-timeout', '1'], ws.db);
      expect(r.code).toBe(1);
      expect(performance.now() - started).toBeGreaterThan(1000);
      expect(r.err).toMatch(
        new RegExp(
          `^Another Audit Explorer process \\(pid ${process.pid}, \`agent\` since \\d\\d:\\d\\d\\) is writing to .+; waiting…`,
        ),
      );
      expect(r.err).toContain(
        `audit-explorer: Another Audit Explorer process (pid ${process.pid}, \`agent\` since `,
      );
      expect(r.err).toContain(
        `is still writing to ${ws.db} after 1 s; nothing was written by this command. Run it again when the other one has finished, or let it wait longer with --wait-timeout SECONDS.`,
      );
      expect(r.err).not.toMatch(/SQLITE/i);
      const search = await runBinary(['search', '--count'], ws.db);
      expect(search).toEqual({ code: 0, out: '8\n', err: '' });
    } finally {
      lock.release();
    }
    expect((await runBinary(['search', '--count'], ws.db)).out).toBe('8\n');
  }, 60_000);

  test('--wait-timeout takes a number of seconds: anything else is a usage error', async () => {
    const ws = workspace();
    const r = await ws.cli('ingest', FIXTURES_DIR, '--wait-timeout', 'soon');
    expect(r.code).toBe(2);
    expect(r.err).toContain('expected a number of seconds');
  });
});
