/**
 * Redaction (DESIGN §3): before anything is stored or indexed, values under keys that look like secrets
 * are replaced by {@link REDACTED}, at any depth. Prophecy's `setPassword` carries `newPassword`; DronaHQ
 * and Gravitee lines can carry API keys and client secrets in nested objects.
 */

import { JsonTooDeepError, MAX_JSON_DEPTH } from './jsonDepth.ts';

export const REDACTED = '[REDACTED]';

/** Keys whose values are secrets. */
export const SECRET_KEY = /pass(word)?|secret|token|api[-_]?key|authori[sz]ation|credential|private[-_]?key/i;

/** Keys repeat across millions of lines: remember the verdict per key string. */
const verdicts = new Map<string, boolean>();

export function isSecretKey(key: string): boolean {
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    verdict = SECRET_KEY.test(key);
    if (verdicts.size < 100_000) verdicts.set(key, verdict);
  }
  return verdict;
}

/**
 * Replaces secret values in a parsed JSON value, in place, and returns how many it replaced. A value is
 * kept when it is null or a boolean (neither can leak a secret). A string holding a JSON object or array
 * (exporters nest serialised JSON, e.g. DronaHQ's `meta` column) is redacted inside as well. `depth` is
 * the nesting level of `value` (1 for a line's top object; JSON inside a string continues its string's
 * count); throws {@link JsonTooDeepError} past {@link MAX_JSON_DEPTH}.
 */
export function redactInPlace(value: unknown, depth = 1): number {
  if (value === null || typeof value !== 'object') return 0;
  if (depth > MAX_JSON_DEPTH) throw new JsonTooDeepError();
  let count = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'string') {
        const inner = redactEmbeddedJson(item, depth);
        if (inner !== null) {
          value[i] = inner.text;
          count += inner.count;
        }
      } else count += redactInPlace(item, depth + 1);
    }
    return count;
  }
  const obj = value as Record<string, unknown>;
  for (const key in obj) {
    const item = obj[key];
    if (isSecretKey(key)) {
      if (item !== null && typeof item !== 'boolean' && item !== REDACTED) {
        obj[key] = REDACTED;
        count++;
      }
    } else if (typeof item === 'string') {
      const inner = redactEmbeddedJson(item, depth);
      if (inner !== null) {
        obj[key] = inner.text;
        count += inner.count;
      }
    } else count += redactInPlace(item, depth + 1);
  }
  return count;
}

/**
 * A string that holds JSON with secrets in it, redacted and re-serialised; null when there is nothing to do.
 * `depth` is the level of the container holding the string.
 */
function redactEmbeddedJson(text: string, depth: number): { text: string; count: number } | null {
  const first = firstNonSpace(text);
  // Cheap tests first: most strings are not JSON, and most JSON strings carry no secret-looking key.
  if ((first !== 0x7b && first !== 0x5b) || !SECRET_KEY.test(text)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const count = redactInPlace(parsed, depth + 1);
  return count === 0 ? null : { text: JSON.stringify(parsed), count };
}

/** The first character that is not JSON whitespace (JSON.parse accepts leading spaces and newlines). */
function firstNonSpace(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return c;
  }
  return -1;
}

const SECRET_PAIR = new RegExp(
  String.raw`("(?:[^"\\]|\\.)*(?:${SECRET_KEY.source})(?:[^"\\]|\\.)*"\s*:\s*)("(?:[^"\\]|\\.)*"?|[^\s,}\]]+)`,
  'gi',
);

/**
 * Best-effort redaction of text that is not valid JSON (a quarantined line's excerpt): `"apiKey": "…"`
 * pairs lose their value. The line was not parsed, so this works on the text alone.
 */
export function redactText(text: string): string {
  return text.replace(SECRET_PAIR, (_match, head: string, value: string) =>
    value === 'null' || value === 'true' || value === 'false' ? head + value : `${head}"${REDACTED}"`,
  );
}
