import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FileSecretStore,
  headlessSecretStore,
  SECRET_KEY_ENV,
  SecretFileError,
} from '../../../../../../electron/agent/sources/secrets/fileSecretStore.ts';

const SECRET = 'wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY';
const OTHER = 'a-second-secret-value-0123456789';
const dirs: string[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-secrets-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Every byte of every file in `dir`, as one buffer, to search for leaks. */
function allBytes(dir: string): Buffer {
  return Buffer.concat(
    fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((name) => {
      const file = path.join(dir, name);
      return fs.statSync(file).isFile() ? fs.readFileSync(file) : Buffer.alloc(0);
    }),
  );
}

function expectNoLeak(dir: string, ...secrets: string[]): void {
  const bytes = allBytes(dir);
  for (const secret of secrets) {
    expect(bytes.includes(secret)).toBe(false);
    expect(bytes.includes(Buffer.from(secret).toString('base64'))).toBe(false);
    expect(bytes.includes(Buffer.from(secret).toString('hex'))).toBe(false);
  }
}

describe('FileSecretStore with a key file', () => {
  it('round-trips secrets through a new instance and leaves no plain text on disk', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'audit.db');
    const store = headlessSecretStore(db, {});
    await store.set('source:prod:credentials.secretAccessKey', SECRET);
    await store.set('other', OTHER);

    const again = headlessSecretStore(db, {});
    expect(await again.get('source:prod:credentials.secretAccessKey')).toBe(SECRET);
    expect(await again.get('other')).toBe(OTHER);
    expect(await again.get('missing')).toBeNull();
    // Neither the values nor the names are readable in the files.
    expectNoLeak(dir, SECRET, OTHER, 'source:prod');
    expect(fs.statSync(`${db}.secrets`).mode & 0o777).toBe(0o600);
    expect(fs.statSync(`${db}.secret-key`).mode & 0o777).toBe(0o600);
  });

  it('deletes a secret', async () => {
    const store = headlessSecretStore(path.join(tempDir(), 'audit.db'), {});
    await store.set('a', SECRET);
    await store.delete('a');
    expect(await store.get('a')).toBeNull();
  });

  it('keeps concurrent sets from one process', async () => {
    const store = headlessSecretStore(path.join(tempDir(), 'audit.db'), {});
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.set(`k${i}`, `v${i}`)));
    for (let i = 0; i < 10; i++) expect(await store.get(`k${i}`)).toBe(`v${i}`);
  });

  it('rejects a file whose authentication tag was truncated (easier to forge)', async () => {
    const db = path.join(tempDir(), 'audit.db');
    await headlessSecretStore(db, {}).set('a', SECRET);
    const file = JSON.parse(fs.readFileSync(`${db}.secrets`, 'utf8')) as { tag: string };
    const tag = Buffer.from(file.tag, 'base64').subarray(0, 4).toString('base64');
    fs.writeFileSync(`${db}.secrets`, JSON.stringify({ ...file, tag }));
    await expect(headlessSecretStore(db, {}).get('a')).rejects.toThrow(/could not be decrypted/);
  });

  it('stores any name, including ones that look like object properties', async () => {
    const db = path.join(tempDir(), 'audit.db');
    await headlessSecretStore(db, {}).set('__proto__', SECRET);
    await headlessSecretStore(db, {}).set('constructor', OTHER);
    expect(await headlessSecretStore(db, {}).get('__proto__')).toBe(SECRET);
    expect(await headlessSecretStore(db, {}).get('constructor')).toBe(OTHER);
    expect(await headlessSecretStore(db, {}).get('toString')).toBeNull();
  });

  it('refuses a key file that others can read, and says how to fix it', async () => {
    const db = path.join(tempDir(), 'audit.db');
    await headlessSecretStore(db, {}).set('a', SECRET);
    fs.chmodSync(`${db}.secret-key`, 0o644);
    const error = await headlessSecretStore(db, {})
      .get('a')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretFileError);
    expect((error as Error).message).toMatch(/readable by other users \(mode 644\)\. Run: chmod 600/);
  });

  it('fails clearly when the key file is lost', async () => {
    const db = path.join(tempDir(), 'audit.db');
    await headlessSecretStore(db, {}).set('a', SECRET);
    fs.rmSync(`${db}.secret-key`);
    const error = await headlessSecretStore(db, {})
      .get('a')
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/key file .* is missing/);
  });

  it('rejects a tampered file instead of returning altered secrets', async () => {
    const db = path.join(tempDir(), 'audit.db');
    await headlessSecretStore(db, {}).set('a', SECRET);
    const file = JSON.parse(fs.readFileSync(`${db}.secrets`, 'utf8')) as { data: string };
    const data = Buffer.from(file.data, 'base64');
    data[0]! ^= 1;
    fs.writeFileSync(`${db}.secrets`, JSON.stringify({ ...file, data: data.toString('base64') }));
    const error = await headlessSecretStore(db, {})
      .get('a')
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/could not be decrypted .* or the file was altered/);
    expect((error as Error).message).not.toContain(SECRET);
  });
});

describe('FileSecretStore with a passphrase', () => {
  const env = { [SECRET_KEY_ENV]: 'correct horse battery staple' };

  it('round-trips without writing a key file, and leaks neither secret nor passphrase', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'audit.db');
    await headlessSecretStore(db, env).set('a', SECRET);
    expect(await headlessSecretStore(db, env).get('a')).toBe(SECRET);
    expect(fs.existsSync(`${db}.secret-key`)).toBe(false);
    expectNoLeak(dir, SECRET, env[SECRET_KEY_ENV]);
  });

  it('a wrong passphrase is an error that names the variable, not a null or garbage', async () => {
    const db = path.join(tempDir(), 'audit.db');
    await headlessSecretStore(db, env).set('a', SECRET);
    const error = await headlessSecretStore(db, { [SECRET_KEY_ENV]: 'wrong' })
      .get('a')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretFileError);
    expect((error as Error).message).toMatch(
      /could not be decrypted with the passphrase in AUDIT_EXPLORER_SECRET_KEY/,
    );
    expect((error as Error).message).not.toMatch(/wrong|correct horse/);
  });

  it('says which key a file needs when the other kind is configured', async () => {
    const db = path.join(tempDir(), 'audit.db');
    await headlessSecretStore(db, env).set('a', SECRET);
    await expect(headlessSecretStore(db, {}).get('a')).rejects.toThrow(
      /written with a passphrase: set AUDIT_EXPLORER_SECRET_KEY/,
    );
    const db2 = path.join(tempDir(), 'audit.db');
    await headlessSecretStore(db2, {}).set('a', SECRET);
    await expect(headlessSecretStore(db2, env).get('a')).rejects.toThrow(/written with a key file/);
  });

  it('can be constructed directly on any file', async () => {
    const file = path.join(tempDir(), 'nested', 'secrets.json');
    const store = new FileSecretStore(file, { kind: 'passphrase', passphrase: 'p', from: 'TEST_VAR' });
    await store.set('a', SECRET);
    expect(await store.get('a')).toBe(SECRET);
  });
});
