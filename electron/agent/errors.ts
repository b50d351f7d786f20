import { ZodError } from 'zod';
import type { ErrorCode } from '../../shared/contract.ts';
import { QuerySyntaxError } from '../../shared/query/index.ts';
import { UnknownFormatError } from './ingest/formatConfig.ts';
import { IngestError } from './ingest/runIngest.ts';
import { WriterError } from './ingest/writerClient.ts';
import {
  DatabaseDamagedError,
  DatabaseIsFolderError,
  DatabaseMissingError,
  DatabaseReadOnlyError,
  DiskFullError,
  NotOurDatabaseError,
  SchemaTooNewError,
} from './store/errors.ts';
import { QueryError } from './store/plan.ts';
import { CursorError } from './store/search.ts';

/** An error as it crosses a door (IPC, HTTP, the CLI): a stable code, a message, a column for queries. */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  column?: number;
}

/** Maps the engine's errors to stable codes; anything unexpected is `internal`. */
export function describeError(error: unknown): ErrorInfo {
  if (error instanceof QuerySyntaxError || error instanceof QueryError) {
    return { code: 'query_syntax', message: error.message, column: error.column };
  }
  if (error instanceof ZodError) {
    const issues = error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
    return { code: 'bad_input', message: `Invalid input — ${issues}` };
  }
  if (error instanceof CursorError || error instanceof UnknownFormatError)
    return { code: 'bad_input', message: error.message };
  if (error instanceof DatabaseMissingError) return { code: 'not_found', message: error.message };
  // Errors from another thread carry the code they were given there.
  if (error instanceof IngestError || error instanceof WriterError)
    return { code: error.code, message: error.message };
  if (error instanceof SchemaTooNewError) return { code: 'schema_too_new', message: error.message };
  if (error instanceof NotOurDatabaseError) return { code: 'not_our_database', message: error.message };
  if (error instanceof DatabaseReadOnlyError) return { code: 'read_only', message: error.message };
  if (error instanceof DatabaseIsFolderError) return { code: 'db_is_folder', message: error.message };
  if (error instanceof DiskFullError) return { code: 'disk_full', message: error.message };
  if (error instanceof DatabaseDamagedError) return { code: 'database_damaged', message: error.message };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}
