/**
 * Registration of a reference image onto a new image by cross-correlation.
 *
 * The cross-correlation C = F⁻¹[N̂ conj(R̂)] of two images of the same star field peaks at the
 * shift d with N(x) ≈ R(x − d). The integer peak is refined to sub-pixel precision by fitting a
 * parabola to the logarithm of the three values around it along each axis: a Gaussian-like peak is
 * then located without the pull towards the integer position that a plain parabola has.
 *
 * Inputs are background-subtracted; NaNs count as 0, and values are compressed with asinh above a
 * few σ so that one saturated star cannot dominate the correlation.
 */
import { irfft2, rfft2 } from '../image/fft.js';
import type { Image } from '../image/types.js';

/** A translation: new(x, y) ≈ reference(x − dx, y − dy). */
export interface Shift {
  readonly dx: number;
  readonly dy: number;
  /** Peak cross-correlation coefficient in [−1, 1] (quality: near 0 means no common signal). */
  readonly peak: number;
}

function prepare(image: Image, sigma: number): Float64Array {
  const out = new Float64Array(image.data.length);
  const soft = 5 * sigma;
  let sum = 0;
  let n = 0;
  for (let i = 0; i < out.length; i++) {
    const v = image.data[i]!;
    if (!Number.isFinite(v)) continue;
    // Keep noise and faint stars linear; compress bright cores logarithmically.
    const c = soft * Math.asinh(v / soft);
    out[i] = c;
    sum += c;
    n++;
  }
  const mean = n > 0 ? sum / n : 0;
  for (let i = 0; i < out.length; i++) out[i] = Number.isFinite(image.data[i]!) ? out[i]! - mean : 0;
  return out;
}

/** Sub-pixel offset of the vertex of a log-parabola through three positive samples at −1, 0, +1. */
function vertex(left: number, centre: number, right: number): number {
  const [a, b, c] =
    left > 0 && centre > 0 && right > 0
      ? [Math.log(left), Math.log(centre), Math.log(right)]
      : [left, centre, right];
  const curvature = a - 2 * b + c;
  if (!(curvature < 0)) return 0;
  return Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / curvature));
}

/**
 * The shift of `newImage` relative to `refImage` (same size), searched within ±`maxShiftPx`.
 * `sigmaNew` and `sigmaRef` are the background noise of each image (for the asinh compression).
 */
export function crossCorrelationShift(
  newImage: Image,
  refImage: Image,
  sigmaNew: number,
  sigmaRef: number,
  maxShiftPx = 20,
): Shift {
  const { width, height } = newImage;
  const n = prepare(newImage, sigmaNew);
  const r = prepare(refImage, sigmaRef);
  const Nhat = rfft2({ width, height, data: n });
  const Rhat = rfft2({ width, height, data: r });
  const re = new Float64Array(Nhat.re.length);
  const im = new Float64Array(Nhat.re.length);
  for (let k = 0; k < re.length; k++) {
    // N̂ conj(R̂)
    re[k] = Nhat.re[k]! * Rhat.re[k]! + Nhat.im[k]! * Rhat.im[k]!;
    im[k] = Nhat.im[k]! * Rhat.re[k]! - Nhat.re[k]! * Rhat.im[k]!;
  }
  const C = irfft2({ width: Nhat.width, height, re, im }, width, { overwriteInput: true }).data;
  const at = (dx: number, dy: number): number =>
    C[(((dy % height) + height) % height) * width + (((dx % width) + width) % width)]!;
  let best = Number.NEGATIVE_INFINITY;
  let bx = 0;
  let by = 0;
  const mx = Math.min(maxShiftPx, Math.floor(width / 2) - 1);
  const my = Math.min(maxShiftPx, Math.floor(height / 2) - 1);
  for (let dy = -my; dy <= my; dy++) {
    for (let dx = -mx; dx <= mx; dx++) {
      const v = at(dx, dy);
      if (v > best) {
        best = v;
        bx = dx;
        by = dy;
      }
    }
  }
  let nn = 0;
  let rr = 0;
  for (let i = 0; i < n.length; i++) {
    nn += n[i]! * n[i]!;
    rr += r[i]! * r[i]!;
  }
  const fx = vertex(at(bx - 1, by), best, at(bx + 1, by));
  const fy = vertex(at(bx, by - 1), best, at(bx, by + 1));
  return { dx: bx + fx, dy: by + fy, peak: nn > 0 && rr > 0 ? best / Math.sqrt(nn * rr) : 0 };
}
