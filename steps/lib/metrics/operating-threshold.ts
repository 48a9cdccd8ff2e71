/**
 * Choosing a detector's operating threshold on validation fields (never on the fields it is
 * scored on): the probability maps are segmented at each threshold of a grid, each segmentation is
 * scored against the truth exactly as `evaluate` scores it, and the rule below picks one.
 *
 * Rule (in this order):
 * 1. `fp-bound`: among thresholds whose false-positive rate is *demonstrated* to be at most
 *    `maxFalsePositivesPerMegapixel` — the one-sided Poisson upper bound (`confidence`, 95 %) of
 *    the count, divided by the megapixels searched, is within it — the highest recall; equal
 *    recall → fewer false positives; then the lower threshold.
 * 2. `recall-floor`: when the validation area is too small to demonstrate the bound (no false
 *    positive on A Mpx only bounds the rate by ≈ 3/A: 9 per Mpx on five 256² fields), the count of
 *    false positives says nothing about the rate that matters, so it is not used to trade recall
 *    for margin: the highest threshold whose validation recall is still ≥ `minRecall` is taken.
 *    Recall is measured on every validation transient (tens), the noise tail on zero or a few
 *    peaks; so the margin against noise peaks the validation fields cannot show is made as large
 *    as the recall requirement allows.
 * 3. `fewest-fp`: no threshold reaches `minRecall` either: the fewest false positives, then the
 *    higher recall, then the lower threshold.
 * `withinBound` is true only for rule 1.
 *
 * The bound is per area, not per image: false positives on noise scale with the number of
 * independent noise peaks, i.e. with the area searched, so a rate per megapixel carries over
 * from 256² validation stamps to a 1024×682 survey frame where a rate per image does not.
 */
import { labelComponents } from '../image/components.js';
import { evaluateDetections, type TruthLabelMaps } from './evaluation.js';
import type { LabelMap } from './footprints.js';
import { segmentMap } from './map-candidates.js';
import { poissonUpperBound } from './poisson-bound.js';
import type { Candidate, TruthObject } from './types.js';

/** The default grid: dense near 1, where over-confident segmentation networks operate. */
export const DEFAULT_THRESHOLD_GRID: readonly number[] = [
  0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.998, 0.999, 0.9995, 0.9998, 0.9999,
];

/** Scores of one threshold on the validation fields (all real transients count). */
export interface ThresholdPoint {
  readonly threshold: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  /** NaN when there are no real transients. */
  readonly recall: number;
  /** NaN when nothing was detected. */
  readonly precision: number;
  readonly falsePositivesPerImage: number;
  /** False positives per 10⁶ pixels searched. */
  readonly falsePositivesPerMegapixel: number;
  /** The area searched, in 10⁶ pixels. */
  readonly megapixels: number;
}

/** How the operating threshold is chosen (see the module comment). */
export interface OperatingRule {
  readonly maxFalsePositivesPerMegapixel: number;
  /** Validation recall the fallback keeps while raising the threshold (rule 2). */
  readonly minRecall: number;
  /** Confidence of the Poisson upper bound on the false-positive count (default 0.95). */
  readonly confidence?: number;
}

/** Which step of the rule decided. */
export type OperatingBasis = 'fp-bound' | 'recall-floor' | 'fewest-fp';

/** The chosen point, which rule chose it and whether the false-positive bound was demonstrated. */
export interface OperatingChoice {
  readonly point: ThresholdPoint;
  readonly withinBound: boolean;
  readonly basis: OperatingBasis;
  /** The upper confidence bound of the chosen point's false positives per megapixel. */
  readonly falsePositivesUpperPerMegapixel: number;
}

/** Pick the operating point from `points` (see the module comment for the rule). */
export function chooseOperatingThreshold(
  points: readonly ThresholdPoint[],
  rule: OperatingRule,
): OperatingChoice {
  if (points.length === 0) throw new RangeError('no threshold points to choose from');
  const confidence = rule.confidence ?? 0.95;
  const upper = (p: ThresholdPoint) =>
    p.megapixels > 0
      ? poissonUpperBound(p.falsePositives, confidence) / p.megapixels
      : Number.POSITIVE_INFINITY;
  const recallOf = (p: ThresholdPoint) => (Number.isNaN(p.recall) ? 0 : p.recall);
  const choose = (point: ThresholdPoint, basis: OperatingBasis): OperatingChoice => ({
    point,
    withinBound: basis === 'fp-bound',
    basis,
    falsePositivesUpperPerMegapixel: upper(point),
  });
  const within = points.filter((p) => upper(p) <= rule.maxFalsePositivesPerMegapixel);
  if (within.length > 0) {
    const best = [...within].sort(
      (a, b) => recallOf(b) - recallOf(a) || a.falsePositives - b.falsePositives || a.threshold - b.threshold,
    )[0]!;
    return choose(best, 'fp-bound');
  }
  const recalling = points.filter((p) => recallOf(p) >= rule.minRecall);
  if (recalling.length > 0) {
    return choose([...recalling].sort((a, b) => b.threshold - a.threshold)[0]!, 'recall-floor');
  }
  const best = [...points].sort(
    (a, b) => a.falsePositives - b.falsePositives || recallOf(b) - recallOf(a) || a.threshold - b.threshold,
  )[0]!;
  return choose(best, 'fewest-fp');
}

/**
 * Every threshold that yields a distinct set of detections on `fields`: the grid, plus the peak
 * score of every component found at the grid's lowest threshold (segmenting at a peak value drops
 * that component, since a pixel must exceed the threshold). Without the peaks the choice is capped
 * by the grid's spacing: an over-confident network puts its scores within 1e-4 of 1, where a
 * fixed grid has only a few points. Sorted ascending, duplicates removed.
 */
export function candidateThresholds(
  fields: readonly ScoredField[],
  grid: readonly number[] = DEFAULT_THRESHOLD_GRID,
): number[] {
  const lowest = Math.min(...grid);
  const peaks = fields.flatMap((f) =>
    segmentMap(f.probability, f.width, f.height, lowest).candidates.map((c) => c.score),
  );
  return [...new Set([...grid, ...peaks])].sort((a, b) => a - b);
}

/** One validation field: its probability map, truth catalog rows and truth mask classes. */
export interface ScoredField {
  readonly field: string;
  readonly width: number;
  readonly height: number;
  readonly probability: ArrayLike<number>;
  readonly truth: readonly TruthObject[];
  /** 0 background, 1 real transient, 2 artifact (enables footprint matching, as in `evaluate`). */
  readonly mask?: ArrayLike<number>;
}

function truthMapsOf(field: ScoredField): TruthLabelMaps | undefined {
  const { mask, width, height } = field;
  if (mask === undefined) return undefined;
  const ofClass = (value: number): LabelMap => {
    const binary = new Uint8Array(width * height);
    for (let i = 0; i < binary.length; i++) binary[i] = mask[i] === value ? 1 : 0;
    return { width, height, labels: labelComponents(binary, width, height, 8).labels };
  };
  return { real: ofClass(1), artifact: ofClass(2) };
}

/** Segment every field at each threshold and score it against the truth (radius in pixels). */
export function thresholdPoints(
  fields: readonly ScoredField[],
  thresholds: readonly number[] = DEFAULT_THRESHOLD_GRID,
  radiusPx = 3,
): ThresholdPoint[] {
  if (fields.length === 0) throw new RangeError('no fields to choose a threshold on');
  const megapixels = fields.reduce((sum, f) => sum + f.width * f.height, 0) / 1e6;
  const truth = fields.flatMap((f) => f.truth.filter((t) => t.field === f.field));
  const truthMaps = new Map<string, TruthLabelMaps>();
  for (const f of fields) {
    const maps = truthMapsOf(f);
    if (maps !== undefined) truthMaps.set(f.field, maps);
  }
  return thresholds.map((threshold) => {
    const candidates: Candidate[] = fields.flatMap((f) =>
      segmentMap(f.probability, f.width, f.height, threshold).candidates.map((c) => ({
        field: f.field,
        ...c,
      })),
    );
    const { all } = evaluateDetections({
      candidates,
      truth,
      nImages: fields.length,
      radiusPx,
      ...(truthMaps.size > 0 ? { truthMaps } : {}),
    });
    return {
      threshold,
      truePositives: all.truePositives,
      falsePositives: all.falsePositives,
      falseNegatives: all.falseNegatives,
      recall: all.recall,
      precision: all.precision,
      falsePositivesPerImage: all.falsePositivesPerImage,
      falsePositivesPerMegapixel: all.falsePositives / megapixels,
      megapixels,
    };
  });
}
