/**
 * Network input scaling, shared by training and detection so a model sees the same numbers on
 * stamps and on whole images.
 *
 * Each channel is centred on its median and divided by a robust noise estimate
 * σ = 1.4826 · MAD (the normal-consistent median absolute deviation), then compressed with
 * asinh: x' = asinh((x − median) / σ). The asinh stretch is linear within ±1σ and logarithmic
 * beyond, so saturated stars in the science and reference channels do not dominate while a
 * 5–50σ transient still spans a useful range. NaN pixels (masked) become 0 (the median).
 */

/** Median and robust σ of the finite values (σ = 1 when the MAD is 0 or nothing is finite). */
export function robustStats(values: ArrayLike<number>): { median: number; sigma: number } {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) finite.push(v);
  }
  if (finite.length === 0) return { median: 0, sigma: 1 };
  const sorted = Float64Array.from(finite).sort();
  const median = medianOfSorted(sorted);
  const deviations = sorted.map((v) => Math.abs(v - median)).sort();
  const sigma = 1.4826 * medianOfSorted(deviations);
  return { median, sigma: sigma > 0 ? sigma : 1 };
}

function medianOfSorted(sorted: Float64Array): number {
  const n = sorted.length;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Scale one channel into `out` (which may be a slice of an interleaved buffer: element i goes to
 * `out[offset + i * stride]`), using the statistics of `stats ?? values`.
 */
export function normalizeChannel(
  values: ArrayLike<number>,
  out: Float32Array,
  offset = 0,
  stride = 1,
  stats: { median: number; sigma: number } = robustStats(values),
): void {
  const { median, sigma } = stats;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out[offset + i * stride] = Number.isFinite(v) ? Math.asinh((v - median) / sigma) : 0;
  }
}
