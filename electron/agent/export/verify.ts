import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import {
  CHECKPOINT_EVERY,
  INDEX_FILE,
  lineCrc,
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  NDJSON_FILE,
  PUBLIC_KEY_FILE,
  SIGNATURE_FILE,
  type Manifest,
} from './manifest.ts';
import { fingerprint, publicKeyPem } from './signingKey.ts';

/**
 * Checks an evidence bundle (a zip, or the folder an export wrote) with nothing but the bundle: no
 * database, no network. Every problem found is listed, each naming the file (and for events.ndjson the
 * events) that fails.
 */

export interface VerifyResult {
  ok: boolean;
  problems: string[];
  /** The signer's key fingerprint (sha256:…), when public-key.pem could be read. */
  fingerprint: string | null;
  manifest: Manifest | null;
}

/** The bundle cannot be opened at all (not found, not a zip). */
export class BundleOpenError extends Error {
  override name = 'BundleOpenError';
}

/** `--key` is neither a PEM file, PEM text nor a fingerprint. */
export class PinnedKeyError extends Error {
  override name = 'PinnedKeyError';
}

interface BundleReader {
  /** Every file name (duplicates kept: a zip can hold one name twice). */
  readonly names: readonly string[];
  open(name: string): Promise<Readable>;
  close(): void;
}

/** The fingerprint a `--key` value pins: a PEM file, PEM text, or `sha256:<hex>` (as `key show` prints). */
export function pinnedFingerprint(value: string): string {
  const text = value.trim();
  const hex = /^(?:sha256:)?([0-9a-f]{64})$/i.exec(text);
  if (hex) return `sha256:${hex[1]!.toLowerCase()}`;
  let pem = text;
  if (!text.includes('-----BEGIN')) {
    try {
      pem = fs.readFileSync(text, 'utf8');
    } catch {
      throw new PinnedKeyError(
        `--key ${value}: not a readable file, PEM text or sha256:<64 hex digits> fingerprint (audit-explorer key show prints both).`,
      );
    }
  }
  try {
    return fingerprint(crypto.createPublicKey(pem));
  } catch {
    throw new PinnedKeyError(`--key ${value}: does not hold a public key in PEM form.`);
  }
}

export async function verifyBundle(bundle: string, pinned: string | null = null): Promise<VerifyResult> {
  const reader = await openBundle(bundle);
  try {
    return await check(reader, pinned);
  } finally {
    reader.close();
  }
}

async function check(reader: BundleReader, pinned: string | null): Promise<VerifyResult> {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const name of reader.names) seen.set(name, (seen.get(name) ?? 0) + 1);
  for (const [name, n] of seen) if (n > 1) problems.push(`${name}: appears ${n} times in the bundle`);
  const fail = (manifest: Manifest | null, key: string | null): VerifyResult => ({
    ok: false,
    problems,
    fingerprint: key,
    manifest,
  });

  for (const name of [MANIFEST_FILE, SIGNATURE_FILE, PUBLIC_KEY_FILE])
    if (!seen.has(name)) problems.push(`${name}: missing from the bundle`);
  if (problems.length > 0) return fail(null, null);

  const manifestBytes = await readAll(await reader.open(MANIFEST_FILE));
  const signatureText = (await readAll(await reader.open(SIGNATURE_FILE))).toString('utf8');
  const keyText = (await readAll(await reader.open(PUBLIC_KEY_FILE))).toString('utf8');

  let key: crypto.KeyObject;
  let keyPrint: string;
  try {
    key = crypto.createPublicKey(keyText);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('not Ed25519');
    keyPrint = fingerprint(key);
    // Byte for byte as the exporter wrote it: a PEM parser forgives changed whitespace, a bundle must not.
    if (publicKeyPem(key) !== keyText) throw new Error('not canonical');
  } catch {
    problems.push(`${PUBLIC_KEY_FILE}: not an Ed25519 public key in PEM form (the file was changed)`);
    return fail(null, null);
  }
  if (pinned !== null && keyPrint !== pinned)
    problems.push(`${PUBLIC_KEY_FILE}: the bundle is signed by ${keyPrint}, not by the pinned key ${pinned}`);

  let manifest: Manifest | null;
  try {
    manifest = JSON.parse(manifestBytes.toString('utf8')) as Manifest;
    if (manifest.format !== MANIFEST_FORMAT) throw new Error('format');
  } catch {
    problems.push(`${MANIFEST_FILE}: not an Audit Explorer evidence manifest (the file was changed)`);
    manifest = null;
  }
  const signature = Buffer.from(signatureText, 'base64');
  // Exactly as written (base64 and one '\n'): a decoder skips stray characters, a bundle must not have any.
  const wellFormed = signature.length === 64 && signature.toString('base64') + '\n' === signatureText;
  const validSig = wellFormed && crypto.verify(null, manifestBytes, key, signature);
  if (!validSig) {
    if (manifest !== null && manifest.signature?.publicKeyFingerprint !== keyPrint)
      problems.push(
        `${PUBLIC_KEY_FILE}: not the key ${MANIFEST_FILE} names as its signer (the file was changed)`,
      );
    else if (!wellFormed) problems.push(`${SIGNATURE_FILE}: not an Ed25519 signature (the file was changed)`);
    else
      problems.push(
        `${MANIFEST_FILE} or ${SIGNATURE_FILE}: the signature does not match the manifest (one of them was changed)`,
      );
  }
  if (manifest === null) return fail(null, keyPrint);

  const listed = new Map(manifest.files.map((f) => [f.name, f]));
  for (const name of seen.keys())
    if (!listed.has(name) && name !== MANIFEST_FILE && name !== SIGNATURE_FILE && name !== PUBLIC_KEY_FILE)
      problems.push(`${name}: not listed in the manifest (a file was added)`);
  // The per-event index first (small: 4 bytes an event), when it is intact: it names changed events.
  let index: Buffer | null = null;
  const indexEntry = listed.get(INDEX_FILE);
  if (indexEntry !== undefined && seen.has(INDEX_FILE)) {
    const bytes = await readAll(await reader.open(INDEX_FILE));
    if (crypto.createHash('sha256').update(bytes).digest('hex') === indexEntry.sha256) index = bytes;
  }
  for (const file of manifest.files) {
    if (!seen.has(file.name)) {
      problems.push(`${file.name}: missing from the bundle (listed in the manifest)`);
      continue;
    }
    const stream = await reader.open(file.name);
    const events = file.name === NDJSON_FILE ? new EventChecker(manifest.events, index) : null;
    const hash = crypto.createHash('sha256');
    let bytes = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        hash.update(chunk);
        bytes += chunk.length;
        events?.push(chunk);
      }
    } catch (error) {
      problems.push(`${file.name}: cannot be read from the bundle (${(error as Error).message})`);
      continue;
    }
    const digest = hash.digest('hex');
    if (digest !== file.sha256 || bytes !== file.bytes)
      problems.push(
        `${file.name}: content differs from the manifest (SHA-256 ${digest}, ${bytes} bytes; expected ${file.sha256}, ${file.bytes} bytes)`,
      );
    if (events !== null) problems.push(...events.finish().map((p) => `${file.name}: ${p}`));
  }
  return { ok: problems.length === 0, problems, fingerprint: keyPrint, manifest };
}

/** Recomputes the running hash and its checkpoints over events.ndjson, naming the events that differ. */
class EventChecker {
  private readonly expected: Manifest['events'];
  private readonly all = crypto.createHash('sha256');
  private group = crypto.createHash('sha256');
  private count = 0;
  private rest: Buffer = Buffer.alloc(0);
  private readonly bad: number[] = [];
  private readonly unparsable: number[] = [];
  private readonly index: Buffer | null;
  /** Events (1-based) whose line differs from their index entry. */
  private readonly changed: number[] = [];
  private changedCount = 0;

  constructor(expected: Manifest['events'], index: Buffer | null) {
    this.expected = expected;
    this.index = index;
  }

  push(chunk: Buffer): void {
    let data = this.rest.length > 0 ? Buffer.concat([this.rest, chunk]) : chunk;
    let start = 0;
    for (let nl = data.indexOf(0x0a); nl !== -1; nl = data.indexOf(0x0a, start)) {
      this.line(data.subarray(start, nl));
      start = nl + 1;
    }
    data = data.subarray(start);
    this.rest = Buffer.from(data);
  }

  private line(line: Buffer): void {
    this.all.update(line);
    this.all.update('\n');
    this.group.update(line);
    this.group.update('\n');
    this.count++;
    if (this.index !== null) {
      const at = (this.count - 1) * 4;
      if (at + 4 > this.index.length || this.index.readUInt32BE(at) !== lineCrc(line)) {
        this.changedCount++;
        if (this.changed.length < 10) this.changed.push(this.count);
      }
    }
    if (this.unparsable.length < 5) {
      try {
        JSON.parse(line.toString('utf8'));
      } catch {
        this.unparsable.push(this.count);
      }
    }
    if (this.count % CHECKPOINT_EVERY === 0) this.endGroup();
  }

  private endGroup(): void {
    const index = Math.ceil(this.count / CHECKPOINT_EVERY) - 1;
    if (this.group.digest('hex') !== this.expected.checkpoints[index]) this.bad.push(index);
    this.group = crypto.createHash('sha256');
  }

  finish(): string[] {
    const problems: string[] = [];
    if (this.rest.length > 0) {
      problems.push(`the last line has no line end (the file was cut or extended)`);
      this.line(this.rest);
    }
    if (this.count % CHECKPOINT_EVERY !== 0) this.endGroup();
    if (this.count !== this.expected.count)
      problems.push(`holds ${this.count} events, the manifest says ${this.expected.count}`);
    for (const n of this.unparsable) problems.push(`event ${n} (line ${n}) is not valid JSON`);
    if (this.index !== null && this.bad.length > 0) {
      // The index locates each changed event exactly.
      for (const n of this.changed) problems.push(`event ${n} (line ${n}) differs from the one exported`);
      if (this.changedCount > this.changed.length)
        problems.push(`… and ${this.changedCount - this.changed.length} more changed events`);
      if (this.changedCount > 0) return problems;
    }
    const every = this.expected.checkpointEvery;
    for (const index of this.bad.slice(0, 10)) {
      const from = index * every + 1;
      const to = Math.min((index + 1) * every, this.count);
      problems.push(`events ${from}–${to} (lines ${from}–${to}) differ from the manifest's running hash`);
    }
    if (this.bad.length > 10) problems.push(`… and ${this.bad.length - 10} more groups of events`);
    if (this.all.digest('hex') !== this.expected.sha256 && this.bad.length === 0 && problems.length === 0)
      problems.push(`the running hash over all events differs from the manifest`);
    return problems;
  }
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function openBundle(bundle: string): Promise<BundleReader> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(bundle);
  } catch {
    throw new BundleOpenError(
      `${bundle} does not exist. Give the path of a bundle (.zip) or an export folder.`,
    );
  }
  if (stat.isDirectory()) {
    const names = listFolder(bundle);
    return {
      names,
      open: async (name) => fs.createReadStream(path.join(bundle, name)),
      close: () => undefined,
    };
  }
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(bundle, { lazyEntries: true, autoClose: false }, (error, file) =>
      error
        ? reject(new BundleOpenError(`${bundle} is not a readable zip file: ${error.message}`))
        : resolve(file),
    ),
  );
  const entries = new Map<string, yauzl.Entry>();
  const names: string[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      if (!entry.fileName.endsWith('/')) {
        names.push(entry.fileName);
        entries.set(entry.fileName, entry);
      }
      zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', (error: Error) =>
      reject(new BundleOpenError(`${bundle}: the zip is damaged: ${error.message}`)),
    );
    zip.readEntry();
  });
  return {
    names,
    open: (name) =>
      new Promise((resolve, reject) =>
        zip.openReadStream(entries.get(name)!, (error, stream) => (error ? reject(error) : resolve(stream))),
      ),
    close: () => zip.close(),
  };
}

function listFolder(root: string, prefix = ''): string[] {
  const names: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, prefix), { withFileTypes: true })) {
    const name = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) names.push(...listFolder(root, name));
    else names.push(name);
  }
  return names;
}
