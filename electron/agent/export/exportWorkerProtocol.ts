import type { ExportOptions, ExportResult } from './exporter.ts';

/** What an export is run with on its thread: the options that can cross a thread, keys as text. */
export interface ExportWorkerData {
  options: Omit<ExportOptions, 'key' | 'pseudonymizer' | 'onProgress'>;
  /** The signing key (PKCS#8 PEM). */
  privateKeyPem: string;
  /** The pseudonymisation key, hex; null = no pseudonymisation. */
  pseudonymKeyHex: string | null;
}

/**
 * The export thread's methods (over the engine's RPC helper, ../rpc/, like the writer, query and ingest
 * threads): `run` makes the export, reporting its ExportProgress as it goes; a failure crosses with its
 * stable code (conflict for a taken target, query_syntax, a storage fault's own code, internal).
 */
export type ExportMethods = {
  run: [ExportWorkerData, ExportResult];
};
