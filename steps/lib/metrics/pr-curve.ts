/**
 * Precision–recall curve over score thresholds, and average precision.
 *
 * For each distinct score t, from the highest down, the detector is taken to report the
 * candidates scoring ≥ t:
 *   TP(t) = positives with score ≥ t,  FP(t) = negatives with score ≥ t,
 *   precision(t) = TP / (TP + FP),     recall(t) = TP / nPositives,
 * where nPositives counts every truth object that should be found, including those no candidate
 * matched (so recall may stay below 1 however low the threshold).
 *
 * Average precision is the step-wise area without interpolation, as scikit-learn's
 * `average_precision_score` defines it: AP = Σₖ (Rₖ − Rₖ₋₁) Pₖ with R₀ = 0. With every positive
 * among the candidates (nPositives = number of positive candidates) both functions agree with
 * scikit-learn exactly; with undetected positives, recall and AP are scaled by the fraction of
 * positives detected.
 */
import { ratio } from './detection-scores.js';

/** One point of the curve. */
export interface PrPoint {
  /** Candidates scoring at least this are reported. */
  readonly threshold: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly precision: number;
  readonly recall: number;
}

/** The curve (thresholds decreasing, recall non-decreasing) and its average precision. */
export interface PrCurve {
  readonly points: readonly PrPoint[];
  readonly averagePrecision: number;
  readonly nPositives: number;
}

/**
 * Compute the precision–recall curve.
 *
 * @param scores candidate scores (finite)
 * @param isPositive per candidate, whether it is a true positive
 * @param nPositives number of objects that should be found (≥ the number of positive candidates)
 */
export function precisionRecallCurve(
  scores: ArrayLike<number>,
  isPositive: ArrayLike<boolean>,
  nPositives: number,
): PrCurve {
  if (scores.length !== isPositive.length) {
    throw new RangeError(`scores (${scores.length}) and isPositive (${isPositive.length}) differ in length`);
  }
  let positiveCandidates = 0;
  for (let i = 0; i < isPositive.length; i++) if (isPositive[i]) positiveCandidates++;
  if (!(Number.isInteger(nPositives) && nPositives >= positiveCandidates)) {
    throw new RangeError(
      `Expected \`nPositives\` to be an integer ≥ the ${positiveCandidates} positive candidates, got \`${nPositives}\``,
    );
  }
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const points: PrPoint[] = [];
  let tp = 0;
  let fp = 0;
  let averagePrecision = 0;
  let previousRecall = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (isPositive[i]) tp++;
    else fp++;
    const threshold = scores[i]!;
    // Tied scores form one threshold: emit the point after the last candidate of the tie.
    const next = order[k + 1];
    if (next !== undefined && scores[next] === threshold) continue;
    const precision = tp / (tp + fp);
    const recall = ratio(tp, nPositives);
    points.push({ threshold, truePositives: tp, falsePositives: fp, precision, recall });
    if (nPositives > 0) averagePrecision += (recall - previousRecall) * precision;
    previousRecall = recall;
  }
  return { points, averagePrecision: nPositives > 0 ? averagePrecision : Number.NaN, nPositives };
}

/**
 * The lowest false-positive count among thresholds reaching `targetRecall`: since FP and recall
 * both grow as the threshold falls, this is the first (highest) such threshold. `undefined` when
 * no threshold reaches it.
 */
export function operatingPointAtRecall(curve: PrCurve, targetRecall: number): PrPoint | undefined {
  return curve.points.find((p) => p.recall >= targetRecall);
}
