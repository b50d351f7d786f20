import crypto from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { csvRecord, neutralizeFormula } from '../../../../../electron/agent/export/csv.ts';
import { Pseudonymizer } from '../../../../../electron/agent/export/pseudonym.ts';

describe('Pseudonymizer', () => {
  const key = crypto.randomBytes(32);

  test('same user, same pseudonym; another key, another one; null stays null', () => {
    const a = new Pseudonymizer(key);
    expect(a.user('alice@x')).toBe(new Pseudonymizer(key).user('alice@x'));
    expect(a.user('alice@x')).not.toBe(a.user('bob@x'));
    expect(a.user('alice@x')).not.toBe(Pseudonymizer.random().user('alice@x'));
    expect(a.user(null)).toBeNull();
  });

  test('replaces JSON values equal to the user at any depth, also in the quoted form, not keys or other text', () => {
    const p = new Pseudonymizer(key);
    const alias = p.user('alice@x')!;
    const raw = JSON.stringify({
      userEmail: 'alice@x',
      requestParams: { email: '"alice@x"', list: ['alice@x', 'bob@x'] },
      'alice@x': 1,
    });
    expect(JSON.parse(p.rawLine(raw, 'alice@x'))).toEqual({
      userEmail: alias,
      requestParams: { email: `"${alias}"`, list: [alias, 'bob@x'] },
      'alice@x': 1,
    });
  });

  test('a line that does not mention the user is returned byte for byte', () => {
    const raw = '{"a":  1, "b":"c"}';
    expect(new Pseudonymizer(key).rawLine(raw, 'alice@x')).toBe(raw);
  });

  test('the key id does not reveal the key and is stable for it', () => {
    const id = new Pseudonymizer(key).keyId;
    expect(id).toBe(new Pseudonymizer(key).keyId);
    expect(key.toString('hex')).not.toContain(id);
  });
});

describe('CSV cells', () => {
  test.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@A1', "'@A1"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['plain', 'plain'],
    [-5, '-5'],
    [null, ''],
  ])('%j → %j', (value, expected) => {
    expect(neutralizeFormula(value)).toBe(expected);
  });

  test('RFC 4180 quoting of commas, quotes and line breaks', () => {
    expect(csvRecord(['a,b', 'say "hi"', 'x\ny', 7])).toBe('"a,b","say ""hi""","x\ny",7');
  });
});
