// Deep JSON is one bad line (issue 7, item 6): every walk of a parsed line stops at MAX_JSON_DEPTH and the
// line is quarantined with that reason, whichever walk meets the depth first.
import { describe, expect, test } from 'vitest';
const MAX_JSON_DEPTH = 256;
import { prepareLine, type PrepareOptions } from '../../../../../electron/agent/ingest/prepare.ts';
import { REDACTED } from '../../../../../electron/agent/ingest/redact.ts';
import { EventIdHasher, newEventIdKey } from '../../../../../electron/agent/store/eventId.ts';
import { BUILTIN_FORMATS, prophecyFormat } from '../../../../../shared/formats/index.ts';

const ids = new EventIdHasher(newEventIdKey());
const REDACT: PrepareOptions = { formats: BUILTIN_FORMATS, redact: true, ids };
const KEEP: PrepareOptions = { formats: BUILTIN_FORMATS, redact: false, ids };
const REASON = `nested deeper than ${MAX_JSON_DEPTH} levels`;

/** `depth` objects, each the value of `key` in the one around it, around `inner`. */
const objects = (depth: number, inner = '1', key = 'a') =>
  `{"${key}":`.repeat(depth) + inner + '}'.repeat(depth);
const arrays = (depth: number, inner = '1') => '['.repeat(depth) + inner + ']'.repeat(depth);

/** A Prophecy line whose requestParams is `params` (JSON text), so the line is an event if it is read. */
const prophecy = (params: string) =>
  `{"opType":"Query","createdAt":1700000000000,"nameHints":["getDetails"],"userEmail":"a@x.io",` +
  `"customerName":"acme","responseCode":200,"requestParams":${params}}`;

describe('a line nested deeper than the limit is quarantined with that reason', () => {
  test.each([
    ['5,000 objects', objects(5000)],
    ['5,000 arrays inside an object', `{"a":${arrays(5000)}}`],
    ['a Prophecy event with 5,000 levels of params', prophecy(objects(5000))],
    ['a Prophecy event with 5,000 arrays of params', prophecy(arrays(5000, '"x"'))],
    [
      'a secret 5,000 levels down, which redaction would re-serialise',
      prophecy(objects(5000, '{"password":"s"}')),
    ],
  ])('%s (redaction on and off)', (_name, line) => {
    for (const options of [REDACT, KEEP]) {
      const result = prepareLine(line, options);
      if (options === KEEP && result.kind === 'bad' && result.reason.startsWith('no known format')) continue;
      expect(result).toMatchObject({ kind: 'bad', reason: REASON });
    }
  });

  test('a deep value under a secret key is replaced whole: the line is an event', () => {
    const result = prepareLine(prophecy(`{"password":${objects(5000)}}`), REDACT);
    expect(result).toMatchObject({ kind: 'event', redacted: 1 });
  });

  test('the excerpt is the line cut to 1 KiB, as for any bad line', () => {
    const result = prepareLine(objects(5000), REDACT);
    expect(result.kind === 'bad' && result.excerpt).toBe(objects(5000).slice(0, 1024));
  });

  test('a secret in JSON held in a string, 5,000 levels down, is as deep as it looks', () => {
    const embedded = JSON.stringify(objects(5000, '{"token":"s"}'));
    expect(prepareLine(prophecy(`{"payload":${embedded}}`), REDACT)).toMatchObject({
      kind: 'bad',
      reason: REASON,
    });
  });

  test('a format’s embedded JSON string nested too deep is caught by the full-text walk', () => {
    // DronaHQ database rows keep meta as a JSON string, which the full text decodes.
    const meta = JSON.stringify(
      `{"time":1700000000000,"user-email":"a@x.io","event-id":"app_saved","x":${arrays(5000)}}`,
    );
    const line = `{"id":1,"level":"info","message":"app saved","meta":${meta},"timestamp":1700000000000}`;
    expect(prepareLine(line, KEEP)).toMatchObject({ kind: 'bad', reason: REASON });
  });
});

describe('the limit itself', () => {
  // The line's top object is level 1, so MAX_JSON_DEPTH - 1 arrays inside it reach the limit exactly.
  test(`${MAX_JSON_DEPTH} levels are an event, redacted and indexed`, () => {
    const secretDeep = objects(MAX_JSON_DEPTH - 2, '"hunter2"', 'password');
    const result = prepareLine(prophecy(secretDeep), { ...REDACT, pinned: prophecyFormat });
    expect(result.kind).toBe('event');
    if (result.kind !== 'event') return;
    expect(result.redacted).toBe(1);
    expect(result.raw).toContain(REDACTED);
    expect(result.raw).not.toContain('hunter2');
  });

  test(`${MAX_JSON_DEPTH + 1} levels are one too many`, () => {
    const line = prophecy(arrays(MAX_JSON_DEPTH, '"deepword"'));
    expect(prepareLine(line, KEEP)).toMatchObject({ kind: 'bad', reason: REASON });
    expect(prepareLine(prophecy(arrays(MAX_JSON_DEPTH - 1, '"deepword"')), KEEP)).toMatchObject({
      kind: 'event',
      text: expect.stringContaining('deepword'),
    });
  });
});
