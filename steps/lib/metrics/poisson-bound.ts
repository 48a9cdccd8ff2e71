/**
 * The one-sided upper confidence bound of a Poisson mean: the λ at which seeing `k` or fewer
 * events has probability 1 − confidence (Garwood 1936; equal to ½ χ²_{confidence}(2k + 2)).
 * With k = 0 at 95 % it is ≈ 3.0 ("the rule of three"): seeing no false positive on A megapixels
 * bounds the rate only by ≈ 3/A per megapixel.
 */

/** P(X ≤ k) for X ~ Poisson(λ), summed in log space so large k and λ do not underflow. */
export function poissonCdf(k: number, lambda: number): number {
  if (lambda === 0) return 1;
  const logLambda = Math.log(lambda);
  let logTerm = -lambda;
  let logSum = logTerm;
  for (let i = 1; i <= k; i++) {
    logTerm += logLambda - Math.log(i);
    const hi = Math.max(logSum, logTerm);
    logSum = hi + Math.log(Math.exp(logSum - hi) + Math.exp(logTerm - hi));
  }
  return Math.min(1, Math.exp(logSum));
}

/** Upper bound λ_U with P(X ≤ k | λ_U) = 1 − confidence, by bisection to 1e-10 relative. */
export function poissonUpperBound(k: number, confidence = 0.95): number {
  if (!Number.isInteger(k) || k < 0)
    throw new RangeError(`event count must be a non-negative integer, got ${k}`);
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const alpha = 1 - confidence;
  let lo = k;
  let hi = k + 10 + 10 * Math.sqrt(k + 1);
  while (poissonCdf(k, hi) > alpha) hi *= 2;
  while (hi - lo > 1e-10 * hi) {
    const mid = (lo + hi) / 2;
    if (poissonCdf(k, mid) > alpha) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
