import {
  BUILTIN_FORMATS,
  createGenericFormat,
  findFormat,
  type FormatSpec,
  type GenericMapping,
} from '../../../shared/formats/index.ts';

/** How a source's lines are read, as data (format specs hold functions and cannot cross threads). */
export interface FormatConfig {
  /** Read every line as this format id instead of detecting per line. */
  readonly pinned?: string | null;
  /** The source's own mappings, tried before the built-in formats. */
  readonly generic?: readonly GenericMapping[];
}

/** A format id that names no built-in format and no mapping of the source. */
export class UnknownFormatError extends Error {
  override name = 'UnknownFormatError';
}

/** The specs to detect with, and the pinned one if any. */
export function resolveFormats(config: FormatConfig): { formats: FormatSpec[]; pinned: FormatSpec | null } {
  const formats = [...(config.generic ?? []).map((m) => createGenericFormat(m)), ...BUILTIN_FORMATS];
  if (config.pinned == null) return { formats, pinned: null };
  const pinned = findFormat(config.pinned, formats);
  if (pinned === null) {
    throw new UnknownFormatError(
      `Unknown format "${config.pinned}". Use one of: ${formats.map((f) => f.id).join(', ')}, or add a mapping.`,
    );
  }
  return { formats, pinned };
}
