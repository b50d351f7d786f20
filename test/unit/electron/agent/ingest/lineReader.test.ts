import fs from 'node:fs';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { afterEach, describe, expect, test } from 'vitest';
import type { LineRecord } from '../../../../../electron/agent/ingest/lineReader.ts';
import {
  CorruptObjectError,
  excerptOf,
  firstInvalidUtf8,
  readLineBatches,
  readLines,
} from '../../../../../electron/agent/ingest/lineReader.ts';
import { collect, eventLine, fileWith, ndjson, piecewise, removeTempDirs } from './support.ts';

afterEach(removeTempDirs);

const BOM = '\uFEFF';

/** What `sed -n Np` shows for each N of a text with LF or CRLF endings (index 0 is line 1). */
function sedLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => l.replace(/\r$/, ''));
}

function good(records: LineRecord[]): { no: number; text: string }[] {
  return records.flatMap((r) => (r.kind === 'line' ? [{ no: r.no, text: r.text }] : []));
}

describe('compression is told by magic bytes', () => {
  test('a gzip object named .txt is decompressed', async () => {
    const text = ndjson(50);
    const result = await collect(fileWith('export.txt', zlib.gzipSync(text)));
    expect(result.error).toBeUndefined();
    expect(result.compression).toBe('gzip');
    expect(result.lines).toEqual(sedLines(text));
    expect(result.records.every((r) => r.compressed)).toBe(true);
  });

  test('a plain object named .gz is read as text', async () => {
    const text = ndjson(50);
    const result = await collect(fileWith('export.json.gz', text));
    expect(result.error).toBeUndefined();
    expect(result.compression).toBe('none');
    expect(result.lines).toEqual(sedLines(text));
    expect(result.records.every((r) => !r.compressed)).toBe(true);
  });

  test('concatenated gzip members yield the lines of every member', async () => {
    const parts = [ndjson(30, 1), ndjson(1, 31), ndjson(200, 32)];
    const data = Buffer.concat(parts.map((p) => zlib.gzipSync(p)));
    const result = await collect(fileWith('cat.gz', data));
    expect(result.error).toBeUndefined();
    expect(result.lines).toEqual(sedLines(parts.join('')));
    expect(result.records.at(-1)?.no).toBe(231);
  });

  test('gzip members with a file name, comment, extra field and header CRC are read', async () => {
    const text = 'one\ntwo\n';
    const deflated = zlib.deflateRawSync(text);
    const extra = Buffer.from([4, 0, 1, 2, 3, 4]);
    const head = Buffer.concat([
      Buffer.from([0x1f, 0x8b, 8, 0x04 | 0x08 | 0x10 | 0x02, 0, 0, 0, 0, 0, 3]),
      extra,
      Buffer.from('name.txt\0comment\0'),
    ]);
    const hcrc = Buffer.alloc(2);
    hcrc.writeUInt16LE(zlib.crc32(head) & 0xffff);
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(zlib.crc32(text) >>> 0, 0);
    trailer.writeUInt32LE(text.length, 4);
    const data = Buffer.concat([head, hcrc, deflated, trailer]);
    expect(zlib.gunzipSync(data).toString()).toBe(text);
    const result = await collect(piecewise(data, 1));
    expect(result.error).toBeUndefined();
    expect(result.lines).toEqual(['one', 'two']);
  });

  test('a zstd object is decompressed', async () => {
    const text = ndjson(100);
    const result = await collect(fileWith('export.log', zlib.zstdCompressSync(text)));
    expect(result.error).toBeUndefined();
    expect(result.compression).toBe('zstd');
    expect(result.lines).toEqual(sedLines(text));
  });

  test('concatenated zstd frames and skippable frames yield every line', async () => {
    const parts = [ndjson(40, 1), ndjson(60, 41)];
    const skippable = Buffer.concat([Buffer.from([0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0]), Buffer.from('abc')]);
    const data = Buffer.concat([
      skippable,
      zlib.zstdCompressSync(parts[0]!),
      skippable,
      zlib.zstdCompressSync(parts[1]!),
    ]);
    const whole = await collect(fileWith('cat.zst', data));
    expect(whole.error).toBeUndefined();
    expect(whole.lines).toEqual(sedLines(parts.join('')));
    const bytewise = await collect(piecewise(data, 7));
    expect(bytewise.lines).toEqual(whole.lines);
  });

  test('zero padding after the last gzip member is ignored', async () => {
    const data = Buffer.concat([zlib.gzipSync('a\nb\n'), Buffer.alloc(1000)]);
    const result = await collect(fileWith('padded.gz', data));
    expect(result.error).toBeUndefined();
    expect(result.lines).toEqual(['a', 'b']);
  });

  test('the progress counter ends at the compressed size', async () => {
    const data = zlib.gzipSync(ndjson(2000));
    const result = await collect(fileWith('p.gz', data));
    expect(result.bytesRead).toBe(data.length);
  });

  test('an empty object yields nothing', async () => {
    const result = await collect(fileWith('empty', ''));
    expect(result.error).toBeUndefined();
    expect(result.records).toEqual([]);
  });
});

describe('line endings, BOMs and numbering', () => {
  test('a BOM at the start of the object is dropped', async () => {
    const result = await collect(fileWith('bom.ndjson', `${BOM}{"a":1}\n{"b":2}\n`));
    expect(good(result.records)).toEqual([
      { no: 1, text: '{"a":1}' },
      { no: 2, text: '{"b":2}' },
    ]);
  });

  test('a BOM at the start of a later line is dropped (concatenated exports)', async () => {
    const result = await collect(fileWith('cat.ndjson', `${BOM}{"a":1}\n${BOM}{"b":2}\r\n{"c":"${BOM}"}\n`));
    expect(result.lines).toEqual(['{"a":1}', '{"b":2}', `{"c":"${BOM}"}`]);
  });

  test('CRLF endings lose the CR; a lone CR inside a line stays', async () => {
    const result = await collect(fileWith('crlf.ndjson', 'one\r\ntw\ro\r\nthree\r\r\n'));
    expect(result.lines).toEqual(['one', 'tw\ro', 'three\r']);
  });

  test('blank and whitespace-only lines are skipped but counted, as sed numbers them', async () => {
    const text = '\n{"a":1}\n\n   \n\t\r\n{"b":2}\r\n\u00a0\u2003\n  {"c":3}  \n\r\n';
    const result = await collect(fileWith('blank.ndjson', text));
    const sed = sedLines(text);
    expect(good(result.records)).toEqual([
      { no: 2, text: '{"a":1}' },
      { no: 6, text: '{"b":2}' },
      { no: 8, text: '  {"c":3}  ' },
    ]);
    for (const r of good(result.records)) expect(r.text).toBe(sed[r.no - 1]);
    expect(result.records.some((r) => r.kind === 'bad')).toBe(false);
  });

  test('a last line without newline is yielded', async () => {
    const result = await collect(fileWith('nonl.ndjson', '{"a":1}\n{"b":2}'));
    expect(good(result.records)).toEqual([
      { no: 1, text: '{"a":1}' },
      { no: 2, text: '{"b":2}' },
    ]);
    expect(result.records[1]?.endOffset).toBe(15);
    expect(result.unterminated).toBe(true);
    expect((await collect(fileWith('nl.ndjson', '{"a":1}\n'))).unterminated).toBe(false);
  });

  test('line numbers of a large mixed file match sed', async () => {
    let text = '';
    for (let i = 1; i <= 3000; i++)
      text += i % 7 === 0 ? '\n' : i % 11 === 0 ? `${eventLine(i)}\r\n` : `${eventLine(i)}\n`;
    const result = await collect(fileWith('mixed.ndjson', text));
    const sed = sedLines(text);
    expect(result.records.length).toBe(3000 - Math.floor(3000 / 7));
    for (const r of good(result.records)) expect(r.text).toBe(sed[r.no - 1]);
  });
});

describe('long lines', () => {
  test('a 5 MB line is read whole', async () => {
    const big = `{"blob":"${'y'.repeat(5 * 1024 * 1024)}"}`;
    const result = await collect(fileWith('big.ndjson', `{"a":1}\n${big}\n{"b":2}\n`));
    expect(result.error).toBeUndefined();
    expect(result.lines.length).toBe(3);
    expect(result.lines[1]).toBe(big);
    expect(result.records[2]?.no).toBe(3);
  });

  test('a 5 MB line arriving in 1 KiB pieces is read whole', async () => {
    const big = `{"blob":"${'é'.repeat(2.5 * 1024 * 1024)}"}`;
    const result = await collect(piecewise(Buffer.from(`${big}\r\n{"b":2}`), 1024));
    expect(result.lines).toEqual([big, '{"b":2}']);
  });

  test('a line over maxLineBytes is reported bad and skipped; the next lines are read', async () => {
    const long = `{"x":"${'z'.repeat(500)}"}`;
    const text = `{"a":1}\n${long}\r\n{"b":2}\n${long}\n{"c":3}\n`;
    for (const source of [fileWith('long.ndjson', text), piecewise(Buffer.from(text), 64)]) {
      const result = await collect(source, { maxLineBytes: 100 });
      expect(result.error).toBeUndefined();
      expect(good(result.records)).toEqual([
        { no: 1, text: '{"a":1}' },
        { no: 3, text: '{"b":2}' },
        { no: 5, text: '{"c":3}' },
      ]);
      const bad = result.records.filter((r) => r.kind === 'bad');
      expect(bad.map((r) => r.no)).toEqual([2, 4]);
      for (const r of bad) {
        expect(r.kind === 'bad' && r.reason).toBe(`line too long (${long.length} bytes > 100)`);
        expect(r.kind === 'bad' && r.excerpt).toBe(long.slice(0, 1024));
      }
      expect(bad[0]?.endOffset).toBe(8 + long.length + 2);
    }
  });

  test('a too long last line without newline is reported bad', async () => {
    const result = await collect(piecewise(Buffer.from(`ok\n${'q'.repeat(5000)}`), 100), {
      maxLineBytes: 1000,
    });
    expect(result.lines).toEqual(['ok']);
    expect(result.records[1]).toMatchObject({
      kind: 'bad',
      no: 2,
      reason: 'line too long (5000 bytes > 1000)',
    });
  });
});

describe('bad bytes', () => {
  test('invalid UTF-8 makes that line bad, with its number and offset; neighbours are intact', async () => {
    const data = Buffer.concat([
      Buffer.from('{"a":"é"}\n{"b":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}\n{"c":"ü"}\n'),
    ]);
    const result = await collect(fileWith('bad.ndjson', data));
    expect(result.error).toBeUndefined();
    expect(result.records).toEqual([
      { kind: 'line', no: 1, text: '{"a":"é"}', endOffset: 11, compressed: false },
      {
        kind: 'bad',
        no: 2,
        reason: 'invalid UTF-8 at byte offset 6 of the line',
        excerpt: '{"b":"\uFFFD("}',
        endOffset: 11 + 11,
        compressed: false,
      },
      { kind: 'line', no: 3, text: '{"c":"ü"}', endOffset: 22 + 11, compressed: false },
    ]);
  });

  test('a line with NUL bytes is reported bad', async () => {
    const result = await collect(fileWith('nul.ndjson', '{"a":1}\n{"b":\u00002}\n{"c":3}\n'));
    expect(result.lines).toEqual(['{"a":1}', '{"c":3}']);
    expect(result.records[1]).toEqual({
      kind: 'bad',
      no: 2,
      reason: 'line contains NUL bytes (first at byte offset 5)',
      excerpt: '{"b":\u24002}',
      endOffset: 17,
      compressed: false,
    });
  });

  test('a run of NUL bytes at the very end of the object is ignored', async () => {
    const data = Buffer.concat([Buffer.from('{"a":1}\n{"b":2}\n'), Buffer.alloc(100_000)]);
    for (const source of [fileWith('padded.log', data), piecewise(data, 1000)]) {
      const result = await collect(source, { maxLineBytes: 10_000 });
      expect(result.error).toBeUndefined();
      expect(result.records.map((r) => r.kind)).toEqual(['line', 'line']);
      expect(result.unterminated).toBe(false);
    }
  });

  test('a torn last line followed by NUL padding is reported bad, not yielded', async () => {
    const data = Buffer.concat([Buffer.from('{"a":1}\n{"b":'), Buffer.alloc(50)]);
    const result = await collect(fileWith('torn.log', data));
    expect(result.lines).toEqual(['{"a":1}']);
    expect(result.records[1]).toMatchObject({
      kind: 'bad',
      no: 2,
      reason: 'line contains NUL bytes (first at byte offset 5)',
    });
  });

  test('firstInvalidUtf8 finds overlongs, surrogates and cut sequences', () => {
    const at = (bytes: number[]): number => firstInvalidUtf8(Buffer.from(bytes), 0, bytes.length);
    expect(at([0x61, 0xc3, 0xa9])).toBe(-1);
    expect(at([0x61, 0xc0, 0xaf])).toBe(1);
    expect(at([0xe0, 0x80, 0xaf])).toBe(0);
    expect(at([0x61, 0x62, 0xed, 0xa0, 0x80])).toBe(2);
    expect(at([0xf0, 0x9f, 0x98, 0x80, 0xf0, 0x9f])).toBe(4);
    expect(at([0xf4, 0x90, 0x80, 0x80])).toBe(0);
    expect(at([0x80])).toBe(0);
  });

  test('excerpts stay within 1 KiB of UTF-8 even when every byte is replaced', () => {
    const bad = Buffer.alloc(5000, 0xff);
    const e = excerptOf(bad, 0, bad.length);
    expect(Buffer.byteLength(e)).toBeLessThanOrEqual(1024);
    expect(e).toBe('\uFFFD'.repeat(341));
    const multi = Buffer.from('é'.repeat(1000));
    expect(excerptOf(multi, 0, multi.length)).toBe('é'.repeat(512));
    const shifted = Buffer.from(`a${'é'.repeat(1000)}`);
    expect(excerptOf(shifted, 0, shifted.length)).toBe(`a${'é'.repeat(511)}`);
  });
});

describe('damaged compressed data', () => {
  test('truncated gzip yields the complete lines before the cut, then CorruptObjectError', async () => {
    const full = zlib.gzipSync(ndjson(5000));
    const cut = full.subarray(0, Math.floor(full.length / 2));
    const readable = zlib.gunzipSync(cut, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString();
    const expected = readable.slice(0, readable.lastIndexOf('\n') + 1);
    const result = await collect(fileWith('cut.gz', cut));
    expect(result.lines.length).toBe(sedLines(expected).length);
    expect(result.lines.length).toBeGreaterThan(0);
    expect(result.lines).toEqual(sedLines(expected));
    expect(result.error).toBeInstanceOf(CorruptObjectError);
    const err = result.error as CorruptObjectError;
    expect(err.name).toBe('CorruptObjectError');
    expect(err.failure).toBe('truncated');
    expect(err.cause).toBeDefined();
    expect(err.lastLine).toBe(result.lines.length);
    const n = result.lines.length;
    expect(err.message).toMatch(
      new RegExp(`^gzip data is truncated after line ${n} \\(decompressed byte \\d+`),
    );
    expect(err.message).toMatch(/; the lines before it were read$/);
  });

  test('gzip cut inside its header throws without yielding', async () => {
    const result = await collect(fileWith('cut.gz', zlib.gzipSync('a\n').subarray(0, 5)));
    expect(result.records).toEqual([]);
    expect(result.error).toBeInstanceOf(CorruptObjectError);
    expect((result.error as CorruptObjectError).failure).toBe('truncated');
  });

  test('garbage after valid gzip: every line of the gzip data, then CorruptObjectError', async () => {
    const text = 'one\ntwo\nthree';
    const data = Buffer.concat([zlib.gzipSync(text), Buffer.from('this is not gzip\n')]);
    const result = await collect(fileWith('junk.gz', data));
    expect(result.lines).toEqual(['one', 'two', 'three']);
    expect(result.error).toBeInstanceOf(CorruptObjectError);
    const err = result.error as CorruptObjectError;
    expect(err.failure).toBe('trailing-garbage');
    expect(err.message).toContain('followed by bytes that are not gzip');
  });

  test('a bad gzip header throws CorruptObjectError without yielding', async () => {
    const data = zlib.gzipSync('a\nb\n');
    data[2] = 7;
    const result = await collect(fileWith('bad.gz', data));
    expect(result.records).toEqual([]);
    expect(result.error).toBeInstanceOf(CorruptObjectError);
    expect((result.error as CorruptObjectError).failure).toBe('bad-header');
    expect((result.error as CorruptObjectError).message).toContain('no line could be read');
  });

  test('corrupt deflate data throws CorruptObjectError after the lines decoded before it', async () => {
    const text = ndjson(5000);
    const data = zlib.gzipSync(text);
    const middle = Math.floor(data.length / 2);
    for (let i = middle; i < middle + 64; i++) data[i] = data[i]! ^ 0x5a;
    const result = await collect(fileWith('corrupt.gz', data));
    expect(result.error).toBeInstanceOf(CorruptObjectError);
    expect(['corrupt-data', 'checksum']).toContain((result.error as CorruptObjectError).failure);
    const sed = sedLines(text);
    expect(result.lines.length).toBeLessThan(5000);
    expect(result.lines.slice(0, 100)).toEqual(sed.slice(0, 100));
  });

  test('a gzip checksum mismatch throws CorruptObjectError', async () => {
    const data = zlib.gzipSync('a\nb\n');
    data[data.length - 8] = data[data.length - 8]! ^ 0xff;
    const result = await collect(fileWith('crc.gz', data));
    expect(result.lines).toEqual(['a', 'b']);
    expect((result.error as CorruptObjectError).failure).toBe('checksum');
  });

  test('truncated zstd yields the lines before the cut, then throws CorruptObjectError', async () => {
    const full = zlib.zstdCompressSync(ndjson(5000));
    const result = await collect(fileWith('cut.zst', full.subarray(0, full.length - 10)));
    expect(result.lines.length).toBeGreaterThan(0);
    expect(result.lines).toEqual(sedLines(ndjson(result.lines.length)));
    expect(result.error).toBeInstanceOf(CorruptObjectError);
    expect((result.error as CorruptObjectError).compression).toBe('zstd');
  });

  test('garbage after a zstd frame throws CorruptObjectError after its lines', async () => {
    const data = Buffer.concat([
      zlib.zstdCompressSync('a\nb\n'),
      Buffer.from('junk!'),
      zlib.zstdCompressSync('c\n'),
    ]);
    const result = await collect(fileWith('junk.zst', data));
    expect(result.lines).toEqual(['a', 'b']);
    expect((result.error as CorruptObjectError).failure).toBe('trailing-garbage');
  });

  test('an error of the source propagates as it is, after the lines read before it', async () => {
    const failure = new Error('connection reset');
    for (const payload of [Buffer.from(ndjson(10)), zlib.gzipSync(ndjson(10))]) {
      let sent = false;
      const source = new Readable({
        read() {
          if (!sent) {
            sent = true;
            this.push(payload);
          } else this.destroy(failure);
        },
      });
      const result = await collect(source);
      expect(result.error).toBe(failure);
      expect(result.lines).toEqual(sedLines(ndjson(10)));
    }
  });
});

describe('offsets and resume', () => {
  test('endOffset counts bytes, with CRLF and multibyte characters', async () => {
    const text = 'é\r\n\r\n日本\n🙂x\r\nlast';
    const result = await collect(fileWith('offsets.txt', text));
    expect(result.records.map((r) => [r.no, r.kind === 'line' && r.text, r.endOffset])).toEqual([
      [1, 'é', 4],
      [3, '日本', 13],
      [4, '🙂x', 20],
      [5, 'last', 24],
    ]);
    expect(Buffer.byteLength(text)).toBe(24);
  });

  test('resuming at a committed endOffset gives the same records as the full read', async () => {
    let text = '';
    for (let i = 1; i <= 500; i++) text += i % 5 === 0 ? '\r\n' : `${eventLine(i)}${i % 3 ? '\n' : '\r\n'}`;
    text += `${BOM}{"é":"ü"}\n\u0000bad\n{"end":true}`;
    const file = fileWith('resume.ndjson', text);
    const full = await collect(file);
    for (const k of [0, 1, 57, 200, full.records.length - 2]) {
      const from = full.records[k]!;
      const resumed = await collect(fs.createReadStream(file, { start: from.endOffset }), {
        startOffset: from.endOffset,
        startLine: from.no + 1,
      });
      expect(resumed.error).toBeUndefined();
      expect(resumed.records).toEqual(full.records.slice(k + 1));
    }
  });

  test('a resumed read (startOffset > 0) is taken as plain even if it starts like gzip', async () => {
    const data = Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('\n{"a":1}\n')]);
    const result = await collect(piecewise(data, 3), { startOffset: 1000, startLine: 41 });
    expect(result.error).toBeUndefined();
    expect(result.compression).toBe('none');
    expect(result.records.map((r) => [r.kind, r.no, r.endOffset])).toEqual([
      ['bad', 41, 1003],
      ['line', 42, 1011],
    ]);
  });

  test('compressed records carry decompressed offsets', async () => {
    const result = await collect(fileWith('o.gz', zlib.gzipSync('ab\ncd\n')));
    expect(result.records.map((r) => [r.endOffset, r.compressed])).toEqual([
      [3, true],
      [6, true],
    ]);
  });
});

describe('chunk boundaries', () => {
  const text = `${BOM}{"a":"é"}\r\n\r\n${BOM}{"b":"日本🙂"}\r\n  \n{"c":"x\ry"}\n${BOM}\r\n{"d":1}`;
  const data = Buffer.from(text);

  test('1-byte pieces: CRLF pairs, multibyte characters and BOMs split across chunks', async () => {
    const whole = await collect(fileWith('whole.ndjson', data));
    const bytewise = await collect(piecewise(data, 1));
    expect(whole.records).toEqual([
      { kind: 'line', no: 1, text: '{"a":"é"}', endOffset: 15, compressed: false },
      { kind: 'line', no: 3, text: '{"b":"日本🙂"}', endOffset: 40, compressed: false },
      { kind: 'line', no: 5, text: '{"c":"x\ry"}', endOffset: 55, compressed: false },
      { kind: 'line', no: 7, text: '{"d":1}', endOffset: 67, compressed: false },
    ]);
    expect(bytewise.records).toEqual(whole.records);
  });

  test('1-byte pieces of gzip data give the same records', async () => {
    const whole = await collect(fileWith('whole.ndjson', data));
    const gz = await collect(piecewise(zlib.gzipSync(data), 1));
    expect(gz.records).toEqual(whole.records.map((r) => ({ ...r, compressed: true })));
  });

  test('random piece sizes give the same records as one piece', async () => {
    let mixed = '';
    for (let i = 1; i <= 400; i++) {
      mixed += [
        `${eventLine(i)}\n`,
        `${BOM}{"i":${i},"s":"日本🙂"}\r\n`,
        '\n',
        ' \r\n',
        `{"x":"${'w'.repeat(i * 3)}"}\n`,
      ][i % 5];
    }
    const bytes = Buffer.concat([Buffer.from(mixed), Buffer.from([0xff, 0x0a]), Buffer.from('tail')]);
    const reference = await collect(piecewise(bytes, bytes.length), { maxLineBytes: 900 });
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return 1 + (seed % 700);
    };
    for (let round = 0; round < 5; round++) {
      const result = await collect(piecewise(bytes, random), { maxLineBytes: 900 });
      expect(result.records).toEqual(reference.records);
    }
    expect(reference.records.filter((r) => r.kind === 'bad').length).toBeGreaterThan(1);
  });
});

describe('API', () => {
  test('readLines yields the same records one at a time', async () => {
    const text = ndjson(20);
    const records: LineRecord[] = [];
    for await (const r of readLines(fs.createReadStream(fileWith('l.ndjson', text)))) records.push(r);
    expect(records.map((r) => r.no)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  test('stopping early destroys the source', async () => {
    const stream = fs.createReadStream(fileWith('big.gz', zlib.gzipSync(ndjson(20_000))));
    for await (const batch of readLineBatches(stream)) {
      expect(batch.length).toBeGreaterThan(0);
      break;
    }
    expect(stream.destroyed).toBe(true);
  });

  test('a reader can be iterated only once', async () => {
    const reader = readLineBatches(fs.createReadStream(fileWith('x', 'a\n')));
    for await (const _ of reader) void _;
    expect(() => reader[Symbol.asyncIterator]()).toThrow(/only once/);
  });
});

describe('UTF-16 text is turned into UTF-8', () => {
  const text = '{"user":"zoë"}\r\n{"action":"release😀"}\n\n{"n":3}\n';

  test.each([
    ['utf-16le', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
    ['utf-16be', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])],
    ['utf-16le', Buffer.from(text, 'utf16le')],
  ] as const)('%s in chunks of 3 bytes (split characters and surrogate pairs)', async (encoding, data) => {
    const reader = readLineBatches(piecewise(data, 3));
    const records: LineRecord[] = [];
    for await (const batch of reader) records.push(...batch);
    expect(reader.encoding).toBe(encoding);
    expect(good(records)).toEqual([
      { no: 1, text: '{"user":"zoë"}' },
      { no: 2, text: '{"action":"release😀"}' },
      { no: 4, text: '{"n":3}' },
    ]);
    // Offsets count the UTF-8 text, not the object: such an object cannot resume.
    expect(records.every((r) => r.compressed)).toBe(true);
  });

  test('plain UTF-8 is left as it is', async () => {
    const reader = readLineBatches(piecewise(Buffer.from(text), 3));
    for await (const batch of reader) void batch;
    expect(reader.encoding).toBe('utf-8');
  });
});
