/** A tab-separated table as the vendor documents it: header names and data rows, cells verbatim. */
export interface TsvTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/**
 * Splits TSV text into a header and rows. Cells are not unquoted or trimmed: the vendor tables are plain
 * tab-separated text, and a lenient reading of any cell is the caller's business. Short rows are padded
 * with empty cells so every row has the header's width; blank lines are skipped.
 */
export function parseTsv(text: string): TsvTable {
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  const nonBlank = lines.filter((line) => line.length > 0);
  const header = (nonBlank[0] ?? '').split('\t');
  const rows = nonBlank.slice(1).map((line) => {
    const cells = line.split('\t');
    while (cells.length < header.length) cells.push('');
    return cells;
  });
  return { header, rows };
}
