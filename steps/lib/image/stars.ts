/**
 * Star finding and centroiding.
 *
 * - {@link findPeaks}: local maxima above a threshold, as `photutils.detection.find_peaks`:
 *   value > threshold and value = the maximum of a box × box window (pixels beyond the edge do not
 *   count). Of a plateau of equal maxima only the first pixel in raster order is kept.
 * - {@link centroidWindowed}: the iterative Gaussian-windowed centroid of SExtractor's XWIN_IMAGE
 *   (Bertin, SExtractor manual §"Windowed positional parameters"):
 *   x_{k+1} = x_k + 2 Σ w_i I_i (x_i - x_k) / Σ w_i I_i,  w_i = exp(-r_i²/2σ_w²),
 *   on a background-subtracted image, with σ_w = FWHM/2.3548. For a symmetric PSF it converges to the
 *   centre without the truncation bias of a plain centre of mass, and noise far from the core is
 *   down-weighted.
 */
import type { Image } from './types.js';

/** A local maximum at integer pixel (x, y). */
export interface Peak {
  readonly x: number;
  readonly y: number;
  readonly value: number;
}

/** Options of {@link findPeaks}. */
export interface PeakOptions {
  /** Peaks must exceed this value (same units as the image). */
  readonly threshold: number;
  /** Side of the local-maximum window, odd. @default 5 */
  readonly boxSize?: number;
  /** Ignore peaks closer than this to the image edge, pixels. @default 0 */
  readonly border?: number;
  /** Keep at most this many, brightest first. @default Infinity */
  readonly maxPeaks?: number;
}

/** Local maxima above `threshold`, brightest first (see the module comment). NaN pixels are never peaks. */
export function findPeaks(image: Image, options: PeakOptions): Peak[] {
  const box = options.boxSize ?? 5;
  if (!Number.isInteger(box) || box < 1 || box % 2 === 0) {
    throw new RangeError(`findPeaks: boxSize must be a positive odd integer, got ${box}`);
  }
  const r = (box - 1) / 2;
  const border = options.border ?? 0;
  const { width, height, data } = image;
  const peaks: Peak[] = [];
  for (let y = border; y < height - border; y++) {
    for (let x = border; x < width - border; x++) {
      const v = data[y * width + x]!;
      if (!(v > options.threshold)) continue;
      let isPeak = true;
      for (let yy = Math.max(0, y - r); yy <= Math.min(height - 1, y + r) && isPeak; yy++) {
        for (let xx = Math.max(0, x - r); xx <= Math.min(width - 1, x + r); xx++) {
          const u = data[yy * width + xx]!;
          // Earlier pixels in raster order must be strictly lower, later ones lower or equal.
          const earlier = yy < y || (yy === y && xx < x);
          if (u > v || (earlier && u === v)) {
            isPeak = false;
            break;
          }
        }
      }
      if (isPeak) peaks.push({ x, y, value: v });
    }
  }
  peaks.sort((a, b) => b.value - a.value);
  return peaks.slice(0, options.maxPeaks ?? peaks.length);
}

/** Options of {@link centroidWindowed}. */
export interface CentroidOptions {
  /** Window σ in pixels, normally FWHM / 2.3548. */
  readonly sigma: number;
  /** @default 30 */
  readonly maxIterations?: number;
  /** Stop when the step is below this, pixels. @default 1e-5 */
  readonly tolerance?: number;
}

/** A refined position. `converged` is false when the window lost the source or ran out of iterations. */
export interface Centroid {
  readonly x: number;
  readonly y: number;
  readonly converged: boolean;
}

/**
 * Windowed centroid of a background-subtracted source near (x0, y0) (see the module comment). Uses
 * pixels within 4σ of the current estimate; NaN pixels are skipped.
 */
export function centroidWindowed(image: Image, x0: number, y0: number, options: CentroidOptions): Centroid {
  const { width, height, data } = image;
  const sigma = options.sigma;
  if (!(sigma > 0)) throw new RangeError(`centroidWindowed: sigma must be positive, got ${sigma}`);
  const maxIterations = options.maxIterations ?? 30;
  const tolerance = options.tolerance ?? 1e-5;
  const radius = 4 * sigma;
  const inv2s2 = 1 / (2 * sigma * sigma);
  let x = x0;
  let y = y0;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let sw = 0;
    let sx = 0;
    let sy = 0;
    const yMin = Math.max(0, Math.floor(y - radius));
    const yMax = Math.min(height - 1, Math.ceil(y + radius));
    const xMin = Math.max(0, Math.floor(x - radius));
    const xMax = Math.min(width - 1, Math.ceil(x + radius));
    for (let py = yMin; py <= yMax; py++) {
      const dy = py - y;
      for (let px = xMin; px <= xMax; px++) {
        const v = data[py * width + px]!;
        if (Number.isNaN(v)) continue;
        const dx = px - x;
        const r2 = dx * dx + dy * dy;
        if (r2 > radius * radius) continue;
        const wv = Math.exp(-r2 * inv2s2) * v;
        sw += wv;
        sx += wv * dx;
        sy += wv * dy;
      }
    }
    if (!(sw > 0)) return { x, y, converged: false };
    const stepX = (2 * sx) / sw;
    const stepY = (2 * sy) / sw;
    x += stepX;
    y += stepY;
    if (Math.abs(x - x0) > radius || Math.abs(y - y0) > radius) return { x, y, converged: false };
    if (Math.hypot(stepX, stepY) < tolerance) return { x, y, converged: true };
  }
  return { x, y, converged: false };
}
