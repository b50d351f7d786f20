import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { getInvestigation, pinnedKeys } from '../store/casework.ts';
import { StoredEventReader } from '../store/exportRows.ts';
import { objectDetails } from '../store/objects.ts';
import type { SearchLimits } from '../store/budget.ts';
import { openDatabase } from '../store/open.ts';
import { SearchEngine } from '../store/search.ts';
import { ZipWriter } from './bundle.ts';
import { csvChunk, EVENT_CSV_COLUMNS } from './csv.ts';
import { CsvRows, HashedFile, writeEvents } from './eventFiles.ts';
import { ExportSummary } from './exportSummary.ts';
import { renderReport } from './html.ts';
import {
  CSV_FILE,
  EventHasher,
  HTML_FILE,
  INDEX_FILE,
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  NDJSON_FILE,
  PUBLIC_KEY_FILE,
  SIGNATURE_FILE,
  type Manifest,
  type ManifestFile,
  type ManifestSource,
} from './manifest.ts';
import type { Pseudonymizer } from './pseudonym.ts';
import type { SigningKey } from './signingKey.ts';

/** The normalised columns of the export's CSV (the raw JSON is in events.ndjson). */
export const CSV_COLUMNS = EVENT_CSV_COLUMNS;

export interface ExportOptions {
  readonly dbFile: string;
  /** A folder (created; must be empty if it exists) or a path ending in `.zip`. */
  readonly out: string;
  /** The query (empty = everything); ignored when `investigation` is given. */
  readonly query: string;
  /** Export this investigation's pinned events (with its searches and notes in the report). */
  readonly investigation: string | null;
  /** "Now" for `last:` (epoch ms). */
  readonly now: number;
  readonly bom: boolean;
  readonly pseudonymizer: Pseudonymizer | null;
  /** Rows shown in the HTML report. */
  readonly htmlRows: number;
  readonly key: SigningKey;
  readonly tool: { name: string; version: string };
  /** Called after each chunk of events, and once before zipping. */
  readonly onProgress?: (progress: ExportProgress) => void;
  /** Keys per chunk read from the database (memory per chunk ≈ this × an event). */
  readonly chunkRows?: number;
  /** What planning the query may cost (as for a search; ServiceOptions.searchLimits). */
  readonly searchLimits?: Partial<SearchLimits>;
}

export interface ExportProgress {
  phase: 'events' | 'zip';
  exported: number;
  total: number;
}

export interface ExportResult {
  out: string;
  zip: boolean;
  matched: number;
  exported: number;
  files: ManifestFile[];
  fingerprint: string;
  seconds: number;
}

/** The export's output already holds files: refusing to mix or overwrite evidence. */
export class ExportTargetError extends Error {
  override name = 'ExportTargetError';
}

/** The number of events written differs from the number the selection matched (should never happen). */
export class ExportCountError extends Error {
  override name = 'ExportCountError';
}

/** Where an export goes (a zip or a folder), refusing a target that holds something already. */
export function checkExportTarget(out: string): { zip: boolean; target: string } {
  const zip = out.toLowerCase().endsWith('.zip');
  const target = path.resolve(out);
  if (zip && fs.existsSync(target))
    throw new ExportTargetError(
      `${out} exists already. Choose a new file name (bundles are never overwritten).`,
    );
  if (
    !zip &&
    fs.existsSync(target) &&
    (!fs.statSync(target).isDirectory() || fs.readdirSync(target).length > 0)
  )
    throw new ExportTargetError(`${out} exists and is not an empty folder. Choose a new or empty folder.`);
  return { zip, target };
}

/**
 * Exports the events a query (or an investigation) selects: events.ndjson (the stored, redacted raw lines
 * in time order), events.csv, report.html, then manifest.json signed with the installation's key. Reads
 * one database snapshot on a connection of its own from start to end, so the count it reconciles with is
 * the count of what it wrote; streams chunk by chunk, so memory does not grow with the export.
 */
export async function runExport(options: ExportOptions): Promise<ExportResult> {
  const started = performance.now();
  const { zip, target } = checkExportTarget(options.out);
  const dir = zip ? `${target}.parts-${crypto.randomBytes(4).toString('hex')}` : target;
  fs.mkdirSync(dir, { recursive: true });
  // The events are read in key order, once: SQLite's page cache gains little past a few pages of a scan.
  const db = openDatabase(options.dbFile, { readonly: true, cacheMiB: 2 });
  let zipWriter: ZipWriter | null = null;
  try {
    // Like the query worker's connection: it cannot write, whatever runs on it.
    db.pragma('query_only = ON');
    // One read transaction for the whole export: every chunk and the count see the same snapshot.
    db.exec('BEGIN');
    const engine = new SearchEngine(db, {
      rawCacheBytes: 8 * 1024 * 1024,
      ...(options.searchLimits ? { limits: options.searchLimits } : {}),
    });
    const investigation = options.investigation === null ? null : getInvestigation(db, options.investigation);
    const chunkRows = options.chunkRows ?? 1024;
    let matched: number;
    let chunks: Iterable<ArrayLike<number>>;
    if (investigation !== null) {
      const keys = pinnedKeys(db, investigation.name);
      matched = keys.length;
      chunks = (function* () {
        for (let i = 0; i < keys.length; i += chunkRows) yield keys.slice(i, i + chunkRows);
      })();
    } else {
      matched = engine.count(options.query, options.now);
      chunks = engine.keysAscending(options.query, options.now, chunkRows);
    }

    const pseudo = options.pseudonymizer;
    // The time of the snapshot the export reads; also the zip entries' time (they are written as it runs).
    const createdAt = new Date().toISOString();
    // A bundle's events.ndjson goes into the zip as it is made (deflated while the next events are read):
    // the first entry, so it flows at once. The other files are written beside it and added after it.
    zipWriter = zip ? new ZipWriter(target, new Date(createdAt)) : null;
    const ndjson =
      zipWriter === null
        ? HashedFile.inFolder(dir, NDJSON_FILE)
        : new HashedFile(NDJSON_FILE, zipWriter.stream(NDJSON_FILE));
    const index = HashedFile.inFolder(dir, INDEX_FILE);
    const csvFile = HashedFile.inFolder(dir, CSV_FILE);
    await csvFile.write(csvChunk([CSV_COLUMNS], options.bom));
    const reader = new StoredEventReader(db, engine.dict, engine.raw);
    const hasher = new EventHasher();
    const summary = new ExportSummary(reader, pseudo, options.htmlRows);
    const exported = await writeEvents(
      reader,
      chunks,
      pseudo,
      {
        ndjson: { file: ndjson, index, hasher },
        csv: { file: csvFile, rows: new CsvRows(reader, pseudo) },
        summary,
      },
      (n) => options.onProgress?.({ phase: 'events', exported: n, total: matched }),
    );
    // The rest (report, manifest, packing) needs no segment: ~19 MB at 1M events, 10× that at 10M.
    engine.releaseColumns();
    const files = [await ndjson.close(), await index.close(), await csvFile.close()];
    if (exported !== matched) {
      throw new ExportCountError(
        `The export wrote ${exported} events but the selection matches ${matched}; the output is incomplete. Run the export again.`,
      );
    }

    const sources: ManifestSource[] = summary.sources().map((o) => {
      const details = objectDetails(db, o.source, o.object);
      return {
        source: o.source,
        object: o.object,
        etag: details?.etag ?? null,
        size: details?.size ?? null,
        modified: details?.modified ?? null,
        bytesIngested: details?.bytesRead ?? 0,
        events: o.events,
        firstLine: o.firstLine,
        lastLine: o.lastLine,
      };
    });
    const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const selection: Manifest['selection'] = {
      query: investigation === null ? options.query : '',
      now: new Date(options.now).toISOString(),
      investigation:
        investigation === null
          ? null
          : {
              name: investigation.name,
              description: investigation.description,
              status: investigation.status,
              savedSearches: investigation.searches.map((s) => ({ name: s.name, query: s.query })),
              notes: investigation.noteList.map((n) => ({
                eventId: n.eventId,
                at: new Date(n.at).toISOString(),
                body: n.body,
              })),
            },
    };
    const html = HashedFile.inFolder(dir, HTML_FILE);
    await html.write(
      renderReport({
        title:
          investigation === null
            ? 'Audit Explorer export'
            : `Audit Explorer — investigation ${investigation.name}`,
        createdAt,
        timeZone,
        query: selection.query,
        now: selection.now,
        investigation: selection.investigation,
        matched,
        exported,
        first: summary.first,
        last: summary.last,
        pseudonymized: pseudo !== null,
        counts: summary.top(25),
        hours: summary.hourCounts(),
        rows: summary.rows,
        rowLimit: options.htmlRows,
        publicKeyFingerprint: options.key.fingerprint,
      }),
    );
    files.push(await html.close());

    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      version: 1,
      tool: options.tool,
      createdAt,
      timeZone,
      selection,
      counts: { matched, exported, byOutcome: summary.byOutcome() },
      redaction:
        'Values under secret-looking keys (password, secret, token, api key, authorization, credential, private key) were replaced by "[REDACTED]" before storage; the exports are made from the stored lines.',
      pseudonymization:
        pseudo === null
          ? null
          : {
              method: 'HMAC-SHA-256',
              fields: ['user', 'raw JSON string values equal to the user'],
              keyId: pseudo.keyId,
              note: 'user-<first 12 bytes of HMAC-SHA-256(key, user) in hex>; the key is not in this bundle.',
            },
      sources,
      files,
      events: hasher.finish(files[0]!.sha256),
      signature: {
        algorithm: 'Ed25519',
        publicKeyFile: PUBLIC_KEY_FILE,
        publicKeyFingerprint: options.key.fingerprint,
      },
    };
    const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8');
    fs.writeFileSync(path.join(dir, MANIFEST_FILE), manifestBytes);
    fs.writeFileSync(
      path.join(dir, SIGNATURE_FILE),
      crypto.sign(null, manifestBytes, options.key.privateKey).toString('base64') + '\n',
    );
    fs.writeFileSync(path.join(dir, PUBLIC_KEY_FILE), options.key.publicKeyPem);
    db.exec('COMMIT');

    if (zipWriter !== null) {
      options.onProgress?.({ phase: 'zip', exported, total: matched });
      for (const name of [INDEX_FILE, CSV_FILE, HTML_FILE, MANIFEST_FILE, SIGNATURE_FILE, PUBLIC_KEY_FILE])
        zipWriter.addFile(path.join(dir, name), name);
      await zipWriter.finish();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return {
      out: target,
      zip,
      matched,
      exported,
      files,
      fingerprint: options.key.fingerprint,
      seconds: (performance.now() - started) / 1000,
    };
  } catch (error) {
    await zipWriter?.abort();
    if (zip || fs.existsSync(dir)) fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  } finally {
    db.close();
  }
}
