/**
 * The PSF of an epoch, estimated from its stars: bright, unsaturated, isolated point sources are
 * centred with a windowed centroid, shifted to the stamp centre in Fourier space, normalised to
 * unit flux and median-stacked (the median rejects neighbours and cosmic rays in single stamps).
 * The stack is tapered to zero at the stamp edge so that its noisy wings do not inject high
 * frequencies into the ZOGY kernels, and renormalised to unit sum.
 */
import { shiftFourier } from '../image/shift.js';
import { centroidWindowed, findPeaks } from '../image/stars.js';
import { median } from '../image/statistics.js';
import type { Image } from '../image/types.js';

/** A star selected for PSF and registration work. */
export interface PsfStar {
  readonly x: number;
  readonly y: number;
  /** Peak value above background. */
  readonly peak: number;
}

/** An empirical PSF with the stars it came from. */
export interface EstimatedPsf {
  readonly stamp: Image;
  readonly fwhmPx: number;
  readonly stars: readonly PsfStar[];
}

/** Thrown when an image has too few usable stars for a PSF. */
export class PsfEstimateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PsfEstimateError';
  }
}

/** Rough FWHM of a peak: the diameter of the circle with the area above half maximum nearby. */
function halfMaxDiameter(image: Image, x: number, y: number, peak: number, radius: number): number {
  let area = 0;
  for (let dy = -radius; dy <= radius; dy++) {
    for (let dx = -radius; dx <= radius; dx++) {
      const v = image.data[(y + dy) * image.width + x + dx]!;
      if (v > peak / 2) area++;
    }
  }
  return 2 * Math.sqrt(area / Math.PI);
}

function cut(image: Image, cx: number, cy: number, half: number): Image {
  const size = 2 * half + 1;
  const data = new Float64Array(size * size);
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++)
      data[j * size + i] = image.data[(cy - half + j) * image.width + cx - half + i]!;
  }
  return { width: size, height: size, data };
}

function hasNaN(stamp: Image): boolean {
  for (const v of stamp.data) if (!Number.isFinite(v)) return true;
  return false;
}

export interface PsfEstimateOptions {
  /** Background noise σ of the (background-subtracted) image. */
  readonly sigma: number;
  /** Minimum peak S/N of stars used. @default 10 */
  readonly minPeakSnr?: number;
  /** Stars used at most (brightest first). @default 60 */
  readonly maxStars?: number;
  /** Stamp half-size in pixels; default 3 × FWHM (at least 6, at most 25). */
  readonly halfSize?: number;
}

/**
 * Estimate the PSF of a background-subtracted image whose masked pixels (saturated, bad) are NaN.
 * Stars with a NaN in their stamp (saturated cores, edges) are skipped.
 */
export function estimatePsf(image: Image, options: PsfEstimateOptions): EstimatedPsf {
  const sigma = options.sigma;
  const minSnr = options.minPeakSnr ?? 10;
  const peaks = findPeaks(image, { threshold: minSnr * sigma, boxSize: 7, border: 8, maxPeaks: 2000 });
  // Reject peaks with NaN (saturated) pixels next to them, then take the rough FWHM of the rest.
  const clean = peaks.filter((p) => !hasNaN(cut(image, p.x, p.y, 3)));
  if (clean.length < 3) {
    throw new PsfEstimateError(
      `found ${clean.length} unsaturated star(s) with peak S/N > ${minSnr} (need 3); give the PSF FWHM instead`,
    );
  }
  // Stars are the most compact sources: take the lower quartile of the half-maximum diameters as
  // the seeing, and drop sources 1.5 times wider than that (galaxies, blends).
  // A single pixel above half maximum (diameter 1.13) is a hot pixel or a cosmic ray, not a star.
  const diameters = clean.map((p) => halfMaxDiameter(image, p.x, p.y, p.value, 4));
  const sorted = diameters.filter((d) => d > 1.2).sort((a, b) => a - b);
  if (sorted.length < 3) {
    throw new PsfEstimateError(`found ${sorted.length} resolved star(s) with peak S/N > ${minSnr} (need 3)`);
  }
  const fwhmRough = sorted[Math.floor((sorted.length - 1) / 4)]!;
  const compact = clean.filter((_, i) => diameters[i]! > 1.2 && diameters[i]! <= 1.5 * fwhmRough + 0.5);
  const half = options.halfSize ?? Math.max(6, Math.min(25, Math.ceil(3 * fwhmRough)));
  const inside = (p: { x: number; y: number }) =>
    p.x - half - 1 >= 0 &&
    p.y - half - 1 >= 0 &&
    p.x + half + 1 < image.width &&
    p.y + half + 1 < image.height;
  // Isolation: no other peak brighter than 5% of this one within the stamp.
  const isolated = compact.filter(
    (p) =>
      inside(p) &&
      !peaks.some(
        (q) =>
          q !== p && Math.abs(q.x - p.x) <= half && Math.abs(q.y - p.y) <= half && q.value > 0.05 * p.value,
      ),
  );
  const sigmaWindow = Math.max(0.5, fwhmRough / 2.3548);
  const stars: PsfStar[] = [];
  const stamps: Image[] = [];
  for (const p of isolated) {
    if (stamps.length >= (options.maxStars ?? 60)) break;
    const c = centroidWindowed(image, p.x, p.y, { sigma: sigmaWindow });
    if (!c.converged || Math.abs(c.x - p.x) > 1.5 || Math.abs(c.y - p.y) > 1.5) continue;
    const stamp = cut(image, p.x, p.y, half);
    if (hasNaN(stamp)) continue;
    const centred = shiftFourier(stamp, p.x - c.x, p.y - c.y);
    let sum = 0;
    for (const v of centred.data) sum += v;
    if (!(sum > 0)) continue;
    for (let i = 0; i < centred.data.length; i++) centred.data[i]! /= sum;
    stamps.push(centred);
    stars.push({ x: c.x, y: c.y, peak: p.value });
  }
  if (stamps.length < 3) {
    throw new PsfEstimateError(
      `only ${stamps.length} isolated, unsaturated star(s) with peak S/N > ${minSnr} (need 3); give the PSF FWHM instead`,
    );
  }
  const size = 2 * half + 1;
  const data = new Float64Array(size * size);
  const column = new Float64Array(stamps.length);
  for (let i = 0; i < data.length; i++) {
    for (let s = 0; s < stamps.length; s++) column[s] = stamps[s]!.data[i]!;
    data[i] = median(column);
  }
  const stamp = taper({ width: size, height: size, data }, half);
  return { stamp, fwhmPx: measureFwhm(stamp), stars };
}

/**
 * Multiply by a radial cosine taper (1 inside 0.6·half, 0 at half), clip negative wings to 0 and
 * renormalise to unit sum.
 */
function taper(stamp: Image, half: number): Image {
  const r0 = 0.6 * half;
  let sum = 0;
  const data = new Float64Array(stamp.data.length);
  const size = stamp.width;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const r = Math.hypot(i - half, j - half);
      const w = r <= r0 ? 1 : r >= half ? 0 : 0.5 * (1 + Math.cos((Math.PI * (r - r0)) / (half - r0)));
      const v = Math.max(0, stamp.data[j * size + i]!) * w;
      data[j * size + i] = v;
      sum += v;
    }
  }
  for (let i = 0; i < data.length; i++) data[i]! /= sum;
  return { width: size, height: size, data };
}

/**
 * FWHM of a centred stamp: the diameter of the circle with the area above half the peak, counted
 * on a 5×5 sub-grid of bilinearly interpolated values (pixel counting alone is too coarse at 2 px).
 */
export function measureFwhm(stamp: Image): number {
  let peak = 0;
  for (const v of stamp.data) peak = Math.max(peak, v);
  const sub = 5;
  let area = 0;
  const { width, height, data } = stamp;
  for (let y = 0; y < height - 1; y++) {
    for (let x = 0; x < width - 1; x++) {
      for (let j = 0; j < sub; j++) {
        const fy = (j + 0.5) / sub;
        for (let i = 0; i < sub; i++) {
          const fx = (i + 0.5) / sub;
          const v =
            data[y * width + x]! * (1 - fx) * (1 - fy) +
            data[y * width + x + 1]! * fx * (1 - fy) +
            data[(y + 1) * width + x]! * (1 - fx) * fy +
            data[(y + 1) * width + x + 1]! * fx * fy;
          if (v > peak / 2) area++;
        }
      }
    }
  }
  return 2 * Math.sqrt(area / (sub * sub) / Math.PI);
}
