/** `stats [--json]`: what the database holds. */
import { describe, expect, test } from 'vitest';
import { mixedFolder, workspace } from './support.ts';

describe('stats', () => {
  test('--json counts events, sources, objects, quarantined lines, duplicates and the time range', async () => {
    const ws = workspace();
    const folder = mixedFolder(ws);
    await ws.cli('ingest', folder.dir);
    const r = await ws.cli('stats', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      file: ws.db,
      events: 5,
      sources: 1,
      objects: 2,
      objectErrors: 0,
      quarantined: 2,
      duplicates: 1,
      first: folder.tsRange.first,
      last: folder.tsRange.last,
      untimed: 0,
    });
  });

  test('the text form shows the same numbers', async () => {
    const ws = workspace();
    const folder = mixedFolder(ws);
    await ws.cli('ingest', folder.dir);
    const r = await ws.cli('stats');
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]!.startsWith(`database     ${ws.db} (`)).toBe(true);
    expect(lines).toContain('events       5');
    expect(lines).toContain(
      `time range   ${new Date(folder.tsRange.first).toISOString()} … ${new Date(folder.tsRange.last).toISOString()}`,
    );
    expect(lines.find((line) => line.startsWith('sources '))).toMatch(
      /^sources +1, objects 2 \(0 with errors, /,
    );
    expect(lines.find((line) => line.startsWith('duplicates '))).toMatch(/^duplicates +1 /);
    expect(lines.find((line) => line.startsWith('quarantined '))).toMatch(/^quarantined +2 lines$/);
  });

  test('an empty database reports zeros and no time range', async () => {
    const ws = workspace();
    const r = await ws.cli('stats', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      events: 0,
      sources: 0,
      objects: 0,
      quarantined: 0,
      duplicates: 0,
      first: null,
      last: null,
    });
  });
});
