import fs from 'node:fs';
import path from 'node:path';
import type { ObjectToRead } from './ingestObjects.ts';

/** Read buffer per file: large reads keep syscalls out of the profile. */
const READ_CHUNK = 1024 * 1024;

/** Something under the given paths that is not read, and why (a sentence naming it). */
export interface PathNote {
  readonly path: string;
  readonly message: string;
}

/** What the given paths hold. */
export interface FileListing {
  /** The regular files to read, sorted by path. */
  readonly files: ObjectToRead[];
  /** Paths that could not be read at all (missing, unreadable folders): errors of the run. */
  readonly failed: PathNote[];
  /** Things passed over on purpose (FIFOs, links leaving a folder, empty folders): reported, not errors. */
  readonly skipped: PathNote[];
}

/**
 * The files under the given paths (files as they are, folders recursively, hidden entries skipped),
 * sorted by path so runs are repeatable. Nothing here stops the listing: a missing path is a failure of
 * its own while the others are read; a FIFO, socket or device is skipped (reading one would wait
 * forever); a link inside a folder is followed when it leads to a file inside that folder (keyed by
 * the file it leads to, so a file and a link to it are one object) and reported otherwise.
 */
export function listFiles(paths: readonly string[]): FileListing {
  const files: ObjectToRead[] = [];
  const failed: PathNote[] = [];
  const skipped: PathNote[] = [];
  for (const given of paths) {
    const absolute = path.resolve(given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch (error) {
      failed.push({ path: given, message: unreadable(given, error) });
      continue;
    }
    if (stat.isDirectory()) {
      const before = files.length;
      const root = realpathOrSelf(absolute);
      walk(absolute, root, { files, failed, skipped });
      if (files.length === before) skipped.push({ path: given, message: `no files found under ${given}` });
    } else if (stat.isFile()) files.push(fileObject(absolute, stat));
    else skipped.push({ path: given, message: notRegular(given, stat) });
  }
  // A file named twice (or inside a folder also given) is one object, read once.
  const unique = [...new Map(files.map((f) => [f.key, f])).values()];
  unique.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { files: unique, failed, skipped };
}

function walk(
  dir: string,
  root: string,
  out: { files: ObjectToRead[]; failed: PathNote[]; skipped: PathNote[] },
) {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    out.failed.push({ path: dir, message: unreadable(dir, error) });
    return;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, root, out);
    else if (entry.isFile()) out.files.push(fileObject(full, fs.statSync(full)));
    else if (entry.isSymbolicLink()) followLink(full, root, out);
    else out.skipped.push({ path: full, message: notRegular(full, fs.lstatSync(full)) });
  }
}

function followLink(link: string, root: string, out: { files: ObjectToRead[]; skipped: PathNote[] }) {
  let target: string;
  let stat: fs.Stats;
  try {
    target = fs.realpathSync(link);
    stat = fs.statSync(target);
  } catch {
    out.skipped.push({ path: link, message: `${link} is a broken link: skipped` });
    return;
  }
  const inside = target.startsWith(root + path.sep);
  if (!inside) {
    out.skipped.push({
      path: link,
      message: `${link} links outside the folder (to ${target}): not followed; give that path to import it`,
    });
  } else if (stat.isDirectory()) {
    // The folder it leads to is inside the walk already (or hidden on purpose); following could loop.
    out.skipped.push({ path: link, message: `${link} links to a folder (${target}): not followed` });
  } else if (stat.isFile()) out.files.push(fileObject(target, stat));
  else out.skipped.push({ path: link, message: notRegular(link, stat) });
}

function realpathOrSelf(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

function notRegular(file: string, stat: fs.Stats): string {
  const kind = stat.isFIFO()
    ? 'a FIFO (named pipe)'
    : stat.isSocket()
      ? 'a socket'
      : stat.isCharacterDevice() || stat.isBlockDevice()
        ? 'a device'
        : 'not a regular file';
  return `${file} is ${kind}, not a file: skipped`;
}

function unreadable(given: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return `${given} does not exist. Give files or folders of NDJSON (.gz is fine).`;
  if (code === 'EACCES' || code === 'EPERM') return `${given} cannot be read: permission denied.`;
  return `${given} cannot be read: ${(error as Error).message}`;
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
