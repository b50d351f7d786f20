/**
 * The declarative description of a source format, in the spirit of lnav's format files: how to recognise
 * a line (`detect`), where each normalised field lives (`fields`, `outcome`), a small `resolve` hook for
 * what is not a path, and the sample lines the format ships with. Adding a vendor means adding a spec;
 * the pipeline (`detectFormat`, `mapEvent`) does not change.
 */

import type { EventFields } from '../event.ts';

/** A parsed JSON line: the ingest pipeline hands over objects only (arrays and scalars are quarantined). */
export type JsonObject = { readonly [key: string]: unknown };

/** One JSON path (see `paths.ts` for the syntax), or several tried in order. */
export type PathList = string | readonly string[];

/**
 * Transforms for `ts`, both yielding epoch milliseconds, UTC: `epochMs` reads a number or digit string
 * (below 1e11: epoch seconds, ×1000); `isoOrEpochMs` also reads an ISO 8601 / RFC 3339 string (no zone =
 * UTC).
 */
export const TIME_TRANSFORMS = ['isoOrEpochMs', 'epochMs'] as const;
/** One of {@link TIME_TRANSFORMS}. */
export type TimeTransform = (typeof TIME_TRANSFORMS)[number];

/** The transform for `latencyMs`: a finite number, or a digit string read as one. */
export const NUMBER_TRANSFORMS = ['number'] as const;
/** One of {@link NUMBER_TRANSFORMS}. */
export type NumberTransform = (typeof NUMBER_TRANSFORMS)[number];

/**
 * Transforms for the text fields: `text` (strings as they are; numbers and booleans as their text;
 * objects and arrays are null), `unquote` (as `text`, with one level of wrapping double quotes removed:
 * `"\"a\""` → `a`), `pascalCase` (`IDENTITY_PROVIDER` → `IdentityProvider`), `firstWordPascalCase` (the
 * first `_`/`-`/`.`/space-separated word, PascalCased: `USER_LOGIN` → `User`).
 */
export const TEXT_TRANSFORMS = ['text', 'unquote', 'pascalCase', 'firstWordPascalCase'] as const;
/** One of {@link TEXT_TRANSFORMS}. */
export type TextTransform = (typeof TEXT_TRANSFORMS)[number];

/** Every transform a field source may name in `as`. */
export type TransformName = TimeTransform | NumberTransform | TextTransform;

/** Paths read with one transform. */
export interface FieldSource<T extends TransformName> {
  readonly from: PathList;
  /** Omitted: the field's default (`isoOrEpochMs` for `ts`, `number` for `latencyMs`, else `text`). */
  readonly as?: T;
}

/**
 * Where a field comes from: a path, a list of paths, a source with a transform, or a list mixing both.
 * Candidates are tried in order and the first that yields a value (after its transform) wins, so a
 * present-but-unusable value (empty string, an object where text is expected) falls through to the next.
 */
export type FieldRule<T extends TransformName> =
  PathList | FieldSource<T> | readonly (string | FieldSource<T>)[];

/** The text-valued fields of {@link EventFields}. */
export type TextField = Exclude<keyof EventFields, 'ts' | 'latencyMs' | 'outcome'>;

/** A rule per mapped field; a field without one is null (its `resolve` hook may still set it). */
export type FieldRules = {
  readonly ts?: FieldRule<TimeTransform>;
  readonly latencyMs?: FieldRule<NumberTransform>;
} & { readonly [K in TextField]?: FieldRule<TextTransform> };

/**
 * How `outcome` is derived. Absent value → `unknown` in both forms.
 * - `httpStatus`: the value read as a number; ≥ 400 is `failure`, below is `success`, not a number is
 *   `unknown`.
 * - `failure`/`success`: the value's text compared case-insensitively; a `failure` value is `failure`, a
 *   `success` value is `success`, anything else `unknown`. Without `success`, every present value that is
 *   not a failure is `success` (DronaHQ: any level but `error`).
 */
export type OutcomeRule =
  | { readonly from: PathList; readonly httpStatus: true }
  | { readonly from: PathList; readonly failure: readonly string[]; readonly success?: readonly string[] };

/** Paths that must all be present (not missing, not null) for a line to be of the format. */
export type DetectRule = readonly string[];

/** Built-in format ids, or a generic mapping's name. */
export type FormatId = 'prophecy' | 'dronahq' | 'gravitee-am' | (string & Record<never, never>);

/** The ids the built-in formats own; a generic mapping may not take one. */
export const BUILTIN_FORMAT_IDS: readonly FormatId[] = Object.freeze(['prophecy', 'dronahq', 'gravitee-am']);

/**
 * Fills what a path cannot express. Runs after the path mapping on the event about to be returned and may
 * overwrite any field; `obj` is the line as the paths saw it (with `embeddedJson` keys decoded).
 */
export type ResolveHook = (event: EventFields, obj: JsonObject) => void;

/** A source format. See the module comment. */
export interface FormatSpec {
  /** Stored as the event's `format`. */
  readonly id: FormatId;
  /** Human name for the UI. */
  readonly title: string;
  /** The vendor's documentation of the schema. */
  readonly docs?: string;
  /**
   * Alternatives: a line is of the format when every path of any one alternative is present. Empty: the
   * format is never detected, only pinned on a source.
   */
  readonly detect: readonly DetectRule[];
  /**
   * Top-level keys whose value may be a string holding a JSON object (DronaHQ database exports store
   * `meta` that way). Such a string is decoded before the paths are read; one that does not decode to an
   * object reads as missing.
   */
  readonly embeddedJson?: readonly string[];
  readonly fields: FieldRules;
  /** Without it every event's outcome is `unknown`. */
  readonly outcome?: OutcomeRule;
  readonly resolve?: ResolveHook;
  /** Real lines of the format, verbatim; a test normalises each. */
  readonly samples: readonly string[];
}
