/**
 * The clean event stream of one planned file: strictly increasing timestamps with jitter inside the
 * file's window, the format's generator, and the forced rare-word / phrase events. Used both by the
 * corpus writer and by the in-process line stream, so both produce the same lines.
 */
import { DronaGen } from './dronahq.ts';
import type { DronaSpecial } from './dronahq.ts';
import { GraviteeGen } from './gravitee.ts';
import type { CorpusPlan, FilePlan } from './plan.ts';
import { Rng } from './prng.ts';
import { ProphecyGen } from './prophecy.ts';
import type { ProphecySpecial } from './prophecy.ts';
import type { EventInfo, World } from './world.ts';
import { newEventInfo } from './world.ts';

export type Special = ProphecySpecial | DronaSpecial;

/** Creates one generator of each format so every action, entity and opType name is registered. */
export function registerAll(world: World): void {
  const rng = new Rng(world.seed, 0);
  new ProphecyGen(world, rng, rng);
  new DronaGen(world, rng, 'logger', 0);
  new GraviteeGen(world, rng);
}

/** Sorted global indices → the local indices that fall in [offset, offset + n). */
function localForced(plan: CorpusPlan, file: FilePlan): Map<number, ProphecySpecial> {
  const out = new Map<number, ProphecySpecial>();
  if (file.format !== 'prophecy' || file.truncated) return out;
  const lo = file.formatOffset;
  const hi = lo + file.events;
  const add = (list: readonly number[], special: ProphecySpecial): void => {
    for (const g of list) if (g >= lo && g < hi) out.set(g - lo, special);
  };
  add(plan.rare, { kind: 'rare' });
  add(plan.phrase, { kind: 'phrase' });
  return out;
}

export class FileEventSource {
  readonly file: FilePlan;
  readonly info: EventInfo = newEventInfo();
  /** Local indices of events carrying the rare word or the phrase. */
  readonly forced: Map<number, ProphecySpecial>;
  private readonly rng: Rng;
  private readonly prophecy: ProphecyGen | null = null;
  private readonly drona: DronaGen | null = null;
  private readonly gravitee: GraviteeGen | null = null;
  private readonly step: number;
  private k = 0;
  private prevTs: number;

  constructor(world: World, plan: CorpusPlan, file: FilePlan) {
    this.file = file;
    this.rng = new Rng(world.seed, 0x66696c65, file.index); // 'file'
    this.forced = localForced(plan, file);
    switch (file.format) {
      case 'prophecy':
        // Field-list variants come from a per-seed stream so every file shares them.
        this.prophecy = new ProphecyGen(world, this.rng, new Rng(world.seed, 0x7661726e));
        break;
      case 'dronahq':
        this.drona = new DronaGen(world, this.rng, file.shape ?? 'logger', file.rowIdBase);
        break;
      case 'gravitee':
        this.gravitee = new GraviteeGen(world, this.rng);
        break;
    }
    this.step = (file.windowEnd - file.windowStart) / file.events;
    this.prevTs = file.windowStart - 1;
  }

  get remaining(): number {
    return this.file.events - this.k;
  }

  /** Next timestamp: jittered around an even spacing, strictly increasing, never on a whole minute. */
  private nextTs(): number {
    let ts = this.file.windowStart + Math.floor((this.k + this.rng.float()) * this.step);
    if (ts <= this.prevTs) ts = this.prevTs + 1;
    if (ts % 60_000 === 0) ts += 1;
    this.prevTs = ts;
    return ts;
  }

  /** The next event line (no line ending); `info` describes it. `special` overrides the event. */
  next(special: Special | null = null): string {
    if (this.k >= this.file.events) throw new Error(`${this.file.path}: no events left`);
    const ts = this.nextTs();
    const s = special ?? this.forced.get(this.k) ?? null;
    this.k++;
    if (this.prophecy) return this.prophecy.next(ts, this.info, s as ProphecySpecial | null);
    if (this.drona) return this.drona.next(ts, this.info, s as DronaSpecial | null);
    return this.gravitee!.next(ts, this.info);
  }
}
