/** Number formatting and plain/Markdown tables. MB = 10^6 bytes throughout. */

export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function fmtMB(bytes: number): string {
  const mb = bytes / 1e6;
  return mb >= 100 ? mb.toFixed(0) : mb.toFixed(1);
}

export function fmtMs(ms: number): string {
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  return ms.toFixed(2);
}

export function fmtSec(ms: number): string {
  return `${(ms / 1000).toFixed(ms >= 100_000 ? 0 : 1)} s`;
}

export function fmtEvents(n: number): string {
  if (n >= 1e6 && n % 1e6 === 0) return `${n / 1e6}M`;
  if (n >= 1e3 && n % 1e3 === 0) return `${n / 1e3}k`;
  return fmtInt(n);
}

export function passMark(pass: boolean | null): string {
  return pass === null ? 'n/a' : pass ? 'PASS' : 'MISS';
}

export interface Table {
  head: string[];
  rows: string[][];
  /** Per column: right-align (numbers). */
  right?: boolean[];
}

export function textTable(t: Table, indent = '  '): string {
  const widths = t.head.map((h, i) => Math.max(h.length, ...t.rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    indent +
    cells
      .map((c, i) => (t.right?.[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(t.head), line(widths.map((w) => '-'.repeat(w))), ...t.rows.map(line)].join('\n');
}

function mdCell(s: string): string {
  return s.replaceAll('|', '\\|');
}

export function mdTable(t: Table): string {
  const sep = t.head.map((_, i) => (t.right?.[i] ? '---:' : '---'));
  return [t.head, sep, ...t.rows]
    .map((cells, k) => `| ${(k === 1 ? cells : cells.map(mdCell)).join(' | ')} |`)
    .join('\n');
}
