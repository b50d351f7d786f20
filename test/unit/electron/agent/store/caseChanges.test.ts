/**
 * A case's "last change" (the cases list sorts and words it) moves with every change to the case: its
 * description, its saved searches, an unpin and a reopening as well as creation, pins, notes and closing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import {
  addInvestigationSearches,
  addNote,
  addSavedSearch,
  closeInvestigation,
  createInvestigation,
  describeInvestigation,
  listInvestigations,
  removeInvestigationSearches,
  reopenInvestigation,
} from '../../../../../electron/agent/store/casework.ts';
import { openDatabase, type Db } from '../../../../../electron/agent/store/open.ts';

let dir: string;
let db: Db;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-case-changes-'));
  db = openDatabase(path.join(dir, 'audit.sqlite'));
});

afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const changedAt = () => listInvestigations(db)[0]!.changedAt;

test('describing, adding and removing searches, and reopening each move the last change', () => {
  addSavedSearch(db, {
    name: 'logins',
    query: 'action:login',
    from: null,
    to: null,
    columns: [],
    replace: false,
    now: 1,
  });
  createInvestigation(db, { name: 'INC-1', description: '', searches: [], now: 1000 });
  expect(changedAt()).toBe(1000);
  describeInvestigation(db, 'INC-1', 'Who released project X?', 2000);
  expect(changedAt()).toBe(2000);
  addInvestigationSearches(db, 'INC-1', ['logins'], 3000);
  expect(changedAt()).toBe(3000);
  removeInvestigationSearches(db, 'INC-1', ['logins'], 4000);
  expect(changedAt()).toBe(4000);
  addNote(db, 'INC-1', 'checked the gateway', null, 5000);
  expect(changedAt()).toBe(5000);
  closeInvestigation(db, 'INC-1', 6000);
  expect(changedAt()).toBe(6000);
  reopenInvestigation(db, 'INC-1', 7000);
  expect(listInvestigations(db)[0]).toMatchObject({ status: 'open', closedAt: null, changedAt: 7000 });
});

test('a refused change moves nothing', () => {
  createInvestigation(db, { name: 'INC-2', description: 'scope', searches: [], now: 1000 });
  closeInvestigation(db, 'INC-2', 2000);
  expect(() => describeInvestigation(db, 'INC-2', 'changed', 3000)).toThrow(/closed/);
  expect(listInvestigations(db)[0]).toMatchObject({ description: 'scope', changedAt: 2000 });
});
