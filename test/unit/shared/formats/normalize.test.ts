import { describe, expect, test } from 'vitest';
import { EMPTY_FIELDS } from '../../../../shared/event.ts';
import {
  compileFormat,
  defineFormat,
  FormatSpecError,
  mapEvent,
  type FormatSpec,
} from '../../../../shared/formats/index.ts';

function spec(overrides: Partial<FormatSpec>): FormatSpec {
  return { id: 'test', title: 'Test', detect: [], fields: {}, samples: [], ...overrides };
}

describe('mapEvent', () => {
  test('a spec without rules maps every field to null and outcome to unknown', () => {
    expect(mapEvent(spec({}), { anything: 1 })).toEqual(EMPTY_FIELDS);
  });

  test('the first candidate that yields a value wins', () => {
    const s = spec({ fields: { user: ['a', 'b', 'c'] } });
    expect(mapEvent(s, { a: '', b: { nested: 1 }, c: 'carol' }).user).toBe('carol');
  });

  test('each candidate can carry its own transform', () => {
    const s = spec({
      fields: {
        entity: [
          { from: 'kind', as: 'pascalCase' },
          { from: 'type', as: 'firstWordPascalCase' },
        ],
      },
    });
    expect(mapEvent(s, { type: 'ROLE_CREATED' }).entity).toBe('Role');
  });

  test('returns a new object each call', () => {
    const s = spec({ fields: { user: 'u' } });
    expect(mapEvent(s, { u: 'a' })).not.toBe(mapEvent(s, { u: 'a' }));
  });

  test('the resolve hook sees the mapped fields and may overwrite them', () => {
    const s = spec({
      fields: { action: 'op' },
      resolve(event, obj) {
        event.target = `${event.action ?? ''}:${String(obj.id)}`;
      },
    });
    expect(mapEvent(s, { op: 'read', id: 7 }).target).toBe('read:7');
  });
});

describe('compileFormat', () => {
  test('compiles a spec once and reuses it', () => {
    const s = spec({});
    expect(compileFormat(s)).toBe(compileFormat(s));
  });

  test('defineFormat freezes the spec', () => {
    expect(Object.isFrozen(defineFormat(spec({})))).toBe(true);
  });

  test('a malformed path fails with the format and the path', () => {
    expect(() => compileFormat(spec({ fields: { user: 'a..b' } }))).toThrow(
      new FormatSpecError(`Format 'test': Invalid path "a..b" at column 3: expected a key after ".".`),
    );
  });

  test('a transform that does not fit the field fails', () => {
    const bad = { fields: { latencyMs: { from: 'x', as: 'text' } } } as unknown as Partial<FormatSpec>;
    expect(() => compileFormat(spec(bad))).toThrow("field 'latencyMs' cannot use 'text' (allowed: number)");
  });

  test('an unknown field fails', () => {
    const bad = { fields: { usr: 'x' } } as unknown as Partial<FormatSpec>;
    expect(() => compileFormat(spec(bad))).toThrow("unknown field 'usr'");
  });

  test('an empty detect alternative fails rather than matching every line', () => {
    expect(() => compileFormat(spec({ detect: [[]] }))).toThrow('detect alternative 1 lists no paths');
  });
});
