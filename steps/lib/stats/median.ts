/**
 * Order statistics: the median (numpy's `median`: the mean of the two middle values for an even
 * count) and quantiles with numpy's default linear interpolation.
 */

/** Sorted copy of the values as float64 (NaN not allowed: say which value is NaN). */
function sortedCopy(values: ArrayLike<number>): Float64Array {
  const sorted = Float64Array.from(values as ArrayLike<number>);
  for (let i = 0; i < sorted.length; i++) {
    if (Number.isNaN(sorted[i])) throw new RangeError(`value ${i} is NaN; remove or flag it first`);
  }
  return sorted.sort();
}

/** The median; NaN for no values. */
export function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5);
}

/** The q-quantile (0 ≤ q ≤ 1) with linear interpolation between order statistics (numpy's default). */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`Expected a quantile in [0, 1], got \`${q}\``);
  const sorted = sortedCopy(values);
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const position = q * (n - 1);
  const lo = Math.floor(position);
  const hi = Math.min(lo + 1, n - 1);
  const frac = position - lo;
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return frac === 0 ? a : a + (b - a) * frac;
}
