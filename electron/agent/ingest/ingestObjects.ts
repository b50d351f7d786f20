import type { Readable } from 'node:stream';
import type { ObjectInfo } from '../store/objects.ts';
import type { BatchResult } from '../store/writeBatch.ts';
import { BatchBuilder, DEFAULT_BATCH_LIMITS, type BatchLimits } from './batchBuilder.ts';
import { CorruptObjectError, LineReader } from './lineReader.ts';
import { prepareLine, type PrepareOptions } from './prepare.ts';
import type { WriterClient } from './writerClient.ts';

/** An object (file, blob) to read: its identity and a way to open it. */
export interface ObjectToRead extends ObjectInfo {
  open(): Promise<Readable>;
}

/** What happened to one object. */
export interface ObjectOutcome {
  key: string;
  lines: number;
  events: number;
  duplicates: number;
  quarantined: number;
  error: string | null;
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
  /** Non-blank lines read. */
  lines: number;
  /** Bytes read from the sources (compressed size for compressed objects). */
  bytes: number;
  perObject: ObjectOutcome[];
}

export interface IngestProgress {
  objects: number;
  lines: number;
  bytes: number;
  events: number;
}

export interface IngestOptions {
  readonly prepare: PrepareOptions;
  readonly limits?: BatchLimits;
  readonly onProgress?: (progress: IngestProgress) => void;
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
    perObject: [],
  };
  const outcomes = new Map<number, ObjectOutcome>();
  const builder = new BatchBuilder(options.limits ?? DEFAULT_BATCH_LIMITS);
  let inFlight: Promise<void> = Promise.resolve();
  // A failed write (disk full, database locked for too long) ends the run; it is rethrown at the next
  // flush rather than left as an unhandled rejection while the next batch is prepared.
  let writeError: unknown = null;

  const record = (result: BatchResult) => {
    summary.events += result.inserted;
    summary.duplicates += result.duplicates;
    for (const [id, [inserted, duplicates]] of Object.entries(result.perObject)) {
      const outcome = outcomes.get(Number(id));
      if (outcome) {
        outcome.events += inserted;
        outcome.duplicates += duplicates;
      }
    }
    options.onProgress?.({
      objects: summary.objects,
      lines: summary.lines,
      bytes: summary.bytes,
      events: summary.events,
    });
  };

  // One batch is written while the next is prepared; never more, to bound memory.
  const flush = async () => {
    await inFlight;
    if (writeError !== null) throw writeError;
    if (builder.empty) return;
    const { batch, transfer } = builder.take();
    inFlight = writer.call('write', batch, transfer).then(record, (error: unknown) => {
      writeError = error;
    });
  };

  for await (const object of objects) {
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
    const objectId = await writer.call('beginObject', {
      sourceId,
      info: pickInfo(object),
      restart: true,
      compressed: false,
    });
    outcomes.set(objectId, outcome);
    let lastLine = 0;
    let lastOffset = 0;
    let reader: LineReader | null = null;
    let bytesBefore = 0;
    try {
      reader = new LineReader(await object.open());
      for await (const records of reader) {
        for (const record of records) {
          lastLine = record.no;
          lastOffset = record.endOffset;
          if (record.kind === 'bad') {
            builder.addBad(objectId, record.no, record.reason, record.excerpt);
            summary.quarantined++;
            outcome.quarantined++;
            continue;
          }
          summary.lines++;
          outcome.lines++;
          const prepared = prepareLine(record.text, options.prepare);
          if (prepared.kind === 'event') {
            builder.add(objectId, record.no, prepared);
            summary.redacted += prepared.redacted;
          } else {
            builder.addBad(objectId, record.no, prepared.reason, prepared.excerpt);
            summary.quarantined++;
            outcome.quarantined++;
          }
        }
        summary.bytes += reader.bytesRead - bytesBefore;
        bytesBefore = reader.bytesRead;
        builder.progress({ objectId, lines: lastLine, bytesRead: lastOffset });
        if (builder.full) await flush();
      }
      builder.progress({ objectId, lines: lastLine, bytesRead: lastOffset, status: 'done', error: null });
    } catch (error) {
      if (reader) summary.bytes += reader.bytesRead - bytesBefore;
      const message = describeReadError(object.key, error);
      outcome.error = message;
      summary.errors++;
      builder.progress({ objectId, lines: lastLine, bytesRead: lastOffset, status: 'error', error: message });
    }
  }
  await flush();
  await inFlight;
  if (writeError !== null) throw writeError;
  return summary;
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
