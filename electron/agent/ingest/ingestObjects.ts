import type { Readable } from 'node:stream';
import type { ObjectInfo } from '../store/objects.ts';
import { QUARANTINE_EXCERPTS_PER_OBJECT } from '../store/quarantine.ts';
import type { BatchResult } from '../store/writeBatch.ts';
import { BatchBuilder, DEFAULT_BATCH_LIMITS, type BatchLimits, type ObjectRef } from './batchBuilder.ts';
import { CorruptObjectError, LineReader } from './lineReader.ts';
import { prepareLine, type PrepareOptions } from './prepare.ts';
import { redactText } from './redact.ts';
import type { WriterClient } from '../store/writerClient.ts';

/** Batches handed to the writer and not yet committed, at most. */
const MAX_IN_FLIGHT = 2;

/** Where a read of an object picks up from its stored checkpoint (see {@link ObjectToRead.resume}). */
export interface ResumePoint {
  /** The object's own byte offset after the last complete line committed (`objects.bytes_read`). */
  readonly offset: number;
  /** The number of that line (`objects.lines`). */
  readonly lines: number;
  /**
   * The object was compressed (`objects.compressed`): a ranged read of gzip/zstd cannot resume, so it
   * is read whole again and its first `lines` lines are passed over.
   */
  readonly compressed: boolean;
}

/** An object (file, blob) to read: its identity and a way to open it. */
export interface ObjectToRead extends ObjectInfo {
  /**
   * Opens the object's bytes from `offset` (0 = the whole object), as stored (compressed objects are not
   * decompressed: the line reader finds that out from the magic bytes).
   */
  open(offset: number): Promise<Readable>;
  /**
   * Continue from a checkpoint (a grown file, an interrupted read) instead of reading from the start:
   * what was committed stays and is not read again. Absent: a full read that resets the object's
   * position (dedupe keeps re-read lines from counting twice).
   */
  readonly resume?: ResumePoint | null;
  /**
   * Leave a last line without its newline unread (a file still being written: the rest of the line is
   * coming). By default such a line is read, since a finished object may simply lack the final newline.
   */
  readonly holdUnterminated?: boolean;
}

/** What happened to one object. */
export interface ObjectOutcome {
  key: string;
  lines: number;
  events: number;
  duplicates: number;
  quarantined: number;
  error: string | null;
  /**
   * The error's class name (`ObjectChangedError`, `TransientSourceError`, `CorruptObjectError`, ...), so a
   * caller across a thread boundary can tell a changed object from a failing one; null without error.
   */
  errorName?: string | null;
  /** Bytes read from the object this run (compressed size for a compressed object). */
  bytes?: number;
}

/** What an ingest run did; every count is kept as it happens, never inferred. */
export interface IngestSummary {
  /** New events stored. */
  events: number;
  /** Lines that were an event already stored (an identical line seen before, here or earlier). */
  duplicates: number;
  /** Bad lines seen (stored in quarantine with object, line and reason). */
  quarantined: number;
  /** Objects read (including ones that failed part way). */
  objects: number;
  /** Objects that could not be read to the end (unreadable, corrupt). */
  errors: number;
  /** Secret values replaced by redaction. */
  redacted: number;
  /** Non-blank lines read, bad ones included. */
  lines: number;
  /** Bytes read from the sources (compressed size for compressed objects). */
  bytes: number;
  perObject: ObjectOutcome[];
  /**
   * The run was stopped before it read everything: what it read was committed (the last object read only
   * in part stays `reading`), and running the same ingest again finishes it exactly (dedupe).
   */
  stopped: boolean;
  /** Things under the given paths that were passed over on purpose, each with a sentence saying why. */
  skipped: { path: string; message: string }[];
}

export interface IngestProgress {
  /** Objects started so far. */
  objects: number;
  lines: number;
  bytes: number;
  events: number;
}

export interface IngestOptions {
  readonly prepare: PrepareOptions;
  readonly limits?: BatchLimits;
  readonly onProgress?: (progress: IngestProgress) => void;
  /** Aborting it stops the run after the line in hand; what was read so far is still committed. */
  readonly signal?: AbortSignal;
}

/**
 * Reads objects line by line into the store. Parsing, redaction and normalisation run here while the
 * writer thread commits the previous batch; one bad line or one corrupt object never stops the others.
 */
export async function ingestObjects(
  writer: WriterClient,
  sourceId: number,
  objects: Iterable<ObjectToRead> | AsyncIterable<ObjectToRead>,
  options: IngestOptions,
): Promise<IngestSummary> {
  const summary: IngestSummary = {
    events: 0,
    duplicates: 0,
    quarantined: 0,
    objects: 0,
    errors: 0,
    redacted: 0,
    lines: 0,
    bytes: 0,
    stopped: false,
    perObject: [],
    skipped: [],
  };
  const stopRequested = () => options.signal?.aborted === true;
  const outcomes = new Map<ObjectRef, ObjectOutcome>();
  const builder = new BatchBuilder(options.limits ?? DEFAULT_BATCH_LIMITS);
  // Batches sent to the writer and not yet committed. Two in flight let the parser run ahead while the
  // writer is slower for a moment (a segment merge, a checkpoint) and the writer while the parser is
  // (a gzip object); more would only add memory.
  const inFlight: Promise<void>[] = [];
  // A failed write (disk full, database locked for too long) ends the run; it is rethrown at the next
  // flush rather than left as an unhandled rejection while the next batch is prepared.
  let writeError: unknown = null;

  const record = (result: BatchResult, refs: readonly ObjectRef[]) => {
    summary.events += result.inserted;
    summary.duplicates += result.duplicates;
    refs.forEach((ref, i) => {
      const outcome = outcomes.get(ref)!;
      outcome.events += result.perObject[i]![0];
      outcome.duplicates += result.perObject[i]![1];
    });
    options.onProgress?.({
      objects: summary.objects,
      lines: summary.lines,
      bytes: summary.bytes,
      events: summary.events,
    });
  };

  const flush = async (maxInFlight: number) => {
    while (inFlight.length > maxInFlight) await inFlight.shift();
    if (writeError !== null) throw writeError;
    if (builder.empty) return;
    const { batch, transfer, refs } = builder.take();
    inFlight.push(
      writer.call('write', batch, transfer).then(
        (result) => record(result, refs),
        (error: unknown) => {
          writeError = error;
        },
      ),
    );
  };

  try {
    await readAll();
  } catch (error) {
    if (writeError === null) throw error;
    // A write failed (the disk is full): nothing after it can be stored. The objects of this run whose
    // end was not committed stay as far as they got, marked failed with the reason so that stats and the
    // next run see them (best effort: a full disk may refuse even that).
    const reason = error instanceof Error ? error.message : String(error);
    const keys = summary.perObject.map((o) => o.key);
    await writer.call('failObjects', { sourceId, keys, error: reason }).catch(() => undefined);
    throw error;
  }
  return summary;

  async function readAll(): Promise<void> {
    for await (const object of objects) {
      if (stopRequested()) {
        summary.stopped = true;
        break;
      }
      summary.objects++;
      const outcome: ObjectOutcome = {
        key: object.key,
        lines: 0,
        events: 0,
        duplicates: 0,
        quarantined: 0,
        error: null,
      };
      summary.perObject.push(outcome);
      // A plain object resumes with a ranged read from its checkpoint; a compressed one is read whole again
      // and the lines already committed are passed over (a gzip/zstd stream cannot start mid-way).
      const resume = object.resume ?? null;
      const ranged = resume !== null && !resume.compressed ? resume.offset : 0;
      const skipThrough = resume !== null && resume.compressed ? resume.lines : 0;
      // No round trip to the writer: the object is recorded with the batch that carries its lines.
      const ref: ObjectRef = {
        sourceId,
        info: pickInfo(object),
        restart: resume === null,
        compressed: resume?.compressed ?? false,
      };
      outcomes.set(ref, outcome);
      // The checkpoint: the end of the last complete line, in the object's own bytes. For a compressed
      // object there is no such offset: `lines` is the resume point, and the offset is written as the
      // object's size once it is read to the end.
      let lastLine = resume?.lines ?? 0;
      let lastOffset = resume !== null && !resume.compressed ? resume.offset : 0;
      builder.progress(ref, { lines: lastLine, bytesRead: lastOffset });
      let reader: LineReader | null = null;
      let bytesBefore = 0;
      try {
        reader = new LineReader(await object.open(ranged), {
          startOffset: ranged,
          startLine: ranged > 0 ? lastLine + 1 : 1,
        });
        for await (const records of reader) {
          if (reader.compression !== undefined && reader.compression !== 'none' && !ref.compressed) {
            // Recorded with the object (objects.compressed), so a later resume knows to read it whole.
            ref.compressed = true;
          }
          for (const record of records) {
            if (stopRequested()) break;
            if (record.no <= skipThrough) continue;
            if (record.unterminated === true && object.holdUnterminated === true) continue;
            // A last line without its newline may still be being written: it is read (nothing is lost if
            // the object stays so), but the checkpoint stays before it, so it is read again when the
            // object grows (dedupe keeps that exact).
            if (record.unterminated !== true) {
              lastLine = record.no;
              if (!ref.compressed) lastOffset = record.endOffset;
            }
            summary.lines++;
            outcome.lines++;
            if (record.kind === 'bad') {
              // The first bad lines of an object are kept with their excerpt, the rest only counted.
              if (outcome.quarantined < QUARANTINE_EXCERPTS_PER_OBJECT) {
                const excerpt = options.prepare.redact ? redactText(record.excerpt) : record.excerpt;
                builder.addBad(ref, record.no, record.reason, excerpt);
              } else builder.countBad(ref, record.no, record.reason);
              summary.quarantined++;
              outcome.quarantined++;
            } else {
              const prepared = prepareLine(record.text, options.prepare);
              if (prepared.kind === 'event') {
                builder.add(ref, record.no, prepared);
                summary.redacted += prepared.redacted;
              } else {
                if (outcome.quarantined < QUARANTINE_EXCERPTS_PER_OBJECT)
                  builder.addBad(ref, record.no, prepared.reason, prepared.excerpt);
                else builder.countBad(ref, record.no, prepared.reason);
                summary.quarantined++;
                outcome.quarantined++;
              }
            }
            if (builder.full) {
              // The checkpoint committed with this batch must be exactly the last line it holds.
              builder.progress(ref, { lines: lastLine, bytesRead: lastOffset });
              await flush(MAX_IN_FLIGHT - 1);
            }
          }
          summary.bytes += reader.bytesRead - bytesBefore;
          bytesBefore = reader.bytesRead;
          builder.progress(ref, { lines: lastLine, bytesRead: lastOffset });
          // Stopped: the lines read so far are committed below with their checkpoint; the object stays
          // `reading`, so the next run reads it again (and dedupe keeps that exact).
          if (stopRequested()) break;
        }
        if (stopRequested()) {
          summary.stopped = true;
          break;
        }
        if (ref.compressed) lastOffset = reader.bytesRead;
        outcome.bytes = reader.bytesRead;
        builder.progress(ref, { lines: lastLine, bytesRead: lastOffset, status: 'done', error: null });
      } catch (error) {
        // A failed write is not this object's fault: it ends the run (see above).
        if (writeError !== null) throw writeError;
        if (reader) summary.bytes += reader.bytesRead - bytesBefore;
        if (reader) outcome.bytes = reader.bytesRead;
        const message = describeReadError(object.key, error);
        outcome.error = message;
        outcome.errorName = error instanceof Error ? error.name : 'Error';
        summary.errors++;
        builder.progress(ref, { lines: lastLine, bytesRead: lastOffset, status: 'error', error: message });
      }
    }
    await flush(MAX_IN_FLIGHT - 1);
    await flush(0);
    if (writeError !== null) throw writeError;
  }
}

function pickInfo(object: ObjectToRead): ObjectInfo {
  return {
    key: object.key,
    etag: object.etag ?? null,
    size: object.size ?? null,
    modified: object.modified ?? null,
  };
}

function describeReadError(key: string, error: unknown): string {
  if (error instanceof CorruptObjectError) return error.message;
  const e = error as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT':
      return `${key} does not exist (it was removed while being read?).`;
    case 'EACCES':
    case 'EPERM':
      return `${key} cannot be read: permission denied. Check the file's permissions.`;
    case 'EISDIR':
      return `${key} is a folder, not a file.`;
    default:
      return `${key} could not be read: ${e.message ?? String(error)}`;
  }
}
