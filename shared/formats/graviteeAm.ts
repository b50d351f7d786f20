/**
 * Gravitee Access Management audit events (DESIGN §4). Two serialisations exist: the Elasticsearch-style
 * document (`@timestamp`, `event_type`, top-level `status`) and the file reporter's JSON (`timestamp`,
 * `type`, `outcome: {status, message}`, with `status` deprecated since AM 4.5); both are read.
 */

import { defineFormat } from './compile.ts';
import type { FormatSpec } from './spec.ts';

/** Gravitee AM audit. */
export const graviteeAmFormat: FormatSpec = defineFormat({
  id: 'gravitee-am',
  title: 'Gravitee AM audit',
  docs: 'https://documentation.gravitee.io/am/guides/audit-trail',
  // Every audit carries its reference (domain or organisation); `type` alone is too common a key.
  detect: [
    ['event_type', 'referenceType'],
    ['type', 'referenceType', 'referenceId'],
  ],
  fields: {
    ts: { from: ['@timestamp', 'timestamp'], as: 'isoOrEpochMs' },
    action: ['event_type', 'type'],
    user: ['actor.alternativeId', 'actor.displayName', 'actor.id'],
    entity: [
      { from: 'target.type', as: 'pascalCase' },
      { from: ['event_type', 'type'], as: 'firstWordPascalCase' },
    ],
    status: ['status', 'outcome.status'],
    org: 'organizationId',
    target: ['target.alternativeId', 'target.displayName', 'target.id'],
    ip: 'accessPoint.ipAddress',
    userAgent: 'accessPoint.userAgent',
    txn: 'transactionId',
  },
  outcome: { from: ['status', 'outcome.status'], failure: ['FAILURE'], success: ['SUCCESS'] },
  samples: [
    String.raw`{"@timestamp": "2024-03-04T09:15:27.301Z", "event_id": "6f1c2a", "event_type": "USER_LOGIN", "organizationId": "DEFAULT", "environmentId": "DEFAULT", "transactionId": "b7a9-11", "nodeId": "am-gw-1", "nodeHostname": "am-gateway-7d9f", "referenceType": "DOMAIN", "referenceId": "acme", "status": "FAILURE", "accessPoint": {"id": "portal", "alternativeId": "portal-app", "ipAddress": "203.0.113.7", "userAgent": "Mozilla/5.0 (X11; Linux x86_64)"}, "actor": {"id": "u-42", "alternativeId": "alice@acme.example", "type": "USER", "displayName": "Alice", "referenceType": "DOMAIN", "referenceId": "acme"}, "target": {"id": "u-42", "alternativeId": "alice@acme.example", "type": "USER", "displayName": "Alice", "referenceType": "DOMAIN", "referenceId": "acme"}}`,
    String.raw`{"@timestamp": "2024-03-04T09:16:02.118Z", "event_id": "6f1c2b", "event_type": "CLIENT_SECRET_RENEWED", "organizationId": "DEFAULT", "environmentId": "DEFAULT", "transactionId": "b7a9-12", "nodeId": "am-mgmt-1", "nodeHostname": "am-mgmt", "referenceType": "DOMAIN", "referenceId": "acme", "status": "SUCCESS", "accessPoint": {"id": "console", "ipAddress": "198.51.100.4", "userAgent": "curl/8.5"}, "actor": {"id": "admin", "alternativeId": "admin", "type": "USER", "displayName": "admin", "referenceType": "ORGANIZATION", "referenceId": "DEFAULT"}, "target": {"id": "c-9", "alternativeId": "billing-api", "type": "CLIENT", "displayName": "billing-api", "referenceType": "DOMAIN", "referenceId": "acme"}}`,
  ],
});
