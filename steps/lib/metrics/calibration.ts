/**
 * Expected calibration error (ECE) and reliability-diagram data for detection confidences.
 *
 * Definition (Naeini, Cooper & Hauskrecht 2015; Guo et al. 2017, eq. 3): split [0, 1] into B
 * equal-width bins, bin b = [b/B, (b+1)/B) with the last bin closed at 1 (a confidence p goes to
 * bin min(⌊p B⌋, B − 1)). For the n_b candidates in bin b, conf_b is their mean confidence and
 * acc_b the fraction that are true positives. Then
 *   ECE = Σ_b (n_b / N) |acc_b − conf_b|,
 * with N the number of candidates. Empty bins contribute nothing. Confidences must be
 * probabilities in [0, 1]; a score such as S_corr has no calibration to measure.
 */

/** One bin of a reliability diagram. */
export interface ReliabilityBin {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  /** Mean confidence of the candidates in the bin (NaN when empty). */
  readonly meanConfidence: number;
  /** Fraction of true positives in the bin (NaN when empty). */
  readonly accuracy: number;
}

/** ECE and the bins it was computed from. */
export interface Calibration {
  readonly expectedCalibrationError: number;
  readonly bins: readonly ReliabilityBin[];
}

/**
 * Compute the ECE with `nBins` equal-width bins.
 *
 * @throws RangeError when a confidence lies outside [0, 1] or `nBins` is not a positive integer.
 */
export function calibration(
  confidences: ArrayLike<number>,
  isPositive: ArrayLike<boolean>,
  nBins = 10,
): Calibration {
  if (!(Number.isInteger(nBins) && nBins > 0)) {
    throw new RangeError(`Expected \`nBins\` to be a positive integer, got \`${nBins}\``);
  }
  if (confidences.length !== isPositive.length) {
    throw new RangeError(
      `confidences (${confidences.length}) and isPositive (${isPositive.length}) differ in length`,
    );
  }
  const count = new Float64Array(nBins);
  const sumConfidence = new Float64Array(nBins);
  const sumPositive = new Float64Array(nBins);
  for (let i = 0; i < confidences.length; i++) {
    const p = confidences[i]!;
    if (!(p >= 0 && p <= 1)) {
      throw new RangeError(`confidence ${i} is ${p}; calibration needs probabilities in [0, 1]`);
    }
    const b = Math.min(Math.floor(p * nBins), nBins - 1);
    count[b]!++;
    sumConfidence[b]! += p;
    if (isPositive[i]) sumPositive[b]!++;
  }
  const n = confidences.length;
  let ece = 0;
  const bins: ReliabilityBin[] = [];
  for (let b = 0; b < nBins; b++) {
    const nb = count[b]!;
    const meanConfidence = nb > 0 ? sumConfidence[b]! / nb : Number.NaN;
    const accuracy = nb > 0 ? sumPositive[b]! / nb : Number.NaN;
    if (nb > 0) ece += (nb / n) * Math.abs(accuracy - meanConfidence);
    bins.push({ lower: b / nBins, upper: (b + 1) / nBins, count: nb, meanConfidence, accuracy });
  }
  return { expectedCalibrationError: n > 0 ? ece : Number.NaN, bins };
}
