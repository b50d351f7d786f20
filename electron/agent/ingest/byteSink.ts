/**
 * A growable byte buffer that holds a batch's texts (raw lines, full text) back to back. Writing each
 * string into it as it is produced leaves the string to die young, instead of keeping tens of thousands of
 * strings alive until the batch is written (they would be promoted to V8's old space and inflate the heap),
 * and the buffer crosses to the writer thread without a copy.
 */
export class ByteSink {
  private buffer: Buffer;
  private length = 0;
  private readonly starts: number[] = [];

  constructor(initialBytes = 1 << 20) {
    // Not from Node's shared pool: the buffer is transferred to the writer thread.
    this.buffer = Buffer.allocUnsafeSlow(initialBytes);
  }

  get byteLength(): number {
    return this.length;
  }

  get count(): number {
    return this.starts.length;
  }

  /** Appends one item; `separator` (a byte) goes before every item but the first. */
  push(text: string, separator?: number): void {
    if (separator !== undefined && this.starts.length > 0) {
      this.reserve(1);
      this.buffer[this.length++] = separator;
    }
    this.starts.push(this.length);
    this.reserve(text.length * 3);
    this.length += this.buffer.write(text, this.length, 'utf8');
  }

  /**
   * The bytes written and where each item starts (plus a final entry: the end), as transferable arrays.
   * The sink is empty afterwards.
   */
  take(): { bytes: Uint8Array; offsets: Float64Array } {
    const bytes = new Uint8Array(this.length);
    bytes.set(this.buffer.subarray(0, this.length));
    const offsets = new Float64Array(this.starts.length + 1);
    for (let i = 0; i < this.starts.length; i++) offsets[i] = this.starts[i]!;
    offsets[this.starts.length] = this.length;
    this.length = 0;
    this.starts.length = 0;
    return { bytes, offsets };
  }

  /** Where item `i` starts (`count` gives the end of the last item). */
  startOf(i: number): number {
    return i < this.starts.length ? this.starts[i]! : this.length;
  }

  /** The bytes written so far, without copying; valid until the next push or clear. */
  view(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  clear(): void {
    this.length = 0;
    this.starts.length = 0;
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.length + extra));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}
