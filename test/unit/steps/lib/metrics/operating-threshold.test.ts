import { describe, expect, it } from 'vitest';
import {
  candidateThresholds,
  chooseOperatingThreshold,
  type ThresholdPoint,
  thresholdPoints,
} from '../../../../../steps/lib/metrics/operating-threshold.js';

function point(threshold: number, recall: number, falsePositives: number): ThresholdPoint {
  // 10 real transients on 1 image of 1 megapixel: FP per image = FP per megapixel = FP.
  const truePositives = recall * 10;
  return {
    threshold,
    truePositives,
    falsePositives,
    falseNegatives: 10 - truePositives,
    recall,
    precision: truePositives / (truePositives + falsePositives),
    falsePositivesPerImage: falsePositives,
    falsePositivesPerMegapixel: falsePositives,
  };
}

describe('chooseOperatingThreshold', () => {
  const points = [point(0.5, 1, 5), point(0.9, 0.9, 1), point(0.99, 0.9, 0), point(0.999, 0.5, 0)];

  it('takes the highest recall within the bound, then the fewer false positives', () => {
    // Bound 1: 0.9, 0.99, 0.999 qualify; 0.9 and 0.99 share recall 0.9, 0.99 has fewer FPs.
    expect(chooseOperatingThreshold(points, 1)).toEqual({ point: points[2], withinBound: true });
    // Bound 5: every point qualifies; 0.5 has the highest recall.
    expect(chooseOperatingThreshold(points, 5).point.threshold).toBe(0.5);
    // Bound 0: 0.99 and 0.999 qualify; 0.99 recalls more.
    expect(chooseOperatingThreshold(points, 0).point.threshold).toBe(0.99);
  });

  it('takes the lower threshold when recall and false positives tie', () => {
    const tied = [point(0.95, 0.8, 0), point(0.9, 0.8, 0)];
    expect(chooseOperatingThreshold(tied, 0).point.threshold).toBe(0.9);
  });

  it('falls back on the fewest false positives when no threshold meets the bound', () => {
    const noisy = [point(0.5, 1, 9), point(0.9, 0.8, 3), point(0.99, 0.6, 3)];
    expect(chooseOperatingThreshold(noisy, 1)).toEqual({ point: noisy[1], withinBound: false });
    expect(() => chooseOperatingThreshold([], 1)).toThrow('no threshold points');
  });
});

describe('thresholdPoints', () => {
  it('segments, matches and counts a hand-made field at each threshold', () => {
    // 10 × 10 field (1e-4 megapixels). A blob peaking at 0.95 on a real transient at (2, 2);
    // a blob peaking at 0.7 on nothing (7, 7); a second real transient at (5, 0) with no signal;
    // a cosmic ray (artifact, mask 2) at (0, 9) under a pixel of 0.6.
    const width = 10;
    const probability = new Float64Array(100);
    probability[2 * width + 2] = 0.95;
    probability[2 * width + 3] = 0.9;
    probability[7 * width + 7] = 0.7;
    probability[9 * width + 0] = 0.6;
    const mask = new Uint8Array(100);
    mask[2 * width + 2] = 1;
    mask[0 * width + 5] = 1;
    mask[9 * width + 0] = 2;
    const truth = [
      { field: 'f', x: 2, y: 2, kind: 'supernova', real: true },
      { field: 'f', x: 5, y: 0, kind: 'supernova', real: true },
      { field: 'f', x: 0, y: 9, kind: 'cosmic_ray', real: false },
    ];
    const points = thresholdPoints(
      [{ field: 'f', width, height: 10, probability, truth, mask }],
      [0.5, 0.65, 0.8, 0.96],
    );
    // t = 0.5: components {(2,2),(3,2)} → TP; (7,7) → FP; (0,9) on the cosmic ray → FP.
    // t = 0.65: the cosmic ray's pixel drops out. t = 0.8: (7,7) drops out. t = 0.96: nothing.
    expect(points.map((p) => [p.threshold, p.truePositives, p.falsePositives, p.falseNegatives])).toEqual([
      [0.5, 1, 2, 1],
      [0.65, 1, 1, 1],
      [0.8, 1, 0, 1],
      [0.96, 0, 0, 2],
    ]);
    expect(points[0]!.recall).toBe(0.5);
    expect(points[0]!.falsePositivesPerImage).toBe(2);
    expect(points[0]!.falsePositivesPerMegapixel).toBeCloseTo(2e4, 9);
    expect(points[3]!.precision).toBeNaN();
    // No false positive allowed: 0.8 keeps the recall of 0.5 that 0.96 loses.
    expect(chooseOperatingThreshold(points, 0).point.threshold).toBe(0.8);
    // The candidates add the component peaks at the lowest grid threshold (0.95, 0.7, 0.6): at
    // t = 0.7 the blob peaking at 0.7 is already gone, so 0.7 is the lowest FP-free threshold.
    const field = { field: 'f', width, height: 10, probability, truth, mask };
    const candidates = candidateThresholds([field], [0.5, 0.65, 0.8, 0.96]);
    expect(candidates).toEqual([0.5, 0.6, 0.65, 0.7, 0.8, 0.95, 0.96]);
    const exact = thresholdPoints([field], candidates);
    expect(chooseOperatingThreshold(exact, 0).point).toMatchObject({
      threshold: 0.7,
      truePositives: 1,
      falsePositives: 0,
    });
  });
});
