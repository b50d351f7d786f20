/**
 * DronaHQ audit logger events (DESIGN §4), in both shapes the vendor documents:
 * - external logger: `{"level", "msg", "meta": {"time", "organization-id", …, "event-id", …}}`
 * - database logger row: `{"id", "level", "message", "meta": {…}, "timestamp": ISO}`
 * Event ids and names come from the vendor's reference table (shared/formats/dronahq-events.tsv, copied).
 */
import { IsoClock } from './iso.ts';
import type { Rng } from './prng.ts';
import { Weighted } from './prng.ts';
import { USER_AGENTS } from './vocab.ts';
import type { EventInfo, World } from './world.ts';
import { TextGen } from './world.ts';

export type DronaShape = 'logger' | 'row';

interface DronaEvent {
  readonly id: string;
  readonly msg: string;
  readonly weight: number;
  readonly type: string;
  readonly action: string;
  readonly errorRate: number;
}

type Row = [id: string, msg: string, weight: number, type: string, action: string, errorRate?: number];

/** [event-id, message, weight, resource-type, resource-action, error rate]. */
const ROWS: readonly Row[] = [
  ['db_query', 'DB Connector Query Execute', 300, 'db', 'runapi', 0.03],
  ['api_call', 'API Connector Call', 250, 'api', 'runapi', 0.04],
  ['user_logged_in', 'User Logged In', 120, 'user', 'login', 0.08],
  ['user_logged_out', 'User Logged Out', 40, 'user', 'logout'],
  ['app_saved', 'App Saved', 90, 'microapp', 'save'],
  ['app_published', 'App Published', 15, 'microapp', 'publish', 0.02],
  ['app_unpublished', 'App Unpublished', 3, 'microapp', 'unpublish'],
  ['app_created', 'App Created', 8, 'microapp', 'create'],
  ['app_deleted', 'App Deleted', 2, 'microapp', 'delete'],
  ['app_permission_updated', 'App Permission Updated', 5, 'microapp', 'update'],
  ['app_config_updated', 'App Config Updated', 8, 'microapp', 'update'],
  ['connectors_added', 'Connectors Added', 4, 'connector', 'add', 0.02],
  ['connectors_updated', 'Connectors Updated', 10, 'connector', 'update', 0.02],
  ['connectors_deleted', 'Connectors Deleted', 1, 'connector', 'delete'],
  ['connectors_api_added', 'Connectors API Added', 5, 'connector', 'add'],
  ['connectors_api_updated', 'Connectors API Updated', 8, 'connector', 'update'],
  ['connectors_api_deleted', 'Connectors API Deleted', 1, 'connector', 'delete'],
  ['connectors_env_update', 'Connectors Environment Update', 3, 'connector', 'update'],
  ['connectors_env_delete', 'Connectors Environment Delete', 1, 'connector', 'delete'],
  ['environment_added', 'Environment Added', 1, 'environment', 'add'],
  ['environment_updated', 'Environment Updated', 2, 'environment', 'update'],
  ['environment_deleted', 'Environment Deleted', 0.3, 'environment', 'delete'],
  ['user_invited', 'User Invited', 3, 'user', 'invite'],
  ['user_activated', 'User Activated', 2, 'user', 'activate'],
  ['user_deactivated', 'User Deactivated', 0.5, 'user', 'deactivate'],
  ['user_password_reset', 'User Password Reset', 1, 'user', 'reset', 0.05],
  ['user_password_forgot', 'User Password Forgot', 1, 'user', 'forgot'],
  ['user_password_reset_requested', 'User Password Reset Requested', 0.5, 'user', 'reset'],
  ['user_updated', 'User Updated', 3, 'user', 'update'],
  ['group_created', 'Group Created', 1, 'group', 'create'],
  ['admin_logged_in', 'Admin Logged In', 10, 'admin', 'login', 0.05],
  ['admin_logged_out', 'Admin Logged Out', 4, 'admin', 'logout'],
  ['template_created', 'Template Created', 1, 'template', 'create'],
  ['catalog_created', 'Catalog Created', 0.5, 'catalog', 'create'],
  ['settings_updated', 'Settings Updated', 1, 'settings', 'update'],
  ['public_access_enabled', 'Public Access Enabled', 0.5, 'microapp', 'enable'],
  ['public_access_disabled', 'Public Access Disabled', 0.3, 'microapp', 'disable'],
  ['organizational_access_enabled', 'Organizational Access Enabled', 0.5, 'microapp', 'enable'],
  ['organizational_access_disabled', 'Organizational Access Disabled', 0.2, 'microapp', 'disable'],
];

export const DRONAHQ_EVENTS: readonly DronaEvent[] = ROWS.map(
  ([id, msg, weight, type, action, errorRate]) => ({
    id,
    msg,
    weight,
    type,
    action,
    errorRate: errorRate ?? 0.01,
  }),
);

/** DESIGN §4: the entity from the event id's subject. */
export function dronaEntityOf(eventId: string): string {
  const rules: ReadonlyArray<readonly [RegExp, string]> = [
    [/^(user|admin)_/, 'User'],
    [/^(public_access|organizational_access)_/, 'App'],
    [/^app_/, 'App'],
    [/^(connectors_|db_query$|api_call$)/, 'Connector'],
    [/^group_/, 'Group'],
    [/^environment_/, 'Environment'],
    [/^template_/, 'Template'],
    [/^catalog_/, 'Catalog'],
    [/^settings_/, 'Settings'],
  ];
  for (const [re, entity] of rules) if (re.test(eventId)) return entity;
  return 'Other';
}

const DB_TYPES = ['mysql', 'postgresql', 'mongodb', 'mssql'] as const;
const API_TYPES = ['rest', 'graphql'] as const;
const CONNECTOR_TYPES = ['rest', 'mysql', 'postgresql', 'googlesheets'] as const;
const ENVIRONMENTS = ['Production', 'Production', 'Production', 'Staging', 'Development'] as const;
const OP_VERBS = ['get', 'list', 'update', 'insert', 'fetch'] as const;

/** Fixed strings this module emits (for the vocabulary disjointness test). */
export const DRONAHQ_FIXED = [
  ...ROWS.flatMap((r) => [r[0], r[1], r[3], r[4]]),
  ...DB_TYPES,
  ...API_TYPES,
  ...CONNECTOR_TYPES,
  ...ENVIRONMENTS,
  'Login Logout Admin Console Account Settings automation studio app screen microapp Group Template Catalog API',
  'Authorization Bearer Content-Type application/json POST oauth client_id client_secret apiKey env_id env_name',
];

/** Secret placements used by hostile corpora. */
export type DronaSpecial =
  | { kind: 'apiKey'; marker: string }
  | { kind: 'authorization'; marker: string }
  | { kind: 'clientSecret'; marker: string };

export class DronaGen {
  private readonly world: World;
  private readonly rng: Rng;
  private readonly text: TextGen;
  private readonly pick: Weighted;
  private readonly actionIds: number[];
  private readonly entityIds: number[];
  private readonly opTypeIds: number[];
  private readonly byId = new Map<string, number>();
  private readonly clock = new IsoClock();
  private readonly shape: DronaShape;
  private rowId: number;

  /** `firstRowId`: the database row id of this file's first row (row shape). */
  constructor(world: World, rng: Rng, shape: DronaShape, firstRowId: number) {
    this.world = world;
    this.rng = rng;
    this.text = new TextGen(world, rng);
    this.shape = shape;
    this.rowId = firstRowId;
    this.pick = new Weighted(DRONAHQ_EVENTS.map((e) => e.weight));
    this.actionIds = DRONAHQ_EVENTS.map((e) => world.actions.id(e.id));
    this.entityIds = DRONAHQ_EVENTS.map((e) => world.entities.id(dronaEntityOf(e.id)));
    this.opTypeIds = DRONAHQ_EVENTS.map((e) => world.opTypes.id(e.action));
    DRONAHQ_EVENTS.forEach((e, i) => this.byId.set(e.id, i));
  }

  private appName(): string {
    return `${this.text.capWord()} ${this.rng.pick(['Portal', 'Dashboard', 'Tracker', 'Console', 'Manager', 'Hub'])}`;
  }

  next(ts: number, info: EventInfo, special: DronaSpecial | null = null): string {
    const rng = this.rng;
    const text = this.text;
    text.flags = 0;
    let index: number;
    if (special === null) index = this.pick.pick(rng);
    else if (special.kind === 'authorization') index = this.byId.get('api_call')!;
    else if (special.kind === 'clientSecret') index = this.byId.get('connectors_updated')!;
    else index = this.byId.get('db_query')!;
    const ev = DRONAHQ_EVENTS[index]!;
    const person = this.world.pickPerson(rng);
    const failure = rng.float() < ev.errorRate;
    const level = failure ? 'error' : 'info';
    const env = rng.pick(ENVIRONMENTS);

    let type: string = ev.type;
    let name: string;
    let resourceId = rng.range(2, 60000);
    let parent = '';
    switch (ev.id) {
      case 'db_query':
      case 'api_call': {
        type = ev.id === 'db_query' ? rng.pick(DB_TYPES) : rng.pick(API_TYPES);
        // camelCase operation names are one full-text token: they never count as a topic word.
        name = `${rng.pick(OP_VERBS)}${text.capWord()}`;
        text.flags = 0;
        // Only the external logger carries the parent app (database rows have no parent-name).
        if (this.shape === 'logger') parent = this.appName();
        break;
      }
      case 'user_logged_in':
      case 'user_logged_out':
        name = ev.id === 'user_logged_in' ? 'Login' : 'Logout';
        resourceId = 1;
        break;
      case 'admin_logged_in':
      case 'admin_logged_out':
        name = 'Admin Console';
        resourceId = 1;
        break;
      case 'user_invited':
      case 'user_activated':
      case 'user_deactivated':
      case 'user_password_reset':
      case 'user_password_forgot':
      case 'user_password_reset_requested':
      case 'user_updated':
        name = this.world.pickPerson(rng).displayName;
        break;
      case 'environment_added':
      case 'environment_updated':
      case 'environment_deleted':
        name = rng.pick(['Staging', 'Development', 'QA', 'Sandbox']);
        break;
      case 'settings_updated':
        name = 'Account Settings';
        break;
      case 'group_created':
        name = `${text.capWord()} Group`;
        break;
      case 'template_created':
        name = `${text.capWord()} Template`;
        break;
      case 'catalog_created':
        name = `${text.capWord()} Catalog`;
        break;
      default:
        if (ev.type === 'connector') {
          type = rng.pick(CONNECTOR_TYPES);
          name = `${text.capWord()} API`;
        } else name = this.appName();
    }
    let secretKey: string | null = null;
    let marker: string | null = null;
    let line: string;
    const org = person.org;
    if (special !== null) {
      secretKey =
        special.kind === 'apiKey'
          ? 'apiKey'
          : special.kind === 'authorization'
            ? 'Authorization'
            : 'client_secret';
      marker = special.marker;
    }
    // Secrets sit in nested objects (resource-meta.request.headers, extra.oauth) or directly in meta.
    const oauth =
      special?.kind === 'clientSecret'
        ? `, "extra": {"oauth": {"client_id": "${rng.hex(16)}", "client_secret": "${special.marker}"}}`
        : '';
    const apiKey = special?.kind === 'apiKey' ? `, "apiKey": "${special.marker}"` : '';
    const headers =
      special?.kind === 'authorization'
        ? `"request": {"method": "POST", "headers": {"Authorization": "Bearer ${special.marker}", "Content-Type": "application/json"}}`
        : '';
    if (this.shape === 'logger') {
      let extra = '';
      if (parent !== '') {
        const resMeta = `"env_id": ${env === 'Production' ? 1 : 2}, "env_name": "${env}"${headers === '' ? '' : `, ${headers}`}`;
        extra = `, "parent-name": "${parent}", "parent-type": "microapp", "resource-meta": {${resMeta}}`;
      }
      const source = parent !== '' && rng.chance(0.6) ? 'automation' : rng.chance(0.8) ? 'studio' : 'app';
      line = `{"level": "${level}", "msg": "${ev.msg}", "meta": {"time": ${ts}, "organization-id": "${org.dronaOrg}", "environment": "${env}", "user-email": "${person.email}", "resource-id": ${resourceId}, "resource-name": "${name}", "resource-type": "${type}", "resource-action": "${ev.action}"${extra}${apiKey}${oauth}, "event-id": "${ev.id}", "source": "${source}", "user-agent": "${rng.pick(USER_AGENTS)}", "resource-group-id": ${org.dronaGroupId}}}`;
      info.opType = this.opTypeIds[index]!;
    } else {
      const req = headers === '' ? '' : `, "extra": {${headers}}`;
      line = `{"id": ${this.rowId++}, "level": "${level}", "message": "${ev.msg}", "meta": {"user-email": "${person.email}", "organization-id": "${org.dronaOrg}", "event-id": "${ev.id}", "resource-name": "${name}", "resource-type": "${type}", "environment": "${env}"${apiKey}${oauth}${req}}, "timestamp": "${this.clock.format(ts)}"}`;
      info.opType = 0;
    }
    info.format = 1;
    info.user = person.user;
    info.action = this.actionIds[index]!;
    info.entity = this.entityIds[index]!;
    info.failure = failure;
    info.ts = ts;
    info.flags = text.flags;
    info.secretKey = secretKey;
    info.secretMarker = marker;
    return line;
  }
}
