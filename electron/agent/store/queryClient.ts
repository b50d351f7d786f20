import type { MethodArgs, MethodOutput } from '../../../shared/contract.ts';
import { RpcClient } from '../rpc/client.ts';
import { workerUrl } from '../workerUrl.ts';
import type { SearchLimits } from './budget.ts';
import type { ReadMethod } from './queries.ts';
import type { CancelTicket, QueryData, QueryMethods } from './queryProtocol.ts';
import type { RetentionPreview } from './retention.ts';

/**
 * Clients that can supersede their own calls at once. A key beyond this reuses the least recently used
 * slot: the worst that happens is that a call of a long-gone client is cancelled.
 */
const SLOTS = 1024;

export interface QueryWorkerOptions {
  /** What one search may cost before it stops with `query_too_costly`; default DEFAULT_SEARCH_LIMITS. */
  readonly limits?: Partial<SearchLimits>;
  /** Tests only: see ServiceOptions.testGate. */
  readonly testGate?: SharedArrayBuffer;
}

/** The handle on the query worker: typed read calls, with "a newer call supersedes the older". */
export class QueryWorker {
  private readonly rpc: RpcClient<QueryMethods>;
  private readonly flags: Int32Array;
  /** Supersede key → slot, least recently used first. */
  private readonly slots = new Map<string, number>();
  private nextSlot = 0;

  /** Tests only: `[2]` counts calls posted to the worker (see ServiceOptions.testGate). */
  private readonly gate: Int32Array | null;

  private constructor(rpc: RpcClient<QueryMethods>, flags: Int32Array, gate: Int32Array | null) {
    this.rpc = rpc;
    this.flags = flags;
    this.gate = gate;
  }

  /** Starts the worker on `file` (which must exist: the caller opened and migrated it). */
  static async start(file: string, options: QueryWorkerOptions = {}): Promise<QueryWorker> {
    const { limits, testGate } = options;
    const buffer = new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT);
    const rpc = await RpcClient.start<QueryMethods>(
      workerUrl('query.worker', import.meta.url),
      {
        file,
        flags: buffer,
        ...(limits ? { limits } : {}),
        ...(testGate ? { gate: testGate } : {}),
      } satisfies QueryData,
      { label: 'query worker' },
    );
    return new QueryWorker(rpc, new Int32Array(buffer), testGate ? new Int32Array(testGate) : null);
  }

  /**
   * Runs a read method on the worker. With `supersede`, this call cancels the previous call made with the
   * same key if it is still queued or running (it rejects with code `cancelled`).
   */
  call<M extends ReadMethod>(
    method: M,
    input: MethodArgs<M>,
    now: number,
    supersede?: string,
  ): Promise<MethodOutput<M>> {
    const ticket = supersede === undefined ? null : this.ticket(supersede);
    const args = { input, now, ticket } as QueryMethods[M][0];
    const result = this.rpc.call(method, args) as Promise<MethodOutput<M>>;
    if (this.gate !== null) {
      Atomics.add(this.gate, 2, 1);
      Atomics.notify(this.gate, 2);
    }
    return result;
  }

  /** Forget cached raw blocks (after retention). */
  invalidate(): Promise<void> {
    return this.rpc.call('invalidate', undefined);
  }

  /** What deleting events before `before` (epoch ms) would remove, by source. */
  retentionPreview(before: number): Promise<RetentionPreview> {
    return this.rpc.call('retentionPreview', { before });
  }

  close(): Promise<void> {
    return this.rpc.close();
  }

  private ticket(key: string): CancelTicket {
    let slot = this.slots.get(key);
    if (slot === undefined) {
      if (this.slots.size < SLOTS) slot = this.nextSlot++;
      else {
        const [oldest, reused] = this.slots.entries().next().value!;
        this.slots.delete(oldest);
        slot = reused;
      }
    } else this.slots.delete(key);
    this.slots.set(key, slot);
    // Bumping the generation is the cancellation: the older call's ticket no longer matches.
    const generation = Atomics.add(this.flags, slot, 1) + 1;
    return { slot, generation };
  }
}
