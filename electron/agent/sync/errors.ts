// The sync's domain errors, in a module of their own with no imports: errors.ts maps them to codes, and
// every thread imports errors.ts — importing them from the sync modules would load the cloud SDKs into
// each worker's heap.

/** The configuration is not valid; the message lists each field with what to write. */
export class SourceConfigError extends Error {
  override name = 'SourceConfigError';
}

/** No configured source by that name. */
export class SourceNotFoundError extends Error {
  override name = 'SourceNotFoundError';
}
