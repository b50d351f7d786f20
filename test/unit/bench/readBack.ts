/**
 * An independent reader for generated corpora, used by the tests to re-count what the generator claims
 * in its truth: gzip by magic bytes (all members), BOM, CRLF, strict UTF-8, JSON objects of a known
 * format, duplicates by trimmed text. Deliberately shares no code with the generator.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export type Format = 'prophecy' | 'dronahq' | 'gravitee';

export interface ReadLine {
  file: string;
  /** 1-based. */
  line: number;
  kind: 'blank' | 'malformed' | 'valid';
  /** Decoded text without the line ending (and without a leading BOM). */
  text: string;
  obj?: Record<string, unknown>;
  format?: Format;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export function isGzip(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Every file under `dir`, relative, with '/' separators, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk('');
  return out.sort();
}

export function fileContent(abs: string): Buffer {
  const raw = fs.readFileSync(abs);
  return isGzip(raw) ? zlib.gunzipSync(raw) : raw;
}

export function detect(obj: Record<string, unknown>): Format | null {
  const isObj = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if ('opType' in obj && 'createdAt' in obj && Array.isArray(obj.nameHints) && 'userEmail' in obj)
    return 'prophecy';
  if ('level' in obj && 'msg' in obj && isObj(obj.meta) && 'event-id' in obj.meta) return 'dronahq';
  if ('level' in obj && 'message' in obj && 'timestamp' in obj && isObj(obj.meta) && 'event-id' in obj.meta) {
    return 'dronahq';
  }
  if (('@timestamp' in obj || 'timestamp' in obj) && ('event_type' in obj || 'type' in obj))
    return 'gravitee';
  return null;
}

/** Splits decompressed content into lines the way a reader does (a final unterminated line counts). */
export function readLines(file: string, content: Buffer): ReadLine[] {
  const out: ReadLine[] = [];
  let start = 0;
  let n = 0;
  while (start < content.length) {
    let end = content.indexOf(0x0a, start);
    const last = end === -1;
    if (last) end = content.length;
    let bytes = content.subarray(start, end);
    if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
    n++;
    out.push(classify(file, n, bytes));
    start = end + 1;
  }
  return out;
}

function classify(file: string, line: number, bytes: Buffer): ReadLine {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { file, line, kind: 'malformed', text: bytes.toString('latin1') };
  }
  if (line === 1 && text.startsWith('\uFEFF')) text = text.slice(1);
  if (text.trim() === '') return { file, line, kind: 'blank', text };
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    return { file, line, kind: 'malformed', text };
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
    return { file, line, kind: 'malformed', text };
  const format = detect(obj as Record<string, unknown>);
  if (!format) return { file, line, kind: 'malformed', text };
  return { file, line, kind: 'valid', text, obj: obj as Record<string, unknown>, format };
}

/** Python's json.dumps(obj) with default separators: how the vendors' samples are formatted. */
export function pyDumps(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(pyDumps).join(', ')}]`;
  if (typeof v === 'object' && v !== null) {
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}: ${pyDumps(x)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(v);
}

/** Every string value at any depth (what the full-text index covers). */
export function stringValues(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) stringValues(x, out);
  else if (typeof v === 'object' && v !== null) for (const x of Object.values(v)) stringValues(x, out);
  return out;
}

/** Tokens the way SQLite FTS5's unicode61 tokenizer splits them (letters and digits; lower case). */
export function tokens(s: string): string[] {
  return s
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t !== '');
}
