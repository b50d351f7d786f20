import { Readable } from 'node:stream';
import type { ObjectToRead } from '../ingest/ingestObjects.ts';

/** Objects up to this size are downloaded whole ahead of the parser; larger ones stream when their turn comes. */
export const PREFETCH_MAX_BYTES = 16 * 1024 * 1024;

/** The offset ingestObjects opens an object at (see ingestObjects: a compressed object is read whole). */
const offsetOf = (o: ObjectToRead) => (o.resume && !o.resume.compressed ? o.resume.offset : 0);

/**
 * Yields `objects` in order while up to `concurrency` of the next ones download in the background, so a
 * pass is bounded by the network or by ingest, whichever is slower, not by their sum. A small object is
 * held whole before it is parsed: a transfer that breaks fails its open() before any line is read (it is
 * never half-read), and the next pass retries it. Bodies of objects never reached (a stop) are destroyed.
 */
export async function* prefetch(
  objects: readonly ObjectToRead[],
  concurrency: number,
): AsyncGenerator<ObjectToRead, void, undefined> {
  const started: Promise<Readable>[] = [];
  const start = (i: number) => {
    const object = objects[i]!;
    const size = object.size ?? Infinity;
    const offset = offsetOf(object);
    if (size - offset > PREFETCH_MAX_BYTES) return; // streamed when reached
    const loading = object.open(offset).then(async (body) => {
      const chunks: Buffer[] = [];
      for await (const chunk of body) chunks.push(chunk as Buffer);
      return Readable.from(chunks, { objectMode: false });
    });
    loading.catch(() => undefined); // reported when the object is reached
    started[i] = loading;
  };
  let next = 0;
  try {
    for (let i = 0; i < objects.length; i++) {
      while (next < objects.length && next <= i + concurrency - 1) start(next++);
      const object = objects[i]!;
      const ready = started[i];
      delete started[i];
      yield ready === undefined
        ? object
        : {
            ...object,
            open: (offset: number) => (offset === offsetOf(object) ? ready : object.open(offset)),
          };
    }
  } finally {
    for (const loading of started)
      void loading?.then(
        (body) => body.destroy(),
        () => undefined,
      );
  }
}
