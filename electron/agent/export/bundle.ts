import fs from 'node:fs';
import { createRequire } from 'node:module';
import { PassThrough, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import zlib from 'node:zlib';
import yazl from 'yazl';

/**
 * yazl checksums every entry with buffer-crc32, a byte-at-a-time loop in JavaScript (~350 MB/s: about 2 s
 * of a 1M-event bundle, on the export's thread). Node's zlib.crc32 computes the same CRC-32 natively, many
 * times faster; yazl calls `crc32.unsigned(chunk, previous)` on buffers only, and is the only user of
 * buffer-crc32 here. The module yazl itself loads is the one changed (resolved from yazl, as it is).
 */
function useNativeCrc32(): void {
  const fromYazl = createRequire(createRequire(import.meta.url).resolve('yazl'));
  const crc32 = fromYazl('buffer-crc32') as {
    unsigned: (buf: unknown, previous?: unknown) => number;
    native?: true;
  };
  if (crc32.native) return;
  const js = crc32.unsigned;
  crc32.unsigned = (buf, previous) =>
    Buffer.isBuffer(buf) && (previous === undefined || typeof previous === 'number')
      ? zlib.crc32(buf, (previous ?? 0) >>> 0)
      : js(buf, previous);
  crc32.native = true;
}
useNativeCrc32();

/**
 * A zip written as a stream (memory does not depend on the entries' sizes): entries are written in the
 * order they are added, each either streamed from a file or written as it is made through {@link stream}
 * (then deflated while the rest of the export runs). Written to a temporary name and renamed by
 * {@link finish}, so `out` is either complete or absent. Deflate level 1: the NDJSON and CSV still shrink
 * several times, at a fraction of the default level's time.
 */
export class ZipWriter {
  private readonly zip = new yazl.ZipFile();
  private readonly partial: string;
  private readonly file: fs.WriteStream;
  private readonly written: Promise<void>;
  private readonly streams: PassThrough[] = [];
  private readonly out: string;
  private readonly mtime: Date;

  constructor(out: string, mtime: Date) {
    this.out = out;
    this.mtime = mtime;
    this.partial = `${out}.partial`;
    this.file = fs.createWriteStream(this.partial);
    this.zip.outputStream.pipe(this.file);
    // yazl reports a file it cannot read as an error of the zip: fail the write with it.
    this.zip.on('error', (error: Error) => this.file.destroy(error));
    this.written = finished(this.file);
    // A failed write (a full disk) must not leave a writer waiting for room on an entry's stream.
    this.written.catch((error: unknown) => {
      for (const s of this.streams) s.destroy(error as Error);
    });
  }

  /**
   * An entry whose bytes are written to the returned stream; end it to end the entry. Its bytes flow
   * once the entries added before it are written: add it first when it is written at once.
   */
  stream(name: string): Writable {
    // A chunk of events or so: more only adds memory, the deflater takes 16 KB at a time.
    const pass = new PassThrough({ highWaterMark: 256 * 1024 });
    // Its writer learns of a failure from write(); the zip's own failure is finish()'s.
    pass.on('error', () => undefined);
    this.streams.push(pass);
    this.zip.addReadStream(pass, name, { mtime: this.mtime, compressionLevel: 1 });
    return pass;
  }

  addFile(file: string, name: string): void {
    this.zip.addFile(file, name, { mtime: this.mtime, compressionLevel: 1 });
  }

  /** Writes the central directory, waits for the last byte and gives the zip its name. */
  async finish(): Promise<void> {
    this.zip.end();
    try {
      await this.written;
      fs.renameSync(this.partial, this.out);
    } catch (error) {
      fs.rmSync(this.partial, { force: true });
      throw error;
    }
  }

  /** Stops writing and removes what was written. */
  async abort(): Promise<void> {
    const stopped = new Error('The export stopped.');
    for (const s of this.streams) s.destroy(stopped);
    this.zip.outputStream.unpipe(this.file);
    this.file.destroy();
    await this.written.catch(() => undefined);
    fs.rmSync(this.partial, { force: true });
  }
}
