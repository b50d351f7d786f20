/**
 * An export stopped by its caller (the thread was ended; what it had written is the caller's to remove).
 * A module of its own without imports: errors.ts (loaded by every worker) names it.
 */
export class ExportCancelledError extends Error {
  override name = 'ExportCancelledError';
  constructor() {
    super('The export was cancelled; nothing was kept.');
  }
}
