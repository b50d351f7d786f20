import type { Outcome } from '../../../shared/event.ts';
import { compressBlock } from '../store/rawBlocks.ts';
import {
  OUTCOME_CODES,
  type Checkpoint,
  type EventBatch,
  type QuarantineEntry,
} from '../store/writeBatch.ts';
import type { PreparedEvent } from './prepare.ts';

/** When a batch is handed to the writer: whichever limit is reached first. */
export interface BatchLimits {
  /** Events per transaction: larger is faster with FTS on (measured: 50k beats 10k by ~30%). */
  readonly maxEvents: number;
  /** Raw bytes per batch, bounding memory while lines are very long. */
  readonly maxBytes: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxEvents: 25_000, maxBytes: 12 * 1024 * 1024 };

const TEXT_FIELDS = [
  'user',
  'entity',
  'action',
  'opType',
  'status',
  'org',
  'target',
  'ip',
  'userAgent',
  'txn',
] as const;

/** Collects prepared events of one or more objects into the column layout the writer takes. */
export class BatchBuilder {
  private readonly limits: BatchLimits;
  private ids: Buffer[] = [];
  private ts: number[] = [];
  private latency: number[] = [];
  private outcome: number[] = [];
  private line: number[] = [];
  private object: number[] = [];
  private format: string[] = [];
  private texts: Record<(typeof TEXT_FIELDS)[number], (string | null)[]> = emptyTexts();
  private fts: string[] = [];
  private raws: string[] = [];
  private bytes = 0;
  private quarantine: QuarantineEntry[] = [];
  private checkpoints = new Map<number, Checkpoint>();

  constructor(limits: BatchLimits = DEFAULT_BATCH_LIMITS) {
    this.limits = limits;
  }

  get size(): number {
    return this.ids.length;
  }

  get full(): boolean {
    return this.ids.length >= this.limits.maxEvents || this.bytes >= this.limits.maxBytes;
  }

  /** True when there is nothing to write (no events, bad lines or progress). */
  get empty(): boolean {
    return this.ids.length === 0 && this.quarantine.length === 0 && this.checkpoints.size === 0;
  }

  add(objectId: number, lineNo: number, event: PreparedEvent): void {
    const f = event.fields;
    this.ids.push(event.id);
    this.ts.push(f.ts ?? NaN);
    this.latency.push(f.latencyMs ?? NaN);
    this.outcome.push(OUTCOME_CODES[f.outcome satisfies Outcome]);
    this.line.push(lineNo);
    this.object.push(objectId);
    this.format.push(event.format);
    for (const k of TEXT_FIELDS) this.texts[k].push(f[k]);
    this.fts.push(event.text);
    this.raws.push(event.raw);
    this.bytes += event.raw.length;
  }

  addBad(objectId: number, lineNo: number, reason: string, excerpt: string): void {
    this.quarantine.push({ objectId, line: lineNo, reason, excerpt });
    this.bytes += excerpt.length;
  }

  /** Records how far an object has been read; the latest call per object wins within a batch. */
  progress(checkpoint: Checkpoint): void {
    const previous = this.checkpoints.get(checkpoint.objectId);
    this.checkpoints.set(checkpoint.objectId, { ...previous, ...checkpoint });
  }

  /** The batch so far, with the buffers to transfer; the builder starts empty again. */
  take(): { batch: EventBatch; transfer: ArrayBuffer[] } {
    const n = this.ids.length;
    const ids = new Uint8Array(n * 16);
    for (let i = 0; i < n; i++) ids.set(this.ids[i]!, i * 16);
    const batch: EventBatch = {
      n,
      ids,
      ts: Float64Array.from(this.ts),
      latency: Float64Array.from(this.latency),
      outcome: Uint8Array.from(this.outcome),
      line: Float64Array.from(this.line),
      object: Float64Array.from(this.object),
      format: this.format,
      ...this.texts,
      text: this.fts,
      block: n > 0 ? compressBlock(this.raws) : new Uint8Array(0),
      quarantine: this.quarantine,
      checkpoints: [...this.checkpoints.values()],
    };
    const transfer = [batch.ids, batch.ts, batch.latency, batch.outcome, batch.line, batch.object].map(
      (a) => a.buffer as ArrayBuffer,
    );
    this.reset();
    return { batch, transfer };
  }

  private reset(): void {
    this.ids = [];
    this.ts = [];
    this.latency = [];
    this.outcome = [];
    this.line = [];
    this.object = [];
    this.format = [];
    this.texts = emptyTexts();
    this.fts = [];
    this.raws = [];
    this.bytes = 0;
    this.quarantine = [];
    this.checkpoints = new Map();
  }
}

function emptyTexts(): Record<(typeof TEXT_FIELDS)[number], (string | null)[]> {
  return Object.fromEntries(TEXT_FIELDS.map((k) => [k, []])) as unknown as Record<
    (typeof TEXT_FIELDS)[number],
    (string | null)[]
  >;
}
