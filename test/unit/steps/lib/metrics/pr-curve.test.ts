import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { operatingPointAtRecall, precisionRecallCurve } from '../../../../../steps/lib/metrics/pr-curve.js';
import { Random } from '../../../../../steps/lib/random.js';

const run = promisify(execFile);

describe('precisionRecallCurve', () => {
  it('computes every point and AP of a case worked out by hand', () => {
    // Scores 0.9 (TP), 0.8 (FP), 0.7 (TP), 0.7 (FP), 0.5 (TP); 4 objects to find (one never detected).
    const curve = precisionRecallCurve([0.9, 0.8, 0.7, 0.7, 0.5], [true, false, true, false, true], 4);
    expect(curve.points).toEqual([
      { threshold: 0.9, truePositives: 1, falsePositives: 0, precision: 1, recall: 0.25 },
      { threshold: 0.8, truePositives: 1, falsePositives: 1, precision: 0.5, recall: 0.25 },
      // The tie at 0.7 is one threshold: both candidates enter together.
      { threshold: 0.7, truePositives: 2, falsePositives: 2, precision: 0.5, recall: 0.5 },
      { threshold: 0.5, truePositives: 3, falsePositives: 2, precision: 0.6, recall: 0.75 },
    ]);
    // AP = 0.25·1 + 0·0.5 + 0.25·0.5 + 0.25·0.6 = 0.25 + 0.125 + 0.15 = 0.525.
    expect(curve.averagePrecision).toBeCloseTo(0.525, 15);
    expect(operatingPointAtRecall(curve, 0.5)?.threshold).toBe(0.7);
    expect(operatingPointAtRecall(curve, 0.9)).toBeUndefined();
  });

  it('gives an empty curve and NaN AP when there is nothing to find', () => {
    const curve = precisionRecallCurve([], [], 0);
    expect(curve.points).toEqual([]);
    expect(curve.averagePrecision).toBeNaN();
  });

  it('refuses fewer objects to find than positive candidates', () => {
    expect(() => precisionRecallCurve([1, 2], [true, true], 1)).toThrow(
      'Expected `nPositives` to be an integer ≥ the 2 positive candidates, got `1`',
    );
  });

  it('agrees with scikit-learn precision_recall_curve and average_precision_score on random data', async () => {
    // 300 scores rounded to 2 decimals, so ties occur and tie handling is compared too.
    const rng = new Random(11);
    const n = 300;
    const scores = Array.from({ length: n }, () => Math.round(rng.uniform() * 100) / 100);
    const labels = scores.map((s) => rng.uniform() < s); // higher score, more likely positive
    const nPositives = labels.filter(Boolean).length;
    const curve = precisionRecallCurve(scores, labels, nPositives);

    const dir = await mkdtemp(join(tmpdir(), 'asterism-pr-'));
    try {
      await writeFile(join(dir, 'in.json'), JSON.stringify({ scores, labels }));
      const script = `
import json, sys
from sklearn.metrics import precision_recall_curve, average_precision_score
d = json.load(open(sys.argv[1]))
p, r, t = precision_recall_curve(d['labels'], d['scores'])
json.dump({'precision': p.tolist(), 'recall': r.tolist(), 'thresholds': t.tolist(),
           'ap': average_precision_score(d['labels'], d['scores'])}, open(sys.argv[2], 'w'))
`;
      await run('/usr/bin/python3', ['-c', script, join(dir, 'in.json'), join(dir, 'out.json')]);
      const ref = JSON.parse(await readFile(join(dir, 'out.json'), 'utf8')) as {
        precision: number[];
        recall: number[];
        thresholds: number[];
        ap: number;
      };
      // scikit-learn lists thresholds increasing, with a final (precision 1, recall 0) point, and
      // stops at full recall (dropping lower thresholds, which add only false positives).
      const refPoints = ref.thresholds.map((threshold, i) => ({
        threshold,
        precision: ref.precision[i]!,
        recall: ref.recall[i]!,
      }));
      refPoints.reverse();
      const ours = curve.points.slice(0, refPoints.length);
      expect(curve.points.slice(refPoints.length).every((p) => p.recall === 1)).toBe(true);
      // Tolerance: both compute the same integer ratios in float64; 1e-12 allows summation order only.
      ours.forEach((p, i) => {
        expect(p.threshold).toBe(refPoints[i]!.threshold);
        expect(Math.abs(p.precision - refPoints[i]!.precision)).toBeLessThan(1e-12);
        expect(Math.abs(p.recall - refPoints[i]!.recall)).toBeLessThan(1e-12);
      });
      expect(Math.abs(curve.averagePrecision - ref.ap)).toBeLessThan(1e-12);

      // With undetected positives, recall and AP scale by the detected fraction.
      const scaled = precisionRecallCurve(scores, labels, 2 * nPositives);
      expect(Math.abs(scaled.averagePrecision - ref.ap / 2)).toBeLessThan(1e-12);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
