import { describe, expect, test } from 'vitest';
import { compileGetter } from '../../../../shared/formats/paths.ts';
import { parsePath, PathSyntaxError } from '../../../../shared/formats/index.ts';

describe('parsePath', () => {
  test.each([
    ['a key', 'userEmail', ['userEmail']],
    ['keys with @ and -', 'meta.user-email', ['meta', 'user-email']],
    ['an array index', 'nameHints[0]', ['nameHints', 0]],
    ['a quoted key holding dots', 'client["ip.v4"].x', ['client', 'ip.v4', 'x']],
    ['an index after an index', 'a[1][2]', ['a', 1, 2]],
    ['a leading @', '@timestamp', ['@timestamp']],
  ])('%s', (_, path, segments) => {
    expect(parsePath(path)).toEqual(segments);
  });

  test.each([
    ['an empty path', '', 'column 1: the path is empty'],
    ['a leading dot', '.a', 'column 1: a path cannot start with "."'],
    ['a trailing dot', 'a.', 'column 3: expected a key after "."'],
    ['two dots', 'a..b', 'column 3: expected a key after "."'],
    ['a non-numeric index', 'a[x]', 'column 2: brackets hold an array index'],
    ['text after a bracket', 'a[0]b', 'column 5: expected "." or "[" after "]"'],
    ['an unterminated quoted key', 'a["b', 'column 2: a quoted key must be written ["key"]'],
  ])('rejects %s', (_, path, message) => {
    expect(() => parsePath(path)).toThrow(PathSyntaxError);
    expect(() => parsePath(path)).toThrow(message);
  });
});

describe('compiled getters', () => {
  const obj = { a: { b: { c: { d: 'deep' } } }, list: [{ id: 'x' }], text: 'abc' };

  test.each([
    ['one step', ['text'], 'abc'],
    ['two steps into an array', ['list', 0], { id: 'x' }],
    ['three steps', ['list', 0, 'id'], 'x'],
    ['four steps', ['a', 'b', 'c', 'd'], 'deep'],
    ['a missing step', ['a', 'x', 'c', 'd'], undefined],
    ['a step into a string', ['text', 0], undefined],
    ['a step into a string, deeper', ['a', 'b', 'c', 'd', 'e'], undefined],
  ])('%s', (_, segments, expected) => {
    expect(compileGetter(segments)(obj)).toEqual(expected);
  });
});
