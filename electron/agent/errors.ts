import { ZodError } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../../shared/contract.ts';
import { QuerySyntaxError } from '../../shared/query/index.ts';
import { UnknownFormatError } from './ingest/formatConfig.ts';
import { ExportCountError, ExportTargetError } from './export/exporter.ts';
import { ExportCancelledError } from './export/cancelled.ts';
import { NotOnThisDoorError } from './export/exportsFolder.ts';
import { BundleOpenError, PinnedKeyError } from './export/verify.ts';
import { QueryTooCostlyError } from './store/budget.ts';
import { ConflictError, NotFoundError } from './store/casework.ts';
import { storeErrorCode } from './store/errors.ts';
import { QueryError } from './store/plan.ts';
import { RpcError } from './rpc/client.ts';
import { CancelledError, CursorError } from './store/search.ts';
import { SecretResolutionError } from './sources/secrets/secretStore.ts';
import { SourceConfigError, SourceNotFoundError } from './sync/errors.ts';

/** An error as it crosses a door (IPC, HTTP, the CLI): a stable code, a message, a column for queries. */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  column?: number;
}

/** Maps the engine's errors to stable codes; anything unexpected is `internal`. */
export function describeError(error: unknown): ErrorInfo {
  // Raised on another thread and already described there.
  if (error instanceof RpcError) {
    return {
      code: error.code,
      message: error.message,
      ...(error.column !== undefined ? { column: error.column } : {}),
    };
  }
  if (error instanceof CancelledError) return { code: 'cancelled', message: error.message };
  if (error instanceof QuerySyntaxError || error instanceof QueryError) {
    return { code: 'query_syntax', message: error.message, column: error.column };
  }
  if (error instanceof QueryTooCostlyError) {
    return {
      code: 'query_too_costly',
      message: error.message,
      ...(error.column ? { column: error.column } : {}),
    };
  }
  if (error instanceof ZodError) {
    // A check that states its own error code speaks for itself (an over-long query): no "Invalid input".
    for (const issue of error.issues) {
      const code: unknown = issue.code === 'custom' ? issue.params?.errorCode : undefined;
      if (isErrorCode(code)) return { code, message: issue.message };
    }
    const issues = error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
    return { code: 'bad_input', message: `Invalid input — ${issues}` };
  }
  if (
    error instanceof CursorError ||
    error instanceof UnknownFormatError ||
    error instanceof SourceConfigError ||
    error instanceof SecretResolutionError
  )
    return { code: 'bad_input', message: error.message };
  if (error instanceof NotFoundError || error instanceof BundleOpenError)
    return { code: 'not_found', message: error.message };
  if (error instanceof ConflictError || error instanceof ExportTargetError)
    return { code: 'conflict', message: error.message };
  if (error instanceof PinnedKeyError) return { code: 'bad_input', message: error.message };
  if (error instanceof ExportCountError) return { code: 'internal', message: error.message };
  if (error instanceof ExportCancelledError) return { code: 'cancelled', message: error.message };
  if (error instanceof NotOnThisDoorError) return { code: 'forbidden', message: error.message };
  if (error instanceof SourceNotFoundError) return { code: 'not_found', message: error.message };
  const storeCode = storeErrorCode(error);
  if (storeCode !== null) return { code: storeCode, message: (error as Error).message };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

function isErrorCode(value: unknown): value is ErrorCode {
  return (ERROR_CODES as readonly unknown[]).includes(value);
}
