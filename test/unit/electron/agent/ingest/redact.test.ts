// Issue 7.8: the redaction rules one by one — secret keys beyond the first list, secret shapes under any
// key, text that is not JSON — and the ordinary values they must leave alone.
import { describe, expect, test } from 'vitest';
import { isSecretKey, redactInPlace, redactText } from '../../../../../electron/agent/ingest/redact.ts';

describe('keys', () => {
  test.each([
    'password',
    'newPassword',
    'pwd',
    'auth',
    'x-auth',
    'basicAuth',
    'jwt',
    'sessionid',
    'session_id',
    'sessionId',
    'JSESSIONID',
    'pin',
    'userPin',
    'cookie',
    'set-cookie',
    'sig',
    'X-Amz-Signature',
    'AccountKey',
    'SharedAccessSignature',
    'otp',
  ])('%s is a secret key', (key) => expect(isSecretKey(key)).toBe(true));

  test.each([
    'user',
    'userEmail',
    'action',
    'pinned',
    'opinion',
    'author',
    'authMethod',
    'sessionStart',
    'design',
    'id',
    'key',
  ])('%s is not', (key) => expect(isSecretKey(key)).toBe(false));

  test('an object under a short secret word is searched key by key; under a full secret key it goes whole', () => {
    const event = { auth: { type: 'basic', apiKey: 'k1' }, credentials: { user: 'u', pass: 'p' }, pin: 1234 };
    expect(redactInPlace(event)).toBe(3);
    expect(event).toEqual({
      auth: { type: 'basic', apiKey: '[REDACTED]' },
      credentials: '[REDACTED]',
      pin: '[REDACTED]',
    });
  });
});

describe('shapes in string values, under any key', () => {
  test.each([
    ['Bearer credential', 'called with Bearer abcDEF1234567890', 'called with Bearer [REDACTED]'],
    ['Basic credential', 'Basic dXNlcjpwYXNzd29yZA==', 'Basic [REDACTED]'],
    ['JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl', '[REDACTED]'],
    [
      'access_token in a URL',
      'https://a/cb?state=1&access_token=tok123&page=2',
      'https://a/cb?state=1&access_token=[REDACTED]&page=2',
    ],
    ['sig in a URL', 'https://acct.blob/x?sv=2020&sig=abc%3D', 'https://acct.blob/x?sv=2020&sig=[REDACTED]'],
    [
      'AccountKey',
      'AccountName=a;AccountKey=Zm9v+/==;EndpointSuffix=x',
      'AccountName=a;AccountKey=[REDACTED];EndpointSuffix=x',
    ],
    [
      'Password with a space, to its ;',
      'Server=s;Password=two words;Encrypt=true',
      'Server=s;Password=[REDACTED];Encrypt=true',
    ],
    [
      'SharedAccessSignature',
      'BlobEndpoint=b;SharedAccessSignature=sv=1&sig=x;',
      'BlobEndpoint=b;SharedAccessSignature=[REDACTED];',
    ],
    ['Cookie header', 'Cookie: sid=abc; theme=dark', 'Cookie: [REDACTED]'],
    [
      'password= in a message',
      'login failed password=hunter2 user=bob',
      'login failed password=[REDACTED] user=bob',
    ],
    ['GitHub token', 'token ghp_0123456789abcdefghijABCDEFGHIJ', 'token [REDACTED]'],
    ['PEM private key', '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----', '[REDACTED]'],
  ])('%s', (_name, value, expected) => {
    const event = { note: value };
    expect(redactInPlace(event)).toBeGreaterThan(0);
    expect(event.note).toBe(expected);
  });

  test.each([
    'alice@acme.example',
    'setPassword',
    'USER_LOGIN',
    'CLIENT_SECRET_RENEWED',
    'Basic Information',
    'Bearer Content-Type application/json',
    'auth: failed',
    'action=setPassword user=alice',
    'token expired',
    '2024-03-05T10:00:00Z',
    'https://acme.example/projects?page=2&sort=name',
    'u-3509d6a1b2c3d4e5',
  ])('%s is ordinary data and stays', (value) => {
    const event = { note: value, list: [value] };
    expect(redactInPlace(event)).toBe(0);
    expect(event).toEqual({ note: value, list: [value] });
  });

  test('a value seen clean before is not searched again, but the same value is redacted wherever it is a secret', () => {
    const ordinary = 'an ordinary message that repeats on many lines';
    for (let i = 0; i < 3; i++) expect(redactInPlace({ note: ordinary })).toBe(0);
    expect(redactInPlace({ password: ordinary })).toBe(1);
  });
});

describe('text that is not JSON (quarantine excerpts)', () => {
  test.each([
    [
      'single-quoted pseudo-JSON',
      "{'user': 'bob', 'password': 'hunter2'}",
      "{'user': 'bob', 'password': '[REDACTED]'}",
    ],
    ['an escaped key', '{"p\\u0061ssword": "hunter2", "x": }', '{"p\\u0061ssword": "[REDACTED]", "x": }'],
    [
      'JSON inside a JSON string',
      '{"a": "{\\"secret\\": \\"hunter2\\"}", }',
      '{"a": "{\\"secret\\": \\"[REDACTED]\\"}", }',
    ],
    [
      'bare keys',
      '{pwd: hunter2, pin: 1234, auth: abc',
      '{pwd: [REDACTED], pin: [REDACTED], auth: [REDACTED]',
    ],
    ['a value cut short by the excerpt', '{"password": "hunt', '{"password": "[REDACTED]"'],
    [
      'null and booleans kept',
      '{"token": null, "password": true, "x": ',
      '{"token": null, "password": true, "x": ',
    ],
  ])('%s', (_name, text, expected) => expect(redactText(text)).toBe(expected));
});

test('a GraphQL variable reference is not a secret value (the value travels in the variables)', () => {
  const event = { requestPayload: 'mutation { setPassword(uid: "u-1", newPassword: $newPassword) { _id } }' };
  expect(redactInPlace(event)).toBe(0);
  const inline = {
    requestPayload: 'mutation { setPassword(uid: "u-1", newPassword: "Summer2024!") { _id } }',
  };
  expect(redactInPlace(inline)).toBe(1);
  expect(inline.requestPayload).not.toContain('Summer2024!');
});
