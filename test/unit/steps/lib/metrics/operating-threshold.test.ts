import { describe, expect, it } from 'vitest';
import {
  candidateThresholds,
  chooseOperatingThreshold,
  type ThresholdPoint,
  thresholdPoints,
} from '../../../../../steps/lib/metrics/operating-threshold.js';

function point(
  threshold: number,
  recall: number,
  falsePositives: number,
  megapixels: number,
): ThresholdPoint {
  // 10 real transients on one image of `megapixels`.
  const truePositives = recall * 10;
  return {
    threshold,
    truePositives,
    falsePositives,
    falseNegatives: 10 - truePositives,
    recall,
    precision: truePositives / (truePositives + falsePositives),
    falsePositivesPerImage: falsePositives,
    falsePositivesPerMegapixel: falsePositives / megapixels,
    megapixels,
  };
}

// 95 % one-sided Poisson upper bounds (Garwood): k = 0 → −ln 0.05 = 2.9957 exactly; k = 1 → the
// root of e^{−λ}(1 + λ) = 0.05, 4.7439; k = 5 → 10.513 (tabulated; checked against scipy below).
describe('chooseOperatingThreshold', () => {
  const on = (megapixels: number) => [
    point(0.5, 1, 5, megapixels),
    point(0.9, 0.9, 1, megapixels),
    point(0.99, 0.9, 0, megapixels),
    point(0.999, 0.5, 0, megapixels),
  ];

  it('takes the highest recall among thresholds whose upper bound is within the budget', () => {
    // 10 Mpx: upper bounds per Mpx 1.051 (5 FP), 0.474 (1 FP), 0.300 (0 FP).
    const points = on(10);
    // Budget 0.5: 0.9, 0.99, 0.999 qualify; 0.9 and 0.99 share recall 0.9, 0.99 has fewer FPs.
    const choice = chooseOperatingThreshold(points, { maxFalsePositivesPerMegapixel: 0.5, minRecall: 0.9 });
    expect(choice).toMatchObject({ point: points[2], withinBound: true, basis: 'fp-bound' });
    expect(choice.falsePositivesUpperPerMegapixel).toBeCloseTo(-Math.log(0.05) / 10, 9);
    // Budget 2: every point qualifies; 0.5 has the highest recall.
    expect(
      chooseOperatingThreshold(points, { maxFalsePositivesPerMegapixel: 2, minRecall: 0.9 }).point.threshold,
    ).toBe(0.5);
    // Budget 0.3 (≥ 0.2996): only the false-positive-free 0.99 and 0.999; 0.99 recalls more.
    expect(
      chooseOperatingThreshold(points, { maxFalsePositivesPerMegapixel: 0.3, minRecall: 0.9 }).point
        .threshold,
    ).toBe(0.99);
  });

  it('does not count a budget as met by zero false positives on too small an area', () => {
    // 1 Mpx: even 0 FP bounds the rate only by 3.0 per Mpx > 1; the point estimate (0) would pass.
    const choice = chooseOperatingThreshold(on(1), { maxFalsePositivesPerMegapixel: 1, minRecall: 0.9 });
    expect(choice).toMatchObject({ withinBound: false, basis: 'recall-floor' });
    // Recall floor 0.9: 0.5, 0.9 and 0.99 keep it; the highest threshold, 0.99, is taken.
    expect(choice.point.threshold).toBe(0.99);
    // Floor 0.95: only 0.5 keeps it.
    expect(
      chooseOperatingThreshold(on(1), { maxFalsePositivesPerMegapixel: 1, minRecall: 0.95 }).point.threshold,
    ).toBe(0.5);
  });

  it('raises the threshold to the recall floor on a seed-8-like table, and not when the area suffices', () => {
    // Recall 1 and no FP from 0.879 on, recall 0.92 up to 0.998, 0.88 above: the point-estimate
    // rule took 0.879 (its lowest FP-free threshold with the highest recall).
    const table = (mpx: number) => [
      point(0.75, 1, 1, mpx),
      point(0.879, 1, 0, mpx),
      point(0.963, 0.92, 0, mpx),
      point(0.998, 0.92, 0, mpx),
      point(0.9985, 0.88, 0, mpx),
    ];
    // Five 256² fields (0.32768 Mpx): upper bound 9.1 per Mpx, nothing demonstrated → 0.998.
    const small = chooseOperatingThreshold(table(5 * 256 * 256 * 1e-6), {
      maxFalsePositivesPerMegapixel: 1,
      minRecall: 0.9,
    });
    expect(small).toMatchObject({ basis: 'recall-floor', point: { threshold: 0.998 } });
    expect(small.falsePositivesUpperPerMegapixel).toBeCloseTo(-Math.log(0.05) / 0.32768, 9);
    // 20 Mpx: 0 FP bounds the rate by 0.15 per Mpx, 1 FP by 0.237: the budget is demonstrated from
    // 0.75 on, and the highest recall with the fewer false positives is 0.879.
    const large = chooseOperatingThreshold(table(20), { maxFalsePositivesPerMegapixel: 1, minRecall: 0.9 });
    expect(large).toMatchObject({ basis: 'fp-bound', withinBound: true, point: { threshold: 0.879 } });
  });

  it('takes the lower threshold when recall and false positives tie', () => {
    const tied = [point(0.95, 0.8, 0, 100), point(0.9, 0.8, 0, 100)];
    expect(
      chooseOperatingThreshold(tied, { maxFalsePositivesPerMegapixel: 1, minRecall: 0.9 }).point.threshold,
    ).toBe(0.9);
  });

  it('falls back on the fewest false positives when neither the budget nor the recall floor is met', () => {
    const noisy = [point(0.5, 0.8, 9, 1), point(0.9, 0.8, 3, 1), point(0.99, 0.6, 3, 1)];
    expect(
      chooseOperatingThreshold(noisy, { maxFalsePositivesPerMegapixel: 1, minRecall: 0.9 }),
    ).toMatchObject({
      point: noisy[1],
      withinBound: false,
      basis: 'fewest-fp',
    });
    expect(() => chooseOperatingThreshold([], { maxFalsePositivesPerMegapixel: 1, minRecall: 0.9 })).toThrow(
      'no threshold points',
    );
  });
});

describe('thresholdPoints', () => {
  const FEWEST = { maxFalsePositivesPerMegapixel: 0, minRecall: 1 };
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
    expect(points[0]!.megapixels).toBeCloseTo(1e-4, 15);
    expect(points[3]!.precision).toBeNaN();
    // A recall floor no threshold reaches (1): the fewest false positives; 0.8 keeps the recall of 0.5 that 0.96 loses.
    expect(chooseOperatingThreshold(points, FEWEST).point.threshold).toBe(0.8);
    // The candidates add the component peaks at the lowest grid threshold (0.95, 0.7, 0.6): at
    // t = 0.7 the blob peaking at 0.7 is already gone, so 0.7 is the lowest FP-free threshold.
    const field = { field: 'f', width, height: 10, probability, truth, mask };
    const candidates = candidateThresholds([field], [0.5, 0.65, 0.8, 0.96]);
    expect(candidates).toEqual([0.5, 0.6, 0.65, 0.7, 0.8, 0.95, 0.96]);
    const exact = thresholdPoints([field], candidates);
    expect(chooseOperatingThreshold(exact, FEWEST).point).toMatchObject({
      threshold: 0.7,
      truePositives: 1,
      falsePositives: 0,
    });
  });
});
