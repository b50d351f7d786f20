/**
 * How deep a line's JSON may nest. JSON.parse reads any depth, but every walk after it (redaction, the
 * full-text strings, JSON.stringify of a redacted line) recurses once per level: a 30 KB line nested 5,000
 * deep overflowed the stack and ended the import of its whole file. Real audit events nest a handful of
 * levels; 256 leaves room for any payload while keeping every walk a few hundred frames deep.
 */
export const MAX_JSON_DEPTH = 256;

/** A line (or JSON held in one of its strings) nested deeper than {@link MAX_JSON_DEPTH}. */
export class JsonTooDeepError extends Error {
  override name = 'JsonTooDeepError';
  constructor() {
    super(`nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
}
