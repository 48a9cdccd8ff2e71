/**
 * Models of what gets injected into an image: astrophysical transients (PSF-shaped) and detector
 * or processing artifacts (not PSF-shaped, or a PSF difference). Each adds its signal into an
 * image of the same size as the science image; the caller adds that image to the science data
 * and derives the mask from it.
 */
import type { Image } from '../image/types.js';
import type { Random } from '../random.js';

/** Adds `flux` × PSF centred at (x, y) (0-based pixel coordinates) into `image`. */
export type PsfRenderer = (image: Image, x: number, y: number, flux: number) => void;

/** A supernova or any point source: one PSF. */
export function addPointSource(image: Image, psf: PsfRenderer, x: number, y: number, flux: number): void {
  psf(image, x, y, flux);
}

/**
 * A moving object trailed during the exposure: the PSF integrated along a segment of `lengthPx`
 * centred on (x, y) at angle `angleRad`. Sampled every ≤ 0.25 px, fine enough that the sum is
 * indistinguishable from the continuous integral at any seeing ≥ 1 px.
 */
export function addTrail(
  image: Image,
  psf: PsfRenderer,
  x: number,
  y: number,
  lengthPx: number,
  angleRad: number,
  flux: number,
): void {
  const samples = Math.max(2, Math.ceil(lengthPx / 0.25) + 1);
  const ux = Math.cos(angleRad);
  const uy = Math.sin(angleRad);
  for (let k = 0; k < samples; k++) {
    const t = (k / (samples - 1) - 0.5) * lengthPx;
    psf(image, x + t * ux, y + t * uy, flux / samples);
  }
}

/**
 * A misalignment dipole: a star of `flux` registered with an error of (dx, dy) pixels leaves
 * flux × [P(r − δ/2) − P(r + δ/2)] in the difference. Net flux zero.
 */
export function addDipole(
  image: Image,
  psf: PsfRenderer,
  x: number,
  y: number,
  dx: number,
  dy: number,
  flux: number,
): void {
  psf(image, x + dx / 2, y + dy / 2, flux);
  psf(image, x - dx / 2, y - dy / 2, -flux);
}

/** Deposit `value` at a sub-pixel position with bilinear weights (conserves the total). */
function deposit(image: Image, x: number, y: number, value: number): void {
  const ix = Math.floor(x);
  const iy = Math.floor(y);
  const fx = x - ix;
  const fy = y - iy;
  const put = (px: number, py: number, w: number): void => {
    if (px >= 0 && py >= 0 && px < image.width && py < image.height)
      image.data[py * image.width + px]! += value * w;
  };
  put(ix, iy, (1 - fx) * (1 - fy));
  put(ix + 1, iy, fx * (1 - fy));
  put(ix, iy + 1, (1 - fx) * fy);
  put(ix + 1, iy + 1, fx * fy);
}

/**
 * A cosmic-ray hit: charge deposited along a straight track of `lengthPx` through (x, y), with
 * the energy loss fluctuating along it (a gamma-like spread). The track is ~1 px wide and is not
 * convolved with the PSF: its edges are sharper than any star's, which is what tells it apart.
 * A length below 1 px gives a single-pixel "spot" hit.
 */
export function addCosmicRay(
  image: Image,
  x: number,
  y: number,
  lengthPx: number,
  angleRad: number,
  totalFlux: number,
  rng: Random,
): void {
  const samples = Math.max(1, Math.ceil(lengthPx * 4));
  const weights = Array.from({ length: samples }, () => 0.3 + rng.uniform() + 0.5 * rng.uniform() ** 4);
  const sum = weights.reduce((a, b) => a + b, 0);
  const ux = Math.cos(angleRad);
  const uy = Math.sin(angleRad);
  for (let k = 0; k < samples; k++) {
    const t = samples === 1 ? 0 : (k / (samples - 1) - 0.5) * lengthPx;
    // Round to the pixel grid with a small jitter: sharp, one to two pixels wide.
    deposit(
      image,
      Math.round(x + t * ux) + 0.3 * (rng.uniform() - 0.5),
      Math.round(y + t * uy),
      (totalFlux * weights[k]!) / sum,
    );
  }
}

/** A hot pixel: one pixel with a large excess. */
export function addHotPixel(image: Image, x: number, y: number, value: number): void {
  const ix = Math.round(x);
  const iy = Math.round(y);
  if (ix >= 0 && iy >= 0 && ix < image.width && iy < image.height)
    image.data[iy * image.width + ix]! += value;
}

/**
 * Flux for a target signal-to-noise of PSF-fit photometry on a background of noise σ (ADU):
 * S/N = F / √(σ² / Σ M² + F / g) for a model M of unit sum, solved for F. `sumModelSquared` is Σ M²
 * (1 / effective area); `gain` in e⁻/ADU (Infinity: background-limited).
 */
export function fluxForSnr(snr: number, sigmaAdu: number, sumModelSquared: number, gain: number): number {
  const b = Number.isFinite(gain) && gain > 0 ? (snr * snr) / gain : 0;
  const c = (snr * snr * sigmaAdu * sigmaAdu) / sumModelSquared;
  return (b + Math.sqrt(b * b + 4 * c)) / 2;
}

/** The S/N of a source of flux F for the same model (inverse of {@link fluxForSnr}). */
export function snrForFlux(flux: number, sigmaAdu: number, sumModelSquared: number, gain: number): number {
  const source = Number.isFinite(gain) && gain > 0 ? Math.abs(flux) / gain : 0;
  return flux / Math.sqrt((sigmaAdu * sigmaAdu) / sumModelSquared + source);
}

/** Σ M² of a model rendered with unit total flux (for the S/N relations above). */
export function sumOfSquares(image: Image): number {
  let s = 0;
  for (const v of image.data) s += v * v;
  return s;
}
