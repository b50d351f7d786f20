/**
 * JSON paths as format specs write them, compiled once into getter functions so that the per-event cost
 * is a few property reads. Syntax: `meta.user-email` (dot-separated keys; any character but `.` and `[`
 * may appear in a key, so `@timestamp` and `user-email` need no quoting), `nameHints[0]` (array index),
 * `["event.action"]` (a JSON-quoted key, for keys that contain dots or brackets).
 */

import type { JsonObject } from './spec.ts';

/** One step of a path: an object key or an array index. */
export type PathSegment = string | number;

/** Reads one path from a parsed JSON object; `undefined` when any step is missing or not an object. */
export type Getter = (obj: JsonObject) => unknown;

/** A path that does not follow the syntax above; the message names the path and the column. */
export class PathSyntaxError extends Error {
  override name = 'PathSyntaxError';
}

function fail(path: string, index: number, problem: string): never {
  throw new PathSyntaxError(`Invalid path ${JSON.stringify(path)} at column ${index + 1}: ${problem}.`);
}

/** Splits a path into its segments, or throws {@link PathSyntaxError}. */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let i = 0;
  if (path.length === 0) fail(path, 0, 'the path is empty');
  while (i < path.length) {
    const c = path[i];
    if (c === '[') {
      const close = path.indexOf(']', i);
      if (path[i + 1] === '"') {
        let end = i + 2;
        while (end < path.length && path[end] !== '"') end += path[end] === '\\' ? 2 : 1;
        if (path[end + 1] !== ']') fail(path, i, 'a quoted key must be written ["key"]');
        let key: unknown;
        try {
          key = JSON.parse(path.slice(i + 1, end + 1));
        } catch {
          fail(path, i + 1, 'the quoted key is not a JSON string');
        }
        segments.push(key as string);
        i = end + 2;
      } else {
        const digits = close < 0 ? '' : path.slice(i + 1, close);
        if (!/^\d+$/.test(digits))
          fail(path, i, 'brackets hold an array index like [0] or a quoted key like ["a.b"]');
        segments.push(Number(digits));
        i = close + 1;
      }
      if (i < path.length && path[i] !== '.' && path[i] !== '[')
        fail(path, i, 'expected "." or "[" after "]"');
    } else if (c === '.') {
      if (segments.length === 0) fail(path, i, 'a path cannot start with "."');
      i++;
      if (i === path.length || path[i] === '.' || path[i] === '[') fail(path, i, 'expected a key after "."');
    }
    if (i < path.length && path[i] !== '[' && path[i] !== '.') {
      let end = i;
      while (end < path.length && path[end] !== '.' && path[end] !== '[') end++;
      segments.push(path.slice(i, end));
      i = end;
    }
  }
  return segments;
}

function step(value: unknown, key: PathSegment): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<PathSegment, unknown>)[key]
    : undefined;
}

/**
 * A getter for the segments. Paths of one to three steps (every built-in path) get a dedicated closure,
 * which V8 inlines; longer paths walk a loop.
 */
export function compileGetter(segments: readonly PathSegment[]): Getter {
  const [a, b, c] = segments;
  if (segments.length === 1 && a !== undefined) return (obj) => (obj as Record<PathSegment, unknown>)[a];
  if (segments.length === 2 && a !== undefined && b !== undefined) {
    return (obj) => step((obj as Record<PathSegment, unknown>)[a], b);
  }
  if (segments.length === 3 && a !== undefined && b !== undefined && c !== undefined) {
    return (obj) => step(step((obj as Record<PathSegment, unknown>)[a], b), c);
  }
  const all = [...segments];
  return (obj) => {
    let value: unknown = obj;
    for (let i = 0; i < all.length && value !== undefined; i++) value = step(value, all[i] as PathSegment);
    return value;
  };
}
