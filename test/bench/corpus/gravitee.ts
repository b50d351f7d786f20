/**
 * Gravitee Access Management audit events (DESIGN §4), shaped like the samples: `@timestamp` ISO first,
 * event_type, status SUCCESS/FAILURE, accessPoint/actor/target objects. Event types come from the vendor's
 * reference table (shared/formats/gravitee-am-events.tsv, copied).
 */
import { IsoClock } from './iso.ts';
import type { Rng } from './prng.ts';
import { Weighted } from './prng.ts';
import { ORGS, USER_AGENTS } from './vocab.ts';
import type { EventInfo, Person, World } from './world.ts';
import { TextGen } from './world.ts';

interface GraviteeEvent {
  readonly type: string;
  readonly weight: number;
  /** target.type. */
  readonly target: string;
  /** End-user flow (actor = the user, through an application) or management API call (actor = an admin). */
  readonly flow: 'user' | 'admin';
  readonly failRate: number;
}

type Row = [type: string, weight: number, target: string, flow: 'user' | 'admin', failRate?: number];

const ROWS: readonly Row[] = [
  ['USER_LOGIN', 500, 'USER', 'user', 0.12],
  ['USER_LOGOUT', 150, 'USER', 'user'],
  ['USER_CONSENT_CONSENTED', 40, 'USER', 'user'],
  ['USER_CONSENT_REVOKED', 3, 'USER', 'user'],
  ['FORGOT_PASSWORD_REQUESTED', 10, 'USER', 'user', 0.05],
  ['RESET_PASSWORD_EMAIL_SENT', 10, 'USER', 'user', 0.02],
  ['USER_PASSWORD_RESET', 8, 'USER', 'user', 0.06],
  ['USER_REGISTERED', 6, 'USER', 'user', 0.04],
  ['REGISTRATION_CONFIRMATION', 5, 'USER', 'user', 0.03],
  ['REGISTRATION_CONFIRMATION_REQUESTED', 5, 'USER', 'user'],
  ['REGISTRATION_CONFIRMATION_EMAIL_SENT', 5, 'USER', 'user', 0.02],
  ['USER_CREATED', 8, 'USER', 'admin', 0.03],
  ['USER_UPDATED', 15, 'USER', 'admin'],
  ['USER_DELETED', 2, 'USER', 'admin'],
  ['CLIENT_CREATED', 3, 'CLIENT', 'admin'],
  ['CLIENT_UPDATED', 10, 'CLIENT', 'admin', 0.02],
  ['CLIENT_SECRET_RENEWED', 2, 'CLIENT', 'admin'],
  ['CLIENT_DELETED', 1, 'CLIENT', 'admin'],
  ['DOMAIN_CREATED', 0.3, 'DOMAIN', 'admin'],
  ['DOMAIN_UPDATED', 3, 'DOMAIN', 'admin'],
  ['DOMAIN_DELETED', 0.1, 'DOMAIN', 'admin'],
  ['CERTIFICATE_CREATED', 1, 'CERTIFICATE', 'admin'],
  ['CERTIFICATE_UPDATED', 1, 'CERTIFICATE', 'admin'],
  ['CERTIFICATE_DELETED', 0.5, 'CERTIFICATE', 'admin'],
  ['EMAIL_TEMPLATE_CREATED', 0.5, 'EMAIL', 'admin'],
  ['EMAIL_TEMPLATE_UPDATED', 1, 'EMAIL', 'admin'],
  ['EMAIL_TEMPLATE_DELETED', 0.2, 'EMAIL', 'admin'],
  ['EXTENSION_GRANT_CREATED', 0.3, 'EXTENSION_GRANT', 'admin'],
  ['EXTENSION_GRANT_UPDATED', 0.5, 'EXTENSION_GRANT', 'admin'],
  ['EXTENSION_GRANT_DELETED', 0.1, 'EXTENSION_GRANT', 'admin'],
  ['FORM_TEMPLATE_CREATED', 0.5, 'FORM', 'admin'],
  ['FORM_TEMPLATE_UPDATED', 1, 'FORM', 'admin'],
  ['FORM_TEMPLATE_DELETED', 0.2, 'FORM', 'admin'],
  ['GROUP_CREATED', 1, 'GROUP', 'admin'],
  ['GROUP_UPDATED', 3, 'GROUP', 'admin'],
  ['GROUP_DELETED', 0.3, 'GROUP', 'admin'],
  ['IDENTITY_PROVIDER_CREATED', 0.5, 'IDENTITY_PROVIDER', 'admin'],
  ['IDENTITY_PROVIDER_UPDATED', 1, 'IDENTITY_PROVIDER', 'admin', 0.04],
  ['IDENTITY_PROVIDER_DELETED', 0.2, 'IDENTITY_PROVIDER', 'admin'],
  ['REPORTER_CREATED', 0.2, 'REPORTER', 'admin'],
  ['REPORTER_UPDATED', 0.3, 'REPORTER', 'admin'],
  ['REPORTER_DELETED', 0.1, 'REPORTER', 'admin'],
  ['ROLE_CREATED', 0.5, 'ROLE', 'admin'],
  ['ROLE_UPDATED', 1, 'ROLE', 'admin'],
  ['ROLE_DELETED', 0.2, 'ROLE', 'admin'],
  ['SCOPE_CREATED', 0.5, 'SCOPE', 'admin'],
  ['SCOPE_UPDATED', 1, 'SCOPE', 'admin'],
  ['SCOPE_DELETED', 0.2, 'SCOPE', 'admin'],
];

export const GRAVITEE_EVENTS: readonly GraviteeEvent[] = ROWS.map(
  ([type, weight, target, flow, failRate]) => ({
    type,
    weight,
    target,
    flow,
    failRate: failRate ?? 0.01,
  }),
);

/** DESIGN §4: target.type in PascalCase (`IDENTITY_PROVIDER` → IdentityProvider). */
export function graviteeEntityOf(targetType: string): string {
  return targetType
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

const APPS = ['portal-app', 'mobile-app', 'partner-portal', 'intranet', 'support-desk'] as const;
const GATEWAYS = [
  ['am-gw-1', 'am-gateway-7d9f'],
  ['am-gw-2', 'am-gateway-k2q8'],
  ['am-gw-3', 'am-gateway-x5m1'],
] as const;
const NAMED_TARGETS: Record<string, readonly string[]> = {
  CERTIFICATE: ['jwt-signing-2024', 'saml-signing', 'default-rsa', 'mtls-ca'],
  EMAIL: ['reset_password', 'registration_confirmation', 'blocked_account', 'mfa_challenge'],
  EXTENSION_GRANT: ['token-exchange', 'jwt-bearer'],
  FORM: ['login', 'consent', 'error', 'webauthn_register'],
  IDENTITY_PROVIDER: ['corporate-ldap', 'azure-ad', 'okta', 'google-oidc'],
  REPORTER: ['mongodb-reporter', 'file-reporter', 'kafka-reporter'],
  ROLE: ['domain-owner', 'auditor', 'support-agent', 'read-only'],
  SCOPE: ['openid', 'profile', 'email', 'offline_access'],
};

/** Fixed strings this module emits (for the vocabulary disjointness test). */
export const GRAVITEE_FIXED = [
  ...ROWS.flatMap((r) => [r[0], r[2]]),
  ...APPS,
  ...GATEWAYS.flat(),
  ...Object.values(NAMED_TARGETS).flat(),
  'DEFAULT DOMAIN ORGANIZATION SUCCESS FAILURE USER admin console am-mgmt-1 am-mgmt Admins',
];

export class GraviteeGen {
  private readonly world: World;
  private readonly rng: Rng;
  private readonly text: TextGen;
  private readonly pick: Weighted;
  private readonly actionIds: number[];
  private readonly entityIds: number[];
  private readonly clock = new IsoClock();
  private txn = 0;

  constructor(world: World, rng: Rng) {
    this.world = world;
    this.rng = rng;
    this.text = new TextGen(world, rng);
    this.pick = new Weighted(GRAVITEE_EVENTS.map((e) => e.weight));
    this.actionIds = GRAVITEE_EVENTS.map((e) => world.actions.id(e.type));
    this.entityIds = GRAVITEE_EVENTS.map((e) => world.entities.id(graviteeEntityOf(e.target)));
    this.txn = rng.range(10, 5000);
  }

  private ip(): string {
    const rng = this.rng;
    switch (rng.int(4)) {
      case 0:
        return `203.0.113.${rng.range(1, 254)}`;
      case 1:
        return `198.51.100.${rng.range(1, 254)}`;
      case 2:
        return `192.0.2.${rng.range(1, 254)}`;
      default:
        return `10.${rng.range(0, 40)}.${rng.range(0, 255)}.${rng.range(1, 254)}`;
    }
  }

  private userObj(p: Person, refType: string, refId: string): string {
    return `{"id": "${p.uid}", "alternativeId": "${p.email}", "type": "USER", "displayName": "${p.displayName}", "referenceType": "${refType}", "referenceId": "${refId}"}`;
  }

  next(ts: number, info: EventInfo): string {
    const rng = this.rng;
    const world = this.world;
    this.text.flags = 0;
    const index = this.pick.pick(rng);
    const ev = GRAVITEE_EVENTS[index]!;
    const failure = rng.float() < ev.failRate;
    const eventId = `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-a${rng.hex(3)}-${rng.hex(12)}`;
    const txn = `${rng.hex(4)}-${this.txn++}`;
    let user: number;
    let node: readonly [string, string];
    let accessPoint: string;
    let actor: string;
    let target = '';
    let domain: string;
    if (ev.flow === 'user') {
      const p = world.pickPerson(rng);
      domain = p.org.slug;
      user = p.user;
      node = rng.pick(GATEWAYS);
      const app = rng.pick(APPS);
      accessPoint = `{"id": "${app.split('-')[0]}", "alternativeId": "${app}", "ipAddress": "${this.ip()}", "userAgent": "${rng.pick(USER_AGENTS)}"}`;
      actor = this.userObj(p, 'DOMAIN', domain);
      target = actor;
    } else {
      node = ['am-mgmt-1', 'am-mgmt'];
      accessPoint = `{"id": "console", "ipAddress": "${this.ip()}", "userAgent": "${rng.pick(USER_AGENTS)}"}`;
      if (rng.chance(0.3)) {
        user = world.graviteeAdmin;
        actor =
          '{"id": "admin", "alternativeId": "admin", "type": "USER", "displayName": "admin", "referenceType": "ORGANIZATION", "referenceId": "DEFAULT"}';
      } else {
        const a = rng.pick(world.admins);
        user = a.user;
        actor = this.userObj(a, 'ORGANIZATION', 'DEFAULT');
      }
      domain = rng.pick(ORGS).slug;
      const id = `${ev.target.charAt(0).toLowerCase()}-${rng.range(1, 999)}`;
      let name: string;
      switch (ev.target) {
        case 'USER': {
          const p = world.pickPerson(rng);
          domain = p.org.slug;
          target = this.userObj(p, 'DOMAIN', domain);
          name = '';
          break;
        }
        case 'CLIENT':
          name = `${this.text.word()}-${rng.pick(['api', 'web', 'mobile', 'service', 'batch'])}`;
          break;
        case 'DOMAIN':
          name = domain;
          break;
        case 'GROUP':
          name = `${this.text.capWord()} Admins`;
          break;
        default:
          name = rng.pick(NAMED_TARGETS[ev.target]!);
      }
      if (ev.target !== 'USER') {
        target = `{"id": "${id}", "alternativeId": "${name}", "type": "${ev.target}", "displayName": "${name}", "referenceType": "DOMAIN", "referenceId": "${domain}"}`;
      }
    }
    info.format = 2;
    info.user = user;
    info.action = this.actionIds[index]!;
    info.entity = this.entityIds[index]!;
    info.opType = 0;
    info.failure = failure;
    info.ts = ts;
    info.flags = this.text.flags;
    info.secretKey = null;
    info.secretMarker = null;
    return `{"@timestamp": "${this.clock.format(ts)}", "event_id": "${eventId}", "event_type": "${ev.type}", "organizationId": "DEFAULT", "environmentId": "DEFAULT", "transactionId": "${txn}", "nodeId": "${node[0]}", "nodeHostname": "${node[1]}", "referenceType": "DOMAIN", "referenceId": "${domain}", "status": "${failure ? 'FAILURE' : 'SUCCESS'}", "accessPoint": ${accessPoint}, "actor": ${actor}, "target": ${target}}`;
  }
}
