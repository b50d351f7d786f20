/** Storage faults reach every door as stable codes with their own messages (issue 7, item 4). */
import { describe, expect, test } from 'vitest';
import { ERROR_CODES } from '../../../../shared/contract.ts';
import { describeError } from '../../../../electron/agent/errors.ts';
import { RpcError } from '../../../../electron/agent/rpc/client.ts';
import {
  DatabaseDamagedError,
  DatabaseIsFolderError,
  DatabaseReadOnlyError,
  DiskFullError,
  NotOurDatabaseError,
  StoreCorruptError,
  storageFault,
} from '../../../../electron/agent/store/errors.ts';

/** A SQLite error as better-sqlite3 raises it: a message and an extended result code. */
function sqliteError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('storage faults', () => {
  test.each([
    [new DatabaseReadOnlyError('/d/a.db', { mode: 'write' }), 'read_only'],
    [new DatabaseIsFolderError('/d'), 'db_is_folder'],
    [new DiskFullError('/d/a.db'), 'disk_full'],
    [new DatabaseDamagedError('/d/a.db', 'it is truncated'), 'database_damaged'],
    [new NotOurDatabaseError('/d/a.db'), 'not_our_database'],
  ] as const)('%s maps to %s', (error, code) => {
    expect(ERROR_CODES).toContain(code);
    expect(describeError(error)).toEqual({ code, message: error.message });
  });

  test.each([
    ['SQLITE_FULL', DiskFullError],
    ['SQLITE_CORRUPT', DatabaseDamagedError],
    ['SQLITE_CORRUPT_VTAB', DatabaseDamagedError],
    ['SQLITE_NOTADB', DatabaseDamagedError],
    ['SQLITE_IOERR_SHORT_READ', DatabaseDamagedError],
    ['SQLITE_READONLY', DatabaseReadOnlyError],
  ] as const)('SQLite %s becomes %s, naming the file', (code, type) => {
    const fault = storageFault(sqliteError(code, 'raw text'), '/d/a.db');
    expect(fault).toBeInstanceOf(type);
    expect((fault as Error).message).toContain('/d/a.db');
  });

  test('damage found by our own checks is "damaged"; other errors pass through unchanged', () => {
    expect(
      storageFault(new StoreCorruptError('column segment 3 has a bad header'), '/d/a.db'),
    ).toBeInstanceOf(DatabaseDamagedError);
    const other = sqliteError('SQLITE_CONSTRAINT', 'x');
    expect(storageFault(other, '/d/a.db')).toBe(other);
  });

  test('an error from the writer thread keeps the code it was given there', () => {
    const error = new RpcError({ name: 'DiskFullError', message: 'The disk is full.', code: 'disk_full' });
    expect(describeError(error)).toEqual({ code: 'disk_full', message: 'The disk is full.' });
    expect(describeError(new RpcError({ name: 'X', message: 'y', code: 'nonsense' })).code).toBe('internal');
  });
});
