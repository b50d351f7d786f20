import zlib from 'node:zlib';
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
    params: { [zlib.constants.ZSTD_c_compressionLevel]: LEVEL },
  });
}

export function decompressBlock(data: Uint8Array): string[] {
  return zlib.zstdDecompressSync(data).toString('utf8').split('\n');
}

/** Reads raw lines by (block, index), keeping recently used blocks decompressed. */
export class RawReader {
  private readonly cache = new Map<number, string[]>();
  private readonly select;
  private readonly capacity: number;

  /** `capacity`: how many decompressed blocks to keep. */
  constructor(db: Db, capacity = 64) {
    this.capacity = capacity;
    this.select = db.prepare('SELECT data FROM raw_blocks WHERE id = ?').pluck();
  }

  line(block: number, index: number): string | null {
    let lines = this.cache.get(block);
    if (lines === undefined) {
      const data = this.select.get(block) as Uint8Array | undefined;
      if (data === undefined) return null;
      lines = decompressBlock(data);
      if (this.cache.size >= this.capacity) this.cache.delete(this.cache.keys().next().value!);
    } else {
      this.cache.delete(block);
    }
    this.cache.set(block, lines);
    return lines[index] ?? null;
  }

  /** Forget cached blocks (after retention deleted some). */
  clear(): void {
    this.cache.clear();
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
