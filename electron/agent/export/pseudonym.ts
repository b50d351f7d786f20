import crypto from 'node:crypto';

/**
 * Keyed pseudonymisation of user identities in exports: a user becomes `user-` + the first 12 bytes of
 * HMAC-SHA-256(key, user) in hex. The same user gets the same pseudonym under one key (a bundle stays
 * analysable: who did what, how often), different keys give unrelated pseudonyms, and without the key the
 * name cannot be recovered or tested. The key is never written to a bundle; the manifest records only a
 * key id (an HMAC of a fixed label), which lets the key's holder confirm which key was used.
 */
export class Pseudonymizer {
  readonly #key: Buffer;
  readonly #cache = new Map<string, string>();
  /** Identifies the key without revealing it. */
  readonly keyId: string;

  constructor(key: Buffer) {
    if (key.length < 16) throw new Error('A pseudonymisation key needs at least 16 bytes.');
    this.#key = key;
    this.keyId = crypto
      .createHmac('sha256', key)
      .update('audit-explorer pseudonym key id')
      .digest('hex')
      .slice(0, 16);
  }

  /** A fresh random key (pseudonyms then link nothing outside this export). */
  static random(): Pseudonymizer {
    return new Pseudonymizer(crypto.randomBytes(32));
  }

  /** The pseudonym of a user (null stays null). */
  user(user: string | null): string | null {
    if (user === null) return null;
    let pseudonym = this.#cache.get(user);
    if (pseudonym === undefined) {
      pseudonym = `user-${crypto.createHmac('sha256', this.#key).update(user, 'utf8').digest('hex').slice(0, 24)}`;
      // Bounded: the distinct users of an export are a few thousand; past that, compute again.
      if (this.#cache.size < 100_000) this.#cache.set(user, pseudonym);
    }
    return pseudonym;
  }

  /**
   * The raw JSON line with every string value equal to the user (also in the quoted form some exporters
   * use, `"\"alice@x\""`) replaced by the pseudonym, at any depth, keys untouched. Lines that do not
   * mention the user are returned as they are (byte for byte).
   */
  rawLine(raw: string, user: string | null): string {
    if (user === null || user === '' || !raw.includes(jsonInner(user))) return raw;
    const pseudonym = this.user(user)!;
    const quoted = `"${user}"`;
    const replace = (value: unknown): unknown => {
      if (typeof value === 'string') {
        if (value === user) return pseudonym;
        if (value === quoted) return `"${pseudonym}"`;
        return value;
      }
      if (Array.isArray(value)) return value.map(replace);
      if (value !== null && typeof value === 'object') {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) out[k] = replace(v);
        return out;
      }
      return value;
    };
    try {
      return JSON.stringify(replace(JSON.parse(raw)));
    } catch {
      // Stored lines are JSON (they were parsed to become events); should one not be, drop no data but
      // keep no name either.
      return raw.split(jsonInner(user)).join(pseudonym);
    }
  }
}

/** How a string appears inside JSON text (without its quotes). */
function jsonInner(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
