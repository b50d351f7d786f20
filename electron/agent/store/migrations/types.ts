import type Database from 'better-sqlite3';

/** One schema step. `version` is what `PRAGMA user_version` holds once it has run. */
export interface Migration {
  readonly version: number;
  /** One line: what changes and why. */
  readonly title: string;
  readonly up: (db: Database.Database) => void;
}
