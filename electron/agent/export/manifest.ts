import crypto from 'node:crypto';

/**
 * What an evidence bundle holds, and the rules both the exporter and `verify` follow. This module and
 * verify.ts need no database: a bundle is checked with the bundle alone.
 *
 * - `manifest.json`: the description below, as written (its exact bytes are signed).
 * - `manifest.sig`: the Ed25519 signature of those bytes, base64.
 * - `public-key.pem`: the signer's public key (SPKI PEM); pin it with `verify --key`.
 * - every file in `manifest.files`, with its SHA-256. Nothing else may be in the bundle.
 */

export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.sig';
export const PUBLIC_KEY_FILE = 'public-key.pem';
export const NDJSON_FILE = 'events.ndjson';
export const CSV_FILE = 'events.csv';
export const HTML_FILE = 'report.html';

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

/** Folds exported event lines into the running hash and its checkpoints. */
export class EventHasher {
  count = 0;
  readonly checkpoints: string[] = [];
  private readonly all = crypto.createHash('sha256');
  private group = crypto.createHash('sha256');

  /** One event line, without its '\n'. */
  add(line: string | Buffer): void {
    this.all.update(line);
    this.all.update('\n');
    this.group.update(line);
    this.group.update('\n');
    if (++this.count % CHECKPOINT_EVERY === 0) {
      this.checkpoints.push(this.group.digest('hex'));
      this.group = crypto.createHash('sha256');
    }
  }

  finish(): { count: number; sha256: string; checkpointEvery: number; checkpoints: string[] } {
    if (this.count % CHECKPOINT_EVERY !== 0) this.checkpoints.push(this.group.digest('hex'));
    return {
      count: this.count,
      sha256: this.all.digest('hex'),
      checkpointEvery: CHECKPOINT_EVERY,
      checkpoints: this.checkpoints,
    };
  }
}
