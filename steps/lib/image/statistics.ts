/**
 * Robust statistics on pixel values: median, MAD, MAD-std, and sigma-clipped statistics with
 * `astropy.stats.sigma_clipped_stats` semantics. NaN and ±inf are ignored everywhere (as astropy
 * does); an input with no finite value gives NaN results.
 */

/** 1/Φ⁻¹(3/4): converts a median absolute deviation to σ for Gaussian data (astropy's mad_std). */
export const MAD_TO_SIGMA = 1 / 0.6744897501960817;

/** The finite values of `values` in a new array. */
export function finiteValues(values: ArrayLike<number>): Float64Array {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) count++;
  const out = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) out[k++] = v;
  }
  return out;
}

/**
 * Reorder `a[lo..hi]` so that a[k] is the value of rank k, smaller values before it and larger after
 * (Hoare's selection with median-of-three pivots; O(n) expected). Modifies `a`.
 */
function select(a: Float64Array, k: number, lo: number, hi: number): number {
  let left = lo;
  let right = hi;
  while (right > left) {
    const mid = (left + right) >>> 1;
    // Median of three as pivot guards against sorted input.
    let p = a[mid]!;
    const l = a[left]!;
    const r = a[right]!;
    if ((l <= p && p <= r) || (r <= p && p <= l)) {
      // p already the median
    } else if ((p <= l && l <= r) || (r <= l && l <= p)) {
      p = l;
    } else {
      p = r;
    }
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i]! < p) i++;
      while (a[j]! > p) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return a[k]!;
  }
  return a[k]!;
}

/**
 * Median of finite values in `work[0..n)`, reordering `work` in place (numpy's median: the mean of
 * the two middle values for even n). NaN for n = 0.
 */
export function medianInPlace(work: Float64Array, n = work.length): number {
  if (n === 0) return Number.NaN;
  const half = n >>> 1;
  const upper = select(work, half, 0, n - 1);
  if (n % 2 === 1) return upper;
  // After selection every value left of `half` is ≤ upper: the lower middle is their maximum.
  let lower = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < half; i++) if (work[i]! > lower) lower = work[i]!;
  return 0.5 * (lower + upper);
}

/** Median of the finite values (NaN when there are none). */
export function median(values: ArrayLike<number>): number {
  return medianInPlace(finiteValues(values));
}

/** Median absolute deviation from the median, median(|x - median(x)|), over finite values. */
export function mad(values: ArrayLike<number>): number {
  const work = finiteValues(values);
  const centre = medianInPlace(work);
  for (let i = 0; i < work.length; i++) work[i] = Math.abs(work[i]! - centre);
  return medianInPlace(work);
}

/** σ estimated from the MAD: 1.4826·MAD (`astropy.stats.mad_std`, ignoring NaN). */
export function madStd(values: ArrayLike<number>): number {
  return MAD_TO_SIGMA * mad(values);
}

/** Options of {@link sigmaClippedStats}, named as in astropy. */
export interface SigmaClipOptions {
  /** Clipping threshold in standard deviations, both sides. @default 3 */
  readonly sigma?: number;
  /** Lower threshold, overriding `sigma`. */
  readonly sigmaLower?: number;
  /** Upper threshold, overriding `sigma`. */
  readonly sigmaUpper?: number;
  /** Maximum clipping iterations; `Infinity` iterates until nothing changes. @default 5 */
  readonly maxiters?: number;
  /** Centre of the clipping interval. @default 'median' */
  readonly cenfunc?: 'median' | 'mean';
  /** Delta degrees of freedom of the returned std (not of the clipping std, which uses 0). @default 0 */
  readonly stdDdof?: number;
}

/** Result of {@link sigmaClippedStats}. */
export interface ClippedStats {
  readonly mean: number;
  readonly median: number;
  readonly std: number;
  /** Number of values kept after clipping. */
  readonly count: number;
}

function meanStd(values: Float64Array, n: number, ddof: number): { mean: number; std: number } {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    ss += d * d;
  }
  return { mean, std: Math.sqrt(ss / (n - ddof)) };
}

/**
 * Iterative sigma clipping, as `astropy.stats.sigma_clipped_stats(data, sigma=3, maxiters=5)`:
 * non-finite values are dropped; then, until nothing is rejected or `maxiters` rounds are done, the
 * centre (median) and the population std of the kept values set bounds
 * [centre - σ_lower·std, centre + σ_upper·std], inclusive, and values outside are rejected.
 * Returns mean, median and std of the values kept.
 */
export function sigmaClippedStats(values: ArrayLike<number>, options: SigmaClipOptions = {}): ClippedStats {
  const sigmaLower = options.sigmaLower ?? options.sigma ?? 3;
  const sigmaUpper = options.sigmaUpper ?? options.sigma ?? 3;
  const maxiters = options.maxiters ?? 5;
  const useMedian = (options.cenfunc ?? 'median') === 'median';
  const kept = finiteValues(values);
  const work = new Float64Array(kept.length);
  let n = kept.length;
  for (let iteration = 0; iteration < maxiters && n > 0; iteration++) {
    const { mean, std } = meanStd(kept, n, 0);
    let centre = mean;
    if (useMedian) {
      work.set(kept.subarray(0, n));
      centre = medianInPlace(work, n);
    }
    const low = centre - sigmaLower * std;
    const high = centre + sigmaUpper * std;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const v = kept[i]!;
      if (v >= low && v <= high) kept[m++] = v;
    }
    const changed = m !== n;
    n = m;
    if (!changed) break;
  }
  if (n === 0) return { mean: Number.NaN, median: Number.NaN, std: Number.NaN, count: 0 };
  const { mean, std } = meanStd(kept, n, options.stdDdof ?? 0);
  work.set(kept.subarray(0, n));
  return { mean, median: medianInPlace(work, n), std, count: n };
}
