import fs from 'node:fs';
import path from 'node:path';
import type { ObjectToRead } from './ingestObjects.ts';

/** Read buffer per file: large reads keep syscalls out of the profile. */
const READ_CHUNK = 1024 * 1024;

/** A path given to `ingest` that cannot be read at all. */
export class PathNotFoundError extends Error {
  override name = 'PathNotFoundError';
}

/**
 * The files under the given paths (files as they are, folders recursively, hidden entries skipped),
 * sorted by path so runs are repeatable. Throws {@link PathNotFoundError} for a path that does not exist.
 */
export function listFiles(paths: readonly string[]): ObjectToRead[] {
  const files: ObjectToRead[] = [];
  for (const given of paths) {
    const absolute = path.resolve(given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch {
      throw new PathNotFoundError(`${given} does not exist. Give files or folders of NDJSON (.gz is fine).`);
    }
    if (stat.isDirectory()) walk(absolute, files);
    else files.push(fileObject(absolute, stat));
  }
  // A file named twice (or inside a folder also given) is one object, read once.
  const unique = [...new Map(files.map((f) => [f.key, f])).values()];
  unique.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return unique;
}

function walk(dir: string, out: ObjectToRead[]): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.isFile()) out.push(fileObject(full, fs.statSync(full)));
  }
}

function fileObject(file: string, stat: fs.Stats): ObjectToRead {
  return {
    key: file,
    size: stat.size,
    modified: Math.floor(stat.mtimeMs),
    etag: `${stat.size}-${Math.floor(stat.mtimeMs)}`,
    open: async () => fs.createReadStream(file, { highWaterMark: READ_CHUNK }),
  };
}
