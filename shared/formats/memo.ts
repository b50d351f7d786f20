/**
 * Memoises a pure function of a string. Vendor vocabularies (actions, entity types, event ids) have a few
 * hundred distinct values, so the hot path pays one `Map` lookup instead of recomputing; past `limit`
 * distinct keys results are computed without being stored, so hostile input cannot grow memory unbounded.
 */
export function memoize<T>(compute: (key: string) => T, limit = 10_000): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    const hit = cache.get(key);
    if (hit !== undefined || cache.has(key)) return hit as T;
    const value = compute(key);
    if (cache.size < limit) cache.set(key, value);
    return value;
  };
}
