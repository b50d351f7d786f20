/** `ingest --mapping FILE`: any NDJSON mapped to the event fields by JSON paths (DESIGN §4, generic). */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { workspace } from './support.ts';

const MAPPING = {
  name: 'acme-gateway',
  detect: [['when', 'who', 'what']],
  fields: {
    ts: 'when',
    user: ['who.email', 'who.id'],
    action: 'what',
    target: 'resource.name',
    ip: 'client.ip',
  },
  outcome: { from: 'result', failure: ['denied', 'error'], success: ['ok'] },
};

const LINES = [
  {
    when: '2024-05-01T10:00:00Z',
    who: { email: 'ana@acme.example' },
    what: 'door.open',
    resource: { name: 'lab-2' },
    result: 'ok',
  },
  {
    when: '2024-05-01T10:05:00Z',
    who: { id: 'u-7' },
    what: 'door.open',
    resource: { name: 'vault' },
    result: 'denied',
    client: { ip: '10.1.2.3' },
  },
];

function setUp() {
  const ws = workspace();
  const data = path.join(ws.dir, 'gateway');
  fs.mkdirSync(data);
  fs.writeFileSync(path.join(data, 'audit.ndjson'), LINES.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const mapping = path.join(ws.dir, 'mapping.json');
  fs.writeFileSync(mapping, JSON.stringify(MAPPING));
  return { ws, data, mapping };
}

describe('ingest --mapping', () => {
  test('lines of a format no built-in spec knows are quarantined without a mapping', async () => {
    const { ws, data } = setUp();
    const r = await ws.cli('ingest', data, '--json');
    expect(JSON.parse(r.out)).toMatchObject({ events: 0, quarantined: 2 });
  });

  test('with a mapping they become events searchable by their mapped fields', async () => {
    const { ws, data, mapping } = setUp();
    const r = await ws.cli('ingest', data, '--mapping', mapping, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ events: 2, quarantined: 0 });
    expect((await ws.cli('search', '--count', 'user:ana@acme.example')).out).toBe('1\n');
    expect((await ws.cli('search', '--count', 'outcome:failure target:vault ip:10.1.2.3')).out).toBe('1\n');
    expect((await ws.cli('search', '--count', 'format:acme-gateway action:door.open')).out).toBe('2\n');
  });

  test('a mapping that does not fit the schema is a usage error naming the problem', async () => {
    const { ws, data } = setUp();
    const bad = path.join(ws.dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ name: 'Prophecy', fields: {} }));
    const r = await ws.cli('ingest', data, '--mapping', bad, '--json');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/mappings\.0\.name/);
  });

  test('a mapping file that is not JSON is a usage error', async () => {
    const { ws, data } = setUp();
    const bad = path.join(ws.dir, 'bad.json');
    fs.writeFileSync(bad, '{ name: ');
    const r = await ws.cli('ingest', data, '--mapping', bad);
    expect(r.code).toBe(2);
    expect(r.err).toContain('is not JSON');
  });
});
