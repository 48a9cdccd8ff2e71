import { describe, expect, it } from 'vitest';
import { normalizeChannel, robustStats } from '../../../../../steps/lib/stamps/normalize.js';

describe('robustStats', () => {
  it('gives the median and 1.4826 × MAD, worked by hand', () => {
    // Sorted: 1 2 3 4 100 -> median 3; |x − 3| = 2 1 0 1 97 -> sorted 0 1 1 2 97, MAD 1.
    expect(robustStats([4, 1, 100, 3, 2])).toEqual({ median: 3, sigma: 1.4826 });
    // Even count: median of 1 2 3 4 = 2.5; deviations 1.5 .5 .5 1.5 -> MAD 1.
    expect(robustStats([1, 2, 3, 4, Number.NaN])).toEqual({ median: 2.5, sigma: 1.4826 });
    expect(robustStats([5, 5, 5])).toEqual({ median: 5, sigma: 1 });
    expect(robustStats([])).toEqual({ median: 0, sigma: 1 });
  });

  it('writes asinh-scaled values into an interleaved buffer, NaN as 0', () => {
    const out = new Float32Array(6);
    normalizeChannel([3, 4, Number.NaN], out, 1, 2, { median: 3, sigma: 2 });
    expect([...out]).toEqual([0, 0, 0, Math.fround(Math.asinh(0.5)), 0, 0]);
  });
});
