import { describe, expect, it } from 'vitest';
import { summarizeDetections } from '../../../../../steps/lib/metrics/detection-scores.js';
import { matchCandidates } from '../../../../../steps/lib/metrics/match.js';
import type { Candidate, TruthObject } from '../../../../../steps/lib/metrics/types.js';

const t = (field: string, x: number, kind: string, real: boolean, snr: number): TruthObject => ({
  field,
  x,
  y: 0,
  kind,
  real,
  snr,
});
const c = (field: string, x: number, score: number): Candidate => ({ field, x, y: 0, score });

// Two images. Truth: 4 supernovae (one faint, S/N 5), 2 movers, 3 cosmic rays, 1 hot pixel.
const truth: TruthObject[] = [
  t('f1', 10, 'supernova', true, 20), // 0: found by candidate 0
  t('f1', 30, 'supernova', true, 12), // 1: missed
  t('f1', 50, 'mover', true, 15), // 2: found by candidate 1
  t('f1', 70, 'cosmic_ray', false, 50), // 3: reported by candidate 2
  t('f2', 10, 'supernova', true, 5), // 4: faint, found by candidate 3
  t('f2', 30, 'supernova', true, 30), // 5: found by candidate 4
  t('f2', 50, 'mover', true, 11), // 6: missed
  t('f2', 70, 'cosmic_ray', false, 40), // 7: not reported
  t('f2', 90, 'cosmic_ray', false, 40), // 8: not reported
  t('f2', 110, 'hot_pixel', false, 40), // 9: reported by candidate 5
];
const candidates: Candidate[] = [
  c('f1', 11, 0.9), // 0 -> truth 0
  c('f1', 51, 0.8), // 1 -> truth 2
  c('f1', 70, 0.7), // 2 -> artifact 3
  c('f2', 10, 0.6), // 3 -> truth 4 (S/N 5)
  c('f2', 31, 0.95), // 4 -> truth 5
  c('f2', 110, 0.3), // 5 -> artifact 9
  c('f2', 200, 0.4), // 6 -> nothing
];

describe('summarizeDetections', () => {
  const matching = matchCandidates(candidates, truth);

  it('counts TP, FP, FN and the ratios on a case worked out by hand', () => {
    const s = summarizeDetections(candidates, truth, matching, { nImages: 2 });
    // TP: candidates 0, 1, 3, 4 -> 4. FP: 2 (artifact), 5 (artifact), 6 (nothing) -> 3.
    // Real transients: 6, of which truth 1 and 6 are missed -> FN 2.
    expect(s).toMatchObject({ nImages: 2, nCandidates: 7, ignored: 0, truePositives: 4, falsePositives: 3 });
    expect(s.falseNegatives).toBe(2);
    expect(s.precision).toBeCloseTo(4 / 7, 15);
    expect(s.recall).toBeCloseTo(4 / 6, 15);
    // F1 = 2PR/(P+R) = 2·(4/7)(2/3)/((4/7)+(2/3)) = (16/21)/(26/21) = 8/13.
    expect(s.f1).toBeCloseTo(8 / 13, 15);
    expect(s.falsePositivesPerImage).toBe(1.5);
    // Supernovae: 4, found 3 (truth 0, 4, 5). Movers: 2, found 1.
    expect(s.recallByKind).toEqual({
      mover: { n: 2, detected: 1, recall: 0.5 },
      supernova: { n: 4, detected: 3, recall: 0.75 },
    });
    // Artifacts: 4, reported 2 -> rejection 0.5; cosmic rays: 3, reported 1 -> 2/3; hot pixels 1 of 1 reported -> 0.
    expect(s.artifacts.n).toBe(4);
    expect(s.artifacts.reported).toBe(2);
    expect(s.artifacts.rejectionRate).toBe(0.5);
    expect(s.artifacts.byKind.cosmic_ray).toEqual({ n: 3, reported: 1, rejectionRate: 2 / 3 });
    expect(s.artifacts.byKind.hot_pixel).toEqual({ n: 1, reported: 1, rejectionRate: 0 });
  });

  it('treats real transients outside the filter as "don\'t care"', () => {
    const s = summarizeDetections(candidates, truth, matching, {
      nImages: 2,
      realFilter: (o) => (o.snr ?? 0) >= 10,
    });
    // Truth 4 (S/N 5) no longer counts: candidate 3 is ignored, not a TP and not a FP.
    expect(s).toMatchObject({ ignored: 1, truePositives: 3, falsePositives: 3, falseNegatives: 2 });
    expect(s.precision).toBe(0.5);
    expect(s.recall).toBe(3 / 5);
    expect(s.recallByKind.supernova).toEqual({ n: 3, detected: 2, recall: 2 / 3 });
  });

  it('gives NaN (null in JSON) for undefined ratios and 0 FP per image without candidates', () => {
    const s = summarizeDetections([], [], matchCandidates([], []), { nImages: 3 });
    expect(s.precision).toBeNaN();
    expect(s.recall).toBeNaN();
    expect(s.f1).toBeNaN();
    expect(s.falsePositivesPerImage).toBe(0);
    expect(JSON.parse(JSON.stringify(s)).precision).toBeNull();
  });

  it('requires a positive image count', () => {
    expect(() => summarizeDetections([], [], matchCandidates([], []), { nImages: 0 })).toThrow(
      'Expected `nImages` to be a positive integer, got `0`',
    );
  });
});
