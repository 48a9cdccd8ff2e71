import { describe, expect, it } from 'vitest';
import { calibration } from '../../../../../steps/lib/metrics/calibration.js';

describe('calibration', () => {
  it('computes bins and ECE of a case worked out by hand', () => {
    // 4 bins of width 0.25. Bin 0: {0.1 (neg)}; bin 2: {0.6 (pos), 0.6 (neg)}; bin 3: {0.9, 1.0 (pos, pos)}.
    const c = calibration([0.1, 0.6, 0.6, 0.9, 1.0], [false, true, false, true, true], 4);
    expect(c.bins.map((b) => b.count)).toEqual([1, 0, 2, 2]);
    expect(c.bins[0]).toEqual({ lower: 0, upper: 0.25, count: 1, meanConfidence: 0.1, accuracy: 0 });
    expect(c.bins[1]!.accuracy).toBeNaN();
    expect(c.bins[2]).toMatchObject({ meanConfidence: 0.6, accuracy: 0.5 });
    expect(c.bins[3]!.meanConfidence).toBeCloseTo(0.95, 15);
    expect(c.bins[3]!.accuracy).toBe(1);
    // ECE = (1/5)|0 − 0.1| + (2/5)|0.5 − 0.6| + (2/5)|1 − 0.95| = 0.02 + 0.04 + 0.02 = 0.08.
    expect(c.expectedCalibrationError).toBeCloseTo(0.08, 15);
  });

  it('is 0 for perfectly calibrated confidences', () => {
    // Half of the 0.5s are right, all of the 1s: each bin's accuracy equals its confidence.
    const c = calibration([0.5, 0.5, 1, 1], [true, false, true, true], 10);
    expect(c.expectedCalibrationError).toBe(0);
  });

  it('puts confidence 1 in the last bin and rejects values outside [0, 1]', () => {
    expect(calibration([1], [true], 10).bins[9]!.count).toBe(1);
    expect(() => calibration([5.2], [true])).toThrow(
      'confidence 0 is 5.2; calibration needs probabilities in [0, 1]',
    );
  });
});
