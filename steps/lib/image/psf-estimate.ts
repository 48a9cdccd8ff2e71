/**
 * PSF estimation from isolated, unsaturated stars.
 *
 * 1. Background and noise: the sigma-clipped median and std of the image (astropy semantics) unless
 *    given.
 * 2. Candidates: peaks (5×5 local maxima) above background + thresholdSigma·noise. A candidate is
 *    rejected when its peak reaches `saturation`, when it lies within half a stamp (+ margin) of the
 *    edge, when the cut-out holds a NaN, or when another source (any 5σ peak) lies within
 *    `isolationRadius`.
 * 3. Each star is centred with the windowed centroid (stars.ts), with a window from its half-maximum
 *    area, then its background-subtracted cut-out is shifted by a Fourier phase ramp (sinc
 *    interpolation, which does not widen the PSF as bilinear would) so the centroid falls on the stamp's
 *    middle pixel, and normalised to unit sum.
 * 4. The empirical PSF is the per-pixel median of those stamps, normalised to unit sum.
 * 5. The FWHM comes from a least-squares fit of a pixel-integrated model (psf.ts) to the empirical
 *    stamp: a golden-section search on FWHM with the amplitude solved linearly, and for Moffat, when
 *    β is not given, a grid of β from 1.5 to 8 refined the same way. The same fit on each star's own
 *    stamp gives per-star FWHMs (their spread tells whether the PSF varies over the field).
 * 6. Stars whose own FWHM lies more than 3 robust σ (MAD-std, at least 5% of the median) from the
 *    median FWHM — galaxies, blends — are dropped and steps 4–5 repeated without them.
 */
import { type PsfModel, psfStamp } from './psf.js';
import { shiftFourier } from './shift.js';
import { centroidWindowed, findPeaks } from './stars.js';
import { madStd, median, sigmaClippedStats } from './statistics.js';
import type { Image } from './types.js';

/** Options of {@link estimatePsf}. */
export interface PsfEstimateOptions {
  /** Background level; default: sigma-clipped median of the image. */
  readonly background?: number;
  /** Background noise σ; default: sigma-clipped std of the image. */
  readonly noise?: number;
  /** Detection threshold for PSF stars, in noise σ above the background. @default 20 */
  readonly thresholdSigma?: number;
  /** Pixel value at which a star counts as saturated. @default Infinity */
  readonly saturation?: number;
  /** Side of the PSF stamp, odd. @default 25 */
  readonly stampSize?: number;
  /** No other source may peak within this many pixels. @default stampSize / 2 */
  readonly isolationRadius?: number;
  /** Use at most this many stars, brightest first. @default 100 */
  readonly maxStars?: number;
  /** Model fitted for the FWHM. @default 'gaussian' */
  readonly model?: 'gaussian' | 'moffat';
  /** Fixed Moffat β; fitted when absent. */
  readonly beta?: number;
}

/** One star used for the PSF. */
export interface PsfStar {
  readonly x: number;
  readonly y: number;
  /** Background-subtracted sum over the stamp. */
  readonly flux: number;
  /** FWHM of the model fitted to this star's stamp, pixels. */
  readonly fwhm: number;
}

/** Result of {@link estimatePsf}. */
export interface PsfEstimate {
  /** FWHM of the model fitted to the stacked stamp, pixels. */
  readonly fwhm: number;
  /** The fitted model (round). */
  readonly model: PsfModel;
  /** Empirical PSF: median of aligned, normalised star stamps; sum 1, centre at the middle pixel. */
  readonly stamp: Image;
  /** The stars in the final stack. */
  readonly stars: PsfStar[];
  /** Stars dropped because their own FWHM was an outlier (galaxies, blends). */
  readonly rejectedStars: number;
  readonly background: number;
  readonly noise: number;
}

/** Fit amplitude·model to `stamp`; returns the residual sum of squares. */
function misfit(stamp: Image, model: PsfModel): number {
  const m = psfStamp(model, { size: stamp.width });
  let sm = 0;
  let mm = 0;
  for (let i = 0; i < m.data.length; i++) {
    sm += stamp.data[i]! * m.data[i]!;
    mm += m.data[i]! * m.data[i]!;
  }
  const amplitude = sm / mm;
  let rss = 0;
  for (let i = 0; i < m.data.length; i++) {
    const d = stamp.data[i]! - amplitude * m.data[i]!;
    rss += d * d;
  }
  return rss;
}

/** Minimise f on [lo, hi] by golden-section search (f unimodal there). */
function goldenSection(f: (x: number) => number, lo: number, hi: number, tolerance = 1e-4): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let a = lo;
  let b = hi;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (b - a > tolerance * (Math.abs(c) + Math.abs(d))) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  return (a + b) / 2;
}

/** Fit a round model's FWHM (and β for a free Moffat) to a normalised stamp. */
export function fitPsfModel(stamp: Image, kind: 'gaussian' | 'moffat', beta?: number): PsfModel {
  const maxFwhm = stamp.width / 2;
  if (kind === 'gaussian') {
    const fwhm = goldenSection((w) => misfit(stamp, { kind, fwhm: w }), 0.5, maxFwhm);
    return { kind, fwhm };
  }
  const betas = beta === undefined ? Array.from({ length: 27 }, (_, k) => 1.5 + 0.25 * k) : [beta];
  let best: { model: PsfModel; rss: number } | undefined;
  for (const b of betas) {
    const fwhm = goldenSection((w) => misfit(stamp, { kind, fwhm: w, beta: b }), 0.5, maxFwhm);
    const model = { kind, fwhm, beta: b } as const;
    const rss = misfit(stamp, model);
    if (best === undefined || rss < best.rss) best = { model, rss };
  }
  if (beta === undefined && best !== undefined && best.model.kind === 'moffat') {
    const b0 = best.model.beta;
    const refined = goldenSection(
      (b) =>
        misfit(stamp, {
          kind,
          beta: b,
          fwhm: goldenSection((w) => misfit(stamp, { kind, fwhm: w, beta: b }), 0.5, maxFwhm),
        }),
      Math.max(1.05, b0 - 0.25),
      b0 + 0.25,
      1e-3,
    );
    const fwhm = goldenSection((w) => misfit(stamp, { kind, fwhm: w, beta: refined }), 0.5, maxFwhm);
    return { kind, fwhm, beta: refined };
  }
  return best!.model;
}

/** Cut a size × size window centred on integer (cx, cy), minus the background. */
function cutOut(image: Image, cx: number, cy: number, size: number, background: number): Image {
  const h = (size - 1) / 2;
  const data = new Float64Array(size * size);
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++)
      data[j * size + i] = image.data[(cy - h + j) * image.width + (cx - h + i)]! - background;
  }
  return { width: size, height: size, data };
}

function normalise(stamp: Image): number {
  let total = 0;
  for (const v of stamp.data) total += v;
  if (total > 0) for (let i = 0; i < stamp.data.length; i++) stamp.data[i]! /= total;
  return total;
}

/** Estimate the PSF of `image` from its isolated stars (see the module comment). */
export function estimatePsf(image: Image, options: PsfEstimateOptions = {}): PsfEstimate {
  const size = options.stampSize ?? 25;
  if (!Number.isInteger(size) || size < 5 || size % 2 === 0) {
    throw new RangeError(`estimatePsf: stampSize must be an odd integer ≥ 5, got ${size}`);
  }
  const stats =
    options.background === undefined || options.noise === undefined
      ? sigmaClippedStats(image.data)
      : undefined;
  const background = options.background ?? stats!.median;
  const noise = options.noise ?? stats!.std;
  const isolation = options.isolationRadius ?? size / 2;
  const saturation = options.saturation ?? Number.POSITIVE_INFINITY;
  const margin = 4;
  const h = (size - 1) / 2 + margin;
  const all = findPeaks(image, { threshold: background + 5 * noise });
  const bright = all.filter((p) => p.value > background + (options.thresholdSigma ?? 20) * noise);
  const accepted: { x: number; y: number; flux: number; stamp: Image }[] = [];
  for (const peak of bright) {
    if (accepted.length >= (options.maxStars ?? 100)) break;
    if (peak.value >= saturation) continue;
    if (peak.x < h || peak.y < h || peak.x >= image.width - h || peak.y >= image.height - h) continue;
    const crowded = all.some((o) => o !== peak && Math.hypot(o.x - peak.x, o.y - peak.y) < isolation);
    if (crowded) continue;
    const wide = cutOut(image, peak.x, peak.y, 2 * h + 1, background);
    if (wide.data.some((v) => Number.isNaN(v))) continue;
    // Window from the half-maximum area A ≈ π (FWHM/2)².
    const half = (peak.value - background) / 2;
    const area = wide.data.reduce((n, v) => n + (v >= half ? 1 : 0), 0);
    const fwhm0 = Math.max(1, 2 * Math.sqrt(area / Math.PI));
    const centre = centroidWindowed(wide, h, h, { sigma: fwhm0 / 2.3548 });
    if (!centre.converged || Math.abs(centre.x - h) > 1.5 || Math.abs(centre.y - h) > 1.5) continue;
    const aligned = shiftFourier(wide, h - centre.x, h - centre.y);
    const stamp = cutOut(aligned, h, h, size, 0);
    const flux = normalise(stamp);
    if (!(flux > 0)) continue;
    accepted.push({ x: peak.x - h + centre.x, y: peak.y - h + centre.y, flux, stamp });
  }
  if (accepted.length === 0) {
    throw new RangeError(
      `estimatePsf: no isolated, unsaturated star above ${options.thresholdSigma ?? 20}σ (background ${background.toPrecision(4)}, noise ${noise.toPrecision(4)}); lower thresholdSigma or isolationRadius`,
    );
  }
  const kind = options.model ?? 'gaussian';
  const firstModel = fitPsfModel(medianStack(accepted, size), kind, options.beta);
  const fixedBeta = firstModel.kind === 'moffat' ? firstModel.beta : undefined;
  const measured = accepted.map((s) => ({ ...s, fwhm: fitPsfModel(s.stamp, kind, fixedBeta).fwhm }));
  // Galaxies, blends and cosmic-ray hits slip through the isolation test; drop stars whose own FWHM
  // is more than 3 robust σ (at least 5% of the median) from the median, then stack again.
  const fwhms = measured.map((s) => s.fwhm);
  const centre = median(fwhms);
  const spread = Math.max(madStd(fwhms), 0.05 * centre);
  const kept = measured.filter((s) => Math.abs(s.fwhm - centre) <= 3 * spread);
  const stamp = kept.length === measured.length ? medianStack(accepted, size) : medianStack(kept, size);
  const model = kept.length === measured.length ? firstModel : fitPsfModel(stamp, kind, options.beta);
  const stars = kept.map((s) => ({ x: s.x, y: s.y, flux: s.flux, fwhm: s.fwhm }));
  return {
    fwhm: model.fwhm,
    model,
    stamp,
    stars,
    rejectedStars: measured.length - kept.length,
    background,
    noise,
  };
}

/** Per-pixel median of unit-sum stamps, renormalised to unit sum. */
function medianStack(stars: readonly { readonly stamp: Image }[], size: number): Image {
  const stacked = new Float64Array(size * size);
  const column = new Float64Array(stars.length);
  for (let i = 0; i < stacked.length; i++) {
    stars.forEach((star, k) => {
      column[k] = star.stamp.data[i]!;
    });
    stacked[i] = median(column);
  }
  const stamp: Image = { width: size, height: size, data: stacked };
  normalise(stamp);
  return stamp;
}
