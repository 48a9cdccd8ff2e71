/**
 * Analytic point-spread functions: elliptical Gaussian and Moffat profiles.
 *
 * Shape conventions (all lengths in pixels):
 * - `fwhm` is the full width at half maximum along the major axis; the minor axis has
 *   fwhm·(1 - ellipticity). `ellipticity` = 1 - b/a (default 0, round); `thetaRad` is the angle of
 *   the major axis from +x towards +y (default 0).
 * - Gaussian: I(r) ∝ exp(-r²/2σ²) with σ = FWHM / (2√(2 ln 2)).
 * - Moffat (Moffat 1969; the form used by astropy.modeling.Moffat2D): I(r) ∝ (1 + r²/α²)^(-β) with
 *   FWHM = 2α√(2^{1/β} - 1), β > 1 so that the total flux is finite.
 *   Here r² is the elliptical radius (x'/a)² + (y'/b)² scaled to each axis.
 *
 * Pixel values are integrals over the pixel, approximated by averaging the profile on an
 * `oversample` × `oversample` grid of sub-pixel centres (midpoint rule). The default oversampling
 * grows as the PSF narrows (≥ 3, ≈ 4/σ_minor + 1 per axis, at most 15), which keeps per-pixel errors
 * below about 0.2% of the peak for FWHM ≥ 1.5 px; pass a larger `oversample` for more.
 */
import type { Image } from './types.js';

const FWHM_PER_SIGMA = 2 * Math.sqrt(2 * Math.LN2);

/** σ of a Gaussian of the given FWHM. */
export function gaussianSigmaFromFwhm(fwhm: number): number {
  return fwhm / FWHM_PER_SIGMA;
}

/** FWHM of a Gaussian of the given σ. */
export function gaussianFwhmFromSigma(sigma: number): number {
  return sigma * FWHM_PER_SIGMA;
}

/** Moffat core width α for the given FWHM and β: α = FWHM / (2√(2^{1/β} - 1)). */
export function moffatAlphaFromFwhm(fwhm: number, beta: number): number {
  return fwhm / (2 * Math.sqrt(2 ** (1 / beta) - 1));
}

/** FWHM of a Moffat profile with core width α and index β. */
export function moffatFwhmFromAlpha(alpha: number, beta: number): number {
  return 2 * alpha * Math.sqrt(2 ** (1 / beta) - 1);
}

/** Shape shared by both profiles. */
interface PsfShape {
  /** Full width at half maximum along the major axis, pixels. */
  readonly fwhm: number;
  /** 1 - b/a. @default 0 */
  readonly ellipticity?: number;
  /** Major-axis angle from +x towards +y, radians. @default 0 */
  readonly thetaRad?: number;
}

/** A Gaussian PSF. */
export interface GaussianPsf extends PsfShape {
  readonly kind: 'gaussian';
}

/** A Moffat PSF. */
export interface MoffatPsf extends PsfShape {
  readonly kind: 'moffat';
  /** Power-law index β (> 1; 2.5 to 4.765 are typical of seeing). */
  readonly beta: number;
}

/** An analytic PSF model. */
export type PsfModel = GaussianPsf | MoffatPsf;

/** Options for rendering. */
export interface RenderOptions {
  /** Sub-pixel samples per axis (odd or even). @default grows as the PSF narrows, 3..15 */
  readonly oversample?: number;
}

/** A compiled profile: value at an offset from the centre, unnormalised (peak 1), and its total integral. */
interface Profile {
  value(dx: number, dy: number): number;
  readonly integral: number;
  readonly minorScale: number;
}

function validate(model: PsfModel): void {
  const e = model.ellipticity ?? 0;
  if (!(model.fwhm > 0) || !Number.isFinite(model.fwhm)) {
    throw new RangeError(`PSF fwhm must be a positive number of pixels, got ${model.fwhm}`);
  }
  if (!(e >= 0 && e < 1)) throw new RangeError(`PSF ellipticity must be in [0, 1), got ${e}`);
  if (model.kind === 'moffat' && !(model.beta > 1)) {
    throw new RangeError(`Moffat beta must be > 1 for a finite total flux, got ${model.beta}`);
  }
}

function compile(model: PsfModel): Profile {
  validate(model);
  const e = model.ellipticity ?? 0;
  const theta = model.thetaRad ?? 0;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const scaleMajor =
    model.kind === 'gaussian'
      ? gaussianSigmaFromFwhm(model.fwhm)
      : moffatAlphaFromFwhm(model.fwhm, model.beta);
  const scaleMinor = scaleMajor * (1 - e);
  const invA2 = 1 / (scaleMajor * scaleMajor);
  const invB2 = 1 / (scaleMinor * scaleMinor);
  // Elliptical radius in units of the profile's scale: u² = (x'/a)² + (y'/b)².
  const u2 = (dx: number, dy: number): number => {
    const xr = dx * cos + dy * sin;
    const yr = -dx * sin + dy * cos;
    return xr * xr * invA2 + yr * yr * invB2;
  };
  if (model.kind === 'gaussian') {
    return {
      value: (dx, dy) => Math.exp(-0.5 * u2(dx, dy)),
      integral: 2 * Math.PI * scaleMajor * scaleMinor,
      minorScale: scaleMinor,
    };
  }
  const beta = model.beta;
  return {
    value: (dx, dy) => (1 + u2(dx, dy)) ** -beta,
    integral: (Math.PI * scaleMajor * scaleMinor) / (beta - 1),
    minorScale: gaussianSigmaFromFwhm(model.fwhm * (1 - e)),
  };
}

function defaultOversample(profile: Profile): number {
  return Math.max(3, Math.min(15, 2 * Math.ceil(2 / profile.minorScale) + 1));
}

/**
 * Radius (pixels) beyond which at most `fraction` of the PSF's flux lies, along the major axis:
 * Gaussian r = a√(-2 ln f); Moffat r = α√(f^{1/(1-β)} - 1) (from the enclosed-flux formula).
 */
export function psfRadius(model: PsfModel, fraction = 1e-3): number {
  validate(model);
  if (model.kind === 'gaussian')
    return gaussianSigmaFromFwhm(model.fwhm) * Math.sqrt(-2 * Math.log(fraction));
  const alpha = moffatAlphaFromFwhm(model.fwhm, model.beta);
  return alpha * Math.sqrt(fraction ** (1 / (1 - model.beta)) - 1);
}

/**
 * Add `flux` × the PSF centred at sub-pixel position (x0, y0) (0-based, pixel centres at integers)
 * to `image`, over pixels within `radius` of the centre (default {@link psfRadius} with 1e-3, at
 * most 256 px). The total added is `flux` times the fraction of the analytic profile that falls on
 * those pixels, so flux beyond the radius or off the image is lost, as it would be on a detector.
 */
export function addPsf(
  image: Image,
  model: PsfModel,
  x0: number,
  y0: number,
  flux: number,
  options: RenderOptions & { readonly radius?: number } = {},
): void {
  const profile = compile(model);
  const n = options.oversample ?? defaultOversample(profile);
  const radius = options.radius ?? Math.min(256, psfRadius(model));
  const xMin = Math.max(0, Math.floor(x0 - radius));
  const xMax = Math.min(image.width - 1, Math.ceil(x0 + radius));
  const yMin = Math.max(0, Math.floor(y0 - radius));
  const yMax = Math.min(image.height - 1, Math.ceil(y0 + radius));
  const weight = flux / (profile.integral * n * n);
  for (let y = yMin; y <= yMax; y++) {
    for (let x = xMin; x <= xMax; x++) {
      let sum = 0;
      for (let j = 0; j < n; j++) {
        const dy = y - y0 + (j + 0.5) / n - 0.5;
        for (let i = 0; i < n; i++) {
          sum += profile.value(x - x0 + (i + 0.5) / n - 0.5, dy);
        }
      }
      image.data[y * image.width + x] = image.data[y * image.width + x]! + weight * sum;
    }
  }
}

/**
 * A normalised PSF stamp (sum exactly 1) of `size` × `size` pixels, odd by default
 * (2⌈radius⌉ + 1 with the 1e-3 flux radius, at most 129), centred on the middle pixel
 * ((size-1)/2, (size-1)/2) plus an optional sub-pixel offset. Use it as a convolution kernel
 * (the middle pixel is the kernel centre in convolve.ts) or as a ZOGY PSF.
 */
export function psfStamp(
  model: PsfModel,
  options: RenderOptions & {
    readonly size?: number;
    readonly offsetX?: number;
    readonly offsetY?: number;
  } = {},
): Image {
  const size = options.size ?? Math.min(129, 2 * Math.ceil(psfRadius(model)) + 1);
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`PSF stamp size must be a positive integer, got ${size}`);
  const stamp: Image = { width: size, height: size, data: new Float64Array(size * size) };
  const centre = (size - 1) / 2;
  const renderOptions = options.oversample === undefined ? {} : { oversample: options.oversample };
  addPsf(stamp, model, centre + (options.offsetX ?? 0), centre + (options.offsetY ?? 0), 1, {
    ...renderOptions,
    radius: 2 * size,
  });
  let total = 0;
  for (const v of stamp.data) total += v;
  for (let i = 0; i < stamp.data.length; i++) stamp.data[i]! /= total;
  return stamp;
}

/** The unnormalised profile value (peak 1) at offset (dx, dy) from the centre, without pixel integration. */
export function psfProfile(model: PsfModel, dx: number, dy: number): number {
  return compile(model).value(dx, dy);
}

/** The analytic total integral of the peak-1 profile (2πσ_aσ_b, or πα_aα_b/(β-1)). */
export function psfIntegral(model: PsfModel): number {
  return compile(model).integral;
}
