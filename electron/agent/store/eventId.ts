import { hash, randomBytes } from 'node:crypto';
import type { Db } from './open.ts';
import { getSetting } from './settings.ts';

/**
 * Event identity (DESIGN §3, revised). An id is exported beside the redacted line, so it must not let
 * anyone who guesses a redacted value check the guess: an unsalted hash of the original line did (hash the
 * exported line with candidate passwords filled in, compare). So the id is keyed with a secret of the
 * database:
 *
 *   id = first 16 bytes of HMAC-SHA-256(K, digest),  digest = first 16 bytes of SHA-256(trimmed line)
 *
 * K is 32 random bytes made when the database is created (migration 0020), kept in `settings` under
 * {@link EVENT_ID_KEY_SETTING}, and never exported or printed. The same line in the same database always
 * gets the same id, so dedupe stays exact; the same line in another database gets another id.
 *
 * Why HMAC over the line's digest rather than over the line: the digest is exactly what databases before
 * 0020 stored as the id, so the migration can re-key every stored event — redacted ones included, whose
 * original line is gone — and old and new events share one scheme. It also keeps the hot path cheap: the
 * line is hashed once, and the keyed step hashes two fixed-size blocks (measured ~0.4 µs per line on top
 * of the ~0.5 µs SHA-256 of a 300-byte line; `createHmac` per line costs ~2 µs).
 */

/** The settings key of the per-database id key (hex). Never exported, printed or logged. */
export const EVENT_ID_KEY_SETTING = 'event_id_key';

/** Bytes of an event id. */
export const EVENT_ID_BYTES = 16;

const BLOCK = 64;

/** A new random id key, as stored in settings (hex). */
export function newEventIdKey(): string {
  return randomBytes(32).toString('hex');
}

/** The database's id key (hex); throws when it has none (a database that skipped migration 0020). */
export function readEventIdKey(db: Db): string {
  const key = getSetting(db, EVENT_ID_KEY_SETTING);
  if (key === null || !/^[0-9a-f]{64}$/.test(key)) {
    throw new Error(
      `The database ${db.name} has no event id key (settings.${EVENT_ID_KEY_SETTING}): it was not migrated ` +
        'by this version. Open it once with a writable --db so its migrations run.',
    );
  }
  return key;
}

/**
 * Computes keyed event ids. HMAC-SHA-256 written out with its two padded key blocks prepared once, so a
 * line costs three `crypto.hash` calls on strings and small reused buffers, and no object per line.
 */
export class EventIdHasher {
  private readonly inner = Buffer.alloc(BLOCK + EVENT_ID_BYTES);
  private readonly outer = Buffer.alloc(BLOCK + 32);

  /** `keyHex`: the database's key (from {@link readEventIdKey}). */
  constructor(keyHex: string) {
    const key = Buffer.from(keyHex, 'hex');
    if (key.length === 0 || key.length > BLOCK) throw new Error('An event id key is 1 to 64 bytes.');
    for (let i = 0; i < BLOCK; i++) {
      const k = i < key.length ? key[i]! : 0;
      this.inner[i] = k ^ 0x36;
      this.outer[i] = k ^ 0x5c;
    }
  }

  /**
   * The id of a line (already trimmed of whitespace and BOM), as a latin1 string of 16 chars (one per
   * byte): asking node:crypto for a string is ~2.5× faster than for a Buffer, whose allocation dominates.
   */
  ofLine(trimmed: string): string {
    return this.ofDigest(hash('sha256', trimmed, 'binary'));
  }

  /**
   * The id for a line's plain digest (the first 16 bytes of its SHA-256, as latin1 chars or bytes): what
   * migration 0020 applies to the ids stored before it.
   */
  ofDigest(digest: string | Uint8Array): string {
    if (typeof digest === 'string') this.inner.write(digest, BLOCK, EVENT_ID_BYTES, 'latin1');
    else this.inner.set(digest.subarray(0, EVENT_ID_BYTES), BLOCK);
    this.outer.write(hash('sha256', this.inner, 'binary'), BLOCK, 32, 'latin1');
    return hash('sha256', this.outer, 'binary').slice(0, EVENT_ID_BYTES);
  }
}
