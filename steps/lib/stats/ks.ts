/**
 * The two-sample Kolmogorov–Smirnov statistic D = sup_x |F₁(x) − F₂(x)| between the empirical
 * distribution functions of two samples (scipy's `ks_2samp(...).statistic`, two-sided).
 *
 * train-gan uses it to compare the physics of generated and training patches: D is 0 for
 * identical distributions and 1 for disjoint ones, whatever the units.
 */

/** Two-sample KS statistic; NaN when either sample is empty. */
export function ksStatistic(sample1: ArrayLike<number>, sample2: ArrayLike<number>): number {
  const a = Float64Array.from(sample1 as ArrayLike<number>).sort();
  const b = Float64Array.from(sample2 as ArrayLike<number>).sort();
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return Number.NaN;
  let i = 0;
  let j = 0;
  let d = 0;
  // Walk the merged order; at each distinct value step both ECDFs past all its copies, so ties
  // between the samples are compared after the jump, as the ECDFs are right-continuous.
  while (i < n1 && j < n2) {
    const x = Math.min(a[i] as number, b[j] as number);
    while (i < n1 && a[i] === x) i++;
    while (j < n2 && b[j] === x) j++;
    const gap = Math.abs(i / n1 - j / n2);
    if (gap > d) d = gap;
  }
  return d;
}
