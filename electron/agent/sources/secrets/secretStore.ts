/**
 * Where source credentials live once a source is saved: the database keeps only a reference
 * (`{ "secret": "name" }` or `{ "env": "VAR" }`, see shared/sourceConfig.ts), and the value sits behind this
 * interface — Electron `safeStorage` in the app (a later issue), an encrypted file or the environment when
 * headless, memory in tests.
 */
import type { SecretValue } from '../../../../shared/sourceConfig.ts';

export interface SecretStore {
  /** The value stored under `name`, or null when there is none. */
  get(name: string): Promise<string | null>;
  /** Stores `value` under `name`, replacing any previous value. */
  set(name: string, value: string): Promise<void>;
  /** Forgets `name`; deleting a name that is not there is not an error. */
  delete(name: string): Promise<void>;
}

/** A store that can be read but not written (the environment): `set`/`delete` fail with this. */
export class ReadOnlySecretStoreError extends Error {
  override name = 'ReadOnlySecretStoreError';
}

/**
 * A secret reference in a source's configuration that does not resolve. The message names the source and
 * the field and says what to do; it never contains the value (there is none to show) nor any other secret.
 */
export class SecretResolutionError extends Error {
  override name = 'SecretResolutionError';
  /** The configuration field, e.g. `credentials.secretAccessKey`. */
  readonly field: string;
  constructor(field: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.field = field;
  }
}

/** Where a secret reference sits, for error messages. */
export interface SecretField {
  /** The source's name. */
  readonly source: string;
  /** The field's path in the source configuration, e.g. `credentials.secretAccessKey`. */
  readonly field: string;
}

/**
 * Turns a configured secret into its value: a string typed in (not yet moved to the store) is the value
 * itself, `{ secret }` is looked up in `store`, `{ env }` in `env` (the process environment unless given).
 * Throws {@link SecretResolutionError} naming the source and field when the reference resolves to nothing.
 */
export async function resolveSecret(
  value: SecretValue,
  store: SecretStore,
  where: SecretField,
  env: SecretStore = new EnvironmentSecretStore(),
): Promise<string> {
  const at = `source '${where.source}', field ${where.field}`;
  if (typeof value === 'string') return value;
  if ('secret' in value) {
    let found: string | null;
    try {
      found = await store.get(value.secret);
    } catch (error) {
      // The store's own error (a wrong passphrase, an unreadable file) says what to fix; keep it as the cause.
      const reason = error instanceof Error ? error.message : String(error);
      throw new SecretResolutionError(where.field, `Could not read the secret for ${at}: ${reason}`, {
        cause: error,
      });
    }
    if (found == null)
      throw new SecretResolutionError(
        where.field,
        `The secret for ${at} is missing from the secret store. Enter it again (sources update) to store it.`,
      );
    return found;
  }
  const found = await env.get(value.env);
  if (found == null)
    throw new SecretResolutionError(
      where.field,
      `The environment variable ${value.env} for ${at} is not set (or empty). Set it in the environment the agent runs in.`,
    );
  return found;
}

/**
 * The process environment as a read-only store: what `{ "env": "VAR" }` references read. An empty variable
 * counts as unset, since an empty credential is never what the user meant.
 */
export class EnvironmentSecretStore implements SecretStore {
  readonly #env: NodeJS.ProcessEnv;
  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.#env = env;
  }
  async get(name: string): Promise<string | null> {
    const value = this.#env[name];
    return value ? value : null;
  }
  async set(name: string, _value: string): Promise<void> {
    throw new ReadOnlySecretStoreError(
      `Secrets from the environment are read-only: set ${name} in the agent's environment instead.`,
    );
  }
  async delete(name: string): Promise<void> {
    throw new ReadOnlySecretStoreError(
      `Secrets from the environment are read-only: unset ${name} in the agent's environment instead.`,
    );
  }
}

/** Secrets in a Map, for tests and for the in-memory service the UI tests use. Nothing touches disk. */
export class MemorySecretStore implements SecretStore {
  readonly #values = new Map<string, string>();
  async get(name: string): Promise<string | null> {
    return this.#values.get(name) ?? null;
  }
  async set(name: string, value: string): Promise<void> {
    this.#values.set(name, value);
  }
  async delete(name: string): Promise<void> {
    this.#values.delete(name);
  }
}
