import { isAscii, isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import type { Compression, DecompressFailure } from './decompress.ts';
import { DecompressError, MAGIC_BYTES, decompressChunks, detectCompression } from './decompress.ts';

export type { Compression, DecompressFailure } from './decompress.ts';

/** A line that decoded to text. */
export interface TextLine {
  kind: 'line';
  /** 1-based line number, counting every line of the (decompressed) text, blank ones included. */
  no: number;
  /** The line as UTF-8, without its `\n` / `\r\n` and without a leading BOM; otherwise untrimmed. */
  text: string;
  /**
   * Byte offset just after this line's terminator (or the end of the data for a last line without
   * one), counted from the start of the object: resume a ranged read of a plain object here. For
   * compressed objects it counts decompressed bytes and cannot be used to resume.
   */
  endOffset: number;
  /** The object was compressed: `endOffset` is a decompressed offset and a read cannot resume. */
  compressed: boolean;
}

/** A line that cannot be used as text; the caller quarantines it and goes on. */
export interface BadLine {
  kind: 'bad';
  no: number;
  /** Why, e.g. `line too long (70000000 bytes > 67108864)`, `invalid UTF-8 at byte offset 17 of the line`. */
  reason: string;
  /** Start of the line, at most 1 KiB of UTF-8: invalid bytes as U+FFFD, NUL bytes as U+2400 (␀). */
  excerpt: string;
  endOffset: number;
  compressed: boolean;
}

export type LineRecord = TextLine | BadLine;

export interface LineReaderOptions {
  /**
   * Longest line accepted, in bytes without its terminator and BOM; default 64 MiB. A longer line is
   * never held whole: it becomes a {@link BadLine} and reading goes on with the next line.
   */
  maxLineBytes?: number;
  /**
   * Where `source` starts in the object, in bytes; default 0. A non-zero value means a ranged read that
   * resumes a plain object at a line start (a previous `endOffset`): compression is then not detected.
   */
  startOffset?: number;
  /** Line number of the first line in `source`; default 1 (when resuming: the last line's `no` + 1). */
  startLine?: number;
}

/**
 * The compressed data of the object is damaged. All complete lines decoded before the damage were
 * yielded before this was thrown; a partial line at the damage was not.
 */
export class CorruptObjectError extends Error {
  override readonly name = 'CorruptObjectError';
  readonly compression: 'gzip' | 'zstd';
  /** What went wrong: truncated, bad-header, corrupt-data, checksum or trailing-garbage. */
  readonly failure: DecompressFailure;
  /** Number of the last line read whole (`startLine - 1` if none). */
  readonly lastLine: number;
  /** Decompressed bytes read before the damage was noticed. */
  readonly decompressedOffset: number;
  /** Compressed bytes consumed when the damage was noticed (approximate inside a data block). */
  readonly compressedOffset: number;

  constructor(
    message: string,
    details: {
      compression: 'gzip' | 'zstd';
      failure: DecompressFailure;
      lastLine: number;
      decompressedOffset: number;
      compressedOffset: number;
    },
    cause: unknown,
  ) {
    super(message, { cause });
    this.compression = details.compression;
    this.failure = details.failure;
    this.lastLine = details.lastLine;
    this.decompressedOffset = details.decompressedOffset;
    this.compressedOffset = details.compressedOffset;
  }
}

const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;
const EXCERPT_BYTES = 1024;
const LF = 0x0a;
const CR = 0x0d;
// Slack over maxLineBytes before a pending line is given up: a BOM (3) and a `\r` (1) do not count.
const LINE_SLACK = 4;

/**
 * Reads an object's lines in batches. Iterate it once; the progress getters may be read at any time
 * (for example between batches, to show MB/s).
 */
export class LineReader implements AsyncIterable<LineRecord[]> {
  private readonly source: AsyncIterable<unknown>;
  private readonly maxLineBytes: number;
  private readonly startOffset: number;
  private readonly startLine: number;
  private sourceBytes = 0;
  private decodedBytes = 0;
  private detected: Compression | undefined;
  private textEncoding: TextEncodingName | undefined;
  private started = false;
  private splitter: LineSplitter | undefined;

  constructor(source: Readable | AsyncIterable<Uint8Array>, options: LineReaderOptions = {}) {
    this.source = source;
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.startOffset = options.startOffset ?? 0;
    this.startLine = options.startLine ?? 1;
    if (!(this.maxLineBytes >= 1))
      throw new RangeError(`maxLineBytes must be at least 1, got ${this.maxLineBytes}`);
    if (!Number.isSafeInteger(this.startOffset) || this.startOffset < 0) {
      throw new RangeError(`startOffset must be a non-negative integer, got ${this.startOffset}`);
    }
    if (!Number.isSafeInteger(this.startLine) || this.startLine < 1) {
      throw new RangeError(`startLine must be a positive integer, got ${this.startLine}`);
    }
  }

  /** Bytes read from the source so far (compressed bytes for a compressed object): for throughput. */
  get bytesRead(): number {
    return this.sourceBytes;
  }

  /** Bytes handed to the line splitter so far (equal to `bytesRead` for plain objects). */
  get decompressedBytes(): number {
    return this.decodedBytes;
  }

  /**
   * After the iteration: the data ended without a newline (NUL padding aside), and the records of its
   * last line were made anyway. If the object may still grow (a log being written), that line may be
   * partial: do not commit its `endOffset` as a resume point.
   */
  get lastLineUnterminated(): boolean {
    return this.splitter?.unterminated ?? false;
  }

  /** The detected encoding; undefined until the first bytes arrive. */
  get compression(): Compression | undefined {
    return this.detected;
  }

  /** The text's encoding (UTF-16 is turned into UTF-8 before lines are split); undefined until known. */
  get encoding(): TextEncodingName | undefined {
    return this.textEncoding;
  }

  [Symbol.asyncIterator](): AsyncIterator<LineRecord[]> {
    if (this.started) throw new Error('a LineReader can be iterated only once');
    this.started = true;
    return this.batches();
  }

  private async *batches(): AsyncGenerator<LineRecord[], void, undefined> {
    const decoded = this.decode();
    const splitter = new LineSplitter(this.maxLineBytes, this.startOffset, this.startLine);
    this.splitter = splitter;
    let out: LineRecord[] = [];
    try {
      for await (const chunk of decoded) {
        // Offsets of decompressed or transcoded text are not offsets in the object: no resuming there.
        splitter.compressed = this.detected !== 'none' || this.textEncoding !== 'utf-8';
        this.decodedBytes += chunk.length;
        splitter.push(chunk, out);
        if (out.length > 0) {
          yield out;
          out = [];
        }
      }
    } catch (err) {
      if (!(err instanceof DecompressError)) throw err;
      // The members before trailing garbage were whole and verified, so their last line is complete
      // even without a newline; anywhere else the pending bytes stop at the damage.
      if (err.failure === 'trailing-garbage') splitter.end(out);
      if (out.length > 0) yield out;
      throw this.corrupt(err, splitter);
    }
    splitter.end(out);
    if (out.length > 0) yield out;
  }

  private async *decode(): AsyncGenerator<Buffer, void, undefined> {
    const it = this.sourceChunks()[Symbol.asyncIterator]();
    try {
      const head: Buffer[] = [];
      let headBytes = 0;
      let done = false;
      if (this.startOffset === 0) {
        while (headBytes < MAGIC_BYTES) {
          const r = await it.next();
          if (r.done) {
            done = true;
            break;
          }
          head.push(r.value);
          headBytes += r.value.length;
        }
      }
      const first = head.length === 1 ? head[0]! : Buffer.concat(head);
      const compression = detectCompression(first);
      this.detected = compression;
      const rest: AsyncIterable<Buffer> = {
        [Symbol.asyncIterator]: () => ({
          next: async (): Promise<IteratorResult<Buffer>> => {
            if (head.length > 0) {
              head.length = 0;
              if (first.length > 0) return { done: false, value: first };
            }
            return done ? { done: true, value: undefined } : it.next();
          },
        }),
      };
      yield* this.transcode(compression === 'none' ? rest : decompressChunks(rest, compression));
    } finally {
      await it.return?.();
    }
  }

  /**
   * Passes UTF-8 through and turns UTF-16 into UTF-8, told by a byte order mark or, without one, by the
   * pattern of NUL bytes in the first two characters of an NDJSON text (`{\0"\0`): an export saved by a
   * Windows tool would otherwise be quarantined line by line as "contains NUL bytes". Offsets then count
   * UTF-8 bytes, so such an object cannot resume (like a compressed one).
   */
  private async *transcode(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer, void, undefined> {
    const it = chunks[Symbol.asyncIterator]();
    let head: Buffer = Buffer.alloc(0);
    let done = false;
    while (head.length < 4 && this.startOffset === 0) {
      const r = await it.next();
      if (r.done) {
        done = true;
        break;
      }
      head = head.length === 0 ? r.value : Buffer.concat([head, r.value]);
    }
    const encoding = this.startOffset === 0 ? detectUtf16(head) : null;
    this.textEncoding = encoding ?? 'utf-8';
    if (encoding === null) {
      if (head.length > 0) yield head;
      if (!done) for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
      return;
    }
    const little = encoding === 'utf-16le';
    let carry: Buffer = Buffer.alloc(0);
    const convert = (chunk: Buffer, last: boolean): Buffer => {
      const b = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      let even = b.length & ~1;
      // A high surrogate waits for its pair in the next chunk.
      if (!last && even >= 2) {
        const unit = little ? b.readUInt16LE(even - 2) : b.readUInt16BE(even - 2);
        if (unit >= 0xd800 && unit <= 0xdbff) even -= 2;
      }
      carry = last ? Buffer.alloc(0) : Buffer.from(b.subarray(even));
      const units = Buffer.from(b.subarray(0, even));
      if (!little) units.swap16();
      return Buffer.from(units.toString('utf16le'), 'utf8');
    };
    if (head.length > 0) yield convert(head, done);
    if (!done) for (let r = await it.next(); !r.done; r = await it.next()) yield convert(r.value, false);
    if (carry.length > 0) yield convert(Buffer.alloc(0), true);
  }

  private async *sourceChunks(): AsyncGenerator<Buffer, void, undefined> {
    for await (const chunk of this.source) {
      const b = toBuffer(chunk);
      this.sourceBytes += b.length;
      if (b.length > 0) yield b;
    }
  }

  private corrupt(err: DecompressError, splitter: LineSplitter): CorruptObjectError {
    const lastLine = splitter.no - 1;
    const at = `(decompressed byte ${this.decodedBytes}, compressed byte ${err.compressedOffset})`;
    const where =
      lastLine >= this.startLine
        ? `after line ${lastLine} ${at}; the lines before it were read`
        : `before the end of the first line ${at}; no line could be read`;
    return new CorruptObjectError(
      `${err.message} ${where}`,
      {
        compression: this.detected === 'zstd' ? 'zstd' : 'gzip',
        failure: err.failure,
        lastLine,
        decompressedOffset: this.decodedBytes,
        compressedOffset: err.compressedOffset,
      },
      err,
    );
  }
}

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be';

/** UTF-16 by its byte order mark, or by NULs in every other byte of the first two characters; else null. */
export function detectUtf16(head: Buffer): 'utf-16le' | 'utf-16be' | null {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  if (head.length < 4) return null;
  if (head[0] !== 0 && head[1] === 0 && head[2] !== 0 && head[3] === 0) return 'utf-16le';
  if (head[0] === 0 && head[1] !== 0 && head[2] === 0 && head[3] !== 0) return 'utf-16be';
  return null;
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  throw new TypeError(`the source must yield bytes, got ${typeof chunk}`);
}

/**
 * Reads the lines of an object (a file or a download) in order, in batches: one batch per chunk of
 * input, so the per-line cost stays at one string and one record. The object may be gzip (several
 * members allowed), zstd (several frames allowed) or plain, told apart by its first bytes.
 *
 * - Lines end in LF or CRLF; a lone CR stays in the text. A last line without terminator is read.
 * - Blank and whitespace-only lines (per `String#trim`) yield nothing but are counted, so `no` matches
 *   `sed -n '<no>p'` on the decompressed text.
 * - A UTF-8 BOM at the start of any line is dropped.
 * - Bad lines (too long, invalid UTF-8, containing NUL) yield a {@link BadLine}; reading goes on.
 * - A final unterminated line made only of NUL bytes (a preallocated or crash-padded log) is ignored
 *   without a record. NUL bytes anywhere else make their line bad.
 * - Damaged compressed data: complete lines before the damage are yielded, then the iteration throws a
 *   {@link CorruptObjectError}. Errors from `source` propagate unchanged.
 * - Stopping the iteration early destroys `source`.
 */
export function readLineBatches(
  source: Readable | AsyncIterable<Uint8Array>,
  options?: LineReaderOptions,
): LineReader {
  return new LineReader(source, options);
}

/** One record at a time; simpler but slower than {@link readLineBatches}, with the same semantics. */
export async function* readLines(
  source: Readable | AsyncIterable<Uint8Array>,
  options?: LineReaderOptions,
): AsyncGenerator<LineRecord, void, undefined> {
  for await (const batch of readLineBatches(source, options)) yield* batch;
}

const ZEROS = Buffer.alloc(64 * 1024);

function isAllZero(b: Buffer, start: number, end: number): boolean {
  if (start < end && b[start] !== 0) return false;
  for (let i = start; i < end; i += ZEROS.length) {
    const n = Math.min(ZEROS.length, end - i);
    if (b.compare(ZEROS, 0, n, i, i + n) !== 0) return false;
  }
  return true;
}

function hasBom(b: Buffer, start: number, end: number): boolean {
  return end - start >= 3 && b[start] === 0xef && b[start + 1] === 0xbb && b[start + 2] === 0xbf;
}

/** Offset from `start` of the first byte that breaks UTF-8 (overlongs and surrogates included), or -1. */
export function firstInvalidUtf8(b: Buffer, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else return i - start;
    if (i + n >= end) return i - start;
    const second = b[i + 1]!;
    if (second < lo || second > hi) return i - start;
    for (let k = 2; k <= n; k++) {
      const cont = b[i + k]!;
      if (cont < 0x80 || cont > 0xbf) return i - start;
    }
    i += n + 1;
  }
  return -1;
}

/** At most {@link EXCERPT_BYTES} of UTF-8 from the start of the line, cut on a character boundary. */
export function excerptOf(b: Buffer, start: number, end: number): string {
  let cut = Math.min(end, start + EXCERPT_BYTES);
  if (cut < end) {
    // Step back off continuation bytes so the last character is not turned into U+FFFD by the cut.
    let back = cut;
    while (back > start && back > cut - 3 && (b[back]! & 0xc0) === 0x80) back--;
    if ((b[back]! & 0xc0) !== 0x80) cut = back;
  }
  let s = b.toString('utf8', start, cut);
  if (s.includes('\0')) s = s.replaceAll('\0', '\u2400');
  if (Buffer.byteLength(s) <= EXCERPT_BYTES) return s;
  // Replacement characters take 3 bytes for 1 invalid input byte: trim back to the budget.
  let bytes = 0;
  let i = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes + n > EXCERPT_BYTES) break;
    bytes += n;
    i += ch.length;
  }
  return s.slice(0, i);
}

/** Whether a decoded line holds nothing but whitespace (the caller would trim it to nothing). */
function isBlankText(text: string): boolean {
  const c = text.charCodeAt(0);
  return (c <= 0x20 || c >= 0xa0) && text.trim().length === 0;
}

/**
 * Splits decoded bytes into line records. Lines inside one chunk are cut straight from it; only a line
 * that spans chunks is gathered (as a list of views, joined once) or, past the limit, just measured.
 */
class LineSplitter {
  /** Number of the next line. */
  no: number;
  /** Object offset of the next byte pushed. */
  offset: number;
  compressed = false;
  /** Set by end(): the data ended inside a line. */
  unterminated = false;
  private readonly max: number;
  // The pending start of a line that spans chunks.
  private pieces: Buffer[] = [];
  private pendingBytes = 0;
  // A pending line past the limit: only its start (for the excerpt) and its size are kept.
  private skipping = false;
  private skipHead = Buffer.alloc(0);
  private skipHeadBytes = 0;
  private skipBytes = 0;
  private skipLastByte = 0;
  private skipAllZero = true;

  constructor(maxLineBytes: number, startOffset: number, startLine: number) {
    this.max = maxLineBytes;
    this.offset = startOffset;
    this.no = startLine;
  }

  push(chunk: Buffer, out: LineRecord[]): void {
    const len = chunk.length;
    const base = this.offset;
    this.offset += len;
    const first = chunk.indexOf(LF);
    if (first === -1) {
      this.hold(chunk, 0, len);
      return;
    }
    let pos = 0;
    if (this.pendingBytes > 0 || this.skipping) {
      this.hold(chunk, 0, first);
      this.finishPending(base + first + 1, true, out);
      pos = first + 1;
    }
    const last = chunk.lastIndexOf(LF);
    if (pos <= last) this.lines(chunk, pos, last, base, out);
    if (last + 1 < len) this.hold(chunk, last + 1, len);
  }

  /** Emits the last line if the data did not end with a newline. */
  end(out: LineRecord[]): void {
    if (this.skipping) {
      if (!this.skipAllZero) {
        this.finishPending(this.offset, false, out);
        this.unterminated = true;
      }
      this.resetPending();
    } else if (this.pendingBytes > 0) {
      const line = this.joinPending();
      if (!isAllZero(line, 0, line.length)) {
        this.one(line, 0, line.length, this.offset, out);
        this.unterminated = true;
      }
      this.resetPending();
    }
  }

  /** The hot path: whole lines in `b` from `pos` to the LF at `last`. */
  private lines(b: Buffer, pos: number, last: number, base: number, out: LineRecord[]): void {
    // One validation per chunk: only when it fails are lines checked one by one. Pure ASCII (the usual
    // case) decodes as Latin-1, which skips the UTF-8 decoder and gives the same string.
    const region = b.subarray(pos, last + 1);
    const ascii = isAscii(region);
    const valid = ascii || isUtf8(region);
    let nul = b.indexOf(0, pos);
    if (nul === -1) nul = b.length;
    const max = this.max;
    const compressed = this.compressed;
    let no = this.no;
    while (pos <= last) {
      const nl = b.indexOf(LF, pos);
      let end = nl;
      if (end > pos && b[end - 1] === CR) end--;
      let start = pos;
      if (b[start] === 0xef && hasBom(b, start, end)) start += 3;
      if (start < end) {
        if (end - start > max) {
          out.push(this.bad(no, tooLong(end - start, max), b, start, end, base + nl + 1));
        } else if (nul < nl) {
          out.push(this.bad(no, nulBytes(nul - pos), b, start, end, base + nl + 1));
        } else if (!valid && !isUtf8(b.subarray(start, end))) {
          out.push(this.bad(no, invalidUtf8(b, pos, start, end), b, start, end, base + nl + 1));
        } else {
          const text = ascii ? b.toString('latin1', start, end) : b.toString('utf8', start, end);
          if (!isBlankText(text)) out.push({ kind: 'line', no, text, endOffset: base + nl + 1, compressed });
        }
      }
      if (nul < nl) {
        nul = b.indexOf(0, nl + 1);
        if (nul === -1) nul = b.length;
      }
      no++;
      pos = nl + 1;
    }
    this.no = no;
  }

  /**
   * One line in `b[pos, end)` with its terminator (LF or CRLF) already cut off: the slower path, for lines
   * joined from pieces and a last line without newline.
   */
  private one(b: Buffer, pos: number, end: number, endOffset: number, out: LineRecord[]): void {
    const no = this.no++;
    let start = pos;
    if (hasBom(b, start, end)) start += 3;
    if (start === end) return;
    if (end - start > this.max) {
      out.push(this.bad(no, tooLong(end - start, this.max), b, start, end, endOffset));
      return;
    }
    const nul = b.indexOf(0, pos);
    if (nul !== -1 && nul < end) {
      out.push(this.bad(no, nulBytes(nul - pos), b, start, end, endOffset));
    } else if (!isUtf8(b.subarray(start, end))) {
      out.push(this.bad(no, invalidUtf8(b, pos, start, end), b, start, end, endOffset));
    } else {
      const text = b.toString('utf8', start, end);
      if (!isBlankText(text)) out.push({ kind: 'line', no, text, endOffset, compressed: this.compressed });
    }
  }

  /** Keeps `b[start, end)` as the start of a line continued in a later chunk. */
  private hold(b: Buffer, start: number, end: number): void {
    if (start === end) return;
    if (this.skipping) {
      if (this.skipHeadBytes < this.skipHead.length) {
        this.skipHeadBytes += b.copy(this.skipHead, this.skipHeadBytes, start, end);
      }
      this.skipBytes += end - start;
      this.skipLastByte = b[end - 1]!;
      if (this.skipAllZero && !isAllZero(b, start, end)) this.skipAllZero = false;
      return;
    }
    this.pieces.push(start === 0 && end === b.length ? b : b.subarray(start, end));
    this.pendingBytes += end - start;
    if (this.pendingBytes > this.max + LINE_SLACK) this.startSkipping();
  }

  private startSkipping(): void {
    // Enough for the excerpt after a BOM; filled further by later pieces if the line started short of it.
    const head = Buffer.allocUnsafe(EXCERPT_BYTES + 3);
    let filled = 0;
    let allZero = true;
    for (const p of this.pieces) {
      if (filled < head.length) filled += p.copy(head, filled, 0, Math.min(p.length, head.length - filled));
      if (allZero && !isAllZero(p, 0, p.length)) allZero = false;
    }
    const lastPiece = this.pieces[this.pieces.length - 1]!;
    this.skipping = true;
    this.skipHead = head;
    this.skipHeadBytes = filled;
    this.skipBytes = this.pendingBytes;
    this.skipLastByte = lastPiece[lastPiece.length - 1]!;
    this.skipAllZero = allZero;
    this.pieces = [];
    this.pendingBytes = 0;
  }

  /** Completes the pending line; `terminated` says whether an LF ended it (not the end of the data). */
  private finishPending(endOffset: number, terminated: boolean, out: LineRecord[]): void {
    if (this.skipping) {
      const head = this.skipHead;
      const headBytes = this.skipHeadBytes;
      const bom = hasBom(head, 0, headBytes) ? 3 : 0;
      const size = this.skipBytes - (terminated && this.skipLastByte === CR ? 1 : 0) - bom;
      // A CR ending the line may sit in the head when the whole line is short of the head's size.
      const excerptEnd = terminated && size + bom < headBytes ? size + bom : headBytes;
      out.push(this.bad(this.no++, tooLong(size, this.max), head, bom, excerptEnd, endOffset));
      this.resetPending();
      return;
    }
    const line = this.joinPending();
    this.resetPending();
    const end = terminated && line.length > 0 && line[line.length - 1] === CR ? line.length - 1 : line.length;
    this.one(line, 0, end, endOffset, out);
  }

  /** A line that is not read: its number, why, and an excerpt of `b[start, end)`. */
  private bad(no: number, reason: string, b: Buffer, start: number, end: number, endOffset: number): BadLine {
    return {
      kind: 'bad',
      no,
      reason,
      excerpt: excerptOf(b, start, end),
      endOffset,
      compressed: this.compressed,
    };
  }

  private joinPending(): Buffer {
    return this.pieces.length === 1 ? this.pieces[0]! : Buffer.concat(this.pieces, this.pendingBytes);
  }

  private resetPending(): void {
    this.pieces = [];
    this.pendingBytes = 0;
    this.skipping = false;
    this.skipHead = Buffer.alloc(0);
    this.skipHeadBytes = 0;
    this.skipBytes = 0;
    this.skipAllZero = true;
  }
}

// The reasons a line is not read; the line itself goes with them as an excerpt (see bad()).
const tooLong = (size: number, max: number) => `line too long (${size} bytes > ${max})`;
const nulBytes = (offset: number) => `line contains NUL bytes (first at byte offset ${offset})`;
/** The offset counts from the line's first byte (`pos`), a BOM included; `start` is past the BOM. */
const invalidUtf8 = (b: Buffer, pos: number, start: number, end: number) =>
  `invalid UTF-8 at byte offset ${start - pos + firstInvalidUtf8(b, start, end)} of the line`;
