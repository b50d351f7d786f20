import type { Db } from './open.ts';

/**
 * Saved searches, the query history and investigations (named cases with saved searches, pinned events
 * and Markdown notes). Writers run on the writer thread; readers on any connection. Names are unique
 * ignoring case, like source names.
 */

/** A name that is not there (a saved search, an investigation, an event id): the message says which. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** A request that conflicts with what is stored (a name already taken, a closed case changed). */
export class ConflictError extends Error {
  override name = 'ConflictError';
}

export interface SavedSearch {
  name: string;
  query: string;
  /** Epoch ms, inclusive, or null. */
  from: number | null;
  /** Epoch ms, exclusive, or null. */
  to: number | null;
  columns: string[];
  createdAt: number;
  updatedAt: number;
}

interface SavedRow {
  id: number;
  name: string;
  query: string;
  time_from: number | null;
  time_to: number | null;
  columns: string;
  created_at: number;
  updated_at: number;
}

const toSaved = (row: SavedRow): SavedSearch => ({
  name: row.name,
  query: row.query,
  from: row.time_from,
  to: row.time_to,
  columns: JSON.parse(row.columns) as string[],
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

function savedRow(db: Db, name: string): SavedRow {
  const row = db.prepare('SELECT * FROM saved_searches WHERE name = ?').get(name) as SavedRow | undefined;
  if (row === undefined)
    throw new NotFoundError(
      `There is no saved search named '${name}'. List them with: audit-explorer saved list`,
    );
  return row;
}

export function listSavedSearches(db: Db): SavedSearch[] {
  return (db.prepare('SELECT * FROM saved_searches ORDER BY name COLLATE NOCASE').all() as SavedRow[]).map(
    toSaved,
  );
}

export function getSavedSearch(db: Db, name: string): SavedSearch {
  return toSaved(savedRow(db, name));
}

export interface SavedSearchInput {
  name: string;
  query: string;
  from: number | null;
  to: number | null;
  columns: string[];
}

/** Saves a search; `replace` overwrites one of the same name instead of failing. */
export function addSavedSearch(
  db: Db,
  input: SavedSearchInput & { replace: boolean; now: number },
): SavedSearch {
  const existing = db.prepare('SELECT id FROM saved_searches WHERE name = ?').pluck().get(input.name);
  if (existing !== undefined && !input.replace)
    throw new ConflictError(
      `A saved search named '${input.name}' exists already. Choose another name, or replace it (--replace).`,
    );
  db.prepare(
    `INSERT INTO saved_searches (name, query, time_from, time_to, columns, created_at, updated_at)
     VALUES (:name, :query, :from, :to, :columns, :now, :now)
     ON CONFLICT (name) DO UPDATE SET query = excluded.query, time_from = excluded.time_from,
       time_to = excluded.time_to, columns = excluded.columns, updated_at = excluded.updated_at`,
  ).run({
    name: input.name,
    query: input.query,
    from: input.from,
    to: input.to,
    columns: JSON.stringify(input.columns),
    now: input.now,
  });
  return getSavedSearch(db, input.name);
}

export function renameSavedSearch(db: Db, name: string, newName: string, now: number): SavedSearch {
  const row = savedRow(db, name);
  const clash = db.prepare('SELECT id FROM saved_searches WHERE name = ?').pluck().get(newName) as
    number | undefined;
  if (clash !== undefined && clash !== row.id)
    throw new ConflictError(`A saved search named '${newName}' exists already. Choose another name.`);
  db.prepare('UPDATE saved_searches SET name = ?, updated_at = ? WHERE id = ?').run(newName, now, row.id);
  return getSavedSearch(db, newName);
}

export function removeSavedSearch(db: Db, name: string): void {
  const row = savedRow(db, name);
  db.prepare('DELETE FROM saved_searches WHERE id = ?').run(row.id);
}

/** The history keeps this many entries; older ones go as new ones arrive. */
export const HISTORY_LIMIT = 10_000;

/** Records a search that ran (an immediate repeat of the last query only updates its time and total). */
export function recordHistory(db: Db, query: string, total: number | null, at: number): void {
  db.transaction(() => {
    const last = db.prepare('SELECT id, query FROM query_history ORDER BY id DESC LIMIT 1').get() as
      { id: number; query: string } | undefined;
    if (last !== undefined && last.query === query) {
      db.prepare('UPDATE query_history SET total = ?, at = ? WHERE id = ?').run(total, at, last.id);
      return;
    }
    const id = Number(
      db.prepare('INSERT INTO query_history (query, total, at) VALUES (?, ?, ?)').run(query, total, at)
        .lastInsertRowid,
    );
    db.prepare('DELETE FROM query_history WHERE id <= ?').run(id - HISTORY_LIMIT);
  })();
}

export interface HistoryEntry {
  query: string;
  total: number | null;
  at: number;
}

/** The newest `limit` history entries whose query contains `text` (ignoring case), newest first. */
export function listHistory(db: Db, limit: number, text: string | null): HistoryEntry[] {
  // instr() on lower-cased text, not LIKE: the user's text is a literal, with no wildcards to escape.
  return db
    .prepare(
      `SELECT query, total, at FROM query_history
       WHERE :text IS NULL OR instr(lower(query), lower(:text)) > 0
       ORDER BY id DESC LIMIT :limit`,
    )
    .all({ text, limit }) as HistoryEntry[];
}

export interface InvestigationSummary {
  name: string;
  description: string;
  status: 'open' | 'closed';
  createdAt: number;
  closedAt: number | null;
  pinned: number;
  notes: number;
  /** The last change: created, closed, reopened, described, searches added or removed, the newest pin, unpin or note (epoch ms). */
  changedAt: number;
}

export interface InvestigationNote {
  eventId: string | null;
  body: string;
  at: number;
}

export interface InvestigationDetail extends InvestigationSummary {
  searches: SavedSearch[];
  /** The pinned events, in time order: id, key and when pinned. */
  pins: { eventId: string; pos: number; pinnedAt: number }[];
  noteList: InvestigationNote[];
}

interface CaseRow {
  id: number;
  name: string;
  description: string;
  status: 'open' | 'closed';
  created_at: number;
  closed_at: number | null;
  changed_at: number | null;
}

function caseRow(db: Db, name: string): CaseRow {
  const row = db.prepare('SELECT * FROM investigations WHERE name = ?').get(name) as CaseRow | undefined;
  if (row === undefined)
    throw new NotFoundError(
      `There is no investigation named '${name}'. List them with: audit-explorer investigation list`,
    );
  return row;
}

function openCase(db: Db, name: string): CaseRow {
  const row = caseRow(db, name);
  if (row.status === 'closed')
    throw new ConflictError(
      `The investigation '${row.name}' is closed; its description, searches, pins and notes no longer change. Reopen it first to change it.`,
    );
  return row;
}

/** Records that an open case changed at `now` (its searches, an unpin); answers the row as it is now. */
function touched(db: Db, row: CaseRow, now: number): CaseRow {
  db.prepare('UPDATE investigations SET changed_at = ? WHERE id = ?').run(now, row.id);
  return { ...row, changed_at: now };
}

function summary(db: Db, row: CaseRow): InvestigationSummary {
  const n = (sql: string) => db.prepare(sql).pluck().get(row.id) as number;
  return {
    name: row.name,
    description: row.description,
    status: row.status,
    createdAt: row.created_at,
    closedAt: row.closed_at,
    pinned: n('SELECT count(*) FROM pinned_events WHERE investigation_id = ?'),
    notes: n('SELECT count(*) FROM investigation_notes WHERE investigation_id = ?'),
    changedAt: Math.max(
      row.created_at,
      row.closed_at ?? 0,
      row.changed_at ?? 0,
      n('SELECT coalesce(max(pinned_at), 0) FROM pinned_events WHERE investigation_id = ?'),
      n('SELECT coalesce(max(at), 0) FROM investigation_notes WHERE investigation_id = ?'),
    ),
  };
}

export function listInvestigations(db: Db): InvestigationSummary[] {
  return (db.prepare('SELECT * FROM investigations ORDER BY created_at, id').all() as CaseRow[]).map((row) =>
    summary(db, row),
  );
}

export function getInvestigation(db: Db, name: string): InvestigationDetail {
  const row = caseRow(db, name);
  const searches = (
    db
      .prepare(
        `SELECT s.* FROM saved_searches s JOIN investigation_searches i ON i.saved_search_id = s.id
         WHERE i.investigation_id = ? ORDER BY s.name COLLATE NOCASE`,
      )
      .all(row.id) as SavedRow[]
  ).map(toSaved);
  const pins = (
    db
      .prepare('SELECT event_id, pos, pinned_at FROM pinned_events WHERE investigation_id = ? ORDER BY pos')
      .all(row.id) as { event_id: Uint8Array; pos: number; pinned_at: number }[]
  ).map((p) => ({ eventId: Buffer.from(p.event_id).toString('hex'), pos: p.pos, pinnedAt: p.pinned_at }));
  const noteList = (
    db
      .prepare('SELECT event_id, body, at FROM investigation_notes WHERE investigation_id = ? ORDER BY id')
      .all(row.id) as { event_id: Uint8Array | null; body: string; at: number }[]
  ).map((n) => ({
    eventId: n.event_id === null ? null : Buffer.from(n.event_id).toString('hex'),
    body: n.body,
    at: n.at,
  }));
  return { ...summary(db, row), searches, pins, noteList };
}

export function createInvestigation(
  db: Db,
  input: { name: string; description: string; searches: string[]; now: number },
): InvestigationSummary {
  return db.transaction(() => {
    if (db.prepare('SELECT id FROM investigations WHERE name = ?').get(input.name) !== undefined)
      throw new ConflictError(`An investigation named '${input.name}' exists already. Choose another name.`);
    const id = Number(
      db
        .prepare('INSERT INTO investigations (name, description, created_at) VALUES (?, ?, ?)')
        .run(input.name, input.description, input.now).lastInsertRowid,
    );
    for (const search of input.searches) linkSearch(db, id, search);
    return summary(db, caseRow(db, input.name));
  })();
}

function linkSearch(db: Db, caseId: number, search: string): void {
  const saved = savedRow(db, search);
  db.prepare(
    'INSERT OR IGNORE INTO investigation_searches (investigation_id, saved_search_id) VALUES (?, ?)',
  ).run(caseId, saved.id);
}

/** Adds saved searches to an open case. */
export function addInvestigationSearches(
  db: Db,
  name: string,
  searches: string[],
  now: number,
): InvestigationSummary {
  return db.transaction(() => {
    const row = openCase(db, name);
    for (const search of searches) linkSearch(db, row.id, search);
    return summary(db, touched(db, row, now));
  })();
}

/**
 * Takes saved searches out of an open case; the saved searches themselves stay. A name that is not in the
 * case is an error (nothing is removed), so a typo is not silently ignored.
 */
export function removeInvestigationSearches(
  db: Db,
  name: string,
  searches: string[],
  now: number,
): InvestigationSummary {
  return db.transaction(() => {
    const row = openCase(db, name);
    const unlink = db.prepare(
      'DELETE FROM investigation_searches WHERE investigation_id = ? AND saved_search_id = ?',
    );
    for (const search of searches) {
      const saved = savedRow(db, search);
      if (unlink.run(row.id, saved.id).changes === 0)
        throw new NotFoundError(
          `The saved search '${saved.name}' is not in '${row.name}'. See its searches with: audit-explorer investigation show '${row.name}'`,
        );
    }
    return summary(db, touched(db, row, now));
  })();
}

/** Replaces the description of an open case: a closed case is evidence as it was handed over. */
export function describeInvestigation(
  db: Db,
  name: string,
  description: string,
  now: number,
): InvestigationSummary {
  const row = openCase(db, name);
  db.prepare('UPDATE investigations SET description = ?, changed_at = ? WHERE id = ?').run(
    description,
    now,
    row.id,
  );
  return summary(db, caseRow(db, name));
}

/** The key of the event with this id (32 hex digits). */
function eventKey(db: Db, id: string): number {
  const hex = id.toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex))
    throw new ConflictError(`'${id}' is not an event id: ids are 32 hex digits (the id column of search).`);
  // A scan (ids have no index: see plan.ts); pinning is a human-speed action.
  const pos = db.prepare('SELECT pos FROM events WHERE id = ?').pluck().get(Buffer.from(hex, 'hex')) as
    number | undefined;
  if (pos === undefined)
    throw new NotFoundError(
      `No stored event has the id ${hex}. Find ids with: audit-explorer search QUERY --format csv`,
    );
  return pos;
}

/** Pins events (legal hold) to an open case; returns how many were newly pinned. */
export function pinEvents(db: Db, name: string, ids: string[], now: number): number {
  return db.transaction(() => {
    const row = openCase(db, name);
    const insert = db.prepare(
      'INSERT OR IGNORE INTO pinned_events (investigation_id, pos, event_id, pinned_at) VALUES (?, ?, ?, ?)',
    );
    let added = 0;
    for (const id of ids) {
      const pos = eventKey(db, id);
      added += insert.run(row.id, pos, Buffer.from(id.toLowerCase(), 'hex'), now).changes;
    }
    return added;
  })();
}

/** Unpins events from an open case (their hold ends unless another case pins them); returns how many. */
export function unpinEvents(db: Db, name: string, ids: string[], now: number): number {
  return db.transaction(() => {
    const row = openCase(db, name);
    const remove = db.prepare('DELETE FROM pinned_events WHERE investigation_id = ? AND event_id = ?');
    let removed = 0;
    for (const id of ids) {
      const n = remove.run(row.id, Buffer.from(id.toLowerCase(), 'hex')).changes;
      if (n === 0) throw new NotFoundError(`The event ${id} is not pinned to '${row.name}'.`);
      removed += n;
    }
    touched(db, row, now);
    return removed;
  })();
}

/** Adds a Markdown note to an open case, or to one of its pinned events. */
export function addNote(db: Db, name: string, body: string, eventId: string | null, now: number): void {
  db.transaction(() => {
    const row = openCase(db, name);
    let id: Buffer | null = null;
    if (eventId !== null) {
      id = Buffer.from(eventId.toLowerCase(), 'hex');
      const pinned = db
        .prepare('SELECT 1 FROM pinned_events WHERE investigation_id = ? AND event_id = ?')
        .get(row.id, id);
      if (pinned === undefined)
        throw new NotFoundError(
          `The event ${eventId} is not pinned to '${row.name}': pin it first (investigation pin), then note it.`,
        );
    }
    db.prepare(
      'INSERT INTO investigation_notes (investigation_id, event_id, body, at) VALUES (?, ?, ?, ?)',
    ).run(row.id, id, body, now);
  })();
}

/**
 * Closes a case: its pins, notes and searches no longer change. Its pinned events stay on legal hold — a
 * closed case is still evidence; unpin before closing to release them.
 */
export function closeInvestigation(db: Db, name: string, now: number): InvestigationSummary {
  const row = openCase(db, name);
  db.prepare("UPDATE investigations SET status = 'closed', closed_at = ? WHERE id = ?").run(now, row.id);
  return summary(db, caseRow(db, name));
}

/**
 * Reopens a closed case: it changes again, and `closedAt` is cleared (the case is no longer closed). Like
 * closing a closed case, reopening an open one is a conflict, not a silent no-op: the caller's picture of
 * the case is wrong.
 */
export function reopenInvestigation(db: Db, name: string, now: number): InvestigationSummary {
  const row = caseRow(db, name);
  if (row.status === 'open') throw new ConflictError(`The investigation '${row.name}' is open already.`);
  db.prepare("UPDATE investigations SET status = 'open', closed_at = NULL, changed_at = ? WHERE id = ?").run(
    now,
    row.id,
  );
  return summary(db, caseRow(db, name));
}

export interface EventCasework {
  name: string;
  status: 'open' | 'closed';
  pinnedAt: number;
  /** The case's notes on this event, oldest first. */
  notes: { body: string; at: number }[];
}

/** The investigations that pin this event (oldest case first), with their notes on it: the detail panel. */
export function investigationsForEvent(db: Db, id: string): EventCasework[] {
  const key = Buffer.from(id.toLowerCase(), 'hex');
  // pinned_events has no index on the id: a scan of a human-sized table (pins are made one by one).
  const rows = db
    .prepare(
      `SELECT i.id, i.name, i.status, p.pinned_at FROM pinned_events p
       JOIN investigations i ON i.id = p.investigation_id
       WHERE p.event_id = ? ORDER BY i.created_at, i.id`,
    )
    .all(key) as { id: number; name: string; status: 'open' | 'closed'; pinned_at: number }[];
  const notes = db.prepare(
    'SELECT body, at FROM investigation_notes WHERE investigation_id = ? AND event_id = ? ORDER BY id',
  );
  return rows.map((r) => ({
    name: r.name,
    status: r.status,
    pinnedAt: r.pinned_at,
    notes: notes.all(r.id, key) as { body: string; at: number }[],
  }));
}

/** The keys of an investigation's pinned events, ascending. */
export function pinnedKeys(db: Db, name: string): number[] {
  const row = caseRow(db, name);
  return db
    .prepare('SELECT pos FROM pinned_events WHERE investigation_id = ? ORDER BY pos')
    .pluck()
    .all(row.id) as number[];
}
