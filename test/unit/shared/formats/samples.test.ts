import { describe, expect, test } from 'vitest';
import { OUTCOMES } from '../../../../shared/event.ts';
import { BUILTIN_FORMATS, detectFormat, mapEvent } from '../../../../shared/formats/index.ts';
import { fixtureText } from './files.ts';

describe.each(BUILTIN_FORMATS.map((format) => [format.id, format] as const))('%s samples', (id, format) => {
  test('equal the fixture file line for line', () => {
    expect(format.samples.map((line) => `${line}\n`).join('')).toBe(fixtureText(`${id}.ndjson`));
  });

  test.each(format.samples.map((line, index) => [index + 1, line] as const))(
    `line %i detects as ${id}`,
    (_, line) => {
      expect(detectFormat(JSON.parse(line))?.id).toBe(id);
    },
  );

  test.each(format.samples.map((line, index) => [index + 1, line] as const))(
    'line %i normalises with time, user, action and entity',
    (_, line) => {
      const event = mapEvent(format, JSON.parse(line));
      expect(event.ts).toEqual(expect.any(Number));
      expect(event.user).toEqual(expect.any(String));
      expect(event.action).toEqual(expect.any(String));
      expect(event.entity).toEqual(expect.any(String));
      expect(OUTCOMES).toContain(event.outcome);
    },
  );
});
