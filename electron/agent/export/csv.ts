import { stringify, type Options, type Stringifier } from 'csv-stringify';
import { stringify as stringifySync } from 'csv-stringify/sync';

/**
 * CSV for spreadsheets, in one place for every CSV the tool writes (`search --format csv`, `quarantine
 * --format csv`, exports): RFC 4180 quoting by csv-stringify, and formula injection neutralised.
 *
 * Audit lines are written by others: a user name or target beginning with `=`, `+`, `-`, `@`, a tab or a
 * carriage return is run as a formula by Excel, LibreOffice and Google Sheets when the file is opened
 * (OWASP "CSV injection"). Such a cell gets a leading apostrophe, which spreadsheets show as text; numbers
 * are left alone (a negative number is data, not a formula).
 */

/** Cells starting with these are read as formulas by spreadsheets. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** The cell as text, with a formula-looking string prefixed by `'`. */
export function neutralizeFormula(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function options(recordDelimiter: 'unix' | 'windows', bom = false): Options {
  return {
    bom,
    record_delimiter: recordDelimiter,
    // Every value is a string by then (see neutralizeFormula): quote only when RFC 4180 requires it.
    cast: { string: (value) => neutralizeFormula(value) },
  };
}

/** One CSV record (no line ending) from cells: quoting and neutralisation as above. */
export function csvRecord(cells: readonly unknown[]): string {
  return stringifySync([cells.map(neutralizeFormula)], options('unix')).replace(/\n$/, '');
}

/**
 * A streaming CSV writer for exports: write arrays of cells, read RFC 4180 text (CRLF line ends, as the
 * RFC and spreadsheets expect). `bom`: start with a UTF-8 byte order mark, which Excel needs to read UTF-8.
 */
export function csvStream(header: readonly string[], bom: boolean): Stringifier {
  const stream = stringify(options('windows', bom));
  stream.write(header.map(String));
  return stream;
}

/** Turns a cell array into what {@link csvStream} expects (neutralised strings). */
export function csvCells(cells: readonly unknown[]): string[] {
  return cells.map(neutralizeFormula);
}
