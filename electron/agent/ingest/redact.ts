/**
 * Redaction (DESIGN §3, extended by issue 7.8): before anything is stored or indexed, secrets are replaced
 * by {@link REDACTED} — in the raw line, the full text, the dictionary and quarantine excerpts alike. A
 * value is a secret by its key or by its shape:
 *
 * - **By key, at any depth.** Keys matching {@link SECRET_KEY} (`password`, `newPassword`, `secret`,
 *   `token`, `apiKey`, `authorization`, `credential`, `privateKey`, …) lose their value whatever it is.
 *   Keys whose last word is a short secret word — `pwd`, `auth`, `jwt`, `pin`, `otp`, `sid`, `sig`,
 *   `signature`, `cookie`, `session`, `sessionid`, `session_id`, `access key`, `account key`, … (camelCase,
 *   snake_case and kebab-case split into words) — lose a scalar value; an object under them is searched key
 *   by key (`auth: {type, apiKey}` keeps its type).
 * - **By shape, under any key.** `Bearer …`/`Basic …`/`Token …` credentials, JWTs (`eyJ….eyJ….…`),
 *   `name=value` and `name: value` pairs whose name is a secret key (URL parameters such as
 *   `access_token=`, `sig=`, `X-Amz-Signature=`; connection strings' `AccountKey=`, `Password=`,
 *   `SharedAccessSignature=` up to their `;`; `password=…` in a message), `Cookie:`/`Set-Cookie:` headers,
 *   PEM private keys and well-known token formats (GitHub `ghp_…`, Slack `xox…-`, Stripe `sk_live_…`,
 *   Google `AIza…`).
 * - **Text that is not JSON** (quarantined lines) is redacted by the same patterns, plus `"key": value`
 *   pairs with double or single quotes, escaped key characters (`"p\u0061ssword"`) or no quotes.
 *
 * Values that merely mention a secret word stay: actions such as `setPassword`, event types such as
 * `USER_LOGIN` or `CLIENT_SECRET_RENEWED`, user names, emails and ids are never values of such keys.
 */

import { JsonTooDeepError, MAX_JSON_DEPTH } from './jsonDepth.ts';

export const REDACTED = '[REDACTED]';

/** Keys whose values are secrets whatever they hold. */
export const SECRET_KEY = /pass(word)?|secret|token|api[-_]?key|authori[sz]ation|credential|private[-_]?key/i;

/** Last words of keys whose scalar values are secrets. */
const SECRET_WORDS = new Set([
  'pwd',
  'passwd',
  'auth',
  'jwt',
  'pin',
  'otp',
  'sid',
  'sig',
  'signature',
  'cookie',
  'cookies',
  'session',
  'sessionid',
  'sessid',
  'jsessionid',
  'phpsessid',
  'sas',
]);
/** Last two words of keys whose scalar values are secrets. */
const SECRET_WORD_PAIRS = new Set(['session id', 'access key', 'account key', 'pin code', 'session key']);

/** How a key's value is treated: 0 kept, 1 replaced when it is a scalar, 2 replaced whatever it is. */
type Verdict = 0 | 1 | 2;

/** Keys repeat across millions of lines: remember the verdict per key string. */
const verdicts = new Map<string, Verdict>();

function keyVerdict(key: string): Verdict {
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    verdict = SECRET_KEY.test(key) ? 2 : weakVerdict(key);
    if (verdicts.size < 100_000) verdicts.set(key, verdict);
  }
  return verdict;
}

function weakVerdict(key: string): Verdict {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
  const last = words[words.length - 1];
  if (last === undefined) return 0;
  if (SECRET_WORDS.has(last)) return 1;
  return words.length > 1 && SECRET_WORD_PAIRS.has(`${words[words.length - 2]} ${last}`) ? 1 : 0;
}

/** True when values under `key` are secrets (wholly or when scalar). */
export function isSecretKey(key: string): boolean {
  return keyVerdict(key) !== 0;
}

/**
 * The test before text that was not parsed (a quarantine excerpt, a JSON string that may hold JSON) is
 * searched: the stems of every secret key and the prefixes of every secret shape. `\u` is there because an
 * escaped character could hide a stem in text that was not parsed.
 */
const TRIGGER =
  /pass|secret|token|api.?key|authori|credential|private|pwd|auth|jwt|sess|sid|sig|pin|otp|cookie|key|eyJ|bearer|basic|ssws|negotiate|ntlm|-----BEGIN|gh[pousr]_|github_pat_|xox[abposr]-|[rs]k_(?:live|test)_|AIza|\\u/i;

/**
 * The cheap test before the secret-shape patterns run on a string value of an event: a `=` (pairs, URL
 * parameters, connection strings, cookies), a strong key stem or scheme word, or a known token prefix. Two
 * short patterns, because the time an alternation costs grows with its branches: this is ~0.6× the cost
 * of JSON.parse of the line where one pattern of every stem cost ~2× (measured on the bench corpus). Run
 * on the parsed values, so an escaped character cannot hide a shape from it.
 */
const VALUE_HINT = /pass|secret|token|api.?key|authori|credential|private|bearer|basic|cookie|eyJ/i;
const VALUE_PREFIX =
  /-----BEGIN|gh[pousr]_|github_pat_|xox[abposr]-|[rs]k_(?:live|test)_|AIza|SSWS|NTLM|Negotiate/;

/** True when a string value may hold a secret by shape and must be searched. */
function mayHoldSecret(text: string): boolean {
  return text.length >= 8 && (text.includes('=') || VALUE_HINT.test(text) || VALUE_PREFIX.test(text));
}

/**
 * Replaces secret values in a parsed JSON value, in place, and returns how many it replaced. A value is
 * kept when it is null or a boolean (neither can leak a secret). A string holding a JSON object or array
 * (exporters nest serialised JSON, e.g. DronaHQ's `meta` column) is redacted inside as well, and every
 * other string value is searched for secret shapes. `depth` is the nesting level of `value` (1 for a
 * line's top object; JSON inside a string continues its string's count); throws {@link JsonTooDeepError}
 * past {@link MAX_JSON_DEPTH}.
 */
export function redactInPlace(value: unknown, depth = 1): number {
  if (value === null || typeof value !== 'object') return 0;
  if (depth > MAX_JSON_DEPTH) throw new JsonTooDeepError();
  let count = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'string') {
        const inner = redactStringValue(item, depth);
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
    const verdict = keyVerdict(key);
    if (item === null || typeof item === 'boolean' || item === REDACTED) continue;
    if (verdict === 2 || (verdict === 1 && typeof item !== 'object')) {
      obj[key] = REDACTED;
      count++;
    } else if (typeof item === 'string') {
      const inner = redactStringValue(item, depth);
      if (inner !== null) {
        obj[key] = inner.text;
        count += inner.count;
      }
    } else count += redactInPlace(item, depth + 1);
  }
  return count;
}

/**
 * A string value with its secrets replaced; null when there is nothing to do. `depth` is the level of the
 * container holding the string.
 */
function redactStringValue(text: string, depth: number): { text: string; count: number } | null {
  const first = firstNonSpace(text);
  // JSON held in a string is parsed and walked like the line (its keys decide, as above). Arrays without a
  // `:` hold no object, so no key: a list of field names is the common case and is not parsed.
  if (first === 0x7b || (first === 0x5b && text.includes(':'))) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined; // Not JSON after all (or cut short): searched as text below.
    }
    if (parsed !== undefined) {
      // Outside the try: JSON nested too deep inside a string is a deep line, not text to search.
      const count = redactInPlace(parsed, depth + 1);
      return count === 0 ? null : { text: JSON.stringify(parsed), count };
    }
  }
  if (!mayHoldSecret(text)) return null;
  const counter = { n: 0 };
  const out = redactSecrets(text, counter, false);
  return counter.n === 0 ? null : { text: out, count: counter.n };
}

/** The first character that is not JSON whitespace (JSON.parse accepts leading spaces and newlines). */
function firstNonSpace(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return c;
  }
  return -1;
}

/**
 * Best-effort redaction of text that is not valid JSON (a quarantined line's excerpt): the secret shapes
 * and `key: value` / `key=value` pairs of every quoting style lose their value. The line was not parsed,
 * so this works on the text alone.
 */
export function redactText(text: string): string {
  if (!TRIGGER.test(text)) return text;
  return redactSecrets(text, { n: 0 }, true);
}

// ---------------------------------------------------------------------------------------------------------
// Secret shapes in text.

/** `Bearer <token>` and the other HTTP authorization schemes that carry a credential inline. */
const AUTH_SCHEME = /\b(Bearer|Basic|Token|SSWS|Negotiate|NTLM)(\s+)([A-Za-z0-9._~+/=-]{8,})/gi;
/** Words (possibly hyphenated) after a scheme name are prose ("Basic Information", "Bearer Content-Type"). */
const PROSE = /^[A-Za-z][a-z]*(?:-[A-Za-z][a-z]*)*$/;
const JWT = /\beyJ[\w-]{2,}\.eyJ[\w-]{2,}\.[\w-]*/g;
const KNOWN_TOKENS =
  /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|[rs]k_(?:live|test)_[A-Za-z0-9]{16,}|AIza[\w-]{35})/g;
const PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g;
/** A cookie header in text: everything after it on its line is cookies. */
const COOKIE_HEADER = /\b((?:set-)?cookie2?\s*:\s*)([^\r\n"']+)/gi;

/**
 * A `key <sep> value` pair: the key double-quoted (JSON, escapes allowed), single-quoted or bare; the
 * separator `:` or `=`; the value quoted (possibly cut short by an excerpt) or bare up to a delimiter.
 * Whether the key is a secret is decided in code (escapes decoded), not by the pattern.
 */
const PAIR = new RegExp(
  String.raw`(\\"[^"\\\r\n]{1,100}\\"|"(?:[^"\\\r\n]|\\.){1,100}"|'(?:[^'\\\r\n]|\\.){1,100}'|(?<![\w.\-])[A-Za-z_][\w.\-]{0,99})` +
    String.raw`(\s*[:=]\s*)` +
    String.raw`(\\"(?:[^\\]|\\[^"])*(?:\\")?|"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|[^\s,;&#}\]){\['"\\][^\s,;&#}\])'"\\]*)`,
  'g',
);

/**
 * Replaces every secret in `text`; `counter.n` counts the replacements. `strict` (text that is not JSON):
 * a bare `auth: x` pair counts too, which in a string value of an event is taken for prose.
 */
function redactSecrets(text: string, counter: { n: number }, strict: boolean): string {
  const hit = (): string => {
    counter.n++;
    return REDACTED;
  };
  let out = text;
  out = out.replace(PEM, hit);
  out = out.replace(JWT, hit);
  out = out.replace(KNOWN_TOKENS, hit);
  out = out.replace(AUTH_SCHEME, (match, scheme: string, space: string, token: string) =>
    PROSE.test(token) || token === REDACTED ? match : scheme + space + hit(),
  );
  out = out.replace(COOKIE_HEADER, (match, head: string, value: string) =>
    value.startsWith(REDACTED) ? match : head + hit(),
  );
  return redactPairs(out, counter, strict);
}

function redactPairs(text: string, counter: { n: number }, strict: boolean): string {
  let out = '';
  let at = 0;
  PAIR.lastIndex = 0;
  for (let m = PAIR.exec(text); m !== null; m = PAIR.exec(text)) {
    const [match, rawKey, sep, value] = m as unknown as [string, string, string, string];
    const keyQuote = quoteOf(rawKey);
    const quoted = keyQuote !== '';
    const verdict = keyVerdict(quoted ? unquoteKey(rawKey.slice(keyQuote.length, -keyQuote.length)) : rawKey);
    const valueQuote = quoteOf(value);
    const valueQuoted = valueQuote !== '';
    const bareValue = valueQuoted
      ? value.slice(valueQuote.length, value.endsWith(valueQuote) ? -valueQuote.length : undefined)
      : value;
    const secret =
      verdict !== 0 &&
      // A bare `auth: failed` in a message is prose; `password: x`, `pin="1234"` and `sig=…` are not.
      (strict || quoted || valueQuoted || sep.includes('=') || verdict === 2) &&
      bareValue !== REDACTED &&
      bareValue !== 'null' &&
      bareValue !== 'true' &&
      bareValue !== 'false' &&
      // `newPassword: $newPassword` in a GraphQL payload names a variable; the value travels elsewhere.
      !(sep.includes(':') && !valueQuoted && /^\$[A-Za-z_]\w*$/.test(bareValue));
    if (!secret) {
      // Look inside the value too: `url=https://x/?sig=…` holds a pair of its own.
      PAIR.lastIndex = m.index + rawKey.length + sep.length;
      continue;
    }
    let end = m.index + match.length;
    // A connection string's value runs to its `;` (`Password=two words;`, `SharedAccessSignature=sv=…&sig=…;`).
    if (!valueQuoted && sep.includes('=')) {
      const semi = text.indexOf(';', end);
      const stop = /[\r\n"']/.exec(text.slice(end, semi === -1 ? end : semi));
      if (semi !== -1 && stop === null) end = semi;
    }
    const quote = valueQuoted ? valueQuote : keyQuote === "'" ? '' : keyQuote;
    const replacement = quote + REDACTED + quote;
    counter.n++;
    out += text.slice(at, m.index) + rawKey + sep + replacement;
    at = end;
    PAIR.lastIndex = end;
  }
  return at === 0 ? text : out + text.slice(at);
}

/** How a key or value of a pair is quoted: `"`, `'`, `\"` (JSON inside a JSON string) or not at all. */
function quoteOf(text: string): string {
  if (text[0] === '\\') return '\\"';
  return text[0] === '"' || text[0] === "'" ? text[0] : '';
}

/** A key's characters between its quotes, JSON escapes decoded (`p\u0061ssword` is `password`). */
function unquoteKey(inner: string): string {
  if (!inner.includes('\\')) return inner;
  return inner.replace(
    /\\(?:u([0-9a-fA-F]{4})|(.))/g,
    (_m, hex: string | undefined, c: string | undefined) =>
      hex !== undefined ? String.fromCharCode(parseInt(hex, 16)) : (c ?? ''),
  );
}
