import { compileFormat } from './compile.ts';
import { BUILTIN_FORMATS } from './registry.ts';
import type { FormatSpec, JsonObject } from './spec.ts';

/**
 * The format of one parsed line, by its keys: the first spec in `formats` one of whose `detect`
 * alternatives is fully present (keys missing or null do not count). List order settles lines that carry
 * the keys of several formats (see {@link BUILTIN_FORMATS} for the built-in order); null when none
 * matches. Specs are compiled on first use and cached, so a miss costs a handful of property reads.
 */
export function detectFormat(
  obj: JsonObject,
  formats: readonly FormatSpec[] = BUILTIN_FORMATS,
): FormatSpec | null {
  for (let i = 0; i < formats.length; i++) {
    const format = formats[i] as FormatSpec;
    if (compileFormat(format).detect(obj)) return format;
  }
  return null;
}
