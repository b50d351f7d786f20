/**
 * The one interface every kind of source (S3, Azure Blob, GCS, a folder) implements for the sync agent:
 * list a prefix page by page with version tokens, open an object from a byte offset conditional on the
 * listed version, and test the connection. Retries and backoff live inside each SDK (configured by the
 * implementation); what reaches the caller is already final for this attempt and classified as
 * permanent or transient.
 */
import { Transform, type Readable } from 'node:stream';

/** One object as a listing shows it. */
export interface RemoteObject {
  /** The key (S3/GCS object name, Azure blob name, or the path relative to a folder source's root). */
  readonly key: string;
  /** Size in bytes, as listed. */
  readonly size: number;
  /** Last modification, epoch ms. */
  readonly modified: number;
  /**
   * An opaque token that changes whenever the content changes: S3 ETag (quotes stripped), Azure ETag
   * (quotes stripped: listings and properties disagree), GCS generation, folder `size-mtimeMs-inode`.
   */
  readonly version: string;
  /**
   * For a folder source: the inode, so a grown file (same inode, bigger) is told apart from a rotated one
   * (new inode under the old name). Null for object stores, where any rewrite is a new version.
   */
  readonly inode?: number | null;
}

/** One page of a listing; `next` is null on the last page. */
export interface ListPage {
  readonly objects: readonly RemoteObject[];
  readonly next: string | null;
}

export interface ListOptions {
  /** Only keys under this prefix (the source's configured prefix). */
  readonly prefix?: string;
  /** The token of the page to fetch; undefined for the first page. */
  readonly pageToken?: string;
  /** Page size hint (tests use 1–2 to exercise paging); the implementation's default otherwise. */
  readonly pageSize?: number;
  /** Aborts the request. */
  readonly signal?: AbortSignal;
}

export interface OpenOptions {
  /** Read from this byte offset to the end (a ranged read); 0 or undefined reads the whole object. */
  readonly offset?: number;
  /**
   * The version the listing showed: the read fails with {@link ObjectChangedError} when the object is no
   * longer that version (S3 If-Match, Azure ifMatch, GCS ifGenerationMatch, folder inode+size check).
   */
  readonly version: string;
  readonly signal?: AbortSignal;
}

/** The object's bytes from the requested offset, as stored (compressed objects are not decompressed). */
export interface OpenedObject {
  /**
   * The bytes. A transfer that breaks fails the stream (`for await`/`pipeline` reject) with a
   * {@link TransientSourceError}, or {@link ObjectChangedError} when the object changed under the reader;
   * it never just ends early, so a short body is never mistaken for the whole object. An aborted
   * `signal` fails it with an `AbortError`.
   */
  readonly body: Readable;
  /** The byte offset the body starts at (the requested offset). */
  readonly offset: number;
}

/** What "test connection" reports. */
export interface ConnectionReport {
  readonly ok: boolean;
  /** A sentence for the user: what was reached, or what went wrong and what to do. */
  readonly message: string;
  /** The objects seen on a first small listing (up to a handful), to show that the prefix is right. */
  readonly sample: readonly string[];
}

export interface Source {
  /** `s3`, `azure`, `gcs` or `folder`. */
  readonly kind: SourceKind;
  list(options: ListOptions): Promise<ListPage>;
  open(key: string, options: OpenOptions): Promise<OpenedObject>;
  test(options?: { prefix?: string; signal?: AbortSignal }): Promise<ConnectionReport>;
  /** Releases clients and sockets. */
  close(): Promise<void>;
}

export type SourceKind = 's3' | 'azure' | 'gcs' | 'folder';

/**
 * A failure the sync agent must not retry on this pass, nor blindly on the next: wrong credentials,
 * missing permission, a bucket or container that does not exist. The message says what to fix.
 */
export class PermanentSourceError extends Error {
  override name = 'PermanentSourceError';
  /** Why: rejected credentials, missing permission, no such bucket/container/folder, or a bad setting. */
  readonly reason: 'auth' | 'forbidden' | 'not_found' | 'bad_config';
  constructor(reason: PermanentSourceError['reason'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}

/** Throttling, 5xx, resets, timeouts left after the SDK's own retries: worth another attempt later. */
export class TransientSourceError extends Error {
  override name = 'TransientSourceError';
}

/** The object is no longer the listed version (changed between list and read): re-list, do not half-read. */
export class ObjectChangedError extends Error {
  override name = 'ObjectChangedError';
  readonly key: string;
  constructor(key: string, options?: { cause?: unknown }) {
    super(`${key} changed since it was listed; it will be read again on the next listing.`, options);
    this.key = key;
  }
}

/**
 * A pass-through for a download's body that fails with {@link TransientSourceError} when the body ends
 * short of (or past) the `expected` bytes the response announced: a broken transfer must never look like a
 * short object. `what` names the object in the message (`bucket/key`).
 */
export function lengthCheckedBody(expected: number | null, what: string): Transform {
  let received = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      callback(null, chunk);
    },
    flush(callback) {
      if (expected !== null && received !== expected) {
        callback(
          new TransientSourceError(
            `${what}: the download ended after ${received} of ${expected} bytes; it will be read again.`,
          ),
        );
      } else callback();
    },
  });
}
