/**
 * Secrets for headless use (the CLI and `agent` on a server without a keyring): one file, encrypted with
 * AES-256-GCM, next to the database.
 *
 * Threat model. The file protects the secrets against someone who gets a copy of the database folder or
 * a backup without the key: the database holds only references, and this file is ciphertext with an
 * authentication tag (a tampered file fails to open instead of yielding altered credentials). It does NOT
 * protect against a local attacker running as the same user: that user can read the key file, or the
 * passphrase from the agent's environment, as easily as the agent does. Against that, only an OS keyring
 * or Electron `safeStorage` helps, which is what the desktop app uses. The key comes from, in order:
 * - a passphrase in `AUDIT_EXPLORER_SECRET_KEY` (scrypt-derived; best for backups, since the key then
 *   never sits next to the data), or
 * - a key file of 32 random bytes created beside the database with mode 0600 (refused when it is readable
 *   by others). A backup that copies the whole folder copies the key file too: exclude it, or use the
 *   passphrase.
 *
 * The whole name→value map is one encrypted blob, so the file reveals neither the values nor which
 * sources have secrets. Every read goes to disk and every write re-reads, changes and atomically replaces
 * the file, so the CLI and a running agent see each other's changes. Two processes writing at the same
 * instant can still lose one update (last rename wins): adding sources is a human-speed action.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { SecretStore } from './secretStore.ts';

/** The environment variable holding the passphrase for headless secret files. */
export const SECRET_KEY_ENV = 'AUDIT_EXPLORER_SECRET_KEY';

/** How the file's key is obtained. */
export type SecretKeySource =
  | { readonly kind: 'passphrase'; readonly passphrase: string; readonly from: string }
  | { readonly kind: 'keyFile'; readonly file: string };

/** The file format, written as JSON. `kdf` is present for passphrase keys. */
interface SecretFile {
  format: 'audit-explorer-secrets';
  version: 1;
  cipher: 'aes-256-gcm';
  kdf?: { name: 'scrypt'; salt: string; N: number; r: number; p: number };
  iv: string;
  tag: string;
  data: string;
}

const FORMAT = 'audit-explorer-secrets';
const KEY_BYTES = 32;
// scrypt cost: 2^15 × 8 × 128 B = 32 MiB and ~0.1 s per derivation, once per open of the store.
const SCRYPT = { N: 1 << 15, r: 8, p: 1 } as const;

/** The secrets file failed to open or to decrypt; the message says what to do. */
export class SecretFileError extends Error {
  override name = 'SecretFileError';
}

/**
 * The headless store for the database at `dbFile`: `<db>.secrets` encrypted with the passphrase from
 * {@link SECRET_KEY_ENV} when set, else with the key file `<db>.secret-key` (created on first write).
 */
export function headlessSecretStore(dbFile: string, env: NodeJS.ProcessEnv = process.env): FileSecretStore {
  const passphrase = env[SECRET_KEY_ENV];
  const key: SecretKeySource = passphrase
    ? { kind: 'passphrase', passphrase, from: SECRET_KEY_ENV }
    : { kind: 'keyFile', file: `${dbFile}.secret-key` };
  return new FileSecretStore(`${dbFile}.secrets`, key);
}

/** A {@link SecretStore} in one AES-256-GCM encrypted file (see the module comment for what it protects). */
export class FileSecretStore implements SecretStore {
  readonly file: string;
  readonly #key: SecretKeySource;
  /** Serialises this process's writes so two `set`s do not interleave their read-modify-write. */
  #queue: Promise<unknown> = Promise.resolve();
  /** scrypt keys by salt: a derivation costs ~0.1 s and 32 MiB, and a `set` needs the key twice. */
  readonly #derived = new Map<string, Promise<Buffer>>();

  constructor(file: string, key: SecretKeySource) {
    this.file = file;
    this.#key = key;
  }

  async get(name: string): Promise<string | null> {
    return (await this.#read()).get(name) ?? null;
  }

  async set(name: string, value: string): Promise<void> {
    await this.#update((values) => values.set(name, value));
  }

  async delete(name: string): Promise<void> {
    await this.#update((values) => values.delete(name));
  }

  #update(change: (values: Map<string, string>) => unknown): Promise<void> {
    const run = this.#queue.then(async () => {
      const values = await this.#read();
      change(values);
      await this.#write(values);
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** The stored names and values (a Map, so no name can collide with an object's own properties). */
  async #read(): Promise<Map<string, string>> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if (isCode(error, 'ENOENT')) return new Map();
      throw new SecretFileError(`Could not read the secrets file ${this.file} (${codeOf(error)}).`, {
        cause: error,
      });
    }
    let parsed: SecretFile;
    try {
      parsed = JSON.parse(text) as SecretFile;
    } catch (error) {
      throw new SecretFileError(
        `The secrets file ${this.file} is not valid JSON; restore it from a backup or remove it and enter the secrets again.`,
        { cause: error },
      );
    }
    if (parsed.format !== FORMAT || parsed.version !== 1 || parsed.cipher !== 'aes-256-gcm')
      throw new SecretFileError(`${this.file} is not an Audit Explorer secrets file this version can read.`);
    const key = await this.#deriveKey(parsed.kdf, false);
    try {
      // The full 16-byte tag is required: GCM would accept a truncated one, which is easier to forge.
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(parsed.iv, 'base64'), {
        authTagLength: 16,
      });
      decipher.setAAD(aad(parsed));
      decipher.setAuthTag(Buffer.from(parsed.tag, 'base64'));
      const plain = Buffer.concat([decipher.update(Buffer.from(parsed.data, 'base64')), decipher.final()]);
      return new Map(Object.entries(JSON.parse(plain.toString('utf8')) as Record<string, string>));
    } catch (error) {
      throw new SecretFileError(
        `The secrets file ${this.file} could not be decrypted with ${this.#describeKey()}: the key is not the one it was written with, or the file was altered. ` +
          `Use the original key, or remove the file and enter the source secrets again.`,
        { cause: error },
      );
    }
  }

  async #write(values: Map<string, string>): Promise<void> {
    const existing = await this.#existingKdf();
    const kdf =
      this.#key.kind === 'passphrase'
        ? (existing ?? {
            name: 'scrypt' as const,
            salt: crypto.randomBytes(16).toString('base64'),
            ...SCRYPT,
          })
        : undefined;
    const key = await this.#deriveKey(kdf, true);
    const iv = crypto.randomBytes(12); // a fresh nonce per write: GCM must never reuse one under a key
    const header: SecretFile = {
      format: FORMAT,
      version: 1,
      cipher: 'aes-256-gcm',
      ...(kdf ? { kdf } : {}),
      iv: iv.toString('base64'),
      tag: '',
      data: '',
    };
    const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(aad(header));
    const data = Buffer.concat([
      cipher.update(JSON.stringify(Object.fromEntries(values)), 'utf8'),
      cipher.final(),
    ]);
    const file: SecretFile = {
      ...header,
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
    await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    // Write aside and rename: a crash leaves the old file or the new one, never half of one.
    const temp = `${this.file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    try {
      await fs.writeFile(temp, JSON.stringify(file, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
      await fs.rename(temp, this.file);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw new SecretFileError(`Could not write the secrets file ${this.file} (${codeOf(error)}).`, {
        cause: error,
      });
    }
  }

  /** The kdf parameters of the file on disk, reused so the passphrase keeps deriving the same key. */
  async #existingKdf(): Promise<SecretFile['kdf']> {
    try {
      return (JSON.parse(await fs.readFile(this.file, 'utf8')) as SecretFile).kdf;
    } catch {
      return undefined;
    }
  }

  async #deriveKey(kdf: SecretFile['kdf'], create: boolean): Promise<Buffer> {
    if (this.#key.kind === 'passphrase') {
      if (!kdf)
        throw new SecretFileError(
          `The secrets file ${this.file} was written with a key file, but ${this.#key.from} is set. Unset it to use the key file.`,
        );
      const { passphrase } = this.#key;
      let key = this.#derived.get(kdf.salt);
      if (!key) {
        key = new Promise<Buffer>((resolve, reject) =>
          crypto.scrypt(
            passphrase,
            Buffer.from(kdf.salt, 'base64'),
            KEY_BYTES,
            { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r },
            (error, derived) => (error ? reject(error) : resolve(derived)),
          ),
        );
        this.#derived.set(kdf.salt, key);
      }
      return key;
    }
    if (kdf)
      throw new SecretFileError(
        `The secrets file ${this.file} was written with a passphrase: set ${SECRET_KEY_ENV} to it.`,
      );
    return readKeyFile(this.#key.file, create);
  }

  #describeKey(): string {
    return this.#key.kind === 'passphrase'
      ? `the passphrase in ${this.#key.from}`
      : `the key file ${this.#key.file}`;
  }
}

/** Reads the 32-byte key file, creating it (mode 0600) when `create` and it is missing. */
async function readKeyFile(file: string, create: boolean): Promise<Buffer> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    if (!isCode(error, 'ENOENT'))
      throw new SecretFileError(`Could not read the key file ${file} (${codeOf(error)}).`, { cause: error });
    if (!create)
      throw new SecretFileError(
        `The key file ${file} is missing, so the secrets file next to it cannot be decrypted. Restore the key file, or remove the secrets file and enter the source secrets again.`,
      );
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
      // 'wx': if another process created it first, use theirs rather than overwrite it.
      await fs.writeFile(file, crypto.randomBytes(KEY_BYTES).toString('base64') + '\n', {
        mode: 0o600,
        flag: 'wx',
      });
    } catch (writeError) {
      if (!isCode(writeError, 'EEXIST'))
        throw new SecretFileError(`Could not create the key file ${file} (${codeOf(writeError)}).`, {
          cause: writeError,
        });
    }
    return readKeyFile(file, false);
  }
  try {
    const stat = await handle.stat();
    // Like ssh with private keys: a key others can read protects nothing, so say so instead of using it.
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0)
      throw new SecretFileError(
        `The key file ${file} is readable by other users (mode ${(stat.mode & 0o777).toString(8)}). Run: chmod 600 '${file}'`,
      );
    const key = Buffer.from((await handle.readFile('utf8')).trim(), 'base64');
    if (key.length !== KEY_BYTES)
      throw new SecretFileError(
        `The key file ${file} does not hold a ${KEY_BYTES}-byte key; restore it from a backup.`,
      );
    return key;
  } finally {
    await handle.close();
  }
}

/** The header fields bound to the ciphertext, so a changed kdf or format fails authentication. */
function aad(file: SecretFile): Buffer {
  return Buffer.from(JSON.stringify([file.format, file.version, file.cipher, file.kdf ?? null]), 'utf8');
}

function isCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}

function codeOf(error: unknown): string {
  return (
    (error as NodeJS.ErrnoException | undefined)?.code ??
    (error instanceof Error ? error.message : String(error))
  );
}
