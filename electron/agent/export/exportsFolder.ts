/**
 * The app's own exports folder (`exports/` beside the database, in the OS data folder by default): where
 * the door-safe `exports.create` writes, under names the server chooses, and the only place the doors
 * read exports from. A name from a caller is checked against {@link EXPORT_NAME_PATTERN} and looked up as
 * a plain file in this folder, so no caller can name a path; downloads go by one-time tickets.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  EXPORT_NAME_PATTERN,
  ExportFileSchema,
  type ExportFormat,
  type MethodOutput,
} from '../../../shared/contract.ts';
import { NotFoundError } from '../store/casework.ts';

export type ExportFile = MethodOutput<'exports.create'>;

/** The file extension of each format. */
export const EXPORT_EXTENSIONS: Record<ExportFormat, string> = {
  bundle: 'zip',
  ndjson: 'ndjson',
  csv: 'csv',
  html: 'html',
};

/** What a download is served as. */
export const EXPORT_CONTENT_TYPES: Record<string, string> = {
  zip: 'application/zip',
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

/** How long a download link works (ms): enough to click it, short enough that a leaked one is dead. */
export const DOWNLOAD_TTL_MS = 5 * 60_000;

/** The exports folder of a database: `exports/` beside it. */
export function exportsDirFor(dbFile: string): string {
  return path.join(path.dirname(path.resolve(dbFile)), 'exports');
}

/** A readable, file-name-safe word or few from the query or the case: `user-alice-acme-io`. */
export function exportSlug(text: string): string {
  const slug = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug === '' ? 'all-events' : slug;
}

/**
 * The words of a query worth naming a file after: without its time terms (`after:`, `before:`, `last:`),
 * which the UI's time range adds and the timestamp in the name already stands for.
 */
export function slugSource(query: string): string {
  return query.replace(/\b(?:after|before|last):(?:"[^"]*"|\S+)/gi, ' ');
}

/** `audit-export-20260307T140211Z-<slug>.<ext>` (UTC, to the second). */
export function exportFileName(at: number, slugText: string, format: ExportFormat, suffix = 0): string {
  const stamp = new Date(at)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  return `audit-export-${stamp}-${exportSlug(slugText)}${suffix > 0 ? `-${suffix + 1}` : ''}.${EXPORT_EXTENSIONS[format]}`;
}

/** A method the engine offers on one door only, called through another (or in process). */
export class NotOnThisDoorError extends Error {
  override name = 'NotOnThisDoorError';
}

/** An opened download: the file handle (read from it, then close it), its name, size and type. */
export interface OpenedDownload {
  readonly handle: fs.promises.FileHandle;
  readonly name: string;
  readonly bytes: number;
  readonly contentType: string;
}

const META_DIR = '.meta';
const STAGING_PREFIX = '.staging-';

export class ExportsFolder {
  readonly dir: string;
  private readonly tickets = new Map<string, { name: string; expiresAt: number }>();

  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }

  /**
   * A fresh private folder for one export's work (removed by {@link discard}); the export's files become
   * visible only when {@link commit} moves the finished one into place.
   */
  stage(): string {
    fs.mkdirSync(path.join(this.dir, META_DIR), { recursive: true });
    return fs.mkdtempSync(path.join(this.dir, STAGING_PREFIX));
  }

  discard(staging: string): void {
    fs.rmSync(staging, { recursive: true, force: true });
  }

  /**
   * Moves a finished file from the staging folder into the exports folder under the next free name for
   * `at` and `slugText`, and records what it is (the sidecar in `.meta/`); returns the record.
   */
  commit(
    produced: string,
    slugText: string,
    record: Omit<ExportFile, 'name' | 'bytes' | 'sha256'>,
    sha256: string,
  ): ExportFile {
    const bytes = fs.statSync(produced).size;
    for (let suffix = 0; ; suffix++) {
      const name = exportFileName(record.createdAt, slugText, record.format, suffix);
      const target = path.join(this.dir, name);
      // link + unlink, not rename: a link fails if the name is taken, so nothing is ever overwritten.
      try {
        fs.linkSync(produced, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST' && suffix < 1000) continue;
        throw error;
      }
      fs.unlinkSync(produced);
      const file: ExportFile = { ...record, name, bytes, sha256 };
      fs.writeFileSync(this.metaPath(name), JSON.stringify(file, null, 2) + '\n');
      return file;
    }
  }

  /** The exports this folder holds, newest first (files whose sidecar is missing or unreadable are left out). */
  list(limit: number): ExportFile[] {
    let names: string[];
    try {
      names = fs.readdirSync(path.join(this.dir, META_DIR));
    } catch {
      return [];
    }
    const files: ExportFile[] = [];
    for (const meta of names) {
      const name = meta.replace(/\.json$/, '');
      if (!EXPORT_NAME_PATTERN.test(name) || !this.isFile(name)) continue;
      try {
        const parsed = ExportFileSchema.safeParse(
          JSON.parse(fs.readFileSync(path.join(this.dir, META_DIR, meta), 'utf8')),
        );
        if (parsed.success && parsed.data.name === name) files.push(parsed.data);
      } catch {
        // A sidecar being written or damaged: not listed.
      }
    }
    files.sort((a, b) => b.createdAt - a.createdAt || b.name.localeCompare(a.name));
    return files.slice(0, limit);
  }

  /** Removes an export and its record; false when there was none of that name. */
  remove(name: string): boolean {
    const file = this.pathOf(name);
    const existed = this.isFile(name);
    fs.rmSync(file, { force: true });
    fs.rmSync(this.metaPath(name), { force: true });
    for (const [id, ticket] of this.tickets) if (ticket.name === name) this.tickets.delete(id);
    return existed;
  }

  /** The record of one export (not_found when there is none). */
  get(name: string): ExportFile {
    const found = this.list(Number.MAX_SAFE_INTEGER).find((f) => f.name === name);
    if (found === undefined) throw new NotFoundError(`There is no export named ${name}.`);
    return found;
  }

  /**
   * The path of an export in this folder. Throws not_found for anything that is not one of its names (a
   * caller's string is never joined to a path unchecked).
   */
  pathOf(name: string): string {
    if (!EXPORT_NAME_PATTERN.test(name))
      throw new NotFoundError(`There is no export named ${JSON.stringify(name)}.`);
    return path.join(this.dir, name);
  }

  /** A one-time download ticket: 128 random bits, valid for {@link DOWNLOAD_TTL_MS}. */
  ticket(name: string, now: number): { id: string; expiresAt: number } {
    this.get(name);
    this.sweep(now);
    const id = crypto.randomBytes(16).toString('base64url');
    const expiresAt = now + DOWNLOAD_TTL_MS;
    this.tickets.set(id, { name, expiresAt });
    return { id, expiresAt };
  }

  /**
   * Uses up a ticket and opens its file (no symbolic link followed, a regular file only); null for an
   * unknown, used or expired ticket, or a file gone meanwhile.
   */
  async redeem(id: string, now: number): Promise<OpenedDownload | null> {
    const ticket = this.tickets.get(id);
    if (ticket === undefined) return null;
    this.tickets.delete(id);
    if (ticket.expiresAt <= now) return null;
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(
        this.pathOf(ticket.name),
        fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0),
      );
    } catch {
      return null;
    }
    const stat = await handle.stat();
    if (!stat.isFile()) {
      await handle.close();
      return null;
    }
    const ext = path.extname(ticket.name).slice(1);
    return {
      handle,
      name: ticket.name,
      bytes: stat.size,
      contentType: EXPORT_CONTENT_TYPES[ext] ?? 'application/octet-stream',
    };
  }

  private sweep(now: number): void {
    for (const [id, ticket] of this.tickets) if (ticket.expiresAt <= now) this.tickets.delete(id);
  }

  private isFile(name: string): boolean {
    try {
      return fs.lstatSync(this.pathOf(name)).isFile();
    } catch {
      return false;
    }
  }

  private metaPath(name: string): string {
    return path.join(this.dir, META_DIR, `${name}.json`);
  }
}

/** SHA-256 of a file, streamed. */
export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
