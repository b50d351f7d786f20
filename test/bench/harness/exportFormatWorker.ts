/**
 * The thread of exportFormatChild.ts (bundled to plain JavaScript by it, as the export thread is): the
 * export's reading (one snapshot, chunks of 1,024 keys) into one output, posting its progress.
 */
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import {
  CsvRows,
  HashedFile,
  writeEvents,
  type EventOutputs,
} from '../../../electron/agent/export/eventFiles.ts';
import { CSV_FILE, EventHasher, INDEX_FILE, NDJSON_FILE } from '../../../electron/agent/export/manifest.ts';
import { StoredEventReader } from '../../../electron/agent/store/exportRows.ts';
import { openDatabase } from '../../../electron/agent/store/open.ts';
import { SearchEngine } from '../../../electron/agent/store/search.ts';
import type { ExportFormatParams } from './types.ts';

export type ExportFormatMessage = { exported: number; total: number } | { done: number };

async function exportOne(p: ExportFormatParams): Promise<void> {
  const db = openDatabase(p.dbFile, { readonly: true, cacheMiB: 2 });
  db.pragma('query_only = ON');
  db.exec('BEGIN');
  const engine = new SearchEngine(db, { rawCacheBytes: 8 * 1024 * 1024 });
  const now = Date.now();
  const total = engine.count('', now);
  const reader = new StoredEventReader(db, engine.dict, engine.raw);
  fs.mkdirSync(p.out, { recursive: true });
  const files: HashedFile[] = [];
  const file = (name: string) => {
    const f = HashedFile.inFolder(p.out, name);
    files.push(f);
    return f;
  };
  const out: EventOutputs =
    p.output === 'ndjson'
      ? { ndjson: { file: file(NDJSON_FILE), index: file(INDEX_FILE), hasher: new EventHasher() } }
      : { csv: { file: file(CSV_FILE), rows: new CsvRows(reader, null) } };
  const done = await writeEvents(reader, engine.keysAscending('', now, 1024), null, out, (exported) =>
    parentPort!.postMessage({ exported, total } satisfies ExportFormatMessage),
  );
  for (const f of files) await f.close();
  out.ndjson?.hasher.finish('');
  db.exec('COMMIT');
  db.close();
  parentPort!.postMessage({ done } satisfies ExportFormatMessage);
}

await exportOne(workerData as ExportFormatParams);
