import type { Readable } from 'node:stream';

/** Reads a byte stream to its end; rejects with the stream's error. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
