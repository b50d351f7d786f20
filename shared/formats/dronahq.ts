/**
 * DronaHQ audit logger (DESIGN §4), in both shapes it writes: the external logger's
 * `{level, msg, meta: {time, user-email, event-id, …}}` and the managed (database) logger's row
 * `{id, level, message, meta, timestamp}`, whose `meta` real exports often hold as a JSON string.
 */

import { defineFormat } from './compile.ts';
import { memoize } from './memo.ts';
import type { FormatSpec } from './spec.ts';
import { firstWordPascalCase } from './values.ts';

/** Event ids that are a subject of their own. */
const EXACT_ENTITIES: ReadonlyMap<string, string> = new Map([
  ['db_query', 'Connector'],
  ['api_call', 'Connector'],
]);

/** Event-id prefixes and the entity they name (DESIGN §4). */
export const DRONAHQ_ENTITY_PREFIXES: readonly (readonly [prefix: string, entity: string])[] = Object.freeze([
  ['user_', 'User'],
  ['admin_', 'User'],
  ['app_', 'App'],
  ['connectors_', 'Connector'],
  ['group_', 'Group'],
  ['environment_', 'Environment'],
  ['template_', 'Template'],
  ['catalog_', 'Catalog'],
  ['settings_', 'Settings'],
  ['public_access_', 'App'],
  ['organizational_access_', 'App'],
]);

const entityOfEventId = memoize((eventId: string): string | null => {
  const id = eventId.toLowerCase();
  const exact = EXACT_ENTITIES.get(id);
  if (exact !== undefined) return exact;
  for (const [prefix, entity] of DRONAHQ_ENTITY_PREFIXES) if (id.startsWith(prefix)) return entity;
  return firstWordPascalCase(eventId);
});

/**
 * The entity of a DronaHQ event id: `db_query` and `api_call` → `Connector`; else the first matching
 * prefix of {@link DRONAHQ_ENTITY_PREFIXES} (ids compared ignoring case); else the id's first
 * `_`-separated word in PascalCase (`widget_added` → `Widget`). Null without an id. Memoised per id.
 */
export function dronahqEntity(eventId: string | null): string | null {
  return eventId === null ? null : entityOfEventId(eventId);
}

/** DronaHQ audit logger. */
export const dronahqFormat: FormatSpec = defineFormat({
  id: 'dronahq',
  title: 'DronaHQ audit logger',
  docs: 'https://docs.dronahq.com/audit-logger/overview',
  // External logger; database-logger row (its `id` is not required: exports that select columns drop it).
  detect: [
    ['level', 'msg', 'meta'],
    ['level', 'message', 'meta', 'timestamp'],
  ],
  embeddedJson: ['meta'],
  fields: {
    ts: { from: ['meta.time', 'timestamp'], as: 'isoOrEpochMs' },
    user: 'meta.user-email',
    action: 'meta.event-id',
    opType: 'meta.resource-action',
    status: 'level',
    org: 'meta.organization-id',
    target: 'meta.resource-name',
    userAgent: 'meta.user-agent',
    // entity: resolve below.
  },
  outcome: { from: 'level', failure: ['error'] },
  resolve(event) {
    event.entity = dronahqEntity(event.action);
  },
  samples: [
    String.raw`{"level": "info", "msg": "DB Connector Query Execute", "meta": {"time": 1698747079624, "organization-id": "DRONA5_Team1809", "environment": "Production", "user-email": "test@studio.com", "resource-id": 20253, "resource-name": "getAuthor", "resource-type": "mysql", "resource-action": "runapi", "parent-name": "Login", "parent-type": "mysql", "resource-meta": {"env_id": 1, "env_name": "Production"}, "event-id": "db_query", "source": "automation", "user-agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36", "resource-group-id": 6625}}`,
    String.raw`{"level": "error", "msg": "User Logged In", "meta": {"time": 1698747101000, "organization-id": "DRONA5_Team1809", "environment": "Production", "user-email": "ops@studio.com", "resource-id": 1, "resource-name": "Login", "resource-type": "user", "resource-action": "login", "event-id": "user_logged_in", "source": "studio", "user-agent": "Mozilla/5.0", "resource-group-id": 6625}}`,
    String.raw`{"id": 9912, "level": "info", "message": "App Published", "meta": {"user-email": "builder@studio.com", "organization-id": "DRONA5_Team1809", "event-id": "app_published", "resource-name": "Orders", "resource-type": "microapp", "environment": "Production"}, "timestamp": "2023-10-31T10:12:00.000Z"}`,
  ],
});
