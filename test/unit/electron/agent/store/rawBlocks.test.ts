import { describe, expect, test } from 'vitest';
import { compressBlock, frameContentSize, openBlock } from '../../../../../electron/agent/store/rawBlocks.ts';

describe('raw blocks', () => {
  // Sizes around each width of the frame header's content size field (1, 2 and 4 bytes).
  test.each([0, 1, 255, 256, 65_791, 65_792, 1_000_000])('a block of %i bytes declares its size', (n) => {
    expect(frameContentSize(compressBlock(Buffer.alloc(n, 97)))).toBe(n);
  });

  test('lines come back as stored, from one buffer of the declared size', () => {
    const open = openBlock(1, compressBlock(Buffer.from('a\nbb\n\nccc')));
    expect(open.bytes.toString()).toBe('a\nbb\n\nccc');
    expect([...open.starts]).toEqual([0, 2, 5, 6, 10]);
  });

  test('what is not a zstd frame, or claims too much, declares nothing', () => {
    expect(frameContentSize(Buffer.from('not zstd'))).toBeNull();
    const huge = Buffer.from(compressBlock(Buffer.alloc(300, 97)));
    // Single segment, 4-byte content size: claim 4 GB.
    huge[4] = 0xa0 | (huge[4]! & 0x07);
    huge.writeUInt32LE(0xffffffff, 5);
    expect(frameContentSize(huge)).toBeNull();
  });
});
