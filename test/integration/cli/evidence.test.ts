/**
 * Exports and evidence bundles: counts reconcile, every format keeps redaction, CSV is safe to open,
 * pseudonyms behave, and `verify` catches every change to a bundle, naming the file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { describe, expect, test } from 'vitest';
import type { Workspace } from './support.ts';
import { FIXTURES_DIR, ndjson, parseCsv, prophecyLine, runBinary, workspace } from './support.ts';

const DAY = 86_400_000;
const FILES = [
  'events.ndjson',
  'events.index',
  'events.csv',
  'report.html',
  'manifest.json',
  'manifest.sig',
  'public-key.pem',
];

/** 3,000 Prophecy events over 2023 (8 users, some failures) plus the format fixtures. */
async function corpus(): Promise<Workspace> {
  const ws = workspace();
  const lines = Array.from({ length: 3000 }, (_, i) =>
    prophecyLine({
      ts: Date.UTC(2023, 0, 1) + Math.floor((i * 360 * DAY) / 3000),
      user: `user${i % 8}@acme.example`,
      action: i % 3 === 0 ? 'releaseProject' : 'getProject',
      responseCode: i % 7 === 0 ? 403 : 200,
      params: { note: `n${i}` },
    }),
  );
  ws.write('c/a.ndjson', lines.slice(0, 1500).join('\n') + '\n');
  ws.write('c/b.ndjson', lines.slice(1500).join('\n') + '\n');
  expect((await ws.cli('ingest', path.join(ws.dir, 'c'))).code).toBe(0);
  expect((await ws.cli('ingest', FIXTURES_DIR)).code).toBe(0);
  return ws;
}

const read = (dir: string, name: string) => fs.readFileSync(path.join(dir, name), 'utf8');

async function unzip(file: string): Promise<Map<string, Buffer>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true }, (e, z) => (e ? reject(e) : resolve(z))),
  );
  const out = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) =>
      zip.openReadStream(entry, (e, stream) => {
        if (e) return reject(e);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          out.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      }),
    );
    zip.on('end', () => resolve());
    zip.on('error', reject);
    zip.readEntry();
  });
  return out;
}

async function rezip(entries: Map<string, Buffer>, file: string): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of entries) zip.addBuffer(data, name);
  zip.end();
  await new Promise<void>((resolve, reject) =>
    zip.outputStream.pipe(fs.createWriteStream(file)).on('close', resolve).on('error', reject),
  );
}

describe('export', () => {
  test.each([
    ['', 3008],
    ['outcome:failure', null],
    ['user:user3@acme.example action:releaseProject', null],
    ['after:2023-06-01 before:2023-07-01', null],
    ['"n1234"', 1],
    ['user:nobody', 0],
  ])('exports exactly what %j matches, in time order, and says so', async (query, expected) => {
    const ws = await corpus();
    const count = Number((await ws.cli('search', query, '--count')).out);
    if (expected !== null) expect(count).toBe(expected);
    const out = path.join(ws.dir, 'out');
    const r = await ws.cli('export', query, '--out', out);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      `Exported ${count.toLocaleString('en-US')} events (the query matches ${count.toLocaleString('en-US')})`,
    );
    const lines = read(out, 'events.ndjson').split('\n').filter(Boolean);
    expect(lines).toHaveLength(count);
    expect(parseCsv(read(out, 'events.csv'))).toHaveLength(count + 1);
    const manifest = JSON.parse(read(out, 'manifest.json'));
    expect(manifest.counts).toMatchObject({ matched: count, exported: count });
    expect(manifest.events.count).toBe(count);
    const csv = parseCsv(read(out, 'events.csv'));
    const times = csv.slice(1).map((row) => Date.parse(row[0]!));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    if (count > 0)
      expect(manifest.sources.reduce((n: number, s: { events: number }) => n + s.events, 0)).toBe(count);
  });

  test('the manifest names every source object with its byte range, and the report is offline', async () => {
    const ws = await corpus();
    const out = path.join(ws.dir, 'out');
    expect((await ws.cli('export', '--out', out, '--bom')).code).toBe(0);
    const manifest = JSON.parse(read(out, 'manifest.json'));
    const a = manifest.sources.find((s: { object: string }) => s.object.endsWith('c/a.ndjson'));
    expect(a).toMatchObject({ source: 'import', events: 1500, firstLine: 1, lastLine: 1500 });
    expect(a.bytesIngested).toBe(fs.statSync(path.join(ws.dir, 'c/a.ndjson')).size);
    expect(manifest.files.map((f: { name: string }) => f.name)).toEqual([
      'events.ndjson',
      'events.index',
      'events.csv',
      'report.html',
    ]);
    expect(fs.readFileSync(path.join(out, 'events.csv')).subarray(0, 3)).toEqual(
      Buffer.from([0xef, 0xbb, 0xbf]),
    );
    const html = read(out, 'report.html');
    expect(html).not.toMatch(/https?:|\/\/[a-z]|<script|src=/i);
    expect(html).toContain('<svg');
    expect(html).toContain('user0@acme.example');
  });

  test('a zip or non-empty folder that exists is never overwritten', async () => {
    const ws = await corpus();
    const zip = ws.write('taken.zip', 'x');
    const r = await ws.cli('export', '--out', zip);
    expect(r.code).toBe(1);
    expect(r.err).toContain('exists already');
    expect(fs.readFileSync(zip, 'utf8')).toBe('x');
  });

  test('an investigation exports its pinned events with its notes', async () => {
    const ws = await corpus();
    const csv = parseCsv((await ws.cli('search', 'outcome:failure', '--format', 'csv', '--limit', '3')).out);
    const ids = csv.slice(1).map((row) => row[csv[0]!.indexOf('id')]!);
    await ws.cli('investigation', 'create', 'case', '--description', 'why <b>');
    await ws.cli('investigation', 'pin', 'case', ...ids);
    await ws.cli('investigation', 'note', 'case', 'note <script>alert(1)</script>');
    const out = path.join(ws.dir, 'case.zip');
    const r = await ws.cli('export', '--investigation', 'case', '--out', out);
    expect(r.out).toContain('Exported 3 events (the investigation pins 3)');
    const files = await unzip(out);
    expect(files.get('events.ndjson')!.toString().split('\n').filter(Boolean)).toHaveLength(3);
    const html = files.get('report.html')!.toString();
    expect(html).toContain('note &#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).not.toContain('<script');
    const manifest = JSON.parse(files.get('manifest.json')!.toString());
    expect(manifest.selection.investigation).toMatchObject({ name: 'case', description: 'why <b>' });
  });
});

describe('CSV', () => {
  test('cells that spreadsheets would run as formulas are neutralised, everywhere CSV is written', async () => {
    const ws = workspace();
    const hostile = ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd', 'a,"b"\nc'];
    ws.write(
      'h.ndjson',
      hostile.map((user, i) => prophecyLine({ ts: Date.UTC(2024, 0, 1) + i * 1000, user })).join('\n') + '\n',
    );
    await ws.cli('ingest', path.join(ws.dir, 'h.ndjson'));
    const out = path.join(ws.dir, 'out');
    await ws.cli('export', '--out', out);
    for (const text of [read(out, 'events.csv'), (await ws.cli('search', '--format', 'csv', '--all')).out]) {
      const rows = parseCsv(text);
      const users = rows.slice(1).map((row) => row[rows[0]!.indexOf('user')]!);
      expect(users.sort()).toEqual([...hostile.slice(0, 6).map((u) => `'${u}`), 'a,"b"\nc'].sort());
      // Numbers are data: latency 7 stays a number.
      expect(rows[1]![rows[0]!.indexOf('latencyMs')]).toBe('7');
    }
    expect(read(out, 'events.csv')).toContain('\r\n');
  });
});

describe('redaction', () => {
  test('no redacted value appears in any exported file', async () => {
    const ws = workspace();
    const secrets = [
      'hunter2-pass',
      'tok-9f8e7d',
      'AKIA-api-key-1',
      'cred-xyz-77',
      'nested-secret-42',
      'embedded-pw-5',
    ];
    const lines = [
      JSON.stringify({
        opType: 'Mutation',
        createdAt: Date.UTC(2024, 0, 1),
        nameHints: ['setPassword'],
        userEmail: 'a@x',
        customerName: 'acme',
        responseCode: 200,
        requestParams: { newPassword: secrets[0] },
        latencyInMillis: 1,
      }),
      JSON.stringify({
        opType: 'Mutation',
        createdAt: Date.UTC(2024, 0, 2),
        nameHints: ['login'],
        userEmail: 'b@x',
        customerName: 'acme',
        responseCode: 200,
        requestParams: { token: secrets[1], apiKey: secrets[2] },
        latencyInMillis: 1,
      }),
      JSON.stringify({
        opType: 'Mutation',
        createdAt: Date.UTC(2024, 0, 3),
        nameHints: ['x'],
        userEmail: 'c@x',
        customerName: 'acme',
        responseCode: 200,
        requestParams: {
          deep: { credential: secrets[3], list: [{ client_secret: secrets[4] }] },
          blob: JSON.stringify({ password: secrets[5] }),
        },
        latencyInMillis: 1,
      }),
    ];
    ws.write('s.ndjson', lines.join('\n') + '\n');
    await ws.cli('ingest', path.join(ws.dir, 's.ndjson'));
    const out = path.join(ws.dir, 'out.zip');
    expect((await ws.cli('export', '--out', out)).code).toBe(0);
    const files = await unzip(out);
    expect([...files.keys()].sort()).toEqual([...FILES].sort());
    for (const [name, data] of files) {
      for (const secret of secrets) expect(data.toString(), `${name} holds ${secret}`).not.toContain(secret);
    }
    expect(files.get('events.ndjson')!.toString()).toContain('[REDACTED]');
  });
});

describe('pseudonymisation', () => {
  test('same user, same pseudonym within a bundle; another key, other pseudonyms; no name left', async () => {
    const ws = await corpus();
    const keyA = ws.write('a.key', crypto.randomBytes(32).toString('hex'));
    const keyB = ws.write('b.key', crypto.randomBytes(32).toString('hex'));
    const exportWith = async (key: string, name: string) => {
      const out = path.join(ws.dir, name);
      expect((await ws.cli('export', 'user:user*', '--out', out, '--pseudonym-key-file', key)).code).toBe(0);
      return out;
    };
    const a1 = await exportWith(keyA, 'a1');
    const a2 = await exportWith(keyA, 'a2');
    const b = await exportWith(keyB, 'b');
    const users = (dir: string) => {
      const rows = parseCsv(read(dir, 'events.csv'));
      return rows.slice(1).map((row) => row[rows[0]!.indexOf('user')]!);
    };
    const rawUsers = (dir: string) =>
      ndjson<{ userEmail: string }>(read(dir, 'events.ndjson')).map((e) => e.userEmail);
    // Within a bundle: 8 users → 8 pseudonyms, CSV and raw JSON agree line by line.
    expect(new Set(users(a1)).size).toBe(8);
    expect(rawUsers(a1)).toEqual(users(a1));
    expect(users(a1).every((u) => /^user-[0-9a-f]{24}$/.test(u))).toBe(true);
    // Same key → same pseudonyms; another key → none in common.
    expect(users(a2)).toEqual(users(a1));
    const fromB = new Set(users(b));
    expect(users(a1).some((u) => fromB.has(u))).toBe(false);
    for (const dir of [a1, b])
      for (const name of FILES) expect(read(dir, name)).not.toMatch(/user\d@acme\.example/);
    const manifest = JSON.parse(read(a1, 'manifest.json'));
    expect(manifest.pseudonymization).toMatchObject({ method: 'HMAC-SHA-256' });
    expect(JSON.stringify(manifest)).not.toContain(read(a1, '../a.key'));
    expect((await ws.cli('verify', a1)).code).toBe(0);
  });
});

describe('signing key', () => {
  test('made once per installation, kept encrypted in the secret store beside the database, never in it', async () => {
    const ws = workspace();
    const first = JSON.parse((await ws.cli('key', 'show', '--json')).out) as {
      fingerprint: string;
      publicKeyPem: string;
    };
    const again = JSON.parse((await ws.cli('key', 'show', '--json')).out) as { fingerprint: string };
    expect(again.fingerprint).toBe(first.fingerprint);
    expect(first.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    const secrets = fs.readFileSync(`${ws.db}.secrets`, 'utf8');
    expect(secrets).not.toContain('PRIVATE KEY');
    for (const file of fs.readdirSync(ws.dir).filter((f) => f.startsWith('audit.db')))
      expect(fs.readFileSync(path.join(ws.dir, file)).includes('PRIVATE KEY')).toBe(false);
  });
});

describe('verify', () => {
  test('a bundle verifies in a fresh process that has no database', async () => {
    const ws = await corpus();
    const out = path.join(ws.dir, 'bundle.zip');
    await ws.cli('export', 'outcome:failure', '--out', out);
    const key = (await ws.cli('key', 'show', '--json')).out;
    const { fingerprint } = JSON.parse(key) as { fingerprint: string };
    const alone = path.join(ws.dir, 'elsewhere');
    fs.mkdirSync(alone);
    fs.copyFileSync(out, path.join(alone, 'bundle.zip'));
    const noDb = path.join(alone, 'no.db');
    const r = await runBinary(['verify', path.join(alone, 'bundle.zip'), '--key', fingerprint], noDb);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('Verified');
    expect(fs.readdirSync(alone)).toEqual(['bundle.zip']);
  });

  test('a wrong --key fails, as PEM file or fingerprint; a malformed --key is a usage error', async () => {
    const ws = await corpus();
    const out = path.join(ws.dir, 'bundle.zip');
    await ws.cli('export', '--out', out);
    const other = crypto
      .generateKeyPairSync('ed25519')
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    const pem = ws.write('other.pem', other);
    const r = await ws.cli('verify', out, '--key', pem);
    expect(r.code).toBe(1);
    expect(r.out).toContain('public-key.pem: the bundle is signed by sha256:');
    expect((await ws.cli('verify', out, '--key', `sha256:${'ab'.repeat(32)}`)).code).toBe(1);
    const own = await ws.cli('key', 'show');
    const ownPem = ws.write('own.pem', own.out.split('fingerprint')[0]!);
    expect((await ws.cli('verify', out, '--key', ownPem)).code).toBe(0);
    expect((await ws.cli('verify', out, '--key', 'nonsense')).code).toBe(2);
    expect((await ws.cli('verify', path.join(ws.dir, 'missing.zip'))).code).toBe(2);
  });

  test('flipping any byte of any file fails and names the file', async () => {
    const ws = await corpus();
    const dir = path.join(ws.dir, 'folder');
    await ws.cli('export', 'user:user1*', '--out', dir);
    expect((await ws.cli('verify', dir)).code).toBe(0);
    for (const name of FILES) {
      const file = path.join(dir, name);
      const original = fs.readFileSync(file);
      // Every byte of the small files; 40 spread over each large one.
      const positions =
        original.length <= 200
          ? original.keys()
          : Array.from({ length: 40 }, (_, i) => Math.floor((i * (original.length - 1)) / 39));
      for (const at of positions) {
        const changed = Buffer.from(original);
        changed[at] = changed[at]! ^ 0x01;
        fs.writeFileSync(file, changed);
        const r = await ws.cli('verify', dir);
        expect(r.code, `${name} byte ${at}`).toBe(1);
        expect(r.out, `${name} byte ${at}`).toContain(name);
      }
      fs.writeFileSync(file, original);
    }
    expect((await ws.cli('verify', dir)).code).toBe(0);
  });

  test('a changed event in events.ndjson is named exactly; without the index, by its group', async () => {
    const ws = await corpus();
    const dir = path.join(ws.dir, 'folder');
    await ws.cli('export', '--out', dir);
    const file = path.join(dir, 'events.ndjson');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines[1500] = lines[1500]!.replace('"n', '"m');
    fs.writeFileSync(file, lines.join('\n'));
    const r = await ws.cli('verify', dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('events.ndjson: event 1501 (line 1501) differs from the one exported');
    expect(r.out).not.toContain('event 1500 ');
    fs.rmSync(path.join(dir, 'events.index'));
    const noIndex = await ws.cli('verify', dir);
    expect(noIndex.out).toContain('events.index: missing from the bundle');
    expect(noIndex.out).toContain('events.ndjson: events 1001–2000 (lines 1001–2000) differ');
  });

  test('inside a zip: a changed, removed or added file is named', async () => {
    const ws = await corpus();
    const out = path.join(ws.dir, 'b.zip');
    await ws.cli('export', '--out', out);
    expect((await ws.cli('verify', out)).code).toBe(0);
    const files = await unzip(out);
    const cases: [string, (m: Map<string, Buffer>) => void, string][] = [
      [
        'changed',
        (m) => m.set('events.csv', Buffer.concat([m.get('events.csv')!, Buffer.from('x')])),
        'events.csv: content differs',
      ],
      ['removed', (m) => m.delete('report.html'), 'report.html: missing from the bundle'],
      ['removed', (m) => m.delete('manifest.sig'), 'manifest.sig: missing from the bundle'],
      ['added', (m) => m.set('extra.txt', Buffer.from('hi')), 'extra.txt: not listed in the manifest'],
    ];
    for (const [what, change, message] of cases) {
      const copy = new Map(files);
      change(copy);
      const tampered = path.join(ws.dir, `${what}-${crypto.randomBytes(3).toString('hex')}.zip`);
      await rezip(copy, tampered);
      const r = await ws.cli('verify', tampered);
      expect(r.code, message).toBe(1);
      expect(r.out).toContain(message);
    }
    // The untouched entries re-zipped verify: only content counts, not the container.
    const same = path.join(ws.dir, 'same.zip');
    await rezip(files, same);
    expect((await ws.cli('verify', same)).code).toBe(0);
  });
});
