import zlib from 'node:zlib';
import { StoreCorruptError } from './errors.ts';
import type { Db } from './open.ts';

/**
 * Raw lines are stored zstd-compressed in blocks of {@link LINES_PER_BLOCK} consecutive lines of a batch:
 * a single line compresses poorly, while a whole batch's block takes ~15 ms to decompress for one event.
 * Measured on exporter output: 512 lines compress about 10× and decompress in ~0.2 ms. Events point at
 * (block, index).
 */

/** Lines per block. */
export const LINES_PER_BLOCK = 512;

const LEVEL = 3;

/** Compresses lines joined by '\n' (none contains one: they are lines) into one block. */
export function compressBlock(joinedLines: Uint8Array): Uint8Array {
  return zlib.zstdCompressSync(joinedLines, {
    // The checksum (4 bytes a block) makes a damaged block fail to decompress instead of showing
    // altered lines.
    params: { [zlib.constants.ZSTD_c_compressionLevel]: LEVEL, [zlib.constants.ZSTD_c_checksumFlag]: 1 },
  });
}

/** A decompressed block: its bytes and where each line starts (plus the end). */
export interface OpenBlock {
  bytes: Buffer;
  starts: Uint32Array;
}

/** Decompresses a block; a block that does not decompress is damage in the database. */
export function openBlock(id: number, data: Uint8Array): OpenBlock {
  let bytes: Buffer;
  try {
    const size = frameContentSize(data);
    // Decompressed into one buffer of the size the frame declares: without it, into 16 KB pieces then
    // joined (twice the garbage; ~25% of the time).
    bytes = zlib.zstdDecompressSync(data, size === null ? {} : { chunkSize: Math.max(64, size + 1) });
  } catch (error) {
    throw new StoreCorruptError(`block ${id} of raw lines does not decompress: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const starts: number[] = [0];
  for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, i + 1)) starts.push(i + 1);
  starts.push(bytes.length + 1);
  return { bytes, starts: Uint32Array.from(starts) };
}

/** Larger declared sizes are not trusted to size a buffer (a damaged header could claim gigabytes). */
const MAX_DECLARED_SIZE = 64 * 1024 * 1024;

/**
 * The decompressed size a zstd frame declares in its header (compressBlock's frames do), or null. Layout:
 * RFC 8878 §3.1.1.1 (magic, frame header descriptor, window descriptor, dictionary id, content size).
 */
export function frameContentSize(data: Uint8Array): number | null {
  if (data.length < 6 || data[0] !== 0x28 || data[1] !== 0xb5 || data[2] !== 0x2f || data[3] !== 0xfd)
    return null;
  const descriptor = data[4]!;
  const singleSegment = (descriptor >> 5) & 1;
  const fieldSize = [singleSegment ? 1 : 0, 2, 4, 8][descriptor >> 6]!;
  const at = 5 + (singleSegment ? 0 : 1) + [0, 1, 2, 4][descriptor & 3]!;
  if (fieldSize === 0 || fieldSize === 8 || at + fieldSize > data.length) return null;
  const view = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const size =
    fieldSize === 1 ? view[at]! : fieldSize === 2 ? view.readUInt16LE(at) + 256 : view.readUInt32LE(at);
  return size <= MAX_DECLARED_SIZE ? size : null;
}

/**
 * Reads raw lines by (block, index), keeping recently used blocks decompressed — as bytes with line
 * offsets, not as strings: a page of 100 events can open 100 blocks, and splitting each into 512 strings
 * made hundreds of MB of garbage across a few searches. Only the lines asked for become strings.
 */
export class RawReader {
  private readonly cache = new Map<number, OpenBlock>();
  private readonly select;
  private readonly capacityBytes: number;
  private cachedBytes = 0;

  /** `capacityBytes`: decompressed bytes to keep (whole blocks, least recently used go first). */
  constructor(db: Db, capacityBytes = 32 * 1024 * 1024) {
    this.capacityBytes = capacityBytes;
    this.select = db.prepare('SELECT data FROM raw_blocks WHERE id = ?').pluck();
  }

  line(block: number, index: number): string {
    const open = this.block(block);
    if (index + 1 >= open.starts.length)
      throw new StoreCorruptError(`block ${block} of raw lines has no line ${index}`);
    return open.bytes.toString('utf8', open.starts[index], open.starts[index + 1]! - 1);
  }

  /**
   * A block's lines as bytes (decompressed on a miss, then cached like {@link line}'s): for readers that
   * copy lines without making strings of them (exports). Line `i` is `bytes[starts[i], starts[i + 1] - 1)`.
   */
  block(block: number): OpenBlock {
    let open = this.cache.get(block);
    if (open === undefined) {
      const data = this.select.get(block) as Uint8Array | undefined;
      // An event points into every block it reads: a missing one is damage, not an empty line.
      if (data === undefined) throw new StoreCorruptError(`block ${block} of raw lines is missing`);
      open = openBlock(block, data);
      this.cachedBytes += open.bytes.length;
      for (const [id, evicted] of this.cache) {
        if (this.cachedBytes <= this.capacityBytes) break;
        this.cache.delete(id);
        this.cachedBytes -= evicted.bytes.length;
      }
    } else {
      this.cache.delete(block);
    }
    this.cache.set(block, open);
    return open;
  }

  /** Forget cached blocks (after retention deleted some). */
  clear(): void {
    this.cache.clear();
    this.cachedBytes = 0;
  }
}

/**
 * Lowers the blocks' live counts by the numbers of their events just deleted (block id → count) and drops
 * the blocks no event points into any more. Returns how many were dropped.
 */
export function releaseBlocks(db: Db, deleted: ReadonlyMap<number, number>): number {
  const release = db.prepare('UPDATE raw_blocks SET live = live - ? WHERE id = ? RETURNING live').pluck();
  const drop = db.prepare('DELETE FROM raw_blocks WHERE id = ?');
  let dropped = 0;
  for (const [block, n] of deleted) {
    if ((release.get(n, block) as number | undefined) === 0) {
      drop.run(block);
      dropped++;
    }
  }
  return dropped;
}
