import { migration0010 } from './0010-initial.ts';
import { migration0020 } from './0020-keyed-event-ids.ts';
import { migration0030 } from './0030-quarantine-counts.ts';
import { migration0040 } from './0040-casework.ts';
import { migration0050 } from './0050-sync.ts';
import { migration0060 } from './0060-case-changes.ts';
import type { Migration } from './types.ts';

export type { Migration } from './types.ts';

/**
 * Every schema step, oldest first. Append only: a shipped migration never changes. Versions increase but
 * need not be contiguous (steps are numbered by tens, and branches reserve numbers): the runner applies
 * every step newer than the file's `user_version`, in this order.
 */
export const MIGRATIONS: readonly Migration[] = [
  migration0010,
  migration0020,
  migration0030,
  migration0040,
  migration0050,
  migration0060,
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
