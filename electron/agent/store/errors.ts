/** The database was written by a newer Audit Explorer than this one. */
export class SchemaTooNewError extends Error {
  override name = 'SchemaTooNewError';
  readonly file: string;
  readonly found: number;
  readonly supported: number;

  constructor(file: string, found: number, supported: number) {
    super(
      `The database ${file} has schema version ${found}, written by a newer Audit Explorer; this version ` +
        `understands up to ${supported}. Update Audit Explorer, or point --db at another file.`,
    );
    this.file = file;
    this.found = found;
    this.supported = supported;
  }
}

/** The file exists but is not an Audit Explorer database (or not SQLite at all). */
export class NotOurDatabaseError extends Error {
  override name = 'NotOurDatabaseError';
  readonly file: string;

  constructor(file: string, options?: { cause?: unknown }) {
    super(
      `${file} is not an Audit Explorer database. Point --db (or AUDIT_EXPLORER_DB) at a new file or one ` +
        `Audit Explorer created.`,
      options,
    );
    this.file = file;
  }
}
