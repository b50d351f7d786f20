/**
 * The desktop's secret store over a fake safeStorage (real AES-GCM under a key the fake keeps, as the OS
 * would): the file never holds a secret or its name in plain text, values round-trip, and a missing or
 * basic_text backend is said out loud.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import {
  SafeStorageSecretStore,
  storageWarning,
  type SafeStorageLike,
} from '../../../../electron/shell/safeStorageSecretStore.ts';

function fakeSafeStorage(backend = 'gnome_libsecret', available = true): SafeStorageLike & { calls: number } {
  const key = crypto.randomBytes(32);
  return {
    calls: 0,
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString(plain) {
      this.calls++;
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), data]);
    },
    decryptString(buffer) {
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, buffer.subarray(0, 12));
      decipher.setAuthTag(buffer.subarray(12, 28));
      return Buffer.concat([decipher.update(buffer.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ae-safestorage-'));
  dirs.push(dir);
  return path.join(dir, 'userData', 'secrets.json');
}

describe('SafeStorageSecretStore', () => {
  test('the file never holds a value or a name in plain text (read back from disk)', async () => {
    const file = tempFile();
    const safe = fakeSafeStorage();
    const store = new SafeStorageSecretStore(file, safe);
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    await store.set('prod-s3.secretAccessKey', secret);
    await store.set('azure.connectionString', 'DefaultEndpointsProtocol=https;AccountKey=c2VjcmV0');
    const raw = fs.readFileSync(file);
    for (const plain of [secret, 'prod-s3', 'secretAccessKey', 'AccountKey', 'c2VjcmV0', 'EXAMPLEKEY']) {
      expect(raw.includes(plain)).toBe(false);
      expect(raw.includes(Buffer.from(plain).toString('base64').slice(0, 12))).toBe(false);
    }
    expect(safe.calls).toBe(2);
    expect(fs.statSync(file).mode & 0o077).toBe(0);
    // A second store on the same file (the next run) reads them back.
    const again = new SafeStorageSecretStore(file, safe);
    expect(await again.get('prod-s3.secretAccessKey')).toBe(secret);
    await again.delete('prod-s3.secretAccessKey');
    expect(await store.get('prod-s3.secretAccessKey')).toBeNull();
    expect(await store.get('azure.connectionString')).toContain('AccountKey');
  });

  test('a missing file is an empty store; concurrent sets all land', async () => {
    const store = new SafeStorageSecretStore(tempFile(), fakeSafeStorage());
    expect(await store.get('nothing')).toBeNull();
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.set(`k${i}`, `v${i}`)));
    for (let i = 0; i < 10; i++) expect(await store.get(`k${i}`)).toBe(`v${i}`);
  });

  test('without OS encryption nothing is written, and the error says what to do', async () => {
    const file = tempFile();
    const store = new SafeStorageSecretStore(file, fakeSafeStorage('unknown', false));
    await expect(store.set('a', 'secret')).rejects.toThrow(/environment variables/);
    expect(fs.existsSync(file)).toBe(false);
  });

  test('a file encrypted under another key fails with a message, never a garbled value', async () => {
    const file = tempFile();
    await new SafeStorageSecretStore(file, fakeSafeStorage()).set('a', 'secret');
    await expect(new SafeStorageSecretStore(file, fakeSafeStorage()).get('a')).rejects.toThrow(
      /Could not decrypt .* Enter the credentials again/,
    );
  });
});

describe('storageWarning', () => {
  test('Linux basic_text is warned about; a real keyring and other platforms are not', () => {
    expect(storageWarning(fakeSafeStorage('basic_text'), 'linux')).toMatch(/No keyring.*basic_text/);
    expect(storageWarning(fakeSafeStorage('gnome_libsecret'), 'linux')).toBeNull();
    expect(storageWarning(fakeSafeStorage('kwallet5'), 'linux')).toBeNull();
    expect(storageWarning(fakeSafeStorage('unknown'), 'darwin')).toBeNull();
    expect(storageWarning(fakeSafeStorage('basic_text', false), 'linux')).toMatch(/No OS encryption/);
  });
});
