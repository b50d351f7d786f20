// Issue 7.1 through the CLI: an exported id does not confirm a guessed redacted password. The attack that
// worked against unsalted ids — take the exported (redacted) line, put each candidate back where
// "[REDACTED]" is, hash it, compare with the exported id — finds nothing.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { expect, test } from 'vitest';
import { ndjson, parseCsv, prophecyLine, workspace } from './support.ts';

const PASSWORD = 'Summer2024!';
const CANDIDATES = ['Password1', 'Winter2023!', PASSWORD, 'hunter2', 'Summer2024'];

/** A candidate line: the exported raw line with the candidate where the redacted value was. */
function refill(raw: string, candidate: string): string[] {
  // Prophecy wraps string parameters in quotes; try the value both wrapped and bare.
  return [
    raw.replace('"[REDACTED]"', JSON.stringify(JSON.stringify(candidate))),
    raw.replace('"[REDACTED]"', JSON.stringify(candidate)),
  ];
}

/** Every way an unkeyed id could have been printed: full hex, 16-byte (32 hex) and 8-byte truncations. */
function plainIds(line: string): string[] {
  const hex = createHash('sha256').update(line.trim(), 'utf8').digest('hex');
  return [hex, hex.slice(0, 32), hex.slice(0, 16)];
}

test('a setPassword line exported as ndjson, csv and json: no candidate re-filled and hashed matches its id', async () => {
  const ws = workspace();
  const line = prophecyLine({
    ts: Date.UTC(2024, 2, 5, 10),
    user: 'victim@acme.example',
    action: 'setPassword',
    opType: 'Mutation',
    params: { userId: '"u-42"', newPassword: JSON.stringify(PASSWORD) },
  });
  ws.write('data/a.ndjson', line + '\n');
  expect((await ws.cli('ingest', path.join(ws.dir, 'data'))).code).toBe(0);

  const nd = await ws.cli('search', 'action:setPassword', '--all', '--format', 'ndjson');
  const [event] = ndjson<{ id: string; raw: string }>(nd.out);
  expect(event!.raw).not.toContain(PASSWORD);
  expect(event!.raw).toContain('[REDACTED]');
  // The attack is sound: with the right candidate the re-filled line is the original, byte for byte.
  expect(refill(event!.raw, PASSWORD)).toContain(line);

  const csv = parseCsv((await ws.cli('search', 'action:setPassword', '--format', 'csv')).out);
  const json = JSON.parse((await ws.cli('search', 'action:setPassword', '--format', 'json')).out) as {
    events: { id: string }[];
  };
  const exported = [event!.id, csv[1]![csv[0]!.indexOf('id')]!, json.events[0]!.id];
  expect(new Set(exported).size).toBe(1);

  const guesses = CANDIDATES.flatMap((c) => refill(event!.raw, c)).flatMap(plainIds);
  const hits = guesses.filter((g) => exported.some((id) => id === g || g.startsWith(id) || id.startsWith(g)));
  expect(hits).toEqual([]);
  for (const output of [nd.out, JSON.stringify(csv), JSON.stringify(json)])
    expect(output).not.toContain(PASSWORD);
});
