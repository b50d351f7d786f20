import type { ErrorCode } from '../../../shared/contract.ts';
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
  /** A failure as data: its class name and the stable code describeError gave it on the thread. */
  | { type: 'error'; name: string; code: ErrorCode; message: string; column?: number };
