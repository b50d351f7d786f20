/**
 * Throughput of the line reader (not a test; prints figures, asserts nothing):
 *
 *   node test/unit/electron/agent/ingest/lineReaderThroughput.ts [lines=1000000] [runs=3]
 *
 * Writes `lines` NDJSON lines of 450 bytes to a temp dir as plain, gzip and zstd files, reads each `runs`
 * times with readLineBatches (the plain text also from memory, to leave out file reads) and prints the best
 * run in lines/s and MB/s of decompressed text.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { readLineBatches } from '../../../../../electron/agent/ingest/lineReader.ts';

const count = Number(process.argv[2] ?? 1_000_000);
const runs = Number(process.argv[3] ?? 3);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'line-reader-throughput-'));

function line(i: number): string {
  const base = JSON.stringify({
    id: `evt-${i}`,
    time: new Date(Date.UTC(2024, 0, 1) + i * 137).toISOString(),
    actor: { user: `user${i % 997}@example.com`, ip: `10.${i % 256}.${(i >> 8) % 256}.${(i * 7) % 256}` },
    action: ['storage.objects.get', 'iam.roles.update', 'compute.instances.delete'][i % 3],
    resource: `projects/p-${i % 13}/zones/europe-west1-b/instances/vm-${(i * 7919) % 100003}`,
    status: i % 17 === 0 ? 'DENIED' : 'OK',
  });
  // Padded to 449 characters, 450 bytes with the newline.
  return `${base.slice(0, -1)},"detail":"${'abcdefghij'.repeat(50).slice(0, 449 - base.length - 12)}"}`;
}

async function main(): Promise<void> {
  const plain = path.join(dir, 'events.ndjson');
  const out = fs.createWriteStream(plain);
  let batch = '';
  for (let i = 0; i < count; i++) {
    batch += `${line(i)}\n`;
    if (batch.length > 1 << 20) {
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
  }
  out.end(batch);
  await once(out, 'finish');
  const gz = `${plain}.gz`;
  const zst = `${plain}.zst`;
  await pipeline(fs.createReadStream(plain), zlib.createGzip(), fs.createWriteStream(gz));
  await pipeline(fs.createReadStream(plain), zlib.createZstdCompress(), fs.createWriteStream(zst));
  const size = fs.statSync(plain).size;
  console.log(`${count} lines, ${(size / count).toFixed(0)} bytes/line, ${(size / 1e6).toFixed(0)} MB plain`);

  // The same plain bytes from memory in 64 KiB chunks: the reader's own cost, without file reads.
  const inMemory = fs.readFileSync(plain);
  const pieces: Buffer[] = [];
  for (let i = 0; i < inMemory.length; i += 64 * 1024) pieces.push(inMemory.subarray(i, i + 64 * 1024));

  const variants: [string, () => Readable, number][] = [
    ['plain (memory)', () => Readable.from(pieces), inMemory.length],
    ['plain (file)', () => fs.createReadStream(plain), size],
    ['gzip (file)', () => fs.createReadStream(gz), fs.statSync(gz).size],
    ['zstd (file)', () => fs.createReadStream(zst), fs.statSync(zst).size],
  ];
  for (const [name, open, stored] of variants) {
    let best = Infinity;
    for (let run = 0; run < runs; run++) {
      const started = process.hrtime.bigint();
      let lines = 0;
      let chars = 0;
      for await (const records of readLineBatches(open())) {
        lines += records.length;
        for (const r of records) if (r.kind === 'line') chars += r.text.length;
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (lines !== count || chars === 0) throw new Error(`${name}: read ${lines} lines, expected ${count}`);
      best = Math.min(best, seconds);
    }
    const linesPerSecond = `${(count / best / 1e6).toFixed(2)} M lines/s`;
    const text = `${(size / 1e6 / best).toFixed(0)} MB/s of text`;
    const detail = `(${best.toFixed(2)} s, ${(stored / 1e6).toFixed(0)} MB read)`;
    console.log(`${name.padEnd(14)} ${linesPerSecond}  ${text}  ${detail}`);
  }
}

try {
  await main();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
