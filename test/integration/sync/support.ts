import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createService, type AuditService, type ServiceOptions } from '../../../electron/agent/service.ts';
import { MemorySecretStore } from '../../../electron/agent/sources/secrets/secretStore.ts';
import type { MethodOutput } from '../../../shared/contract.ts';

export type SyncPass = MethodOutput<'sync.run'>['sources'][number];

/** `n` distinct Prophecy lines (each its own user `${tag}-${i}@x.example`), each ending in a newline. */
export function lines(tag: string, n: number, from = 0): string {
  let out = '';
  for (let i = from; i < from + n; i++) {
    out +=
      JSON.stringify({
        opType: 'Query',
        createdAt: 1_700_000_000_000 + i * 1000,
        nameHints: ['login'],
        userEmail: `${tag}-${i}@x.example`,
        customerName: 'acme',
        responseCode: 200,
      }) + '\n';
  }
  return out;
}

export interface SyncEngine {
  readonly dir: string;
  readonly dbFile: string;
  readonly service: AuditService;
  readonly secrets: MemorySecretStore;
  /** Adds a source from a configuration object; returns its name. */
  add(config: Record<string, unknown>): Promise<string>;
  /** One pass of one source. */
  sync(name: string): Promise<SyncPass>;
  /** Every event's user, sorted (each test line has its own user: the event set, compared exactly). */
  users(query?: string): Promise<string[]>;
  count(query?: string): Promise<number>;
  dispose(): Promise<void>;
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ae-sync-'));
}

/** A service on a fresh database with a memory secret store; passes take objects at once (no settle time). */
export async function openSyncEngine(options: Partial<ServiceOptions> = {}): Promise<SyncEngine> {
  const dir = tempDir();
  const dbFile = path.join(dir, 'audit.sqlite');
  const secrets = new MemorySecretStore();
  const service = await createService({
    dbFile,
    mergeBudgetMs: 0,
    secrets,
    ...options,
    sync: { settleMs: 0, retryBaseMs: 0, ...options.sync },
  });
  let closed = false;
  const engine: SyncEngine = {
    dir,
    dbFile,
    service,
    secrets,
    async add(config) {
      return (await service['sources.add']({ config })).name;
    },
    async sync(name) {
      return (await service['sync.run']({ source: name })).sources[0]!;
    },
    async users(query = '') {
      const users: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await service['events.search']({
          query,
          limit: 1000,
          cursor,
          facets: false,
          histogram: false,
          raw: false,
        });
        for (const e of page.events) users.push(e.user ?? '');
        cursor = page.nextCursor;
      } while (cursor !== null);
      return users.sort();
    },
    async count(query = '') {
      return (await service['events.count']({ query })).total;
    },
    async dispose() {
      if (!closed) await service.close();
      closed = true;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return engine;
}

/** The users `lines(tag, n, from)` writes, sorted like {@link SyncEngine.users}. */
export function usersOf(...sets: [tag: string, n: number, from?: number][]): string[] {
  const users: string[] = [];
  for (const [tag, n, from = 0] of sets)
    for (let i = from; i < from + n; i++) users.push(`${tag}-${i}@x.example`);
  return users.sort();
}
