/** The result table's columns: which exist, which show by default, and the persisted choice. */
import type { AuditEvent } from '../api/types.ts';

export type ColumnKey =
  | 'ts'
  | 'user'
  | 'entity'
  | 'action'
  | 'opType'
  | 'outcome'
  | 'target'
  | 'source'
  | 'status'
  | 'org'
  | 'ip'
  | 'userAgent'
  | 'latencyMs'
  | 'txn'
  | 'format'
  | 'object'
  | 'line';

export interface ColumnDef {
  key: ColumnKey;
  label: string;
  /** A CSS grid track. */
  width: string;
  /** The track's minimum in rem, so the table scrolls sideways instead of squeezing columns unreadable. */
  min: number;
}

export const COLUMNS: readonly ColumnDef[] = [
  { key: 'ts', label: 'Time', width: '12.5rem', min: 12.5 },
  { key: 'user', label: 'User', width: 'minmax(8rem, 1.4fr)', min: 8 },
  { key: 'entity', label: 'Entity', width: 'minmax(5rem, 0.8fr)', min: 5 },
  { key: 'action', label: 'Action', width: 'minmax(8rem, 1.3fr)', min: 8 },
  { key: 'opType', label: 'Op', width: 'minmax(5rem, 0.7fr)', min: 5 },
  { key: 'outcome', label: 'Outcome', width: '6.5rem', min: 6.5 },
  { key: 'target', label: 'Target', width: 'minmax(6rem, 1fr)', min: 6 },
  { key: 'source', label: 'Source', width: 'minmax(5rem, 0.7fr)', min: 5 },
  { key: 'status', label: 'Status', width: '4.5rem', min: 4.5 },
  { key: 'org', label: 'Org', width: 'minmax(5rem, 0.7fr)', min: 5 },
  { key: 'ip', label: 'IP', width: '8rem', min: 8 },
  { key: 'userAgent', label: 'User agent', width: 'minmax(8rem, 1fr)', min: 8 },
  { key: 'latencyMs', label: 'Latency', width: '5.5rem', min: 5.5 },
  { key: 'txn', label: 'Txn', width: 'minmax(6rem, 0.8fr)', min: 6 },
  { key: 'format', label: 'Format', width: '6rem', min: 6 },
  { key: 'object', label: 'Object', width: 'minmax(8rem, 1fr)', min: 8 },
  { key: 'line', label: 'Line', width: '4.5rem', min: 4.5 },
];

export const DEFAULT_COLUMNS: readonly ColumnKey[] = [
  'ts',
  'user',
  'entity',
  'action',
  'opType',
  'outcome',
  'target',
  'source',
];

const STORAGE_KEY = 'audit-explorer.columns';

export function loadColumns(): ColumnKey[] {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as unknown;
    if (Array.isArray(saved)) {
      const known = saved.filter((k): k is ColumnKey => COLUMNS.some((c) => c.key === k));
      if (known.length > 0) return known;
    }
  } catch {
    // A corrupt entry falls back to the defaults.
  }
  return [...DEFAULT_COLUMNS];
}

export function saveColumns(keys: readonly ColumnKey[]): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(keys));
  } catch {
    // Storage full or disabled: the choice lasts for this page only.
  }
}

export function cellText(event: AuditEvent, key: ColumnKey): string {
  const v = event[key];
  if (v == null) return '';
  if (key === 'latencyMs') return `${v} ms`;
  return String(v);
}
