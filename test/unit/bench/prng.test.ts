import { describe, expect, test } from 'vitest';
import { mixSeed, Rng, Weighted, zipfWeights } from '../../bench/corpus/prng.ts';

describe('Rng', () => {
  test('is deterministic per (seed, streams) and differs across streams', () => {
    const a = new Rng(1, 5);
    const b = new Rng(1, 5);
    const c = new Rng(1, 6);
    const xs = Array.from({ length: 100 }, () => a.u32());
    expect(Array.from({ length: 100 }, () => b.u32())).toEqual(xs);
    expect(Array.from({ length: 100 }, () => c.u32())).not.toEqual(xs);
    expect(mixSeed(1, 2)).not.toBe(mixSeed(2, 1));
  });

  test('has a stable stream (a regression guard for byte-identical corpora)', () => {
    const r = new Rng(1);
    expect([r.u32(), r.u32(), r.u32()]).toEqual([3452021429, 2070578150, 3493707356]);
    expect(new Rng(1).hex(12)).toMatch(/^[0-9a-f]{12}$/);
  });

  test('float, int and range stay in bounds and look uniform', () => {
    const r = new Rng(9);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const f = r.float();
      expect(f >= 0 && f < 1).toBe(true);
      buckets[Math.floor(f * 10)]!++;
      const k = r.range(3, 5);
      expect(k >= 3 && k <= 5).toBe(true);
    }
    for (const n of buckets) expect(Math.abs(n - 10_000)).toBeLessThan(500);
  });
});

describe('Weighted', () => {
  test('samples in proportion to the weights', () => {
    const r = new Rng(3);
    const w = new Weighted([1, 0, 3, 6]);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 100_000; i++) counts[w.pick(r)]!++;
    expect(counts[1]).toBe(0);
    expect(counts[0]! / 100_000).toBeCloseTo(0.1, 1);
    expect(counts[2]! / 100_000).toBeCloseTo(0.3, 1);
    expect(counts[3]! / 100_000).toBeCloseTo(0.6, 1);
  });

  test('Zipf weights make the head dominate', () => {
    const r = new Rng(4);
    const w = new Weighted(zipfWeights(300, 1.05));
    const counts = new Array<number>(300).fill(0);
    for (let i = 0; i < 100_000; i++) counts[w.pick(r)]!++;
    expect(counts[0]!).toBeGreaterThan(10 * counts[50]!);
    expect(counts.slice(0, 10).reduce((a, b) => a + b, 0)).toBeGreaterThan(40_000);
  });

  test('rejects empty or negative weights', () => {
    expect(() => new Weighted([])).toThrow();
    expect(() => new Weighted([1, -1])).toThrow();
    expect(() => new Weighted([0, 0])).toThrow();
  });
});
