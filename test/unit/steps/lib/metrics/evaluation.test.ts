import { describe, expect, it } from 'vitest';
import { evaluateDetections } from '../../../../../steps/lib/metrics/evaluation.js';
import {
  intersectionOverUnion,
  type LabelMap,
  labelNear,
  pixelsByLabel,
} from '../../../../../steps/lib/metrics/footprints.js';
import type { Candidate, TruthObject } from '../../../../../steps/lib/metrics/types.js';

/** A 10×10 label map from a list of [x, y, label]. */
function labelMap(pixels: readonly [number, number, number][]): LabelMap {
  const labels = new Int32Array(100);
  for (const [x, y, label] of pixels) labels[y * 10 + x] = label;
  return { width: 10, height: 10, labels };
}

describe('footprints', () => {
  it('finds the label under a position or the nearest within the radius', () => {
    const map = labelMap([
      [2, 2, 7],
      [5, 2, 9],
    ]);
    expect(labelNear(map, 2.4, 1.6, 0)).toBe(7); // rounds to pixel (2, 2)
    expect(labelNear(map, 3.6, 2, 3)).toBe(9); // 1.4 px from (5,2), 1.6 px from (2,2)
    expect(labelNear(map, 8, 8, 3)).toBe(0);
  });

  it('computes IoU of pixel sets', () => {
    expect(intersectionOverUnion([1, 2, 3, 4], [3, 4, 5])).toBe(2 / 5);
    expect(intersectionOverUnion([], [])).toBe(0);
    expect([...pixelsByLabel(labelMap([[3, 1, 2]])).entries()]).toEqual([[2, [13]]]);
  });
});

describe('evaluateDetections', () => {
  // Field `a`: a supernova whose mask is the 2×2 square x,y ∈ {1,2}, and a mover whose trail is
  // row 6, x = 2..8. Field `b`: a cosmic ray (artifact) at (5, 5) with a 1-pixel mask.
  const truth: TruthObject[] = [
    { field: 'a', x: 1.5, y: 1.5, kind: 'supernova', real: true, snr: 20 },
    { field: 'a', x: 5, y: 6, kind: 'mover', real: true, snr: 8 },
    { field: 'b', x: 5, y: 5, kind: 'cosmic_ray', real: false, snr: 30 },
  ];
  const truthMaps = new Map([
    [
      'a',
      {
        real: labelMap([
          [1, 1, 1],
          [2, 1, 1],
          [1, 2, 1],
          [2, 2, 1],
          ...[2, 3, 4, 5, 6, 7, 8].map((x): [number, number, number] => [x, 6, 2]),
        ]),
        artifact: labelMap([]),
      },
    ],
    ['b', { real: labelMap([]), artifact: labelMap([[5, 5, 1]]) }],
  ]);
  // Detections: on `a`, component 1 = row 1, x = 1..3 (3 px) for the supernova, component 2 =
  // the pixels (7,6),(8,6) at the end of the trail; on `b`, component 1 on the cosmic ray.
  const detectionMaps = new Map([
    [
      'a',
      labelMap([
        [1, 1, 1],
        [2, 1, 1],
        [3, 1, 1],
        [7, 6, 2],
        [8, 6, 2],
      ]),
    ],
    ['b', labelMap([[5, 5, 1]])],
  ]);
  const candidates: Candidate[] = [
    { field: 'a', x: 2, y: 1, score: 0.9, label: 1 },
    { field: 'a', x: 7.5, y: 6, score: 0.6, label: 2 }, // 2.5 px from the mover's position
    { field: 'b', x: 5, y: 5, score: 0.7, label: 1 },
  ];

  it('matches by footprint, measures IoU, and splits the bright subset (worked by hand)', () => {
    const e = evaluateDetections({ candidates, truth, nImages: 2, radiusPx: 1, truthMaps, detectionMaps });
    // Radius 1 px: the mover candidate is 2.5 px away but on the trail footprint, so it matches.
    expect(e.matching.candidateClass).toEqual(['real', 'real', 'artifact']);
    expect(e.all).toMatchObject({ truePositives: 2, falsePositives: 1, falseNegatives: 0, recall: 1 });
    expect(e.all.falsePositivesPerImage).toBe(0.5);
    expect(e.all.artifacts.byKind.cosmic_ray).toEqual({ n: 1, reported: 1, rejectionRate: 0 });
    // IoU: supernova: detection {x=1,2,3 on row 1} vs truth square {1,2}×{1,2}: 2 / (3 + 4 − 2) = 0.4.
    // Mover: detection {7,8 on row 6} vs trail x = 2..8: 2 / 7. Mean = (0.4 + 2/7) / 2.
    expect(e.iou).toEqual({ mean: (0.4 + 2 / 7) / 2, n: 2, nWithoutFootprint: 0 });
    // Bright (S/N ≥ 10): the mover (S/N 8) is "don't care"; its candidate is ignored.
    expect(e.bright).toMatchObject({
      snrMin: 10,
      ignored: 1,
      truePositives: 1,
      falsePositives: 1,
      recall: 1,
    });
    // Curve over bright: scores 0.9 (TP), 0.7 (FP). Recall 0.9 is first reached at 0.9 with 0 FP.
    expect(e.bright.atTargetRecall).toEqual({
      targetRecall: 0.9,
      threshold: 0.9,
      recall: 1,
      precision: 1,
      falsePositivesPerImage: 0,
    });
    expect(e.bright.averagePrecision).toBe(1);
    // Calibration over the three scores (all in [0, 1]); 10 bins: 0.6 (TP) in bin 6, 0.7 (FP) in
    // bin 7, 0.9 (TP) in bin 9: ECE = (|1 − 0.6| + |0 − 0.7| + |1 − 0.9|) / 3 = 1.2 / 3.
    expect(e.calibration?.expectedCalibrationError).toBeCloseTo(0.4, 15);
  });

  it('matches by distance only and has no IoU without masks; no calibration for S_corr scores', () => {
    const scorr = candidates.map((c) => ({ ...c, score: c.score * 10 }));
    const e = evaluateDetections({ candidates: scorr, truth, nImages: 2, radiusPx: 1 });
    expect(e.matching.candidateClass).toEqual(['real', 'none', 'artifact']);
    expect(e.iou).toBeNull();
    expect(e.calibration).toBeNull();
  });
});
