import type { Transform } from 'node:stream';
import zlib from 'node:zlib';

/** How an object's bytes are encoded, as told by its first bytes (never by its name). */
export type Compression = 'none' | 'gzip' | 'zstd';

/** Why a compressed stream could not be decoded to its end. */
export type DecompressFailure = 'truncated' | 'bad-header' | 'corrupt-data' | 'checksum' | 'trailing-garbage';

/** How many leading bytes {@link detectCompression} needs to decide (fewer only at the end of the stream). */
export const MAGIC_BYTES = 4;

/**
 * Thrown by {@link decompressChunks} when the compressed data is damaged. Every byte decoded before the
 * damage was yielded first. Errors of the input itself (network, file system) are never wrapped.
 */
export class DecompressError extends Error {
  override readonly name = 'DecompressError';
  readonly failure: DecompressFailure;
  /** Compressed bytes consumed when the damage was noticed (approximate for damage inside a data block). */
  readonly compressedOffset: number;

  constructor(failure: DecompressFailure, message: string, compressedOffset: number, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.failure = failure;
    this.compressedOffset = compressedOffset;
  }
}

/**
 * Tells the encoding from the first bytes of an object: gzip (`1f 8b`), zstd (`28 b5 2f fd`, or a
 * skippable frame `5? 2a 4d 18` as pzstd writes first), otherwise plain.
 */
export function detectCompression(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4) {
    if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
    if ((head[0]! & 0xf0) === 0x50 && head[1] === 0x2a && head[2] === 0x4d && head[3] === 0x18) return 'zstd';
  }
  return 'none';
}

/**
 * Decodes `input` (the compressed bytes, in order) and yields the decompressed bytes. gzip may hold
 * several members and zstd several frames, one after the other (`cat a.gz b.gz`); zero bytes after the
 * last member are padding and ignored. Any other damage throws a {@link DecompressError} after all bytes
 * decoded before it were yielded; errors thrown by `input` propagate unchanged.
 */
export function decompressChunks(
  input: AsyncIterable<Buffer>,
  compression: 'gzip' | 'zstd',
): AsyncGenerator<Buffer, void, undefined> {
  return compression === 'gzip' ? gunzipChunks(input) : unzstdChunks(input);
}

// Compressed bytes handed to the decoder per call: bounds the output held per call (deflate can expand
// about 1000-fold) while keeping the per-call overhead (a thread-pool round trip) small.
const MAX_FEED = 64 * 1024;
// Output buffer per inflate call. Damage inside a deflate block loses the output of the failing call, so
// this is also how much decoded data before the damage may be missed (zlib reports no partial output).
const CHUNK_SIZE = 64 * 1024;
// A gzip header only grows this large with an absurd file name or comment; stop buffering there.
const MAX_GZIP_HEADER = 1024 * 1024;
const EMPTY = Buffer.alloc(0);

type ZlibTransform = Transform & { readonly bytesWritten: number };

/**
 * Drives one zlib transform call by call, so the caller knows exactly how much input each call consumed
 * and gets every output byte produced before an error (a pipe would discard buffered output on error).
 */
class Pump {
  private readonly stream: ZlibTransform;
  private out: Buffer[] = [];
  private failure: Error | undefined;
  private finished = false;
  private wake: ((err?: Error) => void) | undefined;

  constructor(stream: ZlibTransform) {
    this.stream = stream;
    stream.on('data', (b: Buffer) => this.out.push(b));
    stream.on('error', (err: Error) => {
      this.failure ??= err;
      this.wake?.(err);
    });
    stream.on('end', () => {
      this.finished = true;
      this.wake?.();
    });
  }

  /** Input bytes the decoder has consumed so far. */
  get consumed(): number {
    return this.stream.bytesWritten;
  }

  /** True once the decoder has seen the end of its compressed stream and emitted all output. */
  get ended(): boolean {
    return this.finished;
  }

  take(): Buffer[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  write(chunk: Buffer): Promise<void> {
    return this.settle((done) => this.stream.write(chunk, (err) => done(err ?? undefined)));
  }

  /** Ends the input and waits until every output byte has been emitted. */
  finish(): Promise<void> {
    if (this.finished) return Promise.resolve();
    return this.settle(() => this.stream.end());
  }

  /** Waits for the output to drain after the decoder stopped early (end of its stream inside the input). */
  drained(): Promise<void> {
    if (this.finished) return Promise.resolve();
    return this.settle(() => {});
  }

  destroy(): void {
    this.wake = undefined;
    this.stream.destroy();
  }

  private settle(start: (done: (err?: Error) => void) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.failure) {
        reject(this.failure);
        return;
      }
      let settled = false;
      const done = (err?: Error): void => {
        if (settled) return;
        settled = true;
        if (this.wake === done) this.wake = undefined;
        if (err) reject(this.failure ?? err);
        else resolve();
      };
      this.wake = done;
      start(done);
    });
  }
}

function decoderError(format: string, err: unknown, compressedOffset: number): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return err;
  const detail = (err as Error).message;
  if (code === 'Z_BUF_ERROR') {
    return new DecompressError('truncated', `${format} data is truncated`, compressedOffset, err);
  }
  if (code === 'ZSTD_error_checksum_wrong') {
    return new DecompressError('checksum', `${format} checksum does not match`, compressedOffset, err);
  }
  if (code === 'Z_DATA_ERROR' || code === 'Z_NEED_DICT' || code.startsWith('ZSTD_error_')) {
    return new DecompressError(
      'corrupt-data',
      `${format} data is corrupt (${detail})`,
      compressedOffset,
      err,
    );
  }
  return err;
}

function garbageError(format: string, rest: Buffer, compressedOffset: number): DecompressError {
  const hex = [...rest.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  return new DecompressError(
    'trailing-garbage',
    `${format} data is followed by bytes that are not ${format} (${hex} …)`,
    compressedOffset,
  );
}

/** Settles with the error of `op`, or undefined: lets a caller start an operation and await it later. */
function outcome(op: Promise<void>): Promise<unknown> {
  return op.then(
    () => undefined,
    (err: unknown) => err ?? new Error('decoder failed'),
  );
}

function firstNonZero(b: Buffer): number {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return i;
  return -1;
}

function append(pending: Buffer, chunk: Buffer): Buffer {
  return pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
}

/**
 * Length of the gzip member header at the start of `b`, or -1 if more bytes are needed. Throws for a
 * header that is not gzip (`memberNo` > 1: trailing garbage) or not valid.
 */
function gzipHeaderLength(b: Buffer, memberNo: number, offset: number): number {
  if (b[0] !== 0x1f || (b.length > 1 && b[1] !== 0x8b)) {
    if (memberNo > 1) throw garbageError('gzip', b, offset);
    throw new DecompressError('bad-header', 'gzip header is invalid (bad magic bytes)', offset);
  }
  if (b.length < 10) return -1;
  const bad = (why: string): DecompressError =>
    new DecompressError('bad-header', `gzip header of member ${memberNo} is invalid (${why})`, offset);
  if (b[2] !== 8) throw bad(`unknown compression method ${b[2]}`);
  const flags = b[3]!;
  if ((flags & 0xe0) !== 0) throw bad('reserved flags set');
  let p = 10;
  if (flags & 0x04) {
    if (b.length < p + 2) return -1;
    p += 2 + b.readUInt16LE(p);
  }
  for (const flag of [0x08, 0x10]) {
    if (flags & flag) {
      const z = b.indexOf(0, p);
      if (z === -1) {
        if (b.length > MAX_GZIP_HEADER) throw bad('file name or comment too long');
        return -1;
      }
      p = z + 1;
    }
  }
  if (flags & 0x02) {
    if (b.length < p + 2) return -1;
    if ((zlib.crc32(b.subarray(0, p)) & 0xffff) !== b.readUInt16LE(p)) throw bad('header checksum mismatch');
    p += 2;
  }
  return b.length < p ? -1 : p;
}

/**
 * gzip is decoded member by member with raw inflate and our own header and trailer handling: zlib's
 * Gunzip looks past the end of a member within the same call, and when that finds garbage it throws away
 * the member's last decoded output along with the error.
 */
async function* gunzipChunks(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer, void, undefined> {
  let state: 'header' | 'body' | 'trailer' | 'padding' = 'header';
  let pending: Buffer = EMPTY;
  let offset = 0; // compressed bytes consumed, up to the start of `pending`
  let memberNo = 1;
  let pump: Pump | undefined;
  let crc = 0;
  let size = 0;
  // Output of the last write, handed out while the thread pool works on the next one.
  let ready: Buffer[] = [];
  async function* release(): AsyncGenerator<Buffer, void, undefined> {
    const out = ready;
    ready = [];
    for (const b of out) {
      crc = zlib.crc32(b, crc);
      size += b.length;
      yield b;
    }
  }
  try {
    for await (const chunk of input) {
      pending = append(pending, chunk);
      while (pending.length > 0) {
        if (state === 'header') {
          if (memberNo > 1 && pending[0] === 0) {
            state = 'padding';
            continue;
          }
          const n = gzipHeaderLength(pending, memberNo, offset);
          if (n < 0) break;
          pending = pending.subarray(n);
          offset += n;
          pump = new Pump(zlib.createInflateRaw({ chunkSize: CHUNK_SIZE }));
          crc = 0;
          size = 0;
          state = 'body';
        } else if (state === 'body') {
          const p = pump!;
          const piece = pending.length > MAX_FEED ? pending.subarray(0, MAX_FEED) : pending;
          const before = p.consumed;
          const written = outcome(p.write(piece));
          yield* release();
          const failure = await written;
          ready = p.take();
          if (failure !== undefined) {
            yield* release();
            throw decoderError('gzip', failure, offset + piece.length);
          }
          const used = p.consumed - before;
          pending = pending.subarray(used);
          offset += used;
          if (used < piece.length || p.ended) {
            const drained = await outcome(p.drained());
            ready.push(...p.take());
            yield* release();
            if (drained !== undefined) throw decoderError('gzip', drained, offset);
            p.destroy();
            pump = undefined;
            state = 'trailer';
          }
        } else if (state === 'trailer') {
          if (pending.length < 8) break;
          if (pending.readUInt32LE(0) !== crc >>> 0 || pending.readUInt32LE(4) !== size % 2 ** 32) {
            throw new DecompressError(
              'checksum',
              `gzip checksum of member ${memberNo} does not match its data`,
              offset + 8,
            );
          }
          pending = pending.subarray(8);
          offset += 8;
          memberNo++;
          state = 'header';
        } else {
          const bad = firstNonZero(pending);
          if (bad >= 0) throw garbageError('gzip', pending.subarray(bad), offset + bad);
          offset += pending.length;
          pending = EMPTY;
        }
      }
    }
    if (state === 'body') {
      const p = pump!;
      const finished = outcome(p.finish());
      yield* release();
      const failure = await finished;
      ready = p.take();
      yield* release();
      if (failure !== undefined) throw decoderError('gzip', failure, offset);
      throw new DecompressError('truncated', 'gzip data is truncated (member trailer missing)', offset);
    }
    if (state === 'trailer' || (state === 'header' && pending.length > 0)) {
      throw new DecompressError('truncated', 'gzip data is truncated', offset + pending.length);
    }
  } finally {
    pump?.destroy();
  }
}

const ZSTD_MAGIC = 0xfd2fb528;

function isSkippableMagic(m: number): boolean {
  return (m & 0xfffffff0) >>> 0 === 0x184d2a50;
}

/** Whether `b` (under 4 bytes) can be the start of a frame or skippable frame magic. */
function isMagicPrefix(b: Buffer): boolean {
  const frame = [0x28, 0xb5, 0x2f];
  const skippable = [-1, 0x2a, 0x4d];
  const matches = (magic: number[]): boolean =>
    [...b].every((byte, i) => magic[i] === byte || (magic[i] === -1 && (byte & 0xf0) === 0x50));
  return matches(frame) || matches(skippable);
}

/**
 * zstd is decoded frame by frame: we find frame boundaries from the block headers and give each frame to
 * a fresh decoder, because Node's zstd decoder ignores whatever follows the end of a frame within the
 * same write (so `cat a.zst b.zst` would silently lose b).
 */
async function* unzstdChunks(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer, void, undefined> {
  type State = 'magic' | 'frameHeader' | 'blockHeader' | 'blockBody' | 'checksum' | 'skippable' | 'padding';
  let state: State = 'magic';
  let pending: Buffer = EMPTY;
  let offset = 0; // compressed bytes consumed, up to the start of `pending`
  let frames = 0;
  let pump: Pump | undefined;
  let remaining = 0; // bytes left in the current block body or skippable frame
  let lastBlock = false;
  let hasChecksum = false;
  let feed: Buffer[] = [];

  // Frame bytes are gathered per input chunk and handed over in as few writes as possible: parts taken
  // from the same chunk are adjacent in memory and are merged back into one view.
  const take = (n: number): void => {
    const part = pending.subarray(0, n);
    pending = pending.subarray(n);
    offset += n;
    const prev = feed[feed.length - 1];
    if (prev && prev.buffer === part.buffer && prev.byteOffset + prev.length === part.byteOffset) {
      feed[feed.length - 1] = Buffer.from(prev.buffer, prev.byteOffset, prev.length + part.length);
    } else {
      feed.push(part);
    }
  };

  // Output of the last write, handed out while the thread pool works on the next one.
  let ready: Buffer[] = [];
  async function* release(): AsyncGenerator<Buffer, void, undefined> {
    const out = ready;
    ready = [];
    yield* out;
  }

  async function* run(op: Promise<void>): AsyncGenerator<Buffer, void, undefined> {
    const done = outcome(op);
    yield* release();
    const failure = await done;
    ready = pump!.take();
    if (failure !== undefined) {
      yield* release();
      throw decoderError('zstd', failure, offset);
    }
  }

  async function* flushFeed(): AsyncGenerator<Buffer, void, undefined> {
    const parts = feed;
    feed = [];
    const p = pump!;
    for (const part of parts) {
      for (let i = 0; i < part.length; i += MAX_FEED) yield* run(p.write(part.subarray(i, i + MAX_FEED)));
    }
  }

  async function* endFrame(): AsyncGenerator<Buffer, void, undefined> {
    yield* flushFeed();
    const p = pump!;
    yield* run(p.finish());
    yield* release();
    p.destroy();
    pump = undefined;
    frames++;
    state = 'magic';
  }

  try {
    for await (const chunk of input) {
      pending = append(pending, chunk);
      scan: while (pending.length > 0) {
        switch (state) {
          case 'magic': {
            if (frames > 0 && pending[0] === 0) {
              state = 'padding';
              break;
            }
            if (pending.length < 4) {
              if (!isMagicPrefix(pending)) throw garbageError('zstd', pending, offset);
              break scan;
            }
            const magic = pending.readUInt32LE(0);
            if (magic === ZSTD_MAGIC) {
              pump = new Pump(zlib.createZstdDecompress({ chunkSize: CHUNK_SIZE }));
              take(4);
              state = 'frameHeader';
            } else if (isSkippableMagic(magic)) {
              if (pending.length < 8) break scan;
              remaining = pending.readUInt32LE(4);
              pending = pending.subarray(8);
              offset += 8;
              state = 'skippable';
            } else if (frames > 0) {
              throw garbageError('zstd', pending, offset);
            } else {
              throw new DecompressError('bad-header', 'zstd header is invalid (bad magic bytes)', offset);
            }
            break;
          }
          case 'frameHeader': {
            const fhd = pending[0]!;
            if (fhd & 0x08) {
              throw new DecompressError(
                'bad-header',
                `zstd header of frame ${frames + 1} is invalid (reserved bit set)`,
                offset,
              );
            }
            const singleSegment = (fhd & 0x20) !== 0;
            const fcsFlag = fhd >> 6;
            const fcsBytes = fcsFlag === 0 ? (singleSegment ? 1 : 0) : [0, 2, 4, 8][fcsFlag]!;
            const length = 1 + (singleSegment ? 0 : 1) + [0, 1, 2, 4][fhd & 3]! + fcsBytes;
            if (pending.length < length) break scan;
            hasChecksum = (fhd & 0x04) !== 0;
            take(length);
            state = 'blockHeader';
            break;
          }
          case 'blockHeader': {
            if (pending.length < 3) break scan;
            const h = pending[0]! | (pending[1]! << 8) | (pending[2]! << 16);
            const type = (h >> 1) & 3;
            if (type === 3) {
              yield* flushFeed();
              yield* release();
              throw new DecompressError('corrupt-data', 'zstd data is corrupt (reserved block type)', offset);
            }
            lastBlock = (h & 1) === 1;
            remaining = type === 1 ? 1 : h >>> 3;
            take(3);
            state = 'blockBody';
            break;
          }
          case 'blockBody': {
            const n = Math.min(remaining, pending.length);
            take(n);
            remaining -= n;
            if (remaining === 0) {
              if (!lastBlock) state = 'blockHeader';
              else if (hasChecksum) state = 'checksum';
              else yield* endFrame();
            }
            break;
          }
          case 'checksum': {
            if (pending.length < 4) break scan;
            take(4);
            yield* endFrame();
            break;
          }
          case 'skippable': {
            const n = Math.min(remaining, pending.length);
            pending = pending.subarray(n);
            offset += n;
            remaining -= n;
            if (remaining === 0) {
              frames++;
              state = 'magic';
            }
            break;
          }
          case 'padding': {
            const bad = firstNonZero(pending);
            if (bad >= 0) throw garbageError('zstd', pending.subarray(bad), offset + bad);
            offset += pending.length;
            pending = EMPTY;
            break;
          }
        }
      }
      if (pump && feed.length > 0) yield* flushFeed();
    }
    if (pump) {
      yield* endFrame();
      // The decoder accepted a frame that our scan found incomplete: trust the scan.
      throw new DecompressError('truncated', 'zstd data is truncated', offset);
    }
    // (The cast undoes a narrowing TypeScript derives without seeing the assignments in endFrame.)
    const end = state as State;
    if (end === 'skippable' || (end === 'magic' && pending.length > 0)) {
      throw new DecompressError('truncated', 'zstd data is truncated', offset + pending.length);
    }
  } finally {
    pump?.destroy();
  }
}
