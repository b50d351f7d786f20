import { ZodError } from 'zod';
import type { ErrorCode } from '../../shared/contract.ts';
import { QuerySyntaxError } from '../../shared/query/index.ts';
import { PathNotFoundError } from './ingest/files.ts';
import { UnknownFormatError } from './ingest/formatConfig.ts';
import { IngestError } from './ingest/runIngest.ts';
import { ExportCountError, ExportQueryError, ExportTargetError } from './export/exporter.ts';
import { BundleOpenError, PinnedKeyError } from './export/verify.ts';
import { ConflictError, NotFoundError } from './store/casework.ts';
import { NotOurDatabaseError, SchemaTooNewError } from './store/errors.ts';
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
  if (
    error instanceof PathNotFoundError ||
    error instanceof NotFoundError ||
    error instanceof BundleOpenError
  )
    return { code: 'not_found', message: error.message };
  if (error instanceof ConflictError || error instanceof ExportTargetError)
    return { code: 'conflict', message: error.message };
  if (error instanceof ExportQueryError) return { code: 'query_syntax', message: error.message };
  if (error instanceof PinnedKeyError) return { code: 'bad_input', message: error.message };
  if (error instanceof ExportCountError) return { code: 'internal', message: error.message };
  if (error instanceof IngestError) {
    const code: ErrorCode =
      error.name === 'PathNotFoundError'
        ? 'not_found'
        : error.name === 'UnknownFormatError'
          ? 'bad_input'
          : 'internal';
    return { code, message: error.message };
  }
  if (error instanceof SchemaTooNewError) return { code: 'schema_too_new', message: error.message };
  if (error instanceof NotOurDatabaseError) return { code: 'not_our_database', message: error.message };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}
