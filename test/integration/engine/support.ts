/**
 * Shared helpers for the engine's integration tests: a temp dir and a service per test, builders for lines
 * of each vendor format (so every test knows exactly what it ingested), and small readers.
 */
import { createHash, createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { AuditEventOut, MethodOutput } from '../../../shared/contract.ts';
import { createService, type AuditService } from '../../../electron/agent/service.ts';

/** The engine's clock in every test: 2024-04-01T12:00:00.000Z. */
export const FIXED_NOW = Date.UTC(2024, 3, 1, 12, 0, 0, 0);

export type IngestSummary = MethodOutput<'ingest.paths'>;

/** A fresh temp dir and a service on a database inside it. */
export interface Engine {
  readonly dir: string;
  readonly dbFile: string;
  readonly service: AuditService;
  /** Closes the service (once; later calls do nothing). */
  close(): Promise<void>;
  /** Closes the service (if still open) and deletes the dir. */
  dispose(): Promise<void>;
}

export function makeTempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ae-'));
}

export async function openEngine(dir = makeTempDir()): Promise<Engine> {
  const dbFile = path.join(dir, 'audit.sqlite');
  const service = await createService({ dbFile, now: () => FIXED_NOW, mergeBudgetMs: 10_000 });
  let closing: Promise<void> | null = null;
  const close = () => (closing ??= service.close());
  return {
    dir,
    dbFile,
    service,
    close,
    async dispose() {
      try {
        await close();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A database built once, which tests copy so that each gets its own temp dir and database. */
export interface Template {
  /** Where the template's data and database live (remove it in afterAll). */
  readonly dir: string;
  readonly dbFile: string;
}

/** Opens a service in `dir`, lets `build` fill it, and closes it (the WAL checkpointed into the file). */
export async function buildTemplate(build: (engine: Engine) => Promise<void>): Promise<Template> {
  const engine = await openEngine();
  await build(engine);
  await engine.close();
  return { dir: engine.dir, dbFile: engine.dbFile };
}

/** A service on a fresh copy of the template's database, in a temp dir of its own. */
export async function openCopy(template: Template): Promise<Engine> {
  const dir = makeTempDir();
  for (const suffix of ['', '-wal']) {
    const from = template.dbFile + suffix;
    if (fs.existsSync(from)) fs.copyFileSync(from, path.join(dir, `audit.sqlite${suffix}`));
  }
  return openEngine(dir);
}

/** Writes `lines` joined by `eol`, with a final `eol` unless `final` is false. Returns the absolute path. */
export function writeLines(
  file: string,
  lines: readonly (string | Buffer)[],
  options: { eol?: string; final?: boolean; bom?: boolean } = {},
): string {
  const eol = options.eol ?? '\n';
  const parts: Buffer[] = [];
  if (options.bom) parts.push(Buffer.from([0xef, 0xbb, 0xbf]));
  lines.forEach((line, i) => {
    parts.push(typeof line === 'string' ? Buffer.from(line, 'utf8') : line);
    if (i < lines.length - 1 || options.final !== false) parts.push(Buffer.from(eol, 'utf8'));
  });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, Buffer.concat(parts));
  return path.resolve(file);
}

/**
 * The event id of `line` in a database (a file, or an open handle): HMAC-SHA-256 under the database's
 * secret key of the first 16 bytes of SHA-256 of the line trimmed of whitespace and BOM, its first 16 bytes
 * in hex. Written here with node:crypto's own HMAC, independently of eventId.ts.
 */
export function eventIdOf(db: string | Database.Database, line: string): string {
  return createHmac('sha256', idKeyOf(db))
    .update(plainDigestOf(line))
    .digest()
    .subarray(0, 16)
    .toString('hex');
}

/** The first 16 bytes of an unkeyed SHA-256 of the trimmed line: what ids were before migration 0020. */
export function plainDigestOf(line: string): Buffer {
  const trimmed = line.replace(/^\uFEFF/, '').trim();
  return createHash('sha256').update(trimmed, 'utf8').digest().subarray(0, 16);
}

/** A database's event id key, read the way a test can: straight from its settings table. */
export function idKeyOf(db: string | Database.Database): Buffer {
  const handle = typeof db === 'string' ? new Database(db, { readonly: true }) : db;
  try {
    const hex = handle.prepare("SELECT value FROM settings WHERE key = 'event_id_key'").pluck().get();
    if (typeof hex !== 'string') throw new Error(`${handle.name} has no event id key`);
    return Buffer.from(hex, 'hex');
  } finally {
    if (handle !== db) handle.close();
  }
}

export interface ProphecyInput {
  ts: number | string;
  user: string;
  action: string;
  op?: string;
  code?: number;
  org?: string;
  params?: Record<string, unknown>;
  payload?: string;
  latency?: number;
}

/** A Prophecy user event line. */
export function prophecyLine(p: ProphecyInput): string {
  return JSON.stringify({
    opType: p.op ?? 'Query',
    createdAt: p.ts,
    nameHints: [p.action],
    userEmail: p.user,
    customerName: p.org ?? 'acme.example',
    responseCode: p.code ?? 200,
    requestParams: p.params ?? {},
    requestPayload: p.payload ?? '["_id","name"]',
    latencyInMillis: p.latency ?? 5,
  });
}

export interface GraviteeInput {
  ts: number;
  user: string;
  type: string;
  status?: 'SUCCESS' | 'FAILURE';
  target?: string;
  targetType?: string;
  ip?: string;
  ua?: string;
  txn?: string;
  org?: string;
  extra?: Record<string, unknown>;
}

/** A Gravitee AM audit line (Elasticsearch-style document). */
export function graviteeLine(g: GraviteeInput): string {
  return JSON.stringify({
    '@timestamp': new Date(g.ts).toISOString(),
    event_type: g.type,
    organizationId: g.org ?? 'DEFAULT',
    ...(g.txn === undefined ? {} : { transactionId: g.txn }),
    referenceType: 'DOMAIN',
    referenceId: 'acme',
    status: g.status ?? 'SUCCESS',
    accessPoint: { ipAddress: g.ip ?? '192.0.2.1', userAgent: g.ua ?? 'curl/8.5' },
    actor: { alternativeId: g.user, type: 'USER' },
    target: { alternativeId: g.target ?? g.user, type: g.targetType ?? 'USER' },
    ...g.extra,
  });
}

export interface DronahqInput {
  /** Epoch ms; null leaves `meta.time` out (an event without a time). */
  ts: number | null;
  user: string;
  eventId: string;
  level?: 'info' | 'error';
  action?: string;
  target?: string;
  org?: string;
  meta?: Record<string, unknown>;
}

/** A DronaHQ external-logger line. */
export function dronahqLine(d: DronahqInput): string {
  return JSON.stringify({
    level: d.level ?? 'info',
    msg: d.eventId.replaceAll('_', ' '),
    meta: {
      ...(d.ts === null ? {} : { time: d.ts }),
      'organization-id': d.org ?? 'DRONA5_Team1809',
      'user-email': d.user,
      'resource-name': d.target ?? 'Orders',
      'resource-action': d.action ?? 'save',
      'event-id': d.eventId,
      'user-agent': 'Mozilla/5.0',
      ...d.meta,
    },
  });
}

/** Ingests paths into the default `import` source (redaction on, formats detected). */
export function ingest(
  engine: Engine,
  paths: readonly string[],
  options: { source?: string; redact?: boolean; format?: string | null } = {},
): Promise<IngestSummary> {
  return engine.service['ingest.paths']({
    paths: [...paths],
    source: options.source ?? 'import',
    redact: options.redact ?? true,
    format: options.format ?? null,
  });
}

export async function count(engine: Engine, query: string): Promise<number> {
  return (await engine.service['events.count']({ query })).total;
}

/** Every matching event, page by page through `nextCursor`, in the order the engine returns them. */
export async function allPages(
  engine: Engine,
  query: string,
  limit = 1000,
): Promise<{ events: AuditEventOut[]; pages: number; totals: number[] }> {
  const events: AuditEventOut[] = [];
  const totals: number[] = [];
  let cursor: string | null = null;
  let pages = 0;
  for (;;) {
    const page = await engine.service['events.search']({
      query,
      limit,
      cursor,
      facets: false,
      histogram: false,
    });
    pages++;
    totals.push(page.total);
    events.push(...page.events);
    if (page.nextCursor === null) break;
    cursor = page.nextCursor;
    if (pages > 100_000) throw new Error('pagination does not end');
  }
  return { events, pages, totals };
}

/** Every quarantined line (up to 100k). */
export async function quarantine(engine: Engine): Promise<MethodOutput<'quarantine.list'>> {
  return engine.service['quarantine.list']({ limit: 100_000 });
}

/** How many items have each value of `key` (what a facet counts). */
export function tally<T>(items: readonly T[], key: (item: T) => string | null): Map<string | null, number> {
  const counts = new Map<string | null, number>();
  for (const item of items) {
    const k = key(item);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}
