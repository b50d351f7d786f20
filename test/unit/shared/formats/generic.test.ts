import { describe, expect, test } from 'vitest';
import {
  createGenericFormat,
  detectFormat,
  GenericMappingError,
  GenericMappingSchema,
  mapEvent,
  type GenericMapping,
} from '../../../../shared/formats/index.ts';

const acme: GenericMapping = {
  name: 'acme',
  title: 'Acme audit',
  docs: 'https://acme.example/docs/audit',
  detect: [['event', 'actor']],
  fields: {
    ts: 'time',
    user: ['actor.email', 'actor.id'],
    action: 'event',
    entity: { from: 'resource.kind', as: 'pascalCase' },
    target: { from: 'resource.name', as: 'unquote' },
    status: 'result',
    ip: 'client["ip.v4"]',
    latencyMs: 'durationMs',
    txn: 'requests[0].id',
  },
  outcome: { from: 'result', failure: ['denied', 'error'], success: ['ok'] },
  samples: [
    '{"time":"2024-05-01T12:00:00Z","event":"file.read","actor":{"id":"u1"},"resource":{"kind":"shared_file","name":"\\"q3.xlsx\\""},"result":"ok","client":{"ip.v4":"192.0.2.1"},"durationMs":"12","requests":[{"id":"r-1"}]}',
  ],
};

function problems(input: unknown): string {
  try {
    createGenericFormat(input);
  } catch (error) {
    if (error instanceof GenericMappingError) return error.message;
    throw error;
  }
  throw new Error('the mapping was accepted');
}

describe('a generic mapping', () => {
  test('maps a custom event by its paths, fallbacks and transforms', () => {
    const spec = createGenericFormat(acme);
    expect(mapEvent(spec, JSON.parse(acme.samples?.[0] ?? ''))).toEqual({
      ts: Date.UTC(2024, 4, 1, 12),
      user: 'u1',
      entity: 'SharedFile',
      action: 'file.read',
      opType: null,
      outcome: 'success',
      status: 'ok',
      org: null,
      target: 'q3.xlsx',
      ip: '192.0.2.1',
      userAgent: null,
      latencyMs: 12,
      txn: 'r-1',
    });
  });

  test('becomes a format with its name as id, title, docs and samples', () => {
    expect(createGenericFormat(acme)).toMatchObject({
      id: 'acme',
      title: 'Acme audit',
      docs: 'https://acme.example/docs/audit',
      samples: acme.samples,
    });
  });

  test('is detected by its detect rules', () => {
    const spec = createGenericFormat(acme);
    expect(detectFormat({ event: 'x', actor: {} }, [spec])).toBe(spec);
  });

  test('can decode a field that holds JSON as a string', () => {
    const spec = createGenericFormat({
      name: 'wrapped',
      embeddedJson: ['data'],
      fields: { user: 'data.who' },
    });
    expect(mapEvent(spec, { data: '{"who":"carol"}' }).user).toBe('carol');
  });
});

describe('generic outcome mapping', () => {
  const spec = createGenericFormat(acme);

  test('a failure value is a failure, ignoring case', () => {
    expect(mapEvent(spec, { result: 'DENIED' }).outcome).toBe('failure');
  });

  test('a success value is a success', () => {
    expect(mapEvent(spec, { result: 'ok' }).outcome).toBe('success');
  });

  test('a value in neither list is unknown', () => {
    expect(mapEvent(spec, { result: 'retried' }).outcome).toBe('unknown');
  });

  test('without success values, every other present value is a success', () => {
    const lenient = createGenericFormat({
      name: 'lenient',
      fields: {},
      outcome: { from: 'level', failure: ['error'] },
    });
    expect(mapEvent(lenient, { level: 'debug' }).outcome).toBe('success');
  });

  test('booleans compare as true and false', () => {
    const flag = createGenericFormat({
      name: 'flag',
      fields: {},
      outcome: { from: 'ok', failure: ['false'] },
    });
    expect(mapEvent(flag, { ok: false }).outcome).toBe('failure');
  });

  test('httpStatus reads the value as an HTTP status code', () => {
    const http = createGenericFormat({
      name: 'http',
      fields: {},
      outcome: { from: 'code', httpStatus: true },
    });
    expect(mapEvent(http, { code: 404 }).outcome).toBe('failure');
  });
});

describe('generic mapping validation', () => {
  test('the exported schema validates a mapping on its own', () => {
    expect(GenericMappingSchema.safeParse(acme).success).toBe(true);
  });

  test('an unknown field is reported by name', () => {
    expect(problems({ name: 'x', fields: { usr: 'actor' } })).toContain('- fields: Unrecognized key: "usr"');
  });

  test('a malformed path is reported with its field and column', () => {
    expect(problems({ name: 'x', fields: { user: 'actor..id' } })).toContain(
      '- fields.user: Invalid path "actor..id" at column 7: expected a key after ".".',
    );
  });

  test('a transform that does not fit the field lists the allowed ones', () => {
    expect(problems({ name: 'x', fields: { ts: { from: 'time', as: 'text' } } })).toContain(
      '- fields.ts.as: "as" must be one of: isoOrEpochMs, epochMs',
    );
  });

  test('a value of the wrong type says what is expected', () => {
    expect(problems({ name: 'x', fields: { user: 5 } })).toContain(
      '- fields.user: Invalid input: expected a string, an object or an array',
    );
  });

  test('an outcome without failure values or httpStatus says how to fix it', () => {
    expect(problems({ name: 'x', fields: {}, outcome: { from: 'result' } })).toContain(
      '- outcome: give the values meaning failure (e.g. failure: ["denied"]) or set httpStatus: true',
    );
  });

  test('a built-in format’s name is refused', () => {
    expect(problems({ name: 'prophecy', fields: {} })).toContain(
      '- name: this name belongs to a built-in format; choose another',
    );
  });

  test('the message names the mapping and lists every problem, one per line', () => {
    expect(problems({ name: 'Bad Name', fields: { usr: 'a' } })).toBe(
      "Generic mapping 'Bad Name' is invalid:\n" +
        '- name: use lowercase letters, digits and dashes, starting with a letter or digit\n' +
        '- fields: Unrecognized key: "usr"',
    );
  });

  test('the error carries the problems as data', () => {
    try {
      createGenericFormat({ name: 'x', fields: { org: ['a', { from: 'b.' }] } });
      expect.unreachable();
    } catch (error) {
      expect((error as GenericMappingError).issues).toEqual([
        { path: 'fields.org.1.from', message: 'Invalid path "b." at column 3: expected a key after ".".' },
      ]);
    }
  });
});
