import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import {
  ROW,
  type EventLines,
  type StoredChunk,
  type StoredEventReader,
  type StoredRow,
} from '../store/exportRows.ts';
import { CSV_ROW_END, csvCell } from './csv.ts';
import type { ExportSummary } from './exportSummary.ts';
import type { EventHasher, ManifestFile } from './manifest.ts';
import type { Pseudonymizer } from './pseudonym.ts';

/**
 * What an export writes per chunk of events, from stored rows (see exportRows.ts): the NDJSON lines (as
 * stored, or with users pseudonymised) and the CSV rows, into files that hash what they write.
 */

/** Where an export's events go; each can be left out (the benchmark times the outputs one by one). */
export interface EventOutputs {
  /** events.ndjson, its events.index, and the running hash over its lines. */
  ndjson?: { file: HashedFile; index: HashedFile; hasher: EventHasher };
  csv?: { file: HashedFile; rows: CsvRows };
  summary?: ExportSummary;
}

/**
 * Streams the events of chunks of ascending keys into the outputs; returns how many it wrote. Each chunk
 * is read and formatted while the previous chunk's writes go out, then waits for them to complete
 * (memory: two chunks; CsvRows reuses a buffer once its write completed).
 */
export async function writeEvents(
  reader: StoredEventReader,
  chunks: Iterable<ArrayLike<number>>,
  pseudo: Pseudonymizer | null,
  out: EventOutputs,
  onChunk: (exported: number) => void,
): Promise<number> {
  let exported = 0;
  let writing: Promise<unknown> = Promise.resolve();
  try {
    for (const keys of chunks) {
      const chunk = reader.read(keys);
      const writes: (() => Promise<void>)[] = [];
      if (out.ndjson) {
        const { file, index, hasher } = out.ndjson;
        const lines = pseudo === null ? chunk : pseudonymizedLines(chunk, reader, pseudo);
        const entries = hasher.addLines(lines);
        writes.push(
          () => file.write(lines.pieces),
          () => index.write(entries),
        );
      }
      if (out.csv) {
        const { file, rows } = out.csv;
        const bytes = rows.bytes(chunk.rows);
        writes.push(() => file.write(bytes));
      }
      out.summary?.add(chunk.rows);
      await writing;
      writing = Promise.all(writes.map((write) => write()));
      exported += chunk.rows.length;
      onChunk(exported);
    }
  } catch (error) {
    // The writes under way may fail too once the caller closes the outputs: nobody waits for them.
    writing.catch(() => undefined);
    throw error;
  }
  await writing;
  return exported;
}

/** A file being written (to disk or into a zip entry), with its SHA-256 and size computed on the way out. */
export class HashedFile {
  readonly name: string;
  private readonly stream: Writable;
  private readonly hash = crypto.createHash('sha256');
  private bytes = 0;

  constructor(name: string, stream: Writable) {
    this.name = name;
    this.stream = stream;
  }

  /** A new file `name` in `dir`. */
  static inFolder(dir: string, name: string): HashedFile {
    return new HashedFile(name, fs.createWriteStream(path.join(dir, name)));
  }

  /**
   * Writes (pieces in order); resolves once they are written out (a file) or taken by the next stream,
   * when the buffers may be reused — backpressure, so memory stays bounded.
   */
  async write(data: string | Buffer | readonly Buffer[]): Promise<void> {
    if (this.stream.destroyed)
      throw this.stream.errored ?? new Error(`${this.name} could not be written: its output was closed.`);
    const pieces =
      typeof data === 'string' ? [Buffer.from(data, 'utf8')] : Buffer.isBuffer(data) ? [data] : data;
    if (pieces.length === 0) return;
    for (const piece of pieces) {
      this.hash.update(piece);
      this.bytes += piece.length;
    }
    const last = pieces.length - 1;
    for (let i = 0; i < last; i++) this.stream.write(pieces[i]);
    await new Promise<void>((resolve, reject) =>
      this.stream.write(pieces[last], (error) => (error ? reject(error) : resolve())),
    );
  }

  async close(): Promise<ManifestFile> {
    this.stream.end();
    await finished(this.stream, { readable: false });
    return { name: this.name, bytes: this.bytes, sha256: this.hash.digest('hex') };
  }
}

/**
 * The chunk's NDJSON lines with every user replaced by their pseudonym (Pseudonymizer.rawLine): the lines
 * become strings only here.
 */
export function pseudonymizedLines(
  chunk: StoredChunk,
  reader: StoredEventReader,
  pseudo: Pseudonymizer,
): EventLines {
  const all = chunk.pieces.length === 1 ? chunk.pieces[0]! : Buffer.concat(chunk.pieces);
  const ends = new Uint32Array(chunk.rows.length);
  let text = '';
  let bytes = 0;
  let start = 0;
  chunk.rows.forEach((row, i) => {
    const raw = all.toString('utf8', start, chunk.ends[i]! - 1);
    start = chunk.ends[i]!;
    const line = pseudo.rawLine(raw, reader.value('user', row[ROW.user]));
    text += line + '\n';
    bytes += Buffer.byteLength(line, 'utf8') + 1;
    ends[i] = bytes;
  });
  return { pieces: [Buffer.from(text, 'utf8')], ends };
}

/** Dictionary fields that are CSV columns. */
type CellField = 'user' | 'entity' | 'action' | 'opType' | 'status' | 'org' | 'userAgent' | 'format';

/**
 * Cells of values cached by id up to here: the few hundred users, actions or files of an export repeat on
 * every row; a field with millions of distinct values must not fill the export's bounded heap.
 */
const CACHED_IDS = 50_000;

const COMMA = 0x2c;
const ROW_END = Buffer.from(CSV_ROW_END, 'latin1');

/**
 * events.csv rows (the columns of EVENT_CSV_COLUMNS) from stored rows, each cell as csvCell makes it.
 * Written as bytes into one buffer per chunk: the cells of dictionary values, objects and timestamps
 * (to the second) are encoded once and copied; joining millions of strings and encoding the text
 * afterwards kept the export's small heap collecting most of the time.
 */
export class CsvRows {
  private readonly reader: StoredEventReader;
  private readonly pseudo: Pseudonymizer | null;
  private readonly cells = new Map<CellField, Buffer[]>();
  /** `source,object` cells by object id. */
  private readonly objects: Buffer[] = [];
  /** The timestamp cell up to its second (`2024-01-02T03:04:05`), for the second `second`. */
  private second = NaN;
  private secondCell = Buffer.alloc(0);
  /**
   * Two buffers, used in turn: a chunk's rows are written while the next chunk's are made, and a buffer
   * is made again only after its write completed (writeEvents waits for that).
   */
  private readonly bufs = [Buffer.allocUnsafe(256 * 1024), Buffer.allocUnsafe(256 * 1024)];
  private turn = 0;
  private buf = this.bufs[0]!;
  private pos = 0;

  constructor(reader: StoredEventReader, pseudo: Pseudonymizer | null) {
    this.reader = reader;
    this.pseudo = pseudo;
  }

  /** The rows' CSV; the bytes are overwritten by the call after next (write them before). */
  bytes(rows: readonly StoredRow[]): Buffer {
    this.turn ^= 1;
    this.buf = this.bufs[this.turn]!;
    this.pos = 0;
    for (const r of rows) {
      this.time(r[ROW.ts]);
      this.put(this.cell('user', r[ROW.user]), COMMA);
      this.put(this.cell('entity', r[ROW.entity]), COMMA);
      this.put(this.cell('action', r[ROW.action]), COMMA);
      this.put(this.cell('opType', r[ROW.opType]), COMMA);
      this.text(this.reader.outcome(r[ROW.outcome]), COMMA);
      this.put(this.cell('status', r[ROW.status]), COMMA);
      this.put(this.cell('org', r[ROW.org]), COMMA);
      this.text(r[ROW.target], COMMA);
      this.text(r[ROW.ip], COMMA);
      this.put(this.cell('userAgent', r[ROW.userAgent]), COMMA);
      this.text(r[ROW.latencyMs], COMMA);
      this.text(r[ROW.txn], COMMA);
      this.put(this.cell('format', r[ROW.format]), COMMA);
      this.put(this.object(r[ROW.object]), COMMA);
      this.text(r[ROW.line], COMMA);
      this.text(r[ROW.id], -1);
      this.put(ROW_END, -1);
    }
    return this.buf.subarray(0, this.pos);
  }

  /** The ts cell: ISO 8601 in UTC with milliseconds, as Date.toISOString writes it. */
  private time(ts: number | null): void {
    if (ts === null) return this.text('', COMMA);
    const second = Math.floor(ts / 1000);
    const ms = ts - second * 1000;
    // toISOString for years 0–9999 only (others have a sign or six digits; fractions of a ms are cut).
    if (!Number.isInteger(ts) || second < -62_167_219_200 || second >= 253_402_300_800)
      return this.text(new Date(ts).toISOString(), COMMA);
    if (second !== this.second) {
      this.second = second;
      this.secondCell = Buffer.from(csvCell(new Date(second * 1000).toISOString().slice(0, 19)), 'latin1');
    }
    this.put(this.secondCell, -1);
    this.room(6);
    const b = this.buf;
    b[this.pos++] = 0x2e; // .
    b[this.pos++] = 0x30 + Math.floor(ms / 100);
    b[this.pos++] = 0x30 + (Math.floor(ms / 10) % 10);
    b[this.pos++] = 0x30 + (ms % 10);
    b[this.pos++] = 0x5a; // Z
    b[this.pos++] = COMMA;
  }

  /** Appends encoded bytes, then `after` (a byte; -1: none). */
  private put(bytes: Buffer, after: number): void {
    this.room(bytes.length + 1);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
    if (after >= 0) this.buf[this.pos++] = after;
  }

  /** Appends the cell of a value that is not cached, then `after`. */
  private text(value: string | number | null, after: number): void {
    const cell = csvCell(value);
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    this.room(cell.length * 3 + 1);
    this.pos += this.buf.write(cell, this.pos, 'utf8');
    if (after >= 0) this.buf[this.pos++] = after;
  }

  private room(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.pos + bytes, this.buf.length * 2));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = this.bufs[this.turn] = bigger;
  }

  private cell(field: CellField, id: number | null): Buffer {
    const key = id ?? 0;
    let cells = this.cells.get(field);
    if (cells === undefined) this.cells.set(field, (cells = []));
    let cell = cells[key];
    if (cell === undefined) {
      const value = this.reader.value(field, id);
      cell = Buffer.from(
        csvCell(
          field === 'user' && this.pseudo !== null
            ? this.pseudo.user(value)
            : field === 'format'
              ? (value ?? 'unknown')
              : value,
        ),
        'utf8',
      );
      if (key < CACHED_IDS) cells[key] = cell;
    }
    return cell;
  }

  private object(id: number): Buffer {
    let cell = this.objects[id];
    if (cell === undefined) {
      const { source, key } = this.reader.object(id);
      cell = Buffer.from(`${csvCell(source)},${csvCell(key)}`, 'utf8');
      if (id < CACHED_IDS) this.objects[id] = cell;
    }
    return cell;
  }
}
