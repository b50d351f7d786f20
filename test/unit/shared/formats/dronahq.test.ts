import { describe, expect, test } from 'vitest';
import type { EventFields } from '../../../../shared/event.ts';
import {
  DRONAHQ_ENTITY_PREFIXES,
  DRONAHQ_EVENTS,
  dronahqEntity,
  dronahqFormat,
  mapEvent,
} from '../../../../shared/formats/index.ts';

function map(obj: Record<string, unknown>): EventFields {
  return mapEvent(dronahqFormat, obj);
}

function sample(index: number): Record<string, unknown> {
  return JSON.parse(dronahqFormat.samples[index] ?? '') as Record<string, unknown>;
}

describe('DronaHQ samples', () => {
  test('line 1: external logger, a DB connector query', () => {
    expect(map(sample(0))).toEqual({
      ts: 1698747079624,
      user: 'test@studio.com',
      entity: 'Connector',
      action: 'db_query',
      opType: 'runapi',
      outcome: 'success',
      status: 'info',
      org: 'DRONA5_Team1809',
      target: 'getAuthor',
      ip: null,
      userAgent:
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36',
      latencyMs: null,
      txn: null,
    });
  });

  test('line 2: external logger at level error, a failed login', () => {
    expect(map(sample(1))).toEqual({
      ts: 1698747101000,
      user: 'ops@studio.com',
      entity: 'User',
      action: 'user_logged_in',
      opType: 'login',
      outcome: 'failure',
      status: 'error',
      org: 'DRONA5_Team1809',
      target: 'Login',
      ip: null,
      userAgent: 'Mozilla/5.0',
      latencyMs: null,
      txn: null,
    });
  });

  test('line 3: database-logger row with an ISO timestamp', () => {
    expect(map(sample(2))).toEqual({
      ts: Date.UTC(2023, 9, 31, 10, 12, 0, 0),
      user: 'builder@studio.com',
      entity: 'App',
      action: 'app_published',
      opType: null,
      outcome: 'success',
      status: 'info',
      org: 'DRONA5_Team1809',
      target: 'Orders',
      ip: null,
      userAgent: null,
      latencyMs: null,
      txn: null,
    });
  });
});

describe('DronaHQ shapes', () => {
  test('a database row whose meta is a JSON string maps like one with an object', () => {
    const row = sample(2);
    expect(map({ ...row, meta: JSON.stringify(row.meta) })).toEqual(map(row));
  });

  test('decoding a string meta leaves the caller’s object untouched', () => {
    const row = { ...sample(2), meta: '{"event-id":"app_saved"}' };
    map(row);
    expect(row.meta).toBe('{"event-id":"app_saved"}');
  });

  test('a meta string that is not a JSON object reads as missing meta', () => {
    expect(map({ ...sample(2), meta: '[1,2]' })).toMatchObject({
      user: null,
      action: null,
      entity: null,
      status: 'info',
      ts: Date.UTC(2023, 9, 31, 10, 12),
    });
  });

  test('meta.time wins over the row timestamp', () => {
    const row = sample(2);
    expect(map({ ...row, meta: { ...(row.meta as object), time: 1698740000000 } }).ts).toBe(1698740000000);
  });

  test('a database row with an epoch-millisecond timestamp', () => {
    expect(map({ ...sample(2), timestamp: 1698747120000 }).ts).toBe(1698747120000);
  });
});

describe('DronaHQ outcome', () => {
  test('level error is a failure', () => {
    expect(map({ ...sample(0), level: 'error' }).outcome).toBe('failure');
  });

  test('level ERROR is a failure too', () => {
    expect(map({ ...sample(0), level: 'ERROR' }).outcome).toBe('failure');
  });

  test('any other level is a success', () => {
    expect(map({ ...sample(0), level: 'warn' }).outcome).toBe('success');
  });

  test('no level leaves outcome unknown', () => {
    const { level: _, ...line } = sample(0);
    expect(map(line)).toMatchObject({ outcome: 'unknown', status: null });
  });
});

describe('DronaHQ entity from the event id', () => {
  test.each([
    ['user_invited', 'User'],
    ['admin_logged_out', 'User'],
    ['app_permission_updated', 'App'],
    ['connectors_api_added', 'Connector'],
    ['db_query', 'Connector'],
    ['api_call', 'Connector'],
    ['group_created', 'Group'],
    ['environment_deleted', 'Environment'],
    ['template_created', 'Template'],
    ['catalog_created', 'Catalog'],
    ['settings_updated', 'Settings'],
    ['public_access_enabled', 'App'],
    ['organizational_access_disabled', 'App'],
  ])('%s → %s', (eventId, entity) => {
    expect(dronahqEntity(eventId)).toBe(entity);
  });

  test('an unlisted id takes its first word in PascalCase', () => {
    expect(dronahqEntity('workflow_triggered')).toBe('Workflow');
  });

  test('ids are matched ignoring case', () => {
    expect(dronahqEntity('APP_SAVED')).toBe('App');
  });

  test('no event id gives no entity', () => {
    expect(dronahqEntity(null)).toBeNull();
  });

  test('every documented event id is covered by an explicit rule', () => {
    const explicit = new Set([...DRONAHQ_ENTITY_PREFIXES.map(([, entity]) => entity), 'Connector']);
    expect(DRONAHQ_EVENTS.filter((event) => !explicit.has(dronahqEntity(event.eventId) ?? ''))).toEqual([]);
  });
});
