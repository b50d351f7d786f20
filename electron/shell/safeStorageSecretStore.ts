/**
 * Source credentials in the desktop app: the {@link SecretStore} over Electron `safeStorage`, which
 * encrypts with a key the OS keeps (Keychain on macOS, DPAPI on Windows, the Secret Service or KWallet on
 * Linux). The whole name→value map is one encrypted blob in a file in userData, so the file reveals
 * neither the values nor which sources have secrets. Electron-free: main.ts passes `safeStorage` in, tests
 * a fake.
 *
 * On Linux without a keyring (a headless session, a minimal desktop) Chromium falls back to `basic_text`:
 * the "encryption" then uses a key hard-coded in Chromium, which protects against nothing but a casual
 * look. That is allowed (the app still works) but never silent: {@link storageWarning} says so, and the
 * app shows it.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { SecretStore } from '../agent/sources/secrets/secretStore.ts';

/** What the store needs of Electron's `safeStorage`. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only in Electron. */
  getSelectedStorageBackend?(): string;
}

interface StoreFile {
  format: 'audit-explorer-safestorage';
  version: 1;
  /** base64 of `safeStorage.encryptString(JSON.stringify({name: value}))`. */
  data: string;
}

const FORMAT = 'audit-explorer-safestorage';

/** The store could not encrypt or decrypt; the message says what to do. */
export class SafeStorageError extends Error {
  override name = 'SafeStorageError';
}

/**
 * The warning to show when secrets are not really protected, or null: Linux's `basic_text` backend (no
 * keyring answered), or no encryption at all.
 */
export function storageWarning(
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform = process.platform,
): string | null {
  if (!safeStorage.isEncryptionAvailable())
    return 'No OS encryption is available: source credentials cannot be stored. Use environment variables ({ "env": "VAR" }) instead.';
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text')
    return 'No keyring (Secret Service or KWallet) answered: stored credentials are only obfuscated (Chromium basic_text). Install and unlock a keyring (gnome-keyring, KWallet), then store them again.';
  return null;
}

export class SafeStorageSecretStore implements SecretStore {
  readonly file: string;
  readonly #safeStorage: SafeStorageLike;
  /** Serialises writes so two `set`s do not interleave their read-modify-write. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(file: string, safeStorage: SafeStorageLike) {
    this.file = file;
    this.#safeStorage = safeStorage;
  }

  async get(name: string): Promise<string | null> {
    return (await this.#read()).get(name) ?? null;
  }

  set(name: string, value: string): Promise<void> {
    return this.#update((values) => values.set(name, value));
  }

  delete(name: string): Promise<void> {
    return this.#update((values) => values.delete(name));
  }

  #update(change: (values: Map<string, string>) => void): Promise<void> {
    const run = this.#queue.then(async () => {
      const values = await this.#read();
      change(values);
      await this.#write(values);
    });
    this.#queue = run.catch(() => {});
    return run;
  }

  async #read(): Promise<Map<string, string>> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw error;
    }
    let parsed: StoreFile;
    try {
      parsed = JSON.parse(text) as StoreFile;
    } catch {
      throw new SafeStorageError(
        `${this.file} is not a secrets file (not JSON). Move it away and enter the credentials again.`,
      );
    }
    if (parsed.format !== FORMAT || parsed.version !== 1 || typeof parsed.data !== 'string')
      throw new SafeStorageError(
        `${this.file} is not a secrets file of this version. Move it away and enter the credentials again.`,
      );
    this.#requireEncryption();
    let plain: string;
    try {
      plain = this.#safeStorage.decryptString(Buffer.from(parsed.data, 'base64'));
    } catch (error) {
      throw new SafeStorageError(
        `Could not decrypt ${this.file} (${(error as Error).message}): it was encrypted by another user or machine, or the OS key changed. Enter the credentials again.`,
        { cause: error },
      );
    }
    return new Map(Object.entries(JSON.parse(plain) as Record<string, string>));
  }

  async #write(values: Map<string, string>): Promise<void> {
    this.#requireEncryption();
    const data = this.#safeStorage
      .encryptString(JSON.stringify(Object.fromEntries(values)))
      .toString('base64');
    const body: StoreFile = { format: FORMAT, version: 1, data };
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    await fs.writeFile(temporary, JSON.stringify(body), { mode: 0o600 });
    await fs.rename(temporary, this.file);
  }

  #requireEncryption(): void {
    if (!this.#safeStorage.isEncryptionAvailable())
      throw new SafeStorageError(
        'The OS offers no encryption for stored credentials right now. Reference them as environment variables ({ "env": "VAR" }) instead.',
      );
  }
}
