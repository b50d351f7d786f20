import crypto from 'node:crypto';
import zlib from 'node:zlib';
import type { EventLines } from '../store/exportRows.ts';

/**
 * What an evidence bundle holds, and the rules both the exporter and `verify` follow. This module and
 * verify.ts need no database: a bundle is checked with the bundle alone.
 *
 * - `manifest.json`: the description below, as written (its exact bytes are signed).
 * - `manifest.sig`: the Ed25519 signature of those bytes, base64.
 * - `public-key.pem`: the signer's public key (SPKI PEM); pin it with `verify --key`.
 * - every file in `manifest.files`, with its SHA-256 (events.ndjson, events.index, events.csv,
 *   report.html). Nothing else may be in the bundle.
 */

export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.sig';
export const PUBLIC_KEY_FILE = 'public-key.pem';
export const NDJSON_FILE = 'events.ndjson';
export const CSV_FILE = 'events.csv';
export const HTML_FILE = 'report.html';
/**
 * One CRC-32 (4 bytes, big-endian) per line of events.ndjson, in order: lets verify name the exact event
 * that changed. CRC-32 is enough: the index only locates a change, the signed file hashes prove it.
 */
export const INDEX_FILE = 'events.index';

/** Events per checkpoint of the running hash (verify names the range of a damaged event this precisely). */
export const CHECKPOINT_EVERY = 1000;

export const MANIFEST_FORMAT = 'audit-explorer-evidence';

export interface ManifestFile {
  name: string;
  bytes: number;
  sha256: string;
}

export interface ManifestSource {
  source: string;
  object: string;
  etag: string | null;
  /** The object's size when last listed, bytes. */
  size: number | null;
  /** Last modified, epoch ms. */
  modified: number | null;
  /** Bytes of the object read into the database: the events come from bytes [0, bytesIngested). */
  bytesIngested: number;
  /** Events of this object in the export, and the first and last of their line numbers in the object. */
  events: number;
  firstLine: number;
  lastLine: number;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  version: 1;
  tool: { name: string; version: string };
  createdAt: string;
  timeZone: string;
  /** What was exported: a query (with the "now" that `last:` was resolved against) or an investigation. */
  selection: {
    query: string;
    now: string;
    investigation: null | {
      name: string;
      description: string;
      status: string;
      savedSearches: { name: string; query: string }[];
      notes: { eventId: string | null; at: string; body: string }[];
    };
  };
  counts: {
    /** Events the selection matched when the export began. */
    matched: number;
    /** Events written (equal to matched, or the export fails). */
    exported: number;
    byOutcome: Record<string, number>;
  };
  redaction: string;
  pseudonymization: null | { method: 'HMAC-SHA-256'; fields: string[]; keyId: string; note: string };
  sources: ManifestSource[];
  files: ManifestFile[];
  /**
   * The running hash: SHA-256 over every line of events.ndjson (each with its '\n'), in order, and the
   * SHA-256 of each consecutive group of CHECKPOINT_EVERY lines.
   */
  events: { count: number; sha256: string; checkpointEvery: number; checkpoints: string[] };
  signature: { algorithm: 'Ed25519'; publicKeyFile: string; publicKeyFingerprint: string };
}

/**
 * The running hash's checkpoints over exported event lines, and each line's index entry. Lines come a chunk
 * at a time as the bytes written to events.ndjson, so a group is hashed with one update per chunk (per
 * line, hashing was 12% of an export). The running hash over all events is the SHA-256 of events.ndjson,
 * which the file's hash already computes.
 */
export class EventHasher {
  count = 0;
  readonly checkpoints: string[] = [];
  private group = crypto.createHash('sha256');

  /** A chunk of event lines (as written to events.ndjson); returns their events.index entries. */
  addLines({ pieces, ends }: EventLines): Buffer {
    const index = Buffer.allocUnsafe(ends.length * 4);
    let piece = 0;
    let pieceStart = 0;
    let start = 0;
    let groupStart = 0;
    for (let i = 0; i < ends.length; i++) {
      const end = ends[i]!;
      // A line's text is in one piece (its '\n' may be the next one).
      while (piece < pieces.length - 1 && start >= pieceStart + pieces[piece]!.length)
        pieceStart += pieces[piece++]!.length;
      const at = start - pieceStart;
      index.writeUInt32BE(lineCrc(pieces[piece]!.subarray(at, at + end - 1 - start)), i * 4);
      start = end;
      if (++this.count % CHECKPOINT_EVERY === 0) {
        this.hashRange(pieces, groupStart, end);
        this.checkpoints.push(this.group.digest('hex'));
        this.group = crypto.createHash('sha256');
        groupStart = end;
      }
    }
    if (groupStart < start) this.hashRange(pieces, groupStart, start);
    return index;
  }

  /** Adds bytes [from, to) of the pieces taken together to the group's hash. */
  private hashRange(pieces: readonly Buffer[], from: number, to: number): void {
    let at = 0;
    for (const piece of pieces) {
      const lo = Math.max(from, at);
      const hi = Math.min(to, at + piece.length);
      if (lo < hi) this.group.update(piece.subarray(lo - at, hi - at));
      at += piece.length;
      if (at >= to) break;
    }
  }

  /** `sha256`: the SHA-256 of events.ndjson as written (the running hash over every line). */
  finish(sha256: string): { count: number; sha256: string; checkpointEvery: number; checkpoints: string[] } {
    if (this.count % CHECKPOINT_EVERY !== 0) this.checkpoints.push(this.group.digest('hex'));
    return {
      count: this.count,
      sha256,
      checkpointEvery: CHECKPOINT_EVERY,
      checkpoints: this.checkpoints,
    };
  }
}

/** The index entry of one event line (without its '\n'). */
export function lineCrc(line: string | Buffer): number {
  return zlib.crc32(line);
}
