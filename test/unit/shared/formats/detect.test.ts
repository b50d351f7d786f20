import { describe, expect, test } from 'vitest';
import {
  BUILTIN_FORMATS,
  createGenericFormat,
  detectFormat,
  findFormat,
  type FormatSpec,
} from '../../../../shared/formats/index.ts';

const prophecy = { nameHints: ['User'], createdAt: 1690610557857 };
const gravitee = { event_type: 'USER_LOGIN', referenceType: 'DOMAIN' };
const dronahqExternal = { level: 'info', msg: 'App Saved', meta: {} };
const dronahqRow = { level: 'info', message: 'App Saved', meta: '{}', timestamp: '2023-10-31T10:12:00Z' };

describe('detectFormat', () => {
  test('detects Prophecy by nameHints and createdAt', () => {
    expect(detectFormat(prophecy)?.id).toBe('prophecy');
  });

  test('detects Gravitee AM by event_type and referenceType', () => {
    expect(detectFormat(gravitee)?.id).toBe('gravitee-am');
  });

  test('detects Gravitee AM’s file-reporter shape by type, referenceType and referenceId', () => {
    expect(detectFormat({ type: 'USER_LOGIN', referenceType: 'DOMAIN', referenceId: 'acme' })?.id).toBe(
      'gravitee-am',
    );
  });

  test('detects the DronaHQ external-logger shape', () => {
    expect(detectFormat(dronahqExternal)?.id).toBe('dronahq');
  });

  test('detects the DronaHQ database-row shape', () => {
    expect(detectFormat(dronahqRow)?.id).toBe('dronahq');
  });

  test('returns null for an object of no known format', () => {
    expect(detectFormat({ time: '2024-01-01T00:00:00Z', actor: 'x', type: 'login' })).toBeNull();
  });

  test('a key present with a null value does not count', () => {
    expect(detectFormat({ nameHints: null, createdAt: 1 })).toBeNull();
  });

  test('Prophecy wins over Gravitee AM when a line carries the keys of both', () => {
    expect(detectFormat({ ...gravitee, ...prophecy })?.id).toBe('prophecy');
  });

  test('Gravitee AM wins over DronaHQ when a line carries the keys of both', () => {
    expect(detectFormat({ ...dronahqExternal, ...gravitee })?.id).toBe('gravitee-am');
  });

  test('the built-in order is Prophecy, Gravitee AM, DronaHQ', () => {
    expect(BUILTIN_FORMATS.map((format) => format.id)).toEqual(['prophecy', 'gravitee-am', 'dronahq']);
  });

  test('a caller’s list is searched in its own order', () => {
    const acme = createGenericFormat({ name: 'acme', detect: [['level', 'msg']], fields: {} });
    const formats: readonly FormatSpec[] = [acme, ...BUILTIN_FORMATS];
    expect(detectFormat(dronahqExternal, formats)?.id).toBe('acme');
  });

  test('a spec without detect rules is never detected', () => {
    const pinnedOnly = createGenericFormat({ name: 'pinned', fields: {} });
    expect(detectFormat({ anything: 1 }, [pinnedOnly])).toBeNull();
  });
});

describe('findFormat', () => {
  test('finds a built-in format by id', () => {
    expect(findFormat('gravitee-am')?.title).toBe('Gravitee AM audit');
  });

  test('returns null for an unknown id', () => {
    expect(findFormat('splunk')).toBeNull();
  });
});
