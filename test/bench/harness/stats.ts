import type { LatencyStats } from './types.ts';

/** Nearest-rank percentile (p in 0..100) of unsorted samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

export function latencyStats(samples: readonly number[]): LatencyStats {
  return {
    runs: samples.length,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    max: Math.max(...samples),
    min: Math.min(...samples),
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
  };
}

/**
 * Frame times from the timestamps of consecutive `requestAnimationFrame` callbacks (ms, ascending), one
 * list per recording: the deltas between neighbours within each list, pooled, their p50/p95/max and how
 * many exceed `longMs`.
 */
export function frameStats(
  recordings: readonly (readonly number[])[],
  longMs = 50,
): { frames: number; p50: number; p95: number; max: number; long: number } {
  const deltas: number[] = [];
  for (const ts of recordings) for (let i = 1; i < ts.length; i++) deltas.push(ts[i]! - ts[i - 1]!);
  if (deltas.length === 0) return { frames: 0, p50: NaN, p95: NaN, max: NaN, long: 0 };
  return {
    frames: deltas.length,
    p50: percentile(deltas, 50),
    p95: percentile(deltas, 95),
    max: Math.max(...deltas),
    long: deltas.filter((d) => d > longMs).length,
  };
}
