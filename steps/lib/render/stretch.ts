/**
 * Mapping pixel values to [0, 1] for display: an interval (which values become 0 and 1) followed
 * by a stretch, with astropy.visualization's definitions:
 * - intervals: `zscale` (zscale.ts), `minmax`, `percentile` (central p% of finite values, as
 *   `PercentileInterval`), or explicit limits;
 * - stretches on x = clip((v - vmin)/(vmax - vmin), 0, 1): `linear` x; `asinh`
 *   asinh(x/a)/asinh(1/a) (AsinhStretch, a = 0.1 by default); `sqrt` √x; `log`
 *   log(a·x + 1)/log(a + 1) (LogStretch, a = 1000).
 * NaN stays NaN (drawn with the colormap's "bad" colour).
 */
import { type Limits, type ZScaleOptions, zscale } from './zscale.js';

/** Which values map to 0 and 1. */
export type Interval =
  | { readonly kind: 'zscale'; readonly options?: ZScaleOptions }
  | { readonly kind: 'minmax' }
  | { readonly kind: 'percentile'; readonly percent: number }
  | { readonly kind: 'manual'; readonly vmin: number; readonly vmax: number };

/** Stretch names. */
export type StretchName = 'linear' | 'asinh' | 'sqrt' | 'log';

/** Options of {@link normalize}. */
export interface NormalizeOptions {
  /** @default { kind: 'zscale' } */
  readonly interval?: Interval;
  /** @default 'linear' */
  readonly stretch?: StretchName;
  /** The `a` of the asinh (default 0.1) or log (default 1000) stretch. */
  readonly a?: number;
}

function finiteSorted(values: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) out.push(values[i]!);
  return Float64Array.from(out).sort();
}

/** Linear-interpolated percentile of sorted values (numpy's default method). */
function percentileSorted(sorted: Float64Array, q: number): number {
  const pos = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}

/** The limits an interval gives for `values`. */
export function intervalLimits(values: ArrayLike<number>, interval: Interval): Limits {
  switch (interval.kind) {
    case 'zscale':
      return zscale(values, interval.options);
    case 'manual':
      return { vmin: interval.vmin, vmax: interval.vmax };
    case 'minmax': {
      const sorted = finiteSorted(values);
      if (sorted.length === 0) throw new RangeError('minmax interval: no finite values');
      return { vmin: sorted[0]!, vmax: sorted[sorted.length - 1]! };
    }
    case 'percentile': {
      const sorted = finiteSorted(values);
      if (sorted.length === 0) throw new RangeError('percentile interval: no finite values');
      const lower = (100 - interval.percent) / 2;
      return { vmin: percentileSorted(sorted, lower), vmax: percentileSorted(sorted, 100 - lower) };
    }
  }
}

/** Map values to [0, 1] (NaN stays NaN) with an interval and a stretch. */
export function normalize(values: ArrayLike<number>, options: NormalizeOptions = {}): Float64Array {
  const { vmin, vmax } = intervalLimits(values, options.interval ?? { kind: 'zscale' });
  const stretch = options.stretch ?? 'linear';
  const span = vmax - vmin;
  const a = options.a ?? (stretch === 'log' ? 1000 : 0.1);
  const asinhNorm = Math.asinh(1 / a);
  const logNorm = Math.log(a + 1);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) {
      out[i] = Number.NaN;
      continue;
    }
    const x = span > 0 ? Math.min(1, Math.max(0, (v - vmin) / span)) : v > vmin ? 1 : 0;
    switch (stretch) {
      case 'linear':
        out[i] = x;
        break;
      case 'asinh':
        out[i] = Math.asinh(x / a) / asinhNorm;
        break;
      case 'sqrt':
        out[i] = Math.sqrt(x);
        break;
      case 'log':
        out[i] = Math.log(a * x + 1) / logNorm;
        break;
    }
  }
  return out;
}
