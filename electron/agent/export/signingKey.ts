import crypto from 'node:crypto';
import type { SecretStore } from '../sources/secrets/secretStore.ts';

/**
 * The installation's Ed25519 key that signs evidence bundles: generated on first use and kept in the
 * secret store (the encrypted file next to the database in headless mode), never in the database or a
 * bundle. Its public half goes into every bundle and is shown by `audit-explorer key show`, so a recipient
 * can pin it.
 */

/** The secret store entry holding the private key (PKCS#8 PEM). */
export const SIGNING_KEY_SECRET = 'export.signing-key.ed25519';

export interface SigningKey {
  readonly privateKey: crypto.KeyObject;
  readonly publicKey: crypto.KeyObject;
  /** SPKI PEM of the public key (what bundles carry as public-key.pem). */
  readonly publicKeyPem: string;
  /** `sha256:` + hex SHA-256 of the public key's DER (SPKI): what to compare by eye. */
  readonly fingerprint: string;
}

/** The installation's signing key, created (and stored) the first time it is asked for. */
export async function signingKey(secrets: SecretStore): Promise<SigningKey> {
  let pem = await secrets.get(SIGNING_KEY_SECRET);
  if (pem === null) {
    const { privateKey } = crypto.generateKeyPairSync('ed25519');
    pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await secrets.set(SIGNING_KEY_SECRET, pem);
  }
  const privateKey = crypto.createPrivateKey(pem);
  const publicKey = crypto.createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    publicKeyPem: publicKeyPem(publicKey),
    fingerprint: fingerprint(publicKey),
  };
}

export function publicKeyPem(key: crypto.KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

export function fingerprint(key: crypto.KeyObject): string {
  return `sha256:${crypto
    .createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex')}`;
}
