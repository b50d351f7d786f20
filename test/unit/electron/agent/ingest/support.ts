import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { LineReaderOptions, LineRecord } from '../../../../../electron/agent/ingest/lineReader.ts';
import { readLineBatches } from '../../../../../electron/agent/ingest/lineReader.ts';

const dirs: string[] = [];

/** A fresh temp dir per test; {@link removeTempDirs} deletes them. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-line-reader-'));
  dirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes `data` to `name` in a fresh temp dir and returns the path. */
export function fileWith(name: string, data: Buffer | string): string {
  const file = path.join(tempDir(), name);
  fs.writeFileSync(file, data);
  return file;
}

/** A byte stream that hands over `data` in pieces of exactly `size` bytes (object mode keeps them apart). */
export function piecewise(data: Buffer, size: number | (() => number)): Readable {
  let pos = 0;
  return new Readable({
    objectMode: true,
    read() {
      if (pos >= data.length) {
        this.push(null);
        return;
      }
      const n = typeof size === 'number' ? size : Math.max(1, size());
      this.push(data.subarray(pos, pos + n));
      pos += n;
    },
  });
}

export interface Collected {
  records: LineRecord[];
  lines: string[];
  error: unknown;
  bytesRead: number;
  compression: string | undefined;
  unterminated: boolean;
}

/** Reads everything, keeping the records yielded before an error and the error itself. */
export async function collect(source: Readable | string, options?: LineReaderOptions): Promise<Collected> {
  const stream = typeof source === 'string' ? fs.createReadStream(source) : source;
  const reader = readLineBatches(stream, options);
  const records: LineRecord[] = [];
  let error: unknown;
  try {
    for await (const batch of reader) records.push(...batch);
  } catch (err) {
    error = err;
  }
  const lines = records.flatMap((r) => (r.kind === 'line' ? [r.text] : []));
  return {
    records,
    lines,
    error,
    bytesRead: reader.bytesRead,
    compression: reader.compression,
    unterminated: reader.lastLineUnterminated,
  };
}

/** `count` NDJSON lines of about 450 bytes, numbered from 1. */
export function ndjson(count: number, from = 1): string {
  let s = '';
  for (let i = from; i < from + count; i++) s += `${eventLine(i)}\n`;
  return s;
}

export function eventLine(i: number): string {
  return JSON.stringify({
    id: `evt-${i}`,
    time: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(),
    actor: { user: `user${i % 97}@example.com`, ip: `10.0.${i % 256}.${(i * 7) % 256}` },
    action: ['storage.objects.get', 'iam.roles.update', 'compute.instances.delete'][i % 3],
    resource: `projects/p-${i % 13}/zones/europe-west1-b/instances/vm-${(i * 7919) % 100003}`,
    detail: 'x'.repeat(180 + (i % 40)),
  });
}
