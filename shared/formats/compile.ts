/**
 * Turns a declarative {@link FormatSpec} into two closures, `detect` and `map`, once per spec. Every path
 * is parsed and every transform looked up here, so the per-event work is property reads and the
 * transforms themselves.
 */

import { EMPTY_FIELDS, type EventFields, type Outcome } from '../event.ts';
import { compileGetter, parsePath, PathSyntaxError, type Getter } from './paths.ts';
import type {
  FieldRule,
  FieldSource,
  FormatSpec,
  JsonObject,
  NumberTransform,
  OutcomeRule,
  PathList,
  TextTransform,
  TimeTransform,
  TransformName,
} from './spec.ts';
import {
  firstWordPascalCase,
  pascalCase,
  toEpochMs,
  toNumber,
  toText,
  toTimestamp,
  unquote,
} from './values.ts';

/** A spec that cannot be compiled (bad path, unknown transform, empty detect alternative). */
export class FormatSpecError extends Error {
  override name = 'FormatSpecError';
}

/** A spec ready for the hot path. */
export interface CompiledFormat {
  readonly spec: FormatSpec;
  /** Whether the line has the keys of one of the spec's `detect` alternatives. */
  readonly detect: (obj: JsonObject) => boolean;
  /** The normalised fields of a line (a new object each call). */
  readonly map: (obj: JsonObject) => EventFields;
}

type Extractor<T> = (obj: JsonObject) => T | null;
type Transform<T> = (value: unknown) => T | null;

const TIME_FNS: Readonly<Record<TimeTransform, Transform<number>>> = {
  epochMs: toEpochMs,
  isoOrEpochMs: toTimestamp,
};
const NUMBER_FNS: Readonly<Record<NumberTransform, Transform<number>>> = { number: toNumber };
const TEXT_FNS: Readonly<Record<TextTransform, Transform<string>>> = {
  text: toText,
  unquote,
  pascalCase,
  firstWordPascalCase,
};

const none = (): null => null;

/** The keys a spec's `fields` may have: every event field but `outcome`, which has its own rule. */
const FIELD_KEYS: ReadonlySet<string> = new Set(Object.keys(EMPTY_FIELDS).filter((key) => key !== 'outcome'));

function pathsOf(from: PathList): readonly string[] {
  return typeof from === 'string' ? [from] : from;
}

function getterFor(spec: FormatSpec, path: string): Getter {
  try {
    return compileGetter(parsePath(path));
  } catch (error) {
    if (error instanceof PathSyntaxError) {
      throw new FormatSpecError(`Format '${spec.id}': ${error.message}`, { cause: error });
    }
    throw error;
  }
}

function sourcesOf<N extends TransformName>(rule: FieldRule<N>): (string | FieldSource<N>)[] {
  if (typeof rule === 'string') return [rule];
  if (Array.isArray(rule)) return [...(rule as readonly (string | FieldSource<N>)[])];
  return [rule as FieldSource<N>];
}

/** The extractor for one field: each candidate path with its transform, first non-null wins. */
function compileField<N extends TransformName, T>(
  spec: FormatSpec,
  field: string,
  rule: FieldRule<N> | undefined,
  transforms: Readonly<Record<N, Transform<T>>>,
  fallback: N,
): Extractor<T> {
  if (rule === undefined) return none;
  const steps: { get: Getter; apply: Transform<T> }[] = [];
  for (const source of sourcesOf(rule)) {
    const { from, as = fallback } = typeof source === 'string' ? { from: source } : source;
    if (!Object.hasOwn(transforms, as)) {
      const allowed = Object.keys(transforms).join(', ');
      throw new FormatSpecError(
        `Format '${spec.id}': field '${field}' cannot use '${as}' (allowed: ${allowed}).`,
      );
    }
    for (const path of pathsOf(from)) steps.push({ get: getterFor(spec, path), apply: transforms[as] });
  }
  const [first, second] = steps;
  if (first === undefined) return none;
  if (second === undefined) {
    const { get, apply } = first;
    return (obj) => apply(get(obj));
  }
  if (steps.length === 2) {
    const { get: get1, apply: apply1 } = first;
    const { get: get2, apply: apply2 } = second;
    return (obj) => apply1(get1(obj)) ?? apply2(get2(obj));
  }
  return (obj) => {
    for (const { get, apply } of steps) {
      const value = apply(get(obj));
      if (value !== null) return value;
    }
    return null;
  };
}

function compileOutcome(spec: FormatSpec, rule: OutcomeRule | undefined): (obj: JsonObject) => Outcome {
  if (rule === undefined) return () => 'unknown';
  if ('httpStatus' in rule) {
    const code = compileField(spec, 'outcome', rule.from, NUMBER_FNS, 'number');
    return (obj) => {
      const n = code(obj);
      return n === null ? 'unknown' : n >= 400 ? 'failure' : 'success';
    };
  }
  const text = compileField(spec, 'outcome', rule.from, TEXT_FNS, 'text');
  // Exact sets answer the usual case without lower-casing; the lower-case sets make matching
  // case-insensitive for exporters that change case between versions.
  const failure = new Set(rule.failure);
  const failureLower = new Set(rule.failure.map((v) => v.toLowerCase()));
  const success = rule.success === undefined ? null : new Set(rule.success);
  const successLower = rule.success === undefined ? null : new Set(rule.success.map((v) => v.toLowerCase()));
  return (obj) => {
    const value = text(obj);
    if (value === null) return 'unknown';
    if (failure.has(value)) return 'failure';
    if (success !== null && success.has(value)) return 'success';
    const lower = value.toLowerCase();
    if (failureLower.has(lower)) return 'failure';
    return successLower === null || successLower.has(lower) ? 'success' : 'unknown';
  };
}

function compileDetect(spec: FormatSpec): (obj: JsonObject) => boolean {
  const alternatives = spec.detect.map((paths, index) => {
    if (paths.length === 0) {
      throw new FormatSpecError(`Format '${spec.id}': detect alternative ${index + 1} lists no paths.`);
    }
    return paths.map((path) => getterFor(spec, path));
  });
  if (alternatives.length === 0) return () => false;
  return (obj) => {
    for (const getters of alternatives) {
      let all = true;
      for (const get of getters) {
        if (get(obj) == null) {
          all = false;
          break;
        }
      }
      if (all) return true;
    }
    return false;
  };
}

/** Decodes a string holding a JSON object; anything else reads as missing. */
function decodeObject(text: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as JsonObject)
      : undefined;
  } catch {
    return undefined;
  }
}

function compileEmbedded(spec: FormatSpec): ((obj: JsonObject) => JsonObject) | null {
  const keys = spec.embeddedJson ?? [];
  if (keys.length === 0) return null;
  return (obj) => {
    // Copy only when a key actually holds a string: the caller's object is never mutated, and lines that
    // already carry objects cost nothing.
    let copy: Record<string, unknown> | null = null;
    for (const key of keys) {
      const value = obj[key];
      if (typeof value === 'string') {
        copy ??= { ...obj };
        copy[key] = decodeObject(value);
      }
    }
    return copy ?? obj;
  };
}

function compileMap(spec: FormatSpec): (obj: JsonObject) => EventFields {
  const f = spec.fields;
  const text = (field: Exclude<keyof typeof f, 'ts' | 'latencyMs'>): Extractor<string> =>
    compileField(spec, field, f[field], TEXT_FNS, 'text');
  const ts = compileField(spec, 'ts', f.ts, TIME_FNS, 'isoOrEpochMs');
  const latencyMs = compileField(spec, 'latencyMs', f.latencyMs, NUMBER_FNS, 'number');
  const user = text('user');
  const entity = text('entity');
  const action = text('action');
  const opType = text('opType');
  const status = text('status');
  const org = text('org');
  const target = text('target');
  const ip = text('ip');
  const userAgent = text('userAgent');
  const txn = text('txn');
  const outcome = compileOutcome(spec, spec.outcome);
  const decode = compileEmbedded(spec);
  const resolve = spec.resolve;
  for (const key of Object.keys(f)) {
    if (!FIELD_KEYS.has(key)) throw new FormatSpecError(`Format '${spec.id}': unknown field '${key}'.`);
  }
  return (line) => {
    const obj = decode === null ? line : decode(line);
    // One object literal in a fixed key order keeps every event the same hidden class.
    const event: EventFields = {
      ts: ts(obj),
      user: user(obj),
      entity: entity(obj),
      action: action(obj),
      opType: opType(obj),
      outcome: outcome(obj),
      status: status(obj),
      org: org(obj),
      target: target(obj),
      ip: ip(obj),
      userAgent: userAgent(obj),
      latencyMs: latencyMs(obj),
      txn: txn(obj),
    };
    if (resolve !== undefined) resolve(event, obj);
    return event;
  };
}

const compiled = new WeakMap<FormatSpec, CompiledFormat>();

/**
 * The compiled form of a spec, built on first use and cached per spec object (treat specs as immutable
 * once used). Throws {@link FormatSpecError} for a spec that cannot be compiled.
 */
export function compileFormat(spec: FormatSpec): CompiledFormat {
  let result = compiled.get(spec);
  if (result === undefined) {
    result = Object.freeze({ spec, detect: compileDetect(spec), map: compileMap(spec) });
    compiled.set(spec, result);
  }
  return result;
}

/**
 * Declares a spec: compiles it now, so a mistake fails when the module loads rather than on the first
 * line, and returns the same object, frozen.
 */
export function defineFormat<S extends FormatSpec>(spec: S): S {
  compileFormat(Object.freeze(spec));
  return spec;
}
