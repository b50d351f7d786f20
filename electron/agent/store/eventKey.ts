/**
 * The events table's INTEGER PRIMARY KEY (`pos`) is derived from the event's time, so that key order is
 * time order everywhere: "newest first" is a descending key scan, a time range is a key range (for the
 * table, the column segments and the FTS5 index alike), and dedupe is a primary-key probe instead of a
 * separate hash index.
 *
 *   pos = (ts − EPOCH) · SLOTS + slot
 *
 * `slot` comes from the event id (its hash), so the same line always lands on the same key; distinct
 * events of the same millisecond that pick the same slot probe to the next free one (see `probeKey`).
 * Keys stay within ±2^53, exact in a JS number: timestamps between 1861 and 2139 are representable.
 * Events without a usable timestamp sort before every timed event, in a region of their own.
 */

/** 2000-01-01T00:00:00Z: centres the representable range on the timestamps audit logs carry. */
export const KEY_EPOCH_MS = 946_684_800_000;
/** Distinct keys per millisecond before a millisecond spills into the next one. */
export const SLOTS_PER_MS = 2048;
/** Keys of events without a timestamp: [UNTIMED_BASE, UNTIMED_BASE + UNTIMED_SPAN). */
export const UNTIMED_BASE = -Number.MAX_SAFE_INTEGER;
/** Room for untimed keys: 2^31 hash slots, and as much again for probing. */
export const UNTIMED_SPAN = 2 ** 32;
/**
 * |ts − KEY_EPOCH_MS| must stay below this for the key to be exact in a JS number, and timed keys must stay
 * above the untimed region.
 */
export const MAX_OFFSET_MS =
  Math.floor((Number.MAX_SAFE_INTEGER - UNTIMED_SPAN) / SLOTS_PER_MS) - SLOTS_PER_MS;
/** Every timed key is at least this. */
export const MIN_TIMED_KEY = -MAX_OFFSET_MS * SLOTS_PER_MS;

/** True when `ts` can be stored as a time (otherwise the event is stored with ts = null). */
export function isKeyableTime(ts: number | null): ts is number {
  return ts !== null && Number.isFinite(ts) && Math.abs(ts - KEY_EPOCH_MS) < MAX_OFFSET_MS;
}

/**
 * The key to try for an event on its `attempt`-th probe (0 = its preferred key). `hash` is the event id's
 * first bytes as an unsigned 32-bit integer. Probing wraps within the millisecond, so an event keeps its
 * own millisecond until all 2048 slots of it are taken; only then does it spill into the following
 * milliseconds' slots (it then orders, and filters at millisecond-exact bounds, as if a little later —
 * the stored `ts` stays exact).
 */
export function probeKey(ts: number | null, hash: number, attempt: number): number {
  if (!isKeyableTime(ts)) return UNTIMED_BASE + (hash >>> 1) + attempt;
  const base = (Math.floor(ts) - KEY_EPOCH_MS) * SLOTS_PER_MS;
  const slot = hash & (SLOTS_PER_MS - 1);
  return attempt < SLOTS_PER_MS ? base + ((slot + attempt) & (SLOTS_PER_MS - 1)) : base + attempt;
}

/** The smallest key of events at or after `ms` (an inclusive lower time bound). */
export function keyAtOrAfter(ms: number): number {
  return clampOffset(Math.ceil(ms) - KEY_EPOCH_MS) * SLOTS_PER_MS;
}

/** The epoch ms a timed key stands for (the millisecond it sorts under). */
export function keyTime(key: number): number {
  return Math.floor(key / SLOTS_PER_MS) + KEY_EPOCH_MS;
}

function clampOffset(offset: number): number {
  return Math.max(-MAX_OFFSET_MS, Math.min(MAX_OFFSET_MS, offset));
}
