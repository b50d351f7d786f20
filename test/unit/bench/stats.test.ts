import { describe, expect, it } from 'vitest';
import { frameStats, latencyStats, percentile } from '../../bench/harness/stats.ts';

describe('bench stats', () => {
  it('takes nearest-rank percentiles of unsorted samples', () => {
    const xs = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(xs, 50)).toBe(5);
    expect(percentile(xs, 95)).toBe(10);
    expect(percentile(xs, 0)).toBe(1);
    expect(percentile([], 50)).toBeNaN();
    expect(latencyStats(xs)).toMatchObject({ runs: 10, p50: 5, p95: 10, min: 1, max: 10, mean: 5.5 });
  });

  it('turns animation-frame timestamps into frame times', () => {
    // 20 frames at 60 Hz, one dropped frame (33.3 ms) and one 80 ms hitch.
    const ts = [0];
    for (let i = 0; i < 20; i++) ts.push(ts.at(-1)! + 16.7);
    ts.push(ts.at(-1)! + 33.4, ts.at(-1)! + 33.4 + 80);
    const f = frameStats([ts]);
    expect(f.frames).toBe(22);
    expect(f.p50).toBeCloseTo(16.7);
    expect(f.p95).toBeCloseTo(33.4);
    expect(f.max).toBeCloseTo(80);
    expect(f.long).toBe(1);
    expect(frameStats([ts], 30).long).toBe(2);
  });

  it('pools several recordings without a delta across the gap between them', () => {
    const f = frameStats([
      [0, 16, 32],
      [5000, 5017, 5034, 5051],
    ]);
    expect(f.frames).toBe(5);
    expect(f.max).toBe(17);
    expect(f.long).toBe(0);
  });

  it('has no frame times without two frames', () => {
    expect(frameStats([])).toEqual({ frames: 0, p50: NaN, p95: NaN, max: NaN, long: 0 });
    expect(frameStats([[12], []]).frames).toBe(0);
  });
});
