import crypto from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { AuditEvent } from '../../../../../shared/event.ts';
import { csvCell, csvChunk, EVENT_CSV_COLUMNS } from '../../../../../electron/agent/export/csv.ts';
import { CsvRows } from '../../../../../electron/agent/export/eventFiles.ts';
import { Pseudonymizer } from '../../../../../electron/agent/export/pseudonym.ts';
import type { StoredEventReader, StoredRow } from '../../../../../electron/agent/store/exportRows.ts';

/** Values that spreadsheets or RFC 4180 treat specially, and plain ones. */
const TRICKY = [
  '',
  'plain',
  'a,b',
  'say "hi"',
  '"',
  'x\ny',
  'x\r\ny',
  'x\r',
  '=1+1',
  '+1',
  '-1',
  '@A1',
  '\tx',
  '\rx',
  ' lead and trail ',
  'ünïcödé ✓ 𝄞',
  "'quoted'",
  '=HYPERLINK("http://x","y"),z',
];

describe('csvCell', () => {
  test('each cell joined by commas is what csv-stringify writes for the record', () => {
    const records = [TRICKY, [...TRICKY].reverse(), [null, 7, -5, 0.5, 'x']];
    const joined = records.map((r) => r.map(csvCell).join(',') + '\r\n').join('');
    expect(joined).toBe(csvChunk(records));
  });
});

/**
 * A reader over a few dictionary values: ids index TRICKY (0 = none), objects come from TRICKY too.
 */
function fakeReader(): StoredEventReader {
  const value = (_field: string, id: number | null) => (id ? TRICKY[id % TRICKY.length]! : null);
  return {
    value,
    outcome: (code: number) => (['success', 'failure', 'unknown'] as const)[code] ?? 'unknown',
    object: (id: number) => ({ source: TRICKY[(id + 3) % TRICKY.length]!, key: TRICKY[id % TRICKY.length]! }),
  } as unknown as StoredEventReader;
}

function rowOf(i: number, ts: number | null): StoredRow {
  const text = (k: number) => (k % 4 === 0 ? null : TRICKY[(i + k) % TRICKY.length]!);
  const id = (k: number) => (k % 5 === 0 ? null : (i + k) % 40);
  return [
    i,
    ts,
    crypto.createHash('md5').update(String(i)).digest('hex'),
    i % 7,
    i + 1,
    id(1),
    id(2),
    id(3),
    id(4),
    id(6),
    i % 3,
    id(7),
    id(8),
    text(i + 1),
    text(i + 2),
    id(9),
    text(i + 3),
    i % 6 === 0 ? null : i * 37 - 500,
    0,
    i,
  ];
}

/** The record the exporter wrote before CsvRows: the event's columns, through csv-stringify. */
function oldRecord(reader: StoredEventReader, row: StoredRow, pseudo: Pseudonymizer | null): unknown[] {
  const f = (field: string, id: number | null) => reader.value(field as 'user', id);
  const event: Record<string, unknown> = {
    ts: row[1],
    id: row[2],
    source: reader.object(row[3]).source,
    object: reader.object(row[3]).key,
    line: row[4],
    format: f('format', row[5]) ?? 'unknown',
    user: pseudo ? pseudo.user(f('user', row[6])) : f('user', row[6]),
    entity: f('entity', row[7]),
    action: f('action', row[8]),
    opType: f('opType', row[9]),
    outcome: reader.outcome(row[10]),
    status: f('status', row[11]),
    org: f('org', row[12]),
    target: row[13],
    ip: row[14],
    userAgent: f('userAgent', row[15]),
    txn: row[16],
    latencyMs: row[17],
  } satisfies Record<keyof Omit<AuditEvent, 'raw'>, unknown>;
  return EVENT_CSV_COLUMNS.map((c) =>
    c === 'ts' ? (event.ts === null ? '' : new Date(event.ts as number).toISOString()) : event[c],
  );
}

describe('CsvRows', () => {
  const times = [
    null,
    0,
    -1,
    1,
    999,
    1000,
    1_704_067_199_999,
    1_704_067_200_000,
    1_704_067_200_123,
    1_704_067_200_123,
    -62_167_219_200_000,
    -62_167_219_200_001,
    253_402_300_799_999,
    253_402_300_800_000,
    8.64e15,
  ];

  test.each([false, true])('writes what csv-stringify wrote for the same events (pseudonyms: %s)', (p) => {
    const reader = fakeReader();
    const pseudo = p ? new Pseudonymizer(crypto.randomBytes(32)) : null;
    const rows = Array.from({ length: 300 }, (_, i) => rowOf(i, times[i % times.length]!));
    const csv = new CsvRows(reader, pseudo);
    // Two chunks, so cached cells are reused across them.
    const written = Buffer.concat([csv.bytes(rows.slice(0, 120)), csv.bytes(rows.slice(120))]).toString();
    expect(written).toBe(csvChunk(rows.map((r) => oldRecord(reader, r, pseudo))));
  });
});
