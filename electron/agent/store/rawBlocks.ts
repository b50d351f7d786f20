import zlib from 'node:zlib';
import type { Db } from './open.ts';

/**
 * Raw lines are stored zstd-compressed in blocks of a batch's lines (a single line compresses poorly;
 * a few hundred lines of the same exporter compress about 5×). Events point at (block, index).
 */

const LEVEL = 3;

/** Compresses lines (none may contain '\n': they are lines) into one block. */
export function compressBlock(lines: readonly string[]): Buffer {
  return zlib.zstdCompressSync(Buffer.from(lines.join('\n')), {
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
