import { dronahqFormat } from './dronahq.ts';
import { graviteeAmFormat } from './graviteeAm.ts';
import { prophecyFormat } from './prophecy.ts';
import type { FormatSpec } from './spec.ts';

/**
 * The built-in formats in detection order. When a line carries the detect keys of more than one format,
 * the first in this list wins; the order runs from the most vendor-specific keys (Prophecy's `nameHints`)
 * to the most generic (DronaHQ's winston-style `level`/`meta`).
 */
export const BUILTIN_FORMATS: readonly FormatSpec[] = Object.freeze([
  prophecyFormat,
  graviteeAmFormat,
  dronahqFormat,
]);

/** The format with this id (a source's pinned format), or null. */
export function findFormat(id: string, formats: readonly FormatSpec[] = BUILTIN_FORMATS): FormatSpec | null {
  return formats.find((format) => format.id === id) ?? null;
}
