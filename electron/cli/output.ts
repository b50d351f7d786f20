import type { AuditEvent } from '../../shared/event.ts';
import { csvRecord, EVENT_CSV_COLUMNS } from '../agent/export/csv.ts';

export { csvRecord };

/** The event fields in the order CSV and tables list them: the export's columns, then the raw line. */
export const EVENT_COLUMNS = [...EVENT_CSV_COLUMNS, 'raw'] as const;

/** `2024-03-04T09:15:27.301Z`, or an empty cell for events without a time. */
export function isoTime(ms: number | null): string {
  return ms === null ? '' : new Date(ms).toISOString();
}

export function csvHeader(): string {
  return csvRecord(EVENT_COLUMNS);
}

/** One event as a CSV record (RFC 4180, formula injection neutralised: see agent/export/csv.ts). */
export function csvRow(event: AuditEvent): string {
  return csvRecord(EVENT_COLUMNS.map((c) => (c === 'ts' ? isoTime(event.ts) : event[c])));
}

/** A compact table for terminals: fixed columns, the last (target) takes what is left. */
export function tableLines(events: readonly AuditEvent[], width: number): string[] {
  const columns: { title: string; width: number; value: (e: AuditEvent) => string }[] = [
    { title: 'TIME (UTC)', width: 24, value: (e) => isoTime(e.ts) || '(no time)' },
    { title: 'OUTCOME', width: 7, value: (e) => e.outcome },
    { title: 'USER', width: 28, value: (e) => e.user ?? '' },
    { title: 'ACTION', width: 26, value: (e) => e.action ?? '' },
    { title: 'ENTITY', width: 12, value: (e) => e.entity ?? '' },
    { title: 'TARGET', width: 0, value: (e) => e.target ?? '' },
  ];
  const fixed = columns.reduce((sum, c) => sum + c.width + 2, 0);
  const last = columns[columns.length - 1]!;
  last.width = Math.max(8, width - fixed);
  const render = (cells: string[]) =>
    cells
      .map((cell, i) => fit(cell, columns[i]!.width))
      .join('  ')
      .trimEnd();
  return [render(columns.map((c) => c.title)), ...events.map((e) => render(columns.map((c) => c.value(e))))];
}

/**
 * Makes text safe to print on a terminal: audit lines are written by others, and an escape sequence in a
 * user name could clear the screen, retitle the window or hide rows. Tabs and line breaks become spaces;
 * every other control character becomes U+FFFD.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\t\r\n]+/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '\ufffd');
}

function fit(text: string, width: number): string {
  const clean = printable(text);
  return clean.length > width ? clean.slice(0, width - 1) + '…' : clean.padEnd(width);
}

/** 1234567 → "1,234,567". */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** Bytes as "12.3 MB". */
export function bytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
