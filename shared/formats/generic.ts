/**
 * Generic mappings: a user maps any NDJSON onto the normalised event by JSON paths, in a config file or
 * the UI. A mapping is validated with {@link GenericMappingSchema} and turned into an ordinary
 * {@link FormatSpec}, so it detects and maps exactly like a built-in format. This is also the quickest
 * way to prototype a new vendor spec.
 */

import { z } from 'zod';
import { defineFormat, FormatSpecError } from './compile.ts';
import { parsePath, PathSyntaxError } from './paths.ts';
import {
  BUILTIN_FORMAT_IDS,
  NUMBER_TRANSFORMS,
  TEXT_TRANSFORMS,
  TIME_TRANSFORMS,
  type FormatSpec,
  type OutcomeRule,
} from './spec.ts';

const PathSchema = z.string().superRefine((path, ctx) => {
  try {
    parsePath(path);
  } catch (error) {
    if (!(error instanceof PathSyntaxError)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message });
  }
});

const PathListSchema = z.union([PathSchema, z.array(PathSchema).min(1, 'list at least one path')]);

function fieldRuleSchema<const T extends readonly [string, ...string[]]>(transforms: T) {
  const source = z.union([
    PathSchema,
    z.strictObject({
      from: PathListSchema,
      as: z.enum(transforms, { error: `"as" must be one of: ${transforms.join(', ')}` }).optional(),
    }),
  ]);
  return z.union([source, z.array(source).min(1, 'list at least one path')]);
}

const TimeRuleSchema = fieldRuleSchema(TIME_TRANSFORMS);
const NumberRuleSchema = fieldRuleSchema(NUMBER_TRANSFORMS);
const TextRuleSchema = fieldRuleSchema(TEXT_TRANSFORMS);

const OutcomeSchema = z
  .strictObject({
    from: PathListSchema,
    httpStatus: z.boolean().optional(),
    failure: z.array(z.string().min(1)).optional(),
    success: z.array(z.string().min(1)).optional(),
  })
  .superRefine((rule, ctx) => {
    const byValues = rule.failure !== undefined || rule.success !== undefined;
    if (rule.httpStatus === true && byValues) {
      ctx.addIssue({ code: 'custom', message: 'use either httpStatus or failure/success values, not both' });
    } else if (rule.httpStatus !== true && (rule.failure === undefined || rule.failure.length === 0)) {
      ctx.addIssue({
        code: 'custom',
        message: 'give the values meaning failure (e.g. failure: ["denied"]) or set httpStatus: true',
      });
    }
  });

/**
 * A generic mapping as a user writes it (JSON/YAML config). Every field is optional; unknown keys are
 * errors, so a typo (`usr`) is reported rather than silently mapping nothing.
 *
 * ```json
 * { "name": "acme", "detect": [["actor", "event"]],
 *   "fields": { "ts": "time", "user": ["actor.email", "actor.id"], "action": "event" },
 *   "outcome": { "from": "result", "failure": ["denied", "error"] } }
 * ```
 */
export const GenericMappingSchema = z.strictObject({
  /** Stored as each event's `format`: lowercase letters, digits and dashes. */
  name: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9-]*$/,
      'use lowercase letters, digits and dashes, starting with a letter or digit',
    )
    .refine((name) => !BUILTIN_FORMAT_IDS.includes(name), {
      message: 'this name belongs to a built-in format; choose another',
    }),
  title: z.string().min(1).optional(),
  docs: z.url().optional(),
  /** Alternatives of paths that must all be present; omit to use the mapping only where a source pins it. */
  detect: z.array(z.array(PathSchema).min(1, 'an alternative lists at least one path')).optional(),
  /** Top-level keys whose value may be a string holding a JSON object. */
  embeddedJson: z.array(z.string().min(1)).optional(),
  fields: z.strictObject({
    ts: TimeRuleSchema.optional(),
    user: TextRuleSchema.optional(),
    entity: TextRuleSchema.optional(),
    action: TextRuleSchema.optional(),
    opType: TextRuleSchema.optional(),
    status: TextRuleSchema.optional(),
    org: TextRuleSchema.optional(),
    target: TextRuleSchema.optional(),
    ip: TextRuleSchema.optional(),
    userAgent: TextRuleSchema.optional(),
    latencyMs: NumberRuleSchema.optional(),
    txn: TextRuleSchema.optional(),
  }),
  outcome: OutcomeSchema.optional(),
  samples: z.array(z.string()).optional(),
});

/** A generic mapping as written (before defaults). */
export type GenericMapping = z.input<typeof GenericMappingSchema>;

/** A mapping that fails validation; `message` lists every problem with its path, one per line. */
export class GenericMappingError extends Error {
  override name = 'GenericMappingError';
  /** The individual problems, for UIs that place them next to inputs. */
  readonly issues: readonly { readonly path: string; readonly message: string }[];

  constructor(message: string, issues: readonly { path: string; message: string }[], options?: ErrorOptions) {
    super(message, options);
    this.issues = issues;
  }
}

function toOutcome(rule: z.output<typeof OutcomeSchema> | undefined): OutcomeRule | undefined {
  if (rule === undefined) return undefined;
  if (rule.httpStatus === true) return { from: rule.from, httpStatus: true };
  return { from: rule.from, failure: rule.failure ?? [], ...(rule.success ? { success: rule.success } : {}) };
}

type Issue = z.core.$ZodIssue;

/** Whether a union branch failed only because the input has another type (nested unions included). */
function rejectsOnlyType(branch: readonly Issue[]): boolean {
  return branch.every(
    (i) =>
      i.path.length === 0 &&
      (i.code === 'invalid_type' || (i.code === 'invalid_union' && i.errors.every(rejectsOnlyType))),
  );
}

const ARTICLE: Readonly<Record<string, string>> = { array: 'an', object: 'an' };

function expectedTypes(issues: readonly Issue[]): string[] {
  return issues.flatMap((i) =>
    i.code === 'invalid_type'
      ? [i.expected]
      : i.code === 'invalid_union'
        ? expectedTypes(i.errors.flat())
        : [],
  );
}

/** Readable problems from zod issues: a failed union reports the branch the input was evidently meant for. */
function describeIssues(
  issues: readonly Issue[],
  prefix: readonly PropertyKey[] = [],
): { path: string; message: string }[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code !== 'invalid_union' || issue.errors.length === 0) {
      return [{ path: path.map(String).join('.') || '(mapping)', message: issue.message }];
    }
    // A branch whose only complaint is the input's type at its root is not the branch the user meant.
    const meant = issue.errors.find((branch) => !rejectsOnlyType(branch));
    if (meant !== undefined) return describeIssues(meant, path);
    const expected = [...new Set(expectedTypes(issue.errors.flat()))].map(
      (type) => `${ARTICLE[type] ?? 'a'} ${type}`,
    );
    const list =
      expected.length > 1 ? `${expected.slice(0, -1).join(', ')} or ${expected.at(-1)}` : expected[0];
    const hint =
      path.at(-1) === 'from' ? 'a path or a list of paths' : 'a path, a list of paths, or { from, as }';
    return [
      {
        path: path.map(String).join('.') || '(mapping)',
        message: `Invalid input: expected ${list} (${hint})`,
      },
    ];
  });
}

/**
 * Validates a mapping (any parsed config value) and builds its {@link FormatSpec}. Throws
 * {@link GenericMappingError} with a readable message when it is invalid.
 */
export function createGenericFormat(input: unknown): FormatSpec {
  const parsed = GenericMappingSchema.safeParse(input);
  if (!parsed.success) {
    const issues = describeIssues(parsed.error.issues);
    const name =
      typeof input === 'object' && input !== null && typeof (input as { name?: unknown }).name === 'string'
        ? ` '${(input as { name: string }).name}'`
        : '';
    throw new GenericMappingError(
      `Generic mapping${name} is invalid:\n${issues.map((i) => `- ${i.path}: ${i.message}`).join('\n')}`,
      issues,
      { cause: parsed.error },
    );
  }
  const mapping = parsed.data;
  const outcome = toOutcome(mapping.outcome);
  const spec: FormatSpec = {
    id: mapping.name,
    title: mapping.title ?? mapping.name,
    ...(mapping.docs === undefined ? {} : { docs: mapping.docs }),
    detect: mapping.detect ?? [],
    ...(mapping.embeddedJson === undefined ? {} : { embeddedJson: mapping.embeddedJson }),
    fields: mapping.fields,
    ...(outcome === undefined ? {} : { outcome }),
    samples: mapping.samples ?? [],
  };
  try {
    return defineFormat(spec);
  } catch (error) {
    // The schema checks everything compilation does; this is a guard against the two drifting apart.
    if (error instanceof FormatSpecError) throw new GenericMappingError(error.message, [], { cause: error });
    throw error;
  }
}
