import type { EventFields } from '../../../shared/event.ts';
import type { EventIdHasher } from '../store/eventId.ts';
import { detectFormat, mapEvent, type FormatSpec, type JsonObject } from '../../../shared/formats/index.ts';
import { JsonTooDeepError, MAX_JSON_DEPTH } from './jsonDepth.ts';
import { redactInPlace, redactText } from './redact.ts';

/** What the pipeline needs of a source to turn its lines into events. */
export interface PrepareOptions {
  /** Formats tried per line, in order (built-ins plus the source's generic mappings). */
  readonly formats: readonly FormatSpec[];
  /** A format pinned on the source: every line is read as this format, no detection. */
  readonly pinned?: FormatSpec | null;
  /** Replace secret values before storage and indexing (on by default, per source). */
  readonly redact: boolean;
  /** Makes event ids with the database's key (see eventId.ts). */
  readonly ids: EventIdHasher;
}

/** One line made ready for the writer. */
export interface PreparedEvent {
  readonly kind: 'event';
  /** The keyed id of the trimmed line (eventId.ts), as a latin1 string of 16 chars (one per byte). */
  readonly id: string;
  readonly fields: EventFields;
  readonly format: string;
  /** The line as stored: the original when nothing was redacted, else the redacted JSON. */
  readonly raw: string;
  /**
   * The string values of the redacted event for the full-text index: all of them except those that are
   * the event's dictionary values (user, action, …), which free text finds through the dictionary.
   */
  readonly text: string;
  readonly redacted: number;
}

/** A line that is not an event, with the reason it was quarantined. */
export interface RejectedLine {
  readonly kind: 'bad';
  readonly reason: string;
  readonly excerpt: string;
}

/** The fields that decide what an event's full text leaves out. */
export type TextFields = Pick<
  EventFields,
  'user' | 'action' | 'opType' | 'status' | 'org' | 'userAgent' | 'target' | 'ip' | 'txn'
>;

/** Quarantine keeps at most this much of a bad line. */
export const EXCERPT_CHARS = 1024;

/** Turns one line of text into an event or a reason it is not one. Never throws. */
export function prepareLine(line: string, options: PrepareOptions): PreparedEvent | RejectedLine {
  const trimmed = line.trim();
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (error) {
    return reject(notJsonReason(error), trimmed, options);
  }
  try {
    return prepareValue(value, trimmed, options);
  } catch (error) {
    // One line nested thousands deep is one bad line: the walks below stop at MAX_JSON_DEPTH.
    if (error instanceof JsonTooDeepError) return reject(error.message, trimmed, options);
    throw error;
  }
}

function prepareValue(
  value: unknown,
  trimmed: string,
  options: PrepareOptions,
): PreparedEvent | RejectedLine {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const found = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    return reject(`not a JSON object (found ${found})`, redactedExcerpt(value, trimmed, options), options);
  }
  // Secrets go before anything else reads the value: the event, or the excerpt of a line that is not one.
  const redacted = options.redact ? redactInPlace(value) : 0;
  const obj = value as Record<string, unknown>;
  const spec = options.pinned ?? detectFormat(obj as JsonObject, options.formats);
  if (spec === null) {
    const keys = Object.keys(obj).slice(0, 8).join(', ');
    return reject(
      `no known format matches this line (its keys: ${keys || 'none'})`,
      // The redacted value re-serialised: the text rules alone cannot see into JSON held in a string.
      redacted > 0 ? JSON.stringify(obj) : trimmed,
      options,
    );
  }
  const fields = mapEvent(spec, obj as JsonObject);
  // Before JSON.stringify, which recurses too: the full-text walk checks the depth whether or not
  // redaction ran.
  const text = eventText(obj, spec, fields);
  return {
    kind: 'event',
    id: options.ids.ofLine(trimmed),
    fields,
    format: spec.id,
    raw: redacted > 0 ? JSON.stringify(obj) : trimmed,
    text,
    redacted,
  };
}

/**
 * The full-text index's text of an event: its (redacted) parsed line read as `spec`, less its dictionary
 * values. Deterministic, so the index can be rebuilt from the stored raw lines (migration 0020 does).
 */
export function eventText(
  obj: Record<string, unknown>,
  spec: Pick<FormatSpec, 'embeddedJson'>,
  fields: TextFields,
): string {
  return fullText(decodeEmbeddedJson(obj, spec), dictionaryValues(fields));
}

/**
 * The event's values that free text finds through the dictionary, and so leaves out of its own text —
 * unless one is also its target, IP or transaction id, which are looked up in the text.
 */
function dictionaryValues(f: TextFields): (string | null)[] {
  const keep = (v: string | null) => (v === f.target || v === f.ip || v === f.txn ? null : v);
  return [keep(f.user), keep(f.action), keep(f.opType), keep(f.status), keep(f.org), keep(f.userAgent)];
}

/**
 * The line with its format's embedded JSON strings (DronaHQ database rows keep `meta` as a JSON string)
 * replaced by what they hold, so the full text indexes their values, not their key names.
 */
function decodeEmbeddedJson(obj: Record<string, unknown>, spec: Pick<FormatSpec, 'embeddedJson'>): unknown {
  if (spec.embeddedJson === undefined) return obj;
  let copy: Record<string, unknown> | null = null;
  for (const key of spec.embeddedJson) {
    const value = obj[key];
    if (typeof value !== 'string') continue;
    try {
      const decoded: unknown = JSON.parse(value);
      if (decoded !== null && typeof decoded === 'object') (copy ??= { ...obj })[key] = decoded;
    } catch {
      // Not JSON after all: indexed as the text it is.
    }
  }
  return copy ?? obj;
}

/**
 * The excerpt of a parsed line that is not an event: the value redacted and re-serialised when redaction
 * found something (the text rules alone cannot see into JSON held in a string, its quotes are escaped),
 * else the line, which reject() redacts as text.
 */
function redactedExcerpt(value: unknown, trimmed: string, options: PrepareOptions): string {
  if (!options.redact) return trimmed;
  try {
    return redactInPlace(value) > 0 ? JSON.stringify(value) : trimmed;
  } catch (error) {
    if (error instanceof JsonTooDeepError) return trimmed;
    throw error;
  }
}

/**
 * Why a line is not JSON, without quoting it: V8's message repeats part of the line, which may hold a
 * secret that redaction could not find in text that does not parse.
 */
function notJsonReason(error: unknown): string {
  const message = (error as Error).message;
  const position = /position (\d+)/.exec(message);
  if (/Unexpected end of JSON input|Unterminated string/.test(message))
    return 'not JSON: the line ends before the JSON does';
  return position ? `not JSON: unexpected character at column ${Number(position[1]) + 1}` : 'not JSON';
}

/** Text read past the excerpt's end before redacting, so a secret that straddles the cut is still seen. */
const REDACT_LOOKAHEAD = 4096;

function reject(reason: string, text: string, options: PrepareOptions): RejectedLine {
  const window = options.redact ? redactText(text.slice(0, EXCERPT_CHARS + REDACT_LOOKAHEAD)) : text;
  const excerpt = window.length > EXCERPT_CHARS ? window.slice(0, EXCERPT_CHARS) : window;
  return { kind: 'bad', reason, excerpt };
}

/**
 * The text the full-text index sees: every string value at any depth, each distinct value once, one per
 * line, leaving out `exclude` (the event's dictionary values). Deterministic for a given parsed event, so
 * the index can be rebuilt from the stored raw lines. Throws {@link JsonTooDeepError} for a value nested
 * deeper than {@link MAX_JSON_DEPTH}.
 */
export function fullText(value: unknown, exclude: readonly (string | null)[] = []): string {
  const out: string[] = [];
  collectStrings(value, { out, seen: null, exclude }, 1);
  return out.join('\n');
}

interface Collector {
  out: string[];
  /** Made once an event has many strings; a few short comparisons beat a Set for the usual ten or twenty. */
  seen: Set<string> | null;
  exclude: readonly (string | null)[];
}

/** `depth`: the nesting level of `value` if it is an object or array (1 for the line's top object). */
function collectStrings(value: unknown, c: Collector, depth: number): void {
  if (typeof value === 'string') {
    if (value === '' || c.exclude.includes(value)) return;
    if (c.seen === null) {
      if (c.out.includes(value)) return;
      if (c.out.length >= 32) c.seen = new Set(c.out);
    } else if (c.seen.has(value)) return;
    c.seen?.add(value);
    c.out.push(value);
  } else if (Array.isArray(value)) {
    if (depth > MAX_JSON_DEPTH) throw new JsonTooDeepError();
    for (const item of value) collectStrings(item, c, depth + 1);
  } else if (value !== null && typeof value === 'object') {
    if (depth > MAX_JSON_DEPTH) throw new JsonTooDeepError();
    for (const key in value) collectStrings((value as Record<string, unknown>)[key], c, depth + 1);
  }
}
