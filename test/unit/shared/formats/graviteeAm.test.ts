import { describe, expect, test } from 'vitest';
import type { EventFields } from '../../../../shared/event.ts';
import { detectFormat, graviteeAmFormat, mapEvent } from '../../../../shared/formats/index.ts';

function map(obj: Record<string, unknown>): EventFields {
  return mapEvent(graviteeAmFormat, obj);
}

function sample(index: number): Record<string, unknown> {
  return JSON.parse(graviteeAmFormat.samples[index] ?? '') as Record<string, unknown>;
}

describe('Gravitee AM samples', () => {
  test('line 1: a failed user login', () => {
    expect(map(sample(0))).toEqual({
      ts: Date.UTC(2024, 2, 4, 9, 15, 27, 301),
      user: 'alice@acme.example',
      entity: 'User',
      action: 'USER_LOGIN',
      opType: null,
      outcome: 'failure',
      status: 'FAILURE',
      org: 'DEFAULT',
      target: 'alice@acme.example',
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
      latencyMs: null,
      txn: 'b7a9-11',
    });
  });

  test('line 2: a client secret renewed by an admin', () => {
    expect(map(sample(1))).toEqual({
      ts: Date.UTC(2024, 2, 4, 9, 16, 2, 118),
      user: 'admin',
      entity: 'Client',
      action: 'CLIENT_SECRET_RENEWED',
      opType: null,
      outcome: 'success',
      status: 'SUCCESS',
      org: 'DEFAULT',
      target: 'billing-api',
      ip: '198.51.100.4',
      userAgent: 'curl/8.5',
      latencyMs: null,
      txn: 'b7a9-12',
    });
  });
});

describe('Gravitee AM entity', () => {
  test('a multi-word target type is PascalCased', () => {
    const line = { ...sample(1), target: { id: 'idp-1', type: 'IDENTITY_PROVIDER' } };
    expect(map(line).entity).toBe('IdentityProvider');
  });

  test('without a target type, the event type’s first word is used', () => {
    const { target: _, ...line } = sample(0);
    expect(map({ ...line, event_type: 'EMAIL_TEMPLATE_CREATED' }).entity).toBe('Email');
  });
});

describe('Gravitee AM fallbacks', () => {
  test('user falls back to the actor’s display name', () => {
    const line = { ...sample(0), actor: { id: 'u-42', displayName: 'Alice' } };
    expect(map(line).user).toBe('Alice');
  });

  test('user falls back to the actor’s id', () => {
    const line = { ...sample(0), actor: { id: 'u-42', alternativeId: '' } };
    expect(map(line).user).toBe('u-42');
  });

  test('target falls back to display name, then id', () => {
    expect(map({ ...sample(1), target: { displayName: 'Billing', id: 'c-9' } }).target).toBe('Billing');
    expect(map({ ...sample(1), target: { id: 'c-9' } }).target).toBe('c-9');
  });

  test('ts falls back to timestamp as epoch milliseconds', () => {
    const { '@timestamp': _, ...line } = sample(0);
    expect(map({ ...line, timestamp: 1709543727301 }).ts).toBe(1709543727301);
  });

  test('ts reads an ISO timestamp with an offset', () => {
    const { '@timestamp': _, ...line } = sample(0);
    expect(map({ ...line, timestamp: '2024-03-04T10:15:27.301+01:00' }).ts).toBe(
      Date.UTC(2024, 2, 4, 9, 15, 27, 301),
    );
  });

  test('a status other than SUCCESS or FAILURE leaves outcome unknown', () => {
    expect(map({ ...sample(0), status: 'PENDING' })).toMatchObject({ outcome: 'unknown', status: 'PENDING' });
  });
});

describe('Gravitee AM file-reporter JSON', () => {
  const fileLine = {
    id: 'a1',
    transactionId: 't-1',
    type: 'USER_LOGOUT',
    referenceType: 'DOMAIN',
    referenceId: 'acme',
    actor: { id: 'u-1', alternativeId: 'bob@acme.example', type: 'USER' },
    outcome: { status: 'SUCCESS', message: null },
    timestamp: '2024-03-04T09:20:00Z',
    organizationId: 'DEFAULT',
  };

  test('is detected', () => {
    expect(detectFormat(fileLine)?.id).toBe('gravitee-am');
  });

  test('takes action from type, status and outcome from outcome.status', () => {
    expect(map(fileLine)).toMatchObject({
      action: 'USER_LOGOUT',
      entity: 'User',
      status: 'SUCCESS',
      outcome: 'success',
      ts: Date.UTC(2024, 2, 4, 9, 20),
      user: 'bob@acme.example',
      txn: 't-1',
    });
  });
});
