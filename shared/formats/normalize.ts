import type { EventFields } from '../event.ts';
import { compileFormat } from './compile.ts';
import type { FormatSpec, JsonObject } from './spec.ts';

/**
 * Maps one parsed (and already redacted) line to the normalised fields with the given spec. Missing or
 * unusable values are null and `outcome` is `unknown`; it never throws for any JSON object. Returns a
 * new object each call. The spec is compiled on first use (see `compileFormat`).
 */
export function mapEvent(spec: FormatSpec, obj: JsonObject): EventFields {
  return compileFormat(spec).map(obj);
}
