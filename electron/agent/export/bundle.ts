import fs from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import yazl from 'yazl';

/**
 * Packs files of `dir` into the zip `out`, streaming each file (memory does not depend on their size).
 * Written to a temporary name and renamed, so `out` is either complete or absent. Deflate level 1: the
 * NDJSON and CSV still shrink several times, at a fraction of the default level's time.
 */
export async function writeZip(
  dir: string,
  names: readonly string[],
  out: string,
  mtime: Date,
): Promise<void> {
  const zip = new yazl.ZipFile();
  const partial = `${out}.partial`;
  const file = fs.createWriteStream(partial);
  zip.outputStream.pipe(file);
  for (const name of names) zip.addFile(path.join(dir, name), name, { mtime, compressionLevel: 1 });
  zip.end();
  try {
    await finished(file);
    fs.renameSync(partial, out);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
}
