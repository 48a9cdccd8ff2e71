/**
 * IRAF's zscale display limits, with the algorithm and defaults of
 * `astropy.visualization.ZScaleInterval`:
 *
 * 1. Take up to `nSamples` finite values at a regular stride and sort them.
 * 2. Fit a straight line to the sorted samples (value against rank), rejecting points more than
 *    `krej`·σ from the line and growing each rejection by 1% of the samples, for up to
 *    `maxIterations` rounds or until fewer than max(minNpixels, maxReject·n) points remain.
 * 3. If enough points remain, the limits are median ∓ (slope/contrast) × ranks from the centre,
 *    clipped to the sample range; otherwise the sample min and max.
 */

/** Options of {@link zscale}, with astropy's names and defaults. */
export interface ZScaleOptions {
  /** @default 1000 */
  readonly nSamples?: number;
  /** @default 0.25 */
  readonly contrast?: number;
  /** @default 0.5 */
  readonly maxReject?: number;
  /** @default 5 */
  readonly minNpixels?: number;
  /** @default 2.5 */
  readonly krej?: number;
  /** @default 5 */
  readonly maxIterations?: number;
}

/** Display limits. */
export interface Limits {
  readonly vmin: number;
  readonly vmax: number;
}

/** Weighted least-squares line y = slope·x + intercept over the points with good[i]. */
function fitLine(y: Float64Array, good: Uint8Array): { slope: number; intercept: number } {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < y.length; i++) {
    if (!good[i]) continue;
    n++;
    sx += i;
    sy += y[i]!;
  }
  const mx = sx / n;
  const my = sy / n;
  // Centred sums avoid the cancellation of the textbook formula.
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < y.length; i++) {
    if (!good[i]) continue;
    sxx += (i - mx) * (i - mx);
    sxy += (i - mx) * (y[i]! - my);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  return { slope, intercept: my - slope * mx };
}

/** zscale limits of the finite values in `values` (see the module comment). */
export function zscale(values: ArrayLike<number>, options: ZScaleOptions = {}): Limits {
  const nSamples = options.nSamples ?? 1000;
  const contrast = options.contrast ?? 0.25;
  const maxReject = options.maxReject ?? 0.5;
  const minNpixels = options.minNpixels ?? 5;
  const krej = options.krej ?? 2.5;
  const maxIterations = options.maxIterations ?? 5;

  let finite = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) finite++;
  if (finite === 0) throw new RangeError('zscale: no finite values');
  const stride = Math.floor(Math.max(1, finite / nSamples));
  const picked: number[] = [];
  let k = 0;
  for (let i = 0; i < values.length && picked.length < nSamples; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (k % stride === 0) picked.push(v);
    k++;
  }
  const samples = Float64Array.from(picked).sort();
  const npix = samples.length;
  let vmin = samples[0]!;
  let vmax = samples[npix - 1]!;
  const minpix = Math.max(minNpixels, Math.floor(npix * maxReject));
  const ngrow = Math.max(1, Math.floor(npix * 0.01));
  // numpy.convolve(bad, ones(ngrow), "same") looks at [i + s - ngrow + 1, i + s] with s = (ngrow-1)//2.
  const shift = Math.floor((ngrow - 1) / 2);
  let good = new Uint8Array(npix).fill(1);
  let ngood = npix;
  let lastNgood = npix + 1;
  let fit: { slope: number; intercept: number } | undefined;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    if (ngood >= lastNgood || ngood < minpix) break;
    fit = fitLine(samples, good);
    let sum = 0;
    let n = 0;
    const flat = new Float64Array(npix);
    for (let i = 0; i < npix; i++) {
      flat[i] = samples[i]! - (fit.slope * i + fit.intercept);
      if (good[i]) {
        sum += flat[i]!;
        n++;
      }
    }
    const mean = sum / n;
    let ss = 0;
    for (let i = 0; i < npix; i++) if (good[i]) ss += (flat[i]! - mean) ** 2;
    const threshold = krej * Math.sqrt(ss / n);
    const bad = new Uint8Array(npix);
    for (let i = 0; i < npix; i++) bad[i] = !good[i] || flat[i]! < -threshold || flat[i]! > threshold ? 1 : 0;
    const grown = new Uint8Array(npix).fill(1);
    for (let i = 0; i < npix; i++) {
      for (let j = Math.max(0, i + shift - ngrow + 1); j <= Math.min(npix - 1, i + shift); j++) {
        if (bad[j]) {
          grown[i] = 0;
          break;
        }
      }
    }
    good = grown;
    lastNgood = ngood;
    ngood = good.reduce((a, b) => a + b, 0);
  }
  if (ngood >= minpix && fit !== undefined) {
    const slope = contrast > 0 ? fit.slope / contrast : fit.slope;
    const centre = Math.floor((npix - 1) / 2);
    const median = npix % 2 === 1 ? samples[centre]! : 0.5 * (samples[centre]! + samples[centre + 1]!);
    vmin = Math.max(vmin, median - (centre - 1) * slope);
    vmax = Math.min(vmax, median + (npix - centre) * slope);
  }
  return { vmin, vmax };
}
