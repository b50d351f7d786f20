/**
 * A local folder or a mounted volume (NFS, a Kubernetes PV) as a source. Exporters such as Gravitee AM's
 * file reporter append to a file and rotate it (rename, then a new file under the old name), so a file is
 * versioned by size + mtime + inode: the same inode grown is an append (the caller reads the tail from its
 * stored offset), a new inode under an old name is a new object.
 *
 * Keys are paths relative to the root, `/`-separated on every platform. Hidden entries (a name starting
 * with `.`, such as an exporter's temp file) and anything that is not a regular file (fifos, sockets,
 * devices) are skipped. A symlink is followed when it resolves to a regular file inside the root; links
 * to directories are not followed (no cycles, no escaping the root through a linked tree) and links that
 * leave the root are skipped.
 */
import type { BigIntStats, Dirent } from 'node:fs';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { addAbortSignal, Readable } from 'node:stream';
import type {
  ConnectionReport,
  ListOptions,
  ListPage,
  OpenedObject,
  OpenOptions,
  RemoteObject,
  Source,
} from './source.ts';
import { ObjectChangedError, PermanentSourceError, TransientSourceError } from './source.ts';

/** What a folder source needs from its configuration (shared/sourceConfig.ts `FolderSourceConfig`). */
export interface FolderSourceOptions {
  /** The source's name, for messages. */
  readonly name: string;
  /** The folder's absolute path. */
  readonly path: string;
}

const DEFAULT_PAGE_SIZE = 1000;
/** Bytes per read of an opened file. */
const READ_CHUNK = 256 * 1024;
/** Errors a flaky mount or a busy machine produces: worth another attempt later. */
const TRANSIENT_CODES = new Set([
  'EIO',
  'ESTALE',
  'ETIMEDOUT',
  'EAGAIN',
  'EBUSY',
  'EINTR',
  'ENOTCONN',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'EMFILE',
  'ENFILE',
]);

/** A walked entry waiting for its stat: only the entries of the requested page are stat-ed. */
interface Candidate {
  readonly key: string;
  readonly symlink: boolean;
}

export class FolderSource implements Source {
  readonly kind = 'folder' as const;
  readonly #name: string;
  readonly #root: string;

  constructor(options: FolderSourceOptions) {
    if (!path.isAbsolute(options.path))
      throw new PermanentSourceError(
        'bad_config',
        `Folder source '${options.name}': the path '${options.path}' is not absolute. Write the full path of the folder.`,
      );
    this.#name = options.name;
    this.#root = path.resolve(options.path);
  }

  /**
   * Lists regular files under the prefix in key order. A page token is the last key of the previous page,
   * so a listing resumes correctly even when files were added or removed between pages. Each page walks
   * the directory names again (cheap) but stats only the files it returns.
   */
  async list(options: ListOptions): Promise<ListPage> {
    const prefix = options.prefix ?? '';
    const pageSize = Math.max(1, options.pageSize ?? DEFAULT_PAGE_SIZE);
    options.signal?.throwIfAborted();
    const realRoot = await this.#realRoot();
    const startDir = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const startSegments = startDir === '' ? [] : this.#segments(startDir, 'prefix');

    const candidates: Candidate[] = [];
    await this.#walk(startSegments, candidates, options.signal);
    const after = options.pageToken;
    const wanted = candidates
      .filter((c) => c.key.startsWith(prefix) && (after === undefined || c.key > after))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

    const objects: RemoteObject[] = [];
    let index = 0;
    for (; index < wanted.length && objects.length < pageSize; index++) {
      options.signal?.throwIfAborted();
      const object = await this.#describe(wanted[index]!, realRoot);
      if (object) objects.push(object);
    }
    const last = objects.at(-1);
    return { objects, next: index < wanted.length && last ? last.key : null };
  }

  /**
   * Opens `key` from `offset` to its current end, after checking that it is still the listed file: same
   * inode, and at least as long as both the listed size and the offset. A file that grew since the listing
   * is read to its end as it is at read time (more than the listed size: the caller keeps complete lines).
   * The open descriptor pins the inode, so a file renamed or replaced while being read is read to the end
   * of the content it had; one truncated while being read fails the stream with {@link ObjectChangedError}.
   */
  async open(key: string, options: OpenOptions): Promise<OpenedObject> {
    const offset = options.offset ?? 0;
    const listed = parseVersion(options.version);
    options.signal?.throwIfAborted();
    const realRoot = await this.#realRoot();
    const file = path.join(this.#root, ...this.#segments(key, 'key'));

    let real: string;
    try {
      real = await fs.realpath(file);
    } catch (error) {
      if (codeOf(error) === 'ENOENT') throw new ObjectChangedError(key, { cause: error }); // removed or mid-rotation
      throw this.#fsError(error, `read ${file}`);
    }
    if (!isInside(realRoot, real)) throw new ObjectChangedError(key); // became a link out of the root

    let handle: fs.FileHandle;
    try {
      // O_NONBLOCK: if the name became a fifo since the listing, opening it must not wait for a writer
      // (the fstat below then refuses it); on a regular file the flag changes nothing.
      handle = await fs.open(real, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
    } catch (error) {
      if (codeOf(error) === 'ENOENT') throw new ObjectChangedError(key, { cause: error });
      throw this.#fsError(error, `read ${file}`);
    }
    try {
      const stat = await handle.stat({ bigint: true });
      if (
        !stat.isFile() ||
        stat.ino !== listed.inode ||
        stat.size < listed.size ||
        stat.size < BigInt(offset)
      )
        throw new ObjectChangedError(key);
    } catch (error) {
      await handle.close();
      throw error instanceof ObjectChangedError ? error : this.#fsError(error, `read ${file}`);
    }
    const body = Readable.from(readFrom(handle, offset, key), { objectMode: false });
    if (options.signal) addAbortSignal(options.signal, body);
    return { body, offset };
  }

  async test(options: { prefix?: string; signal?: AbortSignal } = {}): Promise<ConnectionReport> {
    const prefix = options.prefix ?? '';
    try {
      const page = await this.list({ prefix, pageSize: 5, signal: options.signal });
      const sample = page.objects.map((o) => o.key);
      const where = prefix ? ` under '${prefix}'` : '';
      if (sample.length === 0)
        return {
          ok: true,
          sample,
          message: `Reached folder ${this.#root}, but it has no files${where} yet. Check the path and prefix if the exporter writes elsewhere.`,
        };
      const count = page.next
        ? `${sample.length} or more files`
        : `${sample.length} file${sample.length === 1 ? '' : 's'}`;
      return {
        ok: true,
        sample,
        message: `Reached folder ${this.#root}: ${count}${where}, e.g. ${sample[0]}.`,
      };
    } catch (error) {
      if (error instanceof PermanentSourceError || error instanceof TransientSourceError)
        return { ok: false, sample: [], message: error.message };
      // A cancelled test is the caller's doing; anything else unexpected is still an answer to show.
      if (options.signal?.aborted || !(error instanceof Error)) throw error;
      return { ok: false, sample: [], message: `Could not list folder ${this.#root}: ${error.message}` };
    }
  }

  async close(): Promise<void> {
    // Nothing held between calls: each open owns its descriptor and closes it when its stream ends.
  }

  /** The root's real path (links resolved), failing permanently when it is missing or unreadable. */
  async #realRoot(): Promise<string> {
    let stat;
    try {
      stat = await fs.stat(this.#root);
    } catch (error) {
      if (codeOf(error) === 'ENOENT' || codeOf(error) === 'ENOTDIR')
        throw new PermanentSourceError(
          'not_found',
          `The folder ${this.#root} of folder source '${this.#name}' does not exist. Check the path, or mount the volume it is on.`,
          { cause: error },
        );
      throw this.#fsError(error, `open the folder ${this.#root}`);
    }
    if (!stat.isDirectory())
      throw new PermanentSourceError(
        'bad_config',
        `The path ${this.#root} of folder source '${this.#name}' is a file, not a folder. Point the source at the folder that holds the exports.`,
      );
    try {
      return await fs.realpath(this.#root);
    } catch (error) {
      throw this.#fsError(error, `open the folder ${this.#root}`);
    }
  }

  /** Collects the files and symlinks under `segments` (relative to the root), skipping hidden entries. */
  async #walk(
    segments: readonly string[],
    into: Candidate[],
    signal: AbortSignal | undefined,
  ): Promise<void> {
    signal?.throwIfAborted();
    const dir = path.join(this.#root, ...segments);
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      // A folder removed (or replaced by a file) during the walk has nothing to list; an unreadable one
      // must not be skipped silently, or its files would never be synced without anyone knowing why.
      if (codeOf(error) === 'ENOENT' || codeOf(error) === 'ENOTDIR') return;
      throw this.#fsError(error, `list the folder ${dir}`);
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const child = [...segments, entry.name];
      if (entry.isDirectory()) await this.#walk(child, into, signal);
      else if (entry.isFile()) into.push({ key: child.join('/'), symlink: false });
      else if (entry.isSymbolicLink()) into.push({ key: child.join('/'), symlink: true });
    }
  }

  /** Stats one candidate; null when it vanished, is not a regular file, or is a link leaving the root. */
  async #describe(candidate: Candidate, realRoot: string): Promise<RemoteObject | null> {
    const file = path.join(this.#root, ...candidate.key.split('/'));
    let stat: BigIntStats;
    try {
      if (candidate.symlink && !isInside(realRoot, await fs.realpath(file))) return null;
      stat = await fs.stat(file, { bigint: true });
    } catch (error) {
      if (codeOf(error) === 'ENOENT' || codeOf(error) === 'ENOTDIR' || codeOf(error) === 'ELOOP') return null;
      throw this.#fsError(error, `read ${file}`);
    }
    if (!stat.isFile()) return null;
    return {
      key: candidate.key,
      size: Number(stat.size),
      modified: Number(stat.mtimeMs),
      version: formatVersion(stat),
      inode: Number(stat.ino),
    };
  }

  /** Splits a key or prefix into path segments, refusing anything that could leave the root. */
  #segments(key: string, what: 'key' | 'prefix'): string[] {
    const segments = key.split('/');
    if (segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\') || s.includes('\0')))
      throw new PermanentSourceError(
        'bad_config',
        `'${key}' is not a valid ${what} for folder source '${this.#name}': use a relative path with '/' between folders and no '.' or '..' parts.`,
      );
    return segments;
  }

  /** A file-system error as a source error: permission → permanent, mount hiccups → transient. */
  #fsError(error: unknown, doing: string): Error {
    const code = codeOf(error);
    if (code === 'EACCES' || code === 'EPERM')
      return new PermanentSourceError(
        'forbidden',
        `Permission denied trying to ${doing} (folder source '${this.#name}'). Give the user running Audit Explorer read access to it.`,
        { cause: error },
      );
    if (code && TRANSIENT_CODES.has(code))
      return new TransientSourceError(
        `Could not ${doing} (folder source '${this.#name}'): ${code}. It will be tried again.`,
        {
          cause: error,
        },
      );
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** `size-mtimeMs-inode`, with the mtime's full nanosecond precision as a decimal fraction of a millisecond. */
function formatVersion(stat: BigIntStats): string {
  const ms = stat.mtimeNs / 1_000_000n;
  const fraction = (stat.mtimeNs % 1_000_000n).toString().padStart(6, '0');
  return `${stat.size}-${ms}.${fraction}-${stat.ino}`;
}

function parseVersion(version: string): { size: bigint; inode: bigint } {
  const match = /^(\d+)-\d+(?:\.\d+)?-(\d+)$/.exec(version);
  if (!match) throw new TypeError(`'${version}' is not a folder source version (size-mtimeMs-inode).`);
  return { size: BigInt(match[1]!), inode: BigInt(match[2]!) };
}

/** Reads from `start` to the end of the file, then fails if the file shrank under the reader. */
async function* readFrom(handle: fs.FileHandle, start: number, key: string): AsyncGenerator<Buffer> {
  let position = start;
  try {
    for (;;) {
      const buffer = Buffer.allocUnsafe(READ_CHUNK);
      const { bytesRead } = await handle.read(buffer, 0, READ_CHUNK, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      yield bytesRead === READ_CHUNK ? buffer : Buffer.from(buffer.subarray(0, bytesRead));
    }
    // Truncated in place while we read (copytruncate rotation): what we read may mix two contents.
    if ((await handle.stat({ bigint: true })).size < BigInt(position)) throw new ObjectChangedError(key);
  } finally {
    await handle.close();
  }
}

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return (
    relative !== '' &&
    relative !== '..' &&
    !relative.startsWith(`..${path.sep}`) &&
    !path.isAbsolute(relative)
  );
}

function codeOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
