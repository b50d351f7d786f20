import type { Db } from './open.ts';

/**
 * Dictionary-encoded event fields: each distinct value is stored once in `dict` and events hold its id.
 * Ids start at 1 per field; 0 (in segments) and NULL (in the events table) mean "no value". Only fields
 * with few distinct values belong here: target, ip and txn are nearly one value per event (140k distinct
 * targets in 1M events) and are stored as text.
 */
export const DICT_FIELDS = {
  format: 1,
  user: 2,
  entity: 3,
  action: 4,
  opType: 5,
  status: 6,
  org: 7,
  userAgent: 8,
} as const;
export type DictField = keyof typeof DICT_FIELDS;
export const DICT_FIELD_NAMES = Object.keys(DICT_FIELDS) as DictField[];

/**
 * Fields whose values are string values of the raw event, found by free text through `dict_fts` rather
 * than the events' full-text index (an event's text leaves out its values of these fields). Not `format`
 * or `entity`: those are derived, not words of the event.
 */
export const TEXT_DICT_FIELDS = ['user', 'action', 'opType', 'status', 'org', 'userAgent'] as const;
export type TextDictField = (typeof TEXT_DICT_FIELDS)[number];
const TEXT_DICT_CODES = new Set<number>(TEXT_DICT_FIELDS.map((f) => DICT_FIELDS[f]));

/** dict_fts rowid of a dictionary value. */
export function dictTextKey(field: number, id: number): number {
  return field * 2 ** 32 + id;
}

/** Case folding used for case-insensitive matches; the same function at write and query time. */
export function fold(value: string): string {
  return value.toLowerCase();
}

/**
 * Assigns ids on the writer connection. It caches the whole dictionary (it is small: distinct users,
 * actions, user agents...) and inserts new values inside the caller's transaction. If that transaction rolls
 * back, call {@link DictWriter.reload} so the cache forgets ids that were never committed.
 */
export class DictWriter {
  private readonly maps = new Map<number, Map<string, number>>();
  private readonly next = new Map<number, number>();
  private readonly db: Db;
  private readonly insert;
  private readonly insertText;

  constructor(db: Db) {
    this.db = db;
    this.insert = db.prepare('INSERT INTO dict (field, id, value, folded) VALUES (?, ?, ?, ?)');
    this.insertText = db.prepare('INSERT INTO dict_fts (rowid, value) VALUES (?, ?)');
    this.reload();
  }

  reload(): void {
    this.maps.clear();
    this.next.clear();
    for (const code of Object.values(DICT_FIELDS)) {
      this.maps.set(code, new Map());
      this.next.set(code, 1);
    }
    const rows = this.db.prepare('SELECT field, id, value FROM dict').raw().iterate() as Iterable<
      [number, number, string]
    >;
    for (const [field, id, value] of rows) {
      this.maps.get(field)?.set(value, id);
      if (id >= (this.next.get(field) ?? 1)) this.next.set(field, id + 1);
    }
  }

  /** The id of `value` in `field`, inserting it if new; null for null or empty values. */
  encode(field: number, value: string | null | undefined): number | null {
    if (value == null || value === '') return null;
    const map = this.maps.get(field)!;
    let id = map.get(value);
    if (id === undefined) {
      id = this.next.get(field)!;
      this.insert.run(field, id, value, fold(value));
      if (TEXT_DICT_CODES.has(field)) this.insertText.run(dictTextKey(field, id), value);
      map.set(value, id);
      this.next.set(field, id + 1);
    }
    return id;
  }
}

/**
 * Reads values back by id and resolves query values to ids, on a reading connection. Lookups by id are
 * cached per field and refreshed when an unknown id shows up (the writer added values since).
 */
export class DictReader {
  private readonly values = new Map<number, (string | undefined)[]>();
  private readonly byId;
  private readonly byFolded;
  private readonly byFoldedPrefix;
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
    this.byId = db.prepare('SELECT id, value FROM dict WHERE field = ? AND id >= ?').raw();
    this.byFolded = db.prepare('SELECT id FROM dict WHERE field = ? AND folded = ?').pluck();
    this.byFoldedPrefix = db
      .prepare('SELECT id FROM dict WHERE field = ? AND folded >= ? AND folded < ?')
      .pluck();
  }

  /** The value of `id` in `field`, or null for 0/null. */
  value(field: number, id: number | null | undefined): string | null {
    if (!id) return null;
    let list = this.values.get(field);
    if (list === undefined) {
      list = [];
      this.values.set(field, list);
    }
    if (id >= list.length || list[id] === undefined) {
      for (const [newId, value] of this.byId.all(field, list.length) as [number, string][])
        list[newId] = value;
    }
    return list[id] ?? null;
  }

  /** Every id whose value equals `value` ignoring case (`Alice@x` and `alice@x` may both exist). */
  idsEqual(field: number, value: string): number[] {
    return this.byFolded.all(field, fold(value)) as number[];
  }

  /** Every id whose value starts with `prefix` ignoring case. */
  idsWithPrefix(field: number, prefix: string): number[] {
    const lo = fold(prefix);
    return this.byFoldedPrefix.all(field, lo, lo + '\u{10FFFF}') as number[];
  }

  /** The number of ids `field` has so far (the size a per-id counting array needs). */
  size(field: number): number {
    return (
      (this.db
        .prepare('SELECT coalesce(max(id), 0) + 1 FROM dict WHERE field = ?')
        .pluck()
        .get(field) as number) ?? 1
    );
  }
}
