/**
 * What matched stars tell ZOGY about a registered pair: the residual offset between the epochs
 * (to refine the registration), the astrometric noise σx, σy (eqs. 30-33), and the flux ratio
 * Fr / Fn of the zero-points (§3.2: any multiplicative calibration of either image is absorbed in
 * F, so the ratio is measured from stars common to both).
 */
import { shiftFourier } from '../image/shift.js';
import { centroidWindowed } from '../image/stars.js';
import { MAD_TO_SIGMA, mad, median } from '../image/statistics.js';
import type { Image } from '../image/types.js';

/** A star measured in both epochs. */
export interface MatchedStar {
  readonly x: number;
  readonly y: number;
  /** Reference centroid minus new centroid, pixels. */
  readonly dx: number;
  readonly dy: number;
  readonly fluxNew: number;
  readonly fluxRef: number;
}

export interface StarMatchResult {
  readonly stars: readonly MatchedStar[];
  /** Median offset reference − new (pixels): add to the registration shift's sign convention. */
  readonly offsetX: number;
  readonly offsetY: number;
  /** Robust scatter (MAD σ) of the per-star offsets, pixels. */
  readonly sigmaX: number;
  readonly sigmaY: number;
  /** Median of fluxRef / fluxNew over the matched stars. */
  readonly fluxRatio: number;
}

function apertureSum(image: Image, x: number, y: number, radius: number): number {
  let sum = 0;
  const r2 = radius * radius;
  for (let j = Math.floor(y - radius); j <= Math.ceil(y + radius); j++) {
    for (let i = Math.floor(x - radius); i <= Math.ceil(x + radius); i++) {
      if ((i - x) ** 2 + (j - y) ** 2 > r2) continue;
      if (i < 0 || j < 0 || i >= image.width || j >= image.height) return Number.NaN;
      sum += image.data[j * image.width + i]!;
    }
  }
  return sum;
}

/**
 * Measure `positions` (centroids in the new image) in both background-subtracted images: windowed
 * centroids in each (window σ from the larger FWHM) and aperture fluxes of radius 2.5 × the larger
 * FWHM (> 99% of a Moffat β ≥ 3 profile, so the seeing difference biases the ratio < 1%). Stars with
 * NaN (masked) pixels in the aperture are dropped.
 */
export function matchStars(
  newImage: Image,
  refImage: Image,
  positions: readonly { x: number; y: number }[],
  fwhmMaxPx: number,
): StarMatchResult | undefined {
  const sigma = Math.max(0.5, fwhmMaxPx / 2.3548);
  const radius = 2.5 * fwhmMaxPx;
  const stars: MatchedStar[] = [];
  for (const p of positions) {
    const cn = centroidWindowed(newImage, p.x, p.y, { sigma });
    const cr = centroidWindowed(refImage, p.x, p.y, { sigma });
    if (!cn.converged || !cr.converged) continue;
    const dx = cr.x - cn.x;
    const dy = cr.y - cn.y;
    if (Math.hypot(dx, dy) > 2) continue;
    const fluxNew = apertureSum(newImage, cn.x, cn.y, radius);
    const fluxRef = apertureSum(refImage, cr.x, cr.y, radius);
    if (!(fluxNew > 0 && fluxRef > 0)) continue;
    stars.push({ x: cn.x, y: cn.y, dx, dy, fluxNew, fluxRef });
  }
  if (stars.length < 3) return undefined;
  const dxs = stars.map((s) => s.dx);
  const dys = stars.map((s) => s.dy);
  return {
    stars,
    offsetX: median(dxs),
    offsetY: median(dys),
    sigmaX: MAD_TO_SIGMA * mad(dxs),
    sigmaY: MAD_TO_SIGMA * mad(dys),
    fluxRatio: median(stars.map((s) => s.fluxRef / s.fluxNew)),
  };
}

/** PSF-fit amplitude Σ P I / Σ P² of a centred unit-sum stamp placed at (x, y); NaN if masked. */
function psfFlux(image: Image, psf: Image, x: number, y: number): number {
  const ix = Math.round(x);
  const iy = Math.round(y);
  const shifted = shiftFourier(psf, x - ix, y - iy);
  const half = (psf.width - 1) / 2;
  let num = 0;
  let den = 0;
  for (let j = 0; j < psf.height; j++) {
    const py = iy + j - half;
    for (let i = 0; i < psf.width; i++) {
      const px = ix + i - half;
      if (px < 0 || py < 0 || px >= image.width || py >= image.height) return Number.NaN;
      const p = shifted.data[j * psf.width + i]!;
      const v = image.data[py * image.width + px]!;
      if (!Number.isFinite(v)) return Number.NaN;
      num += p * v;
      den += p * p;
    }
  }
  return num / den;
}

/**
 * The flux ratio Fr / Fn from PSF photometry of the same stars in both registered images, each
 * with its own PSF (so a seeing difference does not bias it): the least-squares slope of
 * f_ref = ratio × f_new, after rejecting stars whose own ratio is > 3σ (MAD) from the median.
 */
export function fluxRatioFromStars(
  newImage: Image,
  refImage: Image,
  stars: readonly { x: number; y: number }[],
  psfNew: Image,
  psfRef: Image,
): { ratio: number; stars: number } | undefined {
  const pairs: [number, number][] = [];
  for (const s of stars) {
    const fn = psfFlux(newImage, psfNew, s.x, s.y);
    const fr = psfFlux(refImage, psfRef, s.x, s.y);
    if (fn > 0 && fr > 0) pairs.push([fn, fr]);
  }
  if (pairs.length < 3) return undefined;
  const ratios = pairs.map(([fn, fr]) => fr / fn);
  const centre = median(ratios);
  const spread = MAD_TO_SIGMA * mad(ratios);
  const kept = pairs.filter((_, i) => Math.abs(ratios[i]! - centre) <= 3 * spread || spread === 0);
  let num = 0;
  let den = 0;
  for (const [fn, fr] of kept) {
    num += fr * fn;
    den += fn * fn;
  }
  return { ratio: num / den, stars: kept.length };
}
