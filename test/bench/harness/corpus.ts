/**
 * The benchmark corpus: generated once per (events, seed) under test/bench/.corpus/ and reused while its
 * truth.json matches the options and its files are all there.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CorpusTruth } from '../generate.ts';
import { generateCorpus, planCorpus } from '../generate.ts';

export interface Corpus {
  dir: string;
  dataDir: string;
  truth: CorpusTruth;
  /** Uncompressed NDJSON bytes. */
  rawBytes: number;
  /** Bytes on disk. */
  diskBytes: number;
  gzipFiles: number;
  /** Null when reused from the cache. */
  generatedMs: number | null;
}

/** Why a cached corpus cannot be reused, or null when it can. */
function staleReason(dir: string, events: number, seed: number): string | null {
  const truthFile = path.join(dir, 'truth.json');
  if (!fs.existsSync(truthFile)) return 'no truth.json (never generated, or interrupted)';
  let truth: CorpusTruth;
  try {
    truth = JSON.parse(fs.readFileSync(truthFile, 'utf8')) as CorpusTruth;
  } catch {
    return 'truth.json is unreadable';
  }
  const want = planCorpus({ events, seed }).options;
  const have = truth.options;
  const iso = (ms: number) => new Date(ms).toISOString();
  const same =
    truth.seed === want.seed &&
    have.events === want.events &&
    have.files === want.files &&
    have.gzipRatio === want.gzipRatio &&
    have.hostile === want.hostile &&
    have.users === want.users &&
    have.start === iso(want.start) &&
    have.end === iso(want.end) &&
    JSON.stringify(have.formats) === JSON.stringify(want.formats);
  if (!same) return 'truth.json was generated with other options';
  for (const file of truth.files) {
    let size: number;
    try {
      size = fs.statSync(path.join(dir, truth.dataDir, file.path)).size;
    } catch {
      return `${file.path} is missing`;
    }
    if (size !== file.bytes) return `${file.path} has ${size} bytes, truth says ${file.bytes}`;
  }
  return null;
}

/**
 * The uncompressed size of a single-member gzip file: its ISIZE trailer (size mod 2^32; the generator's
 * hourly files are a few MB, and clean corpora have no multi-member files).
 */
function gzipInflatedSize(file: string): number {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const tail = Buffer.alloc(4);
    fs.readSync(fd, tail, 0, 4, size - 4);
    return tail.readUInt32LE(0);
  } finally {
    fs.closeSync(fd);
  }
}

export function corpusSizes(dir: string, truth: CorpusTruth): { raw: number; disk: number; gzip: number } {
  let raw = 0;
  let disk = 0;
  let gzip = 0;
  for (const file of truth.files) {
    const abs = path.join(dir, truth.dataDir, file.path);
    disk += file.bytes;
    if (file.gzip) {
      gzip++;
      raw += gzipInflatedSize(abs);
    } else raw += file.bytes;
  }
  return { raw, disk, gzip };
}

/** Bytes free for an unprivileged writer on the filesystem holding `dir` (or its nearest existing parent). */
export function freeBytes(dir: string): number {
  let probe = path.resolve(dir);
  while (!fs.existsSync(probe)) probe = path.dirname(probe);
  const s = fs.statfsSync(probe);
  return s.bavail * s.bsize;
}

/** Rough bytes per event: the corpus on disk (~380) and the database with its WAL (≤ raw, ~470). */
export const DISK_BYTES_PER_EVENT = 400;
export const DB_BYTES_PER_EVENT = 600;

export function cachedCorpusUsable(dir: string, events: number, seed: number): boolean {
  return staleReason(dir, events, seed) === null;
}

/** The cached corpus for (events, seed), generating it first when missing or stale. */
export async function ensureCorpus(
  root: string,
  events: number,
  seed: number,
  log: (line: string) => void,
): Promise<Corpus> {
  const dir = path.join(root, `${events}-${seed}`);
  const reason = fs.existsSync(dir) ? staleReason(dir, events, seed) : 'not generated yet';
  let generatedMs: number | null = null;
  if (reason !== null) {
    if (fs.existsSync(dir)) {
      // Only ever delete what looks like one of our corpora (data/ and truth.json, nothing else).
      const entries = fs.readdirSync(dir).filter((e) => e !== 'data' && e !== 'truth.json');
      if (entries.length > 0) {
        throw new Error(`${dir} holds more than a corpus (${entries.join(', ')}); remove it by hand`);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
    log(`corpus: generating ${events.toLocaleString('en-US')} events (seed ${seed}) in ${dir} (${reason})`);
    const t0 = performance.now();
    await generateCorpus({ dir, events, seed });
    generatedMs = performance.now() - t0;
    log(
      `corpus: generated in ${(generatedMs / 1000).toFixed(1)} s (${Math.round((events / generatedMs) * 1000).toLocaleString('en-US')} events/s)`,
    );
  } else {
    log(`corpus: reusing ${dir}`);
  }
  const truth = JSON.parse(fs.readFileSync(path.join(dir, 'truth.json'), 'utf8')) as CorpusTruth;
  const sizes = corpusSizes(dir, truth);
  return {
    dir,
    dataDir: path.join(dir, truth.dataDir),
    truth,
    rawBytes: sizes.raw,
    diskBytes: sizes.disk,
    gzipFiles: sizes.gzip,
    generatedMs,
  };
}
