import { DICT_FIELD_NAMES, type DictField } from '../store/dict.ts';
import type { ObjectInfo } from '../store/objects.ts';
import { compressBlock, LINES_PER_BLOCK } from '../store/rawBlocks.ts';
import {
  OUTCOME_CODES,
  type BatchDictColumn,
  type BatchObject,
  type Checkpoint,
  type EventBatch,
  type QuarantineCount,
  type QuarantineEntry,
} from '../store/writeBatch.ts';
import { reasonKind } from '../store/quarantine.ts';
import { ByteSink } from './byteSink.ts';
import type { PreparedEvent } from './prepare.ts';

/** When a batch is handed to the writer: whichever limit is reached first. */
export interface BatchLimits {
  /** Events per transaction: FTS5 writes one segment per batch, so larger batches merge less later. */
  readonly maxEvents: number;
  /** Raw bytes per batch, bounding memory while lines are very long. */
  readonly maxBytes: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxEvents: 12_500, maxBytes: 8 * 1024 * 1024 };

/**
 * Bad lines with excerpts per batch: a file of nothing but bad lines has no events to fill a batch, and
 * its short lines would not reach maxBytes for a long time (a million of them were held at once).
 */
const MAX_BAD_PER_BATCH = 8192;

/** An object being read, as batches refer to it. */
export interface ObjectRef {
  readonly sourceId: number;
  readonly info: ObjectInfo;
  /** True until the object's first batch is taken: that batch resets its read position. */
  restart: boolean;
}

/** Progress of an object, as recorded with a batch. */
export type ObjectProgress = Omit<Checkpoint, 'object'>;

const NEWLINE = 0x0a;

/** Builds one batch-local dictionary column (see BatchDictColumn). */
class DictColumnBuilder {
  private index = new Map<string, number>();
  private values: string[] = [];
  private readonly refs: Uint32Array;

  constructor(capacity: number) {
    this.refs = new Uint32Array(capacity);
  }

  set(i: number, value: string | null): void {
    if (value === null || value === '') {
      this.refs[i] = 0;
      return;
    }
    let ref = this.index.get(value);
    if (ref === undefined) {
      this.values.push(value);
      ref = this.values.length;
      this.index.set(value, ref);
    }
    this.refs[i] = ref;
  }

  take(n: number): BatchDictColumn {
    const column = { values: this.values, refs: this.refs.slice(0, n) };
    this.index = new Map();
    this.values = [];
    return column;
  }
}

/**
 * Collects prepared events of one or more objects into the column layout the writer takes. Columns are
 * preallocated typed arrays and texts go into byte buffers, so a batch in the making holds no per-event
 * JS objects (see ByteSink for why that matters).
 */
export class BatchBuilder {
  private readonly limits: BatchLimits;
  private n = 0;
  private readonly ids: Uint8Array;
  private readonly ts: Float64Array;
  private readonly latency: Float64Array;
  private readonly outcome: Uint8Array;
  private readonly line: Float64Array;
  private readonly object: Uint32Array;
  private readonly dims: Record<DictField, DictColumnBuilder>;
  private target: (string | null)[] = [];
  private ip: (string | null)[] = [];
  private txn: (string | null)[] = [];
  private readonly text = new ByteSink();
  private readonly raw = new ByteSink(4 << 20);
  private quarantine: QuarantineEntry[] = [];
  private quarantineBytes = 0;
  private quarantineCounts = new Map<string, QuarantineCount>();
  private checkpoints = new Map<number, Checkpoint>();
  private refs: ObjectRef[] = [];
  private refIndex = new Map<ObjectRef, number>();

  constructor(limits: BatchLimits = DEFAULT_BATCH_LIMITS) {
    this.limits = limits;
    const capacity = limits.maxEvents;
    this.ids = new Uint8Array(capacity * 16);
    this.ts = new Float64Array(capacity);
    this.latency = new Float64Array(capacity);
    this.outcome = new Uint8Array(capacity);
    this.line = new Float64Array(capacity);
    this.object = new Uint32Array(capacity);
    this.dims = {} as Record<DictField, DictColumnBuilder>;
    for (const field of DICT_FIELD_NAMES) this.dims[field] = new DictColumnBuilder(capacity);
  }

  get size(): number {
    return this.n;
  }

  get full(): boolean {
    return (
      this.n >= this.limits.maxEvents ||
      this.raw.byteLength + this.quarantineBytes >= this.limits.maxBytes ||
      this.quarantine.length >= MAX_BAD_PER_BATCH
    );
  }

  /** True when there is nothing to write (no events, bad lines or progress). */
  get empty(): boolean {
    return (
      this.n === 0 &&
      this.quarantine.length === 0 &&
      this.quarantineCounts.size === 0 &&
      this.checkpoints.size === 0
    );
  }

  add(ref: ObjectRef, lineNo: number, event: PreparedEvent): void {
    const i = this.n++;
    const f = event.fields;
    const dims = this.dims;
    const ids = this.ids;
    const id = event.id;
    for (let k = 0, o = i * 16; k < 16; k++) ids[o + k] = id.charCodeAt(k);
    this.ts[i] = f.ts ?? NaN;
    this.latency[i] = f.latencyMs ?? NaN;
    this.outcome[i] = OUTCOME_CODES[f.outcome];
    this.line[i] = lineNo;
    this.object[i] = this.indexOf(ref);
    dims.format.set(i, event.format);
    dims.user.set(i, f.user);
    dims.entity.set(i, f.entity);
    dims.action.set(i, f.action);
    dims.opType.set(i, f.opType);
    dims.status.set(i, f.status);
    dims.org.set(i, f.org);
    dims.userAgent.set(i, f.userAgent);
    this.target.push(f.target);
    this.ip.push(f.ip);
    this.txn.push(f.txn);
    this.text.push(event.text);
    this.raw.push(event.raw, NEWLINE);
  }

  addBad(ref: ObjectRef, lineNo: number, reason: string, excerpt: string): void {
    this.quarantine.push({ object: this.indexOf(ref), line: lineNo, reason, excerpt });
    this.quarantineBytes += excerpt.length;
  }

  /** Counts a bad line without keeping it (past the ones an object keeps with excerpts). */
  countBad(ref: ObjectRef, lineNo: number, reason: string): void {
    const object = this.indexOf(ref);
    const kind = reasonKind(reason);
    const key = `${object}\0${kind}`;
    const count = this.quarantineCounts.get(key);
    if (count === undefined)
      this.quarantineCounts.set(key, { object, reason: kind, lines: 1, firstLine: lineNo });
    else count.lines++;
  }

  /** Records how far an object has been read; the latest call per object wins within a batch. */
  progress(ref: ObjectRef, progress: ObjectProgress): void {
    const object = this.indexOf(ref);
    this.checkpoints.set(object, { ...this.checkpoints.get(object), ...progress, object });
  }

  /**
   * The batch so far, the buffers to transfer, and the objects in the order the batch (and its result)
   * lists them. The builder starts empty again.
   */
  take(): { batch: EventBatch; transfer: ArrayBuffer[]; refs: ObjectRef[] } {
    const n = this.n;
    const refs = this.refs;
    const objects: BatchObject[] = refs.map((ref) => {
      const object = { ...ref.info, sourceId: ref.sourceId, restart: ref.restart };
      ref.restart = false;
      return object;
    });
    const dims = {} as Record<DictField, BatchDictColumn>;
    for (const field of DICT_FIELD_NAMES) dims[field] = this.dims[field].take(n);
    const blocks = this.compressRaw(n);
    const batch: EventBatch = {
      n,
      ids: this.ids.slice(0, n * 16),
      ts: this.ts.slice(0, n),
      latency: this.latency.slice(0, n),
      outcome: this.outcome.slice(0, n),
      line: this.line.slice(0, n),
      object: this.object.slice(0, n),
      dims,
      target: this.target,
      ip: this.ip,
      txn: this.txn,
      text: this.text.take(),
      blocks,
      objects,
      quarantine: this.quarantine,
      quarantineCounts: [...this.quarantineCounts.values()],
      checkpoints: [...this.checkpoints.values()],
    };
    const arrays: ArrayBufferView[] = [
      batch.ids,
      batch.ts,
      batch.latency,
      batch.outcome,
      batch.line,
      batch.object,
    ];
    arrays.push(batch.text.bytes, batch.text.offsets);
    for (const field of DICT_FIELD_NAMES) arrays.push(dims[field].refs);
    this.n = 0;
    this.target = [];
    this.ip = [];
    this.txn = [];
    this.quarantine = [];
    this.quarantineBytes = 0;
    this.quarantineCounts = new Map();
    this.checkpoints = new Map();
    this.refs = [];
    this.refIndex = new Map();
    return { batch, transfer: arrays.map((a) => a.buffer as ArrayBuffer), refs };
  }

  /** The raw lines as blocks of LINES_PER_BLOCK lines (the last may be shorter). */
  private compressRaw(n: number): Uint8Array[] {
    const raw = this.raw.view();
    const blocks: Uint8Array[] = [];
    for (let first = 0; first < n; first += LINES_PER_BLOCK) {
      const last = Math.min(n, first + LINES_PER_BLOCK);
      // Each line but the first is preceded by its '\n': the block's text starts after that separator.
      const start = this.raw.startOf(first);
      const end = last === n ? raw.length : this.raw.startOf(last) - 1;
      blocks.push(compressBlock(raw.subarray(start, end)));
    }
    this.raw.clear();
    return blocks;
  }

  private indexOf(ref: ObjectRef): number {
    let index = this.refIndex.get(ref);
    if (index === undefined) {
      index = this.refs.length;
      this.refs.push(ref);
      this.refIndex.set(ref, index);
    }
    return index;
  }
}
