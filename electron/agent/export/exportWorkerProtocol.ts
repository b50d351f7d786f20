import type { ExportOptions, ExportProgress, ExportResult } from './exporter.ts';

/** What the export thread is started with: the options that can cross a thread, keys as text. */
export interface ExportWorkerData {
  options: Omit<ExportOptions, 'key' | 'pseudonymizer' | 'onProgress'>;
  /** The signing key (PKCS#8 PEM). */
  privateKeyPem: string;
  /** The pseudonymisation key, hex; null = no pseudonymisation. */
  pseudonymKeyHex: string | null;
}

export type ExportWorkerMessage =
  | { type: 'progress'; progress: ExportProgress }
  | { type: 'done'; result: ExportResult }
  | { type: 'error'; name: string; message: string };
