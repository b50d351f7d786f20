import { describe, expect, it } from 'vitest';
import { anchorFor } from '../../../../renderer/hooks/useSearch.ts';

describe('jumping to a row through the histogram', () => {
  // Three hourly buckets, oldest first: 5, 0 and 3 matches; results come newest first.
  const histogram = {
    from: 0,
    bucketMs: 3_600_000,
    counts: [5, 0, 3],
    byOutcome: { success: [5, 0, 3], failure: [0, 0, 0], unknown: [0, 0, 0] },
  };
  const newer = [3, 3, 0];

  it('finds the bucket of a row and how many of its rows come before it', () => {
    expect(anchorFor(0, histogram, newer)).toEqual({ before: 3 * 3_600_000, skip: 0 });
    expect(anchorFor(2, histogram, newer)).toEqual({ before: 3 * 3_600_000, skip: 2 });
    expect(anchorFor(3, histogram, newer)).toEqual({ before: 3_600_000, skip: 0 });
    expect(anchorFor(7, histogram, newer)).toEqual({ before: 3_600_000, skip: 4 });
  });

  it('has no anchor past the timed rows', () => {
    expect(anchorFor(8, histogram, newer)).toBeNull();
  });
});
