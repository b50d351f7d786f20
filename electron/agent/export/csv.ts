import { stringify as stringifySync, type Options } from 'csv-stringify/sync';
import type { AuditEvent } from '../../../shared/event.ts';

/**
 * CSV for spreadsheets, in one place for every CSV the tool writes (`search --format csv`, `quarantine
 * --format csv`, exports): RFC 4180 quoting by csv-stringify, and formula injection neutralised.
 *
 * Audit lines are written by others: a user name or target beginning with `=`, `+`, `-`, `@`, a tab or a
 * carriage return is run as a formula by Excel, LibreOffice and Google Sheets when the file is opened
 * (OWASP "CSV injection"). Such a cell gets a leading apostrophe, which spreadsheets show as text; numbers
 * are left alone (a negative number is data, not a formula).
 */

/**
 * The normalised fields an event's CSV row lists, in order: exports' events.csv, and (with the raw line
 * after them) `search --format csv` and the CLI's tables.
 */
export const EVENT_CSV_COLUMNS = [
  'ts',
  'user',
  'entity',
  'action',
  'opType',
  'outcome',
  'status',
  'org',
  'target',
  'ip',
  'userAgent',
  'latencyMs',
  'txn',
  'format',
  'source',
  'object',
  'line',
  'id',
] as const satisfies readonly (keyof AuditEvent)[];

/** Cells starting with these are read as formulas by spreadsheets. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** The cell as text, with a formula-looking string prefixed by `'`. */
export function neutralizeFormula(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Cells arrive neutralised (strings); csv-stringify quotes them only where RFC 4180 requires it. */
function options(recordDelimiter: 'unix' | 'windows'): Options {
  return { record_delimiter: recordDelimiter };
}

/** One CSV record (no line ending) from cells: quoting and neutralisation as above. */
export function csvRecord(cells: readonly unknown[]): string {
  return stringifySync([cells.map(neutralizeFormula)], options('unix')).replace(/\n$/, '');
}

/** The line end of {@link csvChunk}'s records. */
export const CSV_ROW_END = '\r\n';

/** What makes csv-stringify quote a cell, with the options above: the delimiter, the quote, CR or LF. */
const QUOTED = /[",\r\n]/;

/**
 * One cell exactly as {@link csvChunk} writes it, for writers that assemble rows themselves so that they
 * can reuse the cells of repeated values (exports: csv-stringify's work per cell cost ~6 µs a row, most of
 * an export's time). Neutralised as above; a cell csv-stringify would quote goes through csv-stringify, a
 * cell without any of `QUOTED` it writes unchanged, so that one is not sent to it. Rows are the cells
 * joined by `,`, each ended by {@link CSV_ROW_END}.
 */
export function csvCell(value: unknown): string {
  const text = neutralizeFormula(value);
  if (!QUOTED.test(text)) return text;
  return stringifySync([[text]], options('windows')).slice(0, -CSV_ROW_END.length);
}

/**
 * CSV text for a chunk of records, for exports that stream chunk by chunk: RFC 4180 with CRLF line ends
 * (as the RFC and spreadsheets expect). `bom`: begin with a UTF-8 byte order mark, which Excel needs to
 * read UTF-8 — pass it for the first chunk only.
 */
export function csvChunk(records: readonly (readonly unknown[])[], bom = false): string {
  const text = stringifySync(
    records.map((cells) => cells.map(neutralizeFormula)),
    options('windows'),
  );
  // Added here: csv-stringify's sync API writes its `bom` only when there are no records.
  return bom ? `\ufeff${text}` : text;
}
