import type { ObjectInfo, SourceKind } from '../store/objects.ts';
import type { BatchResult, EventBatch } from '../store/writeBatch.ts';

/** The writer thread's methods: name → [arguments, result]. */
export interface WriterMethods {
  ensureSource: [{ name: string; kind: SourceKind }, number];
  beginObject: [{ sourceId: number; info: ObjectInfo; restart: boolean; compressed: boolean }, number];
  write: [EventBatch, BatchResult];
  close: [undefined, void];
}

export type WriterMethod = keyof WriterMethods;

export interface WriterRequest<M extends WriterMethod = WriterMethod> {
  seq: number;
  method: M;
  args: WriterMethods[M][0];
}

export type WriterReply =
  | { seq: number; ok: true; value: unknown }
  | { seq: number; ok: false; error: { name: string; message: string } };

export interface WriterData {
  file: string;
}
