/**
 * The normalised audit event (DESIGN §3): every source format maps onto this one shape.
 * Missing fields are null, never guessed.
 */

export const OUTCOMES = ['success', 'failure', 'unknown'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** What a format spec derives from one parsed (and already redacted) line. */
export interface EventFields {
  /** Epoch milliseconds, UTC. */
  ts: number | null;
  user: string | null;
  entity: string | null;
  action: string | null;
  opType: string | null;
  outcome: Outcome;
  /** The format's own status code or level, as text (`"200"`, `"error"`, `"FAILURE"`). */
  status: string | null;
  org: string | null;
  target: string | null;
  ip: string | null;
  userAgent: string | null;
  latencyMs: number | null;
  /** A correlation id when the format has one (Gravitee's transactionId). */
  txn: string | null;
}

/** One stored event: the mapped fields plus where it came from. */
export interface AuditEvent extends EventFields {
  /**
   * 32 hex digits: a keyed hash of the original line (trimmed of whitespace and BOM) under a secret of the
   * database, so the same line is the same event and the id reveals nothing of redacted values.
   */
  id: string;
  /** The format spec that mapped it (`prophecy`, `dronahq`, `gravitee-am`, or a generic mapping's name). */
  format: string;
  /** The configured source it came from (or `import` for one-off `ingest PATH`). */
  source: string;
  /** The object key or file path inside the source. */
  object: string;
  /** 1-based line number inside the object. */
  line: number;
  /** The original JSON after redaction (left out of search results asked for without it). */
  raw?: string;
}

export const EMPTY_FIELDS: Readonly<EventFields> = Object.freeze({
  ts: null,
  user: null,
  entity: null,
  action: null,
  opType: null,
  outcome: 'unknown',
  status: null,
  org: null,
  target: null,
  ip: null,
  userAgent: null,
  latencyMs: null,
  txn: null,
});
