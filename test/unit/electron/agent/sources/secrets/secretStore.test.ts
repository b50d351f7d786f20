import { describe, expect, it } from 'vitest';
import {
  EnvironmentSecretStore,
  MemorySecretStore,
  ReadOnlySecretStoreError,
  resolveSecret,
  SecretResolutionError,
} from '../../../../../../electron/agent/sources/secrets/secretStore.ts';
import type { SecretStore } from '../../../../../../electron/agent/sources/secrets/secretStore.ts';

const where = { source: 'prod-s3', field: 'credentials.secretAccessKey' };
const SECRET = 'wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY';

describe('MemorySecretStore', () => {
  it('gets what was set, null after delete, and deleting a missing name is fine', async () => {
    const store = new MemorySecretStore();
    expect(await store.get('a')).toBeNull();
    await store.set('a', SECRET);
    expect(await store.get('a')).toBe(SECRET);
    await store.delete('a');
    expect(await store.get('a')).toBeNull();
    await expect(store.delete('a')).resolves.toBeUndefined();
  });
});

describe('EnvironmentSecretStore', () => {
  it('reads variables, treats empty as unset, and refuses writes', async () => {
    const store = new EnvironmentSecretStore({ AWS_SECRET: SECRET, EMPTY: '' });
    expect(await store.get('AWS_SECRET')).toBe(SECRET);
    expect(await store.get('EMPTY')).toBeNull();
    expect(await store.get('MISSING')).toBeNull();
    await expect(store.set('X', SECRET)).rejects.toBeInstanceOf(ReadOnlySecretStoreError);
    await expect(store.set('X', SECRET)).rejects.not.toThrow(SECRET);
    await expect(store.delete('X')).rejects.toBeInstanceOf(ReadOnlySecretStoreError);
  });
});

describe('resolveSecret', () => {
  it('returns a typed-in value, a stored value and an environment value', async () => {
    const store = new MemorySecretStore();
    await store.set('s3/prod', SECRET);
    const env = new EnvironmentSecretStore({ AWS_SECRET: 'from-env' });
    expect(await resolveSecret('typed', store, where, env)).toBe('typed');
    expect(await resolveSecret({ secret: 's3/prod' }, store, where, env)).toBe(SECRET);
    expect(await resolveSecret({ env: 'AWS_SECRET' }, store, where, env)).toBe('from-env');
  });

  it('names the source and field when a stored secret is missing', async () => {
    const error = await resolveSecret({ secret: 'gone' }, new MemorySecretStore(), where).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SecretResolutionError);
    expect((error as SecretResolutionError).field).toBe('credentials.secretAccessKey');
    expect((error as Error).message).toMatch(/source 'prod-s3', field credentials\.secretAccessKey/);
    expect((error as Error).message).toMatch(/missing from the secret store/);
  });

  it('names the variable, source and field when an environment variable is unset', async () => {
    const error = await resolveSecret(
      { env: 'NOT_SET_ANYWHERE' },
      new MemorySecretStore(),
      where,
      new EnvironmentSecretStore({}),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretResolutionError);
    expect((error as Error).message).toMatch(
      /NOT_SET_ANYWHERE.*source 'prod-s3', field credentials\.secretAccessKey/,
    );
  });

  it("wraps a failing store's error without echoing any secret", async () => {
    const broken: SecretStore = {
      get: () => Promise.reject(new Error('the secrets file could not be decrypted')),
      set: () => Promise.resolve(),
      delete: () => Promise.resolve(),
    };
    const error = await resolveSecret({ secret: 'x' }, broken, where).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretResolutionError);
    expect((error as Error).message).toMatch(
      /field credentials\.secretAccessKey: the secrets file could not be decrypted/,
    );
  });
});
