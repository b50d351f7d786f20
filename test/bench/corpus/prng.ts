/**
 * Deterministic pseudo-random numbers for the corpus generator: xoshiro128** seeded through splitmix32.
 * Pure 32-bit integer arithmetic, so the same seed gives the same stream on every platform and Node version.
 * Never use Math.random in the generator: byte-identical corpora depend on it.
 */

function splitmix32(state: number): number {
  let z = state | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Mixes a seed and any number of stream ids (e.g. a file index) into one 32-bit seed. */
export function mixSeed(seed: number, ...streams: readonly number[]): number {
  let h = splitmix32((seed >>> 0) + 0x9e3779b9);
  for (const s of streams) h = splitmix32((h ^ splitmix32((s >>> 0) + 0x632be5ab)) + 0x9e3779b9);
  return h;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

const TWO_POW_MINUS_32 = 1 / 4294967296;
const HEX = '0123456789abcdef';

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** One independent stream per (seed, ...streams) combination. */
  constructor(seed: number, ...streams: readonly number[]) {
    let x = mixSeed(seed, ...streams);
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      return splitmix32(x);
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A uniform unsigned 32-bit integer. */
  u32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform float in [0, 1). */
  float(): number {
    return this.u32() * TWO_POW_MINUS_32;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** A uniform integer in [lo, hi] (both inclusive). */
  range(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)]!;
  }

  /** An approximately standard-normal number (Irwin–Hall of four uniforms, rescaled). */
  normal(): number {
    return (this.float() + this.float() + this.float() + this.float() - 2) * 1.7320508075688772;
  }

  /** `len` lowercase hex digits. */
  hex(len: number): string {
    let out = '';
    while (out.length < len) {
      let v = this.u32();
      for (let i = 0; i < 8 && out.length < len; i++) {
        out += HEX[v & 15];
        v >>>= 4;
      }
    }
    return out;
  }

  /** A Fisher–Yates shuffle of a copy. */
  shuffled<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = out[i]!;
      out[i] = out[j]!;
      out[j] = tmp;
    }
    return out;
  }
}

/**
 * Walker/Vose alias table: O(1) sampling from a fixed discrete distribution with one random draw.
 * Used for every skewed choice (users, operations, words), which is most of the generator's work.
 */
export class Weighted {
  readonly size: number;
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(weights: readonly number[]) {
    const n = weights.length;
    if (n === 0) throw new Error('Weighted needs at least one weight');
    let total = 0;
    for (const w of weights) {
      if (!(w >= 0)) throw new Error(`Weighted got a negative or NaN weight: ${w}`);
      total += w;
    }
    if (total <= 0) throw new Error('Weighted needs a positive total weight');
    this.size = n;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = weights.map((w) => (w * n) / total);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.prob[s] = scaled[s]!;
      this.alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      (scaled[l]! < 1 ? small : large).push(l);
    }
    for (const i of large) this.prob[i] = 1;
    for (const i of small) this.prob[i] = 1;
  }

  /** An index drawn with probability proportional to its weight. */
  pick(rng: Rng): number {
    const u = rng.float() * this.size;
    const i = Math.floor(u);
    return u - i < this.prob[i]! ? i : this.alias[i]!;
  }
}

/** Zipf weights 1/(k+1)^s for ranks 0..n-1. */
export function zipfWeights(n: number, s: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < n; k++) out.push(1 / Math.pow(k + 1, s));
  return out;
}
