/**
 * Prophecy user events (DESIGN §4): one line per GraphQL operation a user ran, exported hourly under
 * `<namespace>/audit/`.
 */

import { defineFormat } from './compile.ts';
import { memoize } from './memo.ts';
import type { FormatSpec, JsonObject } from './spec.ts';
import { PROPHECY_OPERATIONS } from './tables/prophecyOperations.ts';
import { unquote } from './values.ts';

/** The entity of an action that matches no rule. */
export const PROPHECY_OTHER_ENTITY = 'Other';

/** Operation → entity from the vendor table; the first row wins where an operation is listed twice. */
const OPERATION_ENTITY = new Map<string, string>();
/** Lower-cased entity name → the table's spelling. */
const ENTITY_BY_LOWER_NAME = new Map<string, string>();
/** Operations filed under `Generic` (`removeEntity`, `updateEntity`) name their entity in `entityKind`. */
const KIND_OPERATIONS = new Set<string>();
for (const { entity, operation } of PROPHECY_OPERATIONS) {
  if (!OPERATION_ENTITY.has(operation)) OPERATION_ENTITY.set(operation, entity);
  if (!ENTITY_BY_LOWER_NAME.has(entity.toLowerCase())) ENTITY_BY_LOWER_NAME.set(entity.toLowerCase(), entity);
  if (entity === 'Generic') KIND_OPERATIONS.add(operation);
}
/** Longest first, so that rule 3 finds the longest prefix; names of equal length cannot share a prefix. */
const ENTITIES_LONGEST_FIRST = [...ENTITY_BY_LOWER_NAME].sort(([a], [b]) => b.length - a.length);

/** The entity names the vendor table uses, in table order. */
export const PROPHECY_ENTITIES: readonly string[] = Object.freeze([...ENTITY_BY_LOWER_NAME.values()]);

const entityOfAction = memoize((action: string): string => {
  const listed = OPERATION_ENTITY.get(action);
  if (listed !== undefined) return listed;
  const lower = action.toLowerCase();
  const named = ENTITY_BY_LOWER_NAME.get(lower);
  if (named !== undefined) return named;
  for (const [prefix, name] of ENTITIES_LONGEST_FIRST) if (lower.startsWith(prefix)) return name;
  return PROPHECY_OTHER_ENTITY;
});

/**
 * The entity of a Prophecy action (DESIGN §4), first rule that applies:
 * 1. the action is an operation in the vendor table (exact, case-sensitive): its entity; for the table's
 *    `Generic` operations (`removeEntity`, `updateEntity`), `entityKind` (unwrapped) when it names a table
 *    entity ignoring case, in the table's spelling, else `Generic`;
 * 2. the action equals a table entity ignoring case (`User`);
 * 3. the longest table entity that prefixes the action ignoring case (`ProjectReleaseByProjectIdAndStatus`
 *    → `Project`);
 * 4. `Other`.
 * Null when there is no action. Memoised per action.
 */
export function prophecyEntity(action: string | null, entityKind?: unknown): string | null {
  if (action === null) return null;
  if (KIND_OPERATIONS.has(action)) {
    const kind = unquote(entityKind);
    const named = kind === null ? undefined : ENTITY_BY_LOWER_NAME.get(kind.toLowerCase());
    return named ?? OPERATION_ENTITY.get(action) ?? null;
  }
  return entityOfAction(action);
}

/** Parameter names tried for `target`, best first; `{entity}` is the event's entity. */
export const PROPHECY_TARGET_PARAMS: readonly string[] = Object.freeze([
  '{entity}Id',
  '{entity}Uid',
  'uid',
  'id',
  'projectId',
  'projectUid',
  'email',
  'name',
]);

/** Lower-cased parameter name → its rank in {@link PROPHECY_TARGET_PARAMS}, per entity. */
const targetRanks = memoize((entity: string): ReadonlyMap<string, number> => {
  const ranks = new Map<string, number>();
  PROPHECY_TARGET_PARAMS.forEach((template, rank) => {
    if (entity === '' && template.includes('{entity}')) return;
    const name = template.replace('{entity}', entity).toLowerCase();
    if (!ranks.has(name)) ranks.set(name, rank);
  });
  return ranks;
}, 1000);

/**
 * The target of a Prophecy event: among `requestParams`, the parameter that comes first in
 * {@link PROPHECY_TARGET_PARAMS} (names compared ignoring case; `{entity}` is the event's entity), skipping
 * ones whose value is empty or not a scalar; its value unwrapped of quotes. Two keys differing only in case
 * (`uid`, `UID`): the first in the line wins. Null when no parameter qualifies.
 */
export function prophecyTarget(entity: string | null, requestParams: unknown): string | null {
  if (typeof requestParams !== 'object' || requestParams === null || Array.isArray(requestParams))
    return null;
  const params = requestParams as JsonObject;
  const ranks = targetRanks(entity ?? '');
  let best = Number.POSITIVE_INFINITY;
  let target: string | null = null;
  for (const key in params) {
    const rank = ranks.get(key.toLowerCase());
    if (rank === undefined || rank >= best || !Object.hasOwn(params, key)) continue;
    const text = unquote(params[key]);
    if (text !== null) {
      best = rank;
      target = text;
    }
  }
  return target;
}

/** Prophecy user events. */
export const prophecyFormat: FormatSpec = defineFormat({
  id: 'prophecy',
  title: 'Prophecy user events',
  docs: 'https://docs.prophecy.io/administration/audit-logging',
  detect: [['nameHints', 'createdAt']],
  fields: {
    ts: { from: 'createdAt', as: 'epochMs' },
    user: 'userEmail',
    action: 'nameHints[0]',
    opType: 'opType',
    status: 'responseCode',
    org: 'customerName',
    latencyMs: 'latencyInMillis',
    // entity and target: resolve below.
  },
  outcome: { from: 'responseCode', httpStatus: true },
  resolve(event, obj) {
    const params = obj.requestParams;
    const kind =
      typeof params === 'object' && params !== null ? (params as JsonObject).entityKind : undefined;
    event.entity = prophecyEntity(event.action, kind);
    event.target = prophecyTarget(event.entity, params);
  },
  samples: [
    String.raw`{"opType": "Query", "createdAt": 1690610557857, "nameHints": ["User"], "userEmail": "prophecy-system@prophecy.io", "customerName": "prophecy.io", "responseCode": 200, "requestParams": {"email": "\"adminuser@prophecy.io\""}, "requestPayload": "[\"_id\",\"name\",\"firstName\",\"lastName\",\"email\",\"created\",\"createdBy\",\"aspects(aspect:[Info]){AspectName AspectValue}\"]", "latencyInMillis": 11}`,
    String.raw`{"opType": "Query", "createdAt": 1690552930350, "nameHints": ["ProjectReleaseByProjectIdAndStatus"], "userEmail": "prophecy-system@prophecy.io", "customerName": "prophecy.io", "responseCode": 200, "requestParams": {"statuses": "[Pending,Running,Retrying]"}, "requestPayload": "[\"_id\",\"releaseTag\",\"status\",\"attempt\",\"createdBy\",\"project{_id name}\"]", "latencyInMillis": 5}`,
    String.raw`{"opType": "Query", "createdAt": 1690610557967, "nameHints": ["User"], "userEmail": "prophecy-system@prophecy.io", "customerName": "prophecy.io", "responseCode": 200, "requestParams": {"email": "\"adminuser@prophecy.io\""}, "requestPayload": "[\"_id\",\"name\",\"firstName\",\"lastName\",\"email\",\"created\",\"createdBy\",\"aspects(aspect:[Info]){AspectName AspectValue}\"]", "latencyInMillis": 10}`,
  ],
});
