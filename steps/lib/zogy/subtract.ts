/**
 * A whole-frame ZOGY subtraction of one field: masks, backgrounds, registration, PSFs, flux
 * ratio and astrometric noise, then ZOGY on overlapping sub-images, stitched, with the pixels that
 * masked or wrapped-around data could reach set to NaN.
 */
import { binaryDilation } from '../image/morphology.js';
import { type PsfModel, psfStamp } from '../image/psf.js';
import { shiftBilinear, shiftFourier } from '../image/shift.js';
import type { Image } from '../image/types.js';
import { zogy } from './core.js';
import { type PreparedImage, prepareImage } from './prepare.js';
import { type EstimatedPsf, estimatePsf, measureFwhm, PsfEstimateError } from './psf-estimate.js';
import { crossCorrelationShift } from './register.js';
import { fluxRatioFromStars, matchStars } from './star-match.js';
import { planTiles, type Tile } from './tiles.js';

/** One epoch as read from disk. */
export interface Epoch {
  /** Raw image (ADU); NaN marks missing pixels. */
  readonly image: Image;
  /** Saturation level (ADU). @default Infinity */
  readonly saturation?: number;
  /** Gain, e⁻/ADU (source Poisson noise in the variance). @default Infinity (background-limited) */
  readonly gain?: number;
  /** Given PSF (skips the estimate from stars). */
  readonly psf?: PsfModel;
  /** PSF to use when the image has too few stars for an estimate (else that is an error). */
  readonly fallbackPsf?: PsfModel;
}

export interface SubtractOptions {
  /** Known shift of new relative to reference (e.g. from the WCS): new(x) ≈ ref(x − d). */
  readonly initialShift?: { readonly dx: number; readonly dy: number };
  /** How far the cross-correlation searches around the initial shift, pixels. @default 20 */
  readonly shiftSearchPx?: number;
  /** Search for the shift by cross-correlation (around `initialShift`). @default true */
  readonly crossCorrelate?: boolean;
  /** Refine the shift on the median offset of matched stars. @default true */
  readonly refineOnStars?: boolean;
  /** Astrometric noise σx = σy (pixels); default: the scatter of matched star offsets. */
  readonly astrometricNoisePx?: number;
  /** Flux ratio Fr/Fn; default: the median ratio of matched stars. */
  readonly fluxRatio?: number;
  /** Largest sub-image side (pixels), overlap included; each tile gets its own PSFs. @default 512 */
  readonly tileSize?: number;
  /** Mask growth around bad/saturated pixels, pixels. @default 2 */
  readonly maskGrowPx?: number;
  /** Background mesh box size, pixels. @default 64 */
  readonly backgroundBox?: number;
  /** With several tiles, estimate each tile's PSFs from its own stars (≥ 5). @default true */
  readonly localPsf?: boolean;
}

export interface SubtractResult {
  /** D / F_D (flux units of the new image), NaN where invalid. */
  readonly difference: Image;
  readonly score: Image;
  readonly scoreCorr: Image;
  readonly scoreVariance: Image;
  /** 1 where the output is invalid (masked or unreachable data). */
  readonly invalid: Uint8Array;
  readonly psfDiff: Image;
  readonly psfNew: Image;
  readonly psfRef: Image;
  readonly fluxZeroPointDiff: number;
  /** F_S per pixel (eq. 41; it differs between tiles with their own PSFs), NaN where invalid. */
  readonly fluxZeroPointScore: Float64Array;
  readonly fluxRatio: number;
  readonly sigmaNew: number;
  readonly sigmaRef: number;
  readonly shiftX: number;
  readonly shiftY: number;
  readonly sigmaAstX: number;
  readonly sigmaAstY: number;
  readonly matchedStars: number;
  readonly fwhmNew: number;
  readonly fwhmRef: number;
}

/** A subtraction that cannot be done (no stars for a PSF, sizes differ, ...). */
export class SubtractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubtractError';
  }
}

function zeroNaN(image: Image): Image {
  const data = new Float64Array(image.data.length);
  for (let i = 0; i < data.length; i++) data[i] = Number.isFinite(image.data[i]!) ? image.data[i]! : 0;
  return { width: image.width, height: image.height, data };
}

/**
 * Zero-pad an image to a 2·3·5-smooth size at least `margin` larger on each axis (fast FFTs, and
 * content shifted by < margin does not wrap around), apply `fn`, and crop back.
 */
function onSmoothGrid(image: Image, margin: number, fn: (padded: Image) => Image): Image {
  const { width, height } = image;
  const pw = smoothSize(width + margin);
  const ph = smoothSize(height + margin);
  const padded = new Float64Array(pw * ph);
  for (let y = 0; y < height; y++) padded.set(image.data.subarray(y * width, (y + 1) * width), y * pw);
  const result = fn({ width: pw, height: ph, data: padded });
  const data = new Float64Array(width * height);
  for (let y = 0; y < height; y++) data.set(result.data.subarray(y * pw, y * pw + width), y * width);
  return { width, height, data };
}

/** Sub-pixel shift on a padded smooth grid (see {@link onSmoothGrid}). */
function shiftPadded(image: Image, dx: number, dy: number): Image {
  return onSmoothGrid(image, Math.ceil(Math.max(Math.abs(dx), Math.abs(dy))) + 8, (p) =>
    shiftFourier(p, dx, dy),
  );
}

/** The reference resampled onto the new image's grid: image (NaN masked) and mask. */
function shiftReference(
  ref: PreparedImage,
  dx: number,
  dy: number,
): { image: Image; mask: Uint8Array; border: Uint8Array } {
  const { width, height } = ref.image;
  const shifted = shiftPadded(zeroNaN(ref.image), dx, dy);
  // Masked reference pixels move with the data; sampling from outside the frame is not "masked".
  const maskShift = shiftBilinear({ width, height, data: Float64Array.from(ref.mask) }, dx, dy, 0);
  const mask = new Uint8Array(width * height);
  const border = new Uint8Array(width * height);
  // The shift brings ⌈|d|⌉ pixels of no data (zeros) in at the leading edges, plus one of ringing.
  const bx = dx === 0 ? 0 : Math.ceil(Math.abs(dx)) + 1;
  const by = dy === 0 ? 0 : Math.ceil(Math.abs(dy)) + 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (x < bx || x >= width - bx || y < by || y >= height - by) border[i] = 1;
      if (maskShift.data[i]! > 1e-3) mask[i] = 1;
      if (border[i] || mask[i]) shifted.data[i] = Number.NaN;
    }
  }
  return { image: shifted, mask, border };
}

function padStamp(stamp: Image, size: number): Image {
  if (stamp.width === size) return stamp;
  const off = (size - stamp.width) / 2;
  const data = new Float64Array(size * size);
  for (let j = 0; j < stamp.height; j++) {
    for (let i = 0; i < stamp.width; i++) data[(j + off) * size + i + off] = stamp.data[j * stamp.width + i]!;
  }
  return { width: size, height: size, data };
}

/** Smallest 2·3·5-smooth integer ≥ n (fast FFT sizes). */
export function smoothSize(n: number): number {
  for (let m = n; ; m++) {
    let r = m;
    for (const p of [2, 3, 5]) while (r % p === 0) r /= p;
    if (r === 1) return m;
  }
}

function psfOf(
  prepared: PreparedImage,
  given: PsfModel | undefined,
  fallback: PsfModel | undefined,
  which: string,
): { psf: Image; est?: EstimatedPsf } {
  if (given !== undefined) return { psf: psfStamp(given) };
  try {
    const est = estimatePsf(prepared.image, { sigma: prepared.sigma });
    return { psf: est.stamp, est };
  } catch (error) {
    if (!(error instanceof PsfEstimateError)) throw error;
    if (fallback !== undefined) return { psf: psfStamp(fallback) };
    throw new SubtractError(`${which} image: ${error.message}`);
  }
}

/** Subtract `reference` from `science` with ZOGY (see the module comment). */
export function subtract(science: Epoch, reference: Epoch, options: SubtractOptions = {}): SubtractResult {
  const { width, height } = science.image;
  if (reference.image.width !== width || reference.image.height !== height) {
    throw new SubtractError(
      `the science image is ${width}x${height} but the reference is ${reference.image.width}x${reference.image.height}; resample one onto the other first`,
    );
  }
  const prep = (e: Epoch) =>
    prepareImage(e.image, {
      ...(e.saturation === undefined ? {} : { saturation: e.saturation }),
      growPx: options.maskGrowPx ?? 2,
      backgroundBox: options.backgroundBox ?? 64,
    });
  const N = prep(science);
  const R = prep(reference);
  const newPsf = psfOf(N, science.psf, science.fallbackPsf, 'science');

  // Registration: cross-correlation (around the initial shift), then refined on matched stars.
  let dx = options.initialShift?.dx ?? 0;
  let dy = options.initialShift?.dy ?? 0;
  if (options.crossCorrelate !== false) {
    // Cross-correlate on a smooth grid padded by the search radius: fast FFTs, no wrap-around.
    const search = options.shiftSearchPx ?? 20;
    const coarseGrid = (image: Image): Image => {
      const pw = smoothSize(width + search + 1);
      const ph = smoothSize(height + search + 1);
      const data = new Float64Array(pw * ph);
      for (let y = 0; y < height; y++) data.set(image.data.subarray(y * width, (y + 1) * width), y * pw);
      return { width: pw, height: ph, data };
    };
    const coarse = crossCorrelationShift(
      coarseGrid(zeroNaN(N.image)),
      coarseGrid(shiftPadded(zeroNaN(R.image), Math.round(dx), Math.round(dy))),
      N.sigma,
      R.sigma,
      search,
    );
    dx = Math.round(dx) + coarse.dx;
    dy = Math.round(dy) + coarse.dy;
  }
  let Rs = shiftReference(R, dx, dy);
  const fwhmNewRough = newPsf.est?.fwhmPx ?? measureFwhm(newPsf.psf);
  const positions = newPsf.est?.stars ?? [];
  let match =
    positions.length >= 3 ? matchStars(N.image, Rs.image, positions, fwhmNewRough * 1.5) : undefined;
  if (match !== undefined && options.refineOnStars !== false) {
    // A star at x in N sits at x + offset in the shifted reference: shift by −offset more.
    dx -= match.offsetX;
    dy -= match.offsetY;
    Rs = shiftReference(R, dx, dy);
    match = matchStars(N.image, Rs.image, positions, fwhmNewRough * 1.5) ?? match;
  }
  const refPsf = psfOf(
    { ...R, image: Rs.image, mask: Rs.mask },
    reference.psf,
    reference.fallbackPsf,
    'reference',
  );
  const photometry =
    options.fluxRatio === undefined && match !== undefined
      ? fluxRatioFromStars(N.image, Rs.image, match.stars, newPsf.psf, refPsf.psf)
      : undefined;
  const fluxRatio = options.fluxRatio ?? photometry?.ratio ?? match?.fluxRatio ?? 1;
  const sigmaAstX = options.astrometricNoisePx ?? match?.sigmaX ?? 0;
  const sigmaAstY = options.astrometricNoisePx ?? match?.sigmaY ?? 0;

  const size = Math.max(newPsf.psf.width, refPsf.psf.width);
  const psfNew = padStamp(newPsf.psf, size);
  const psfRef = padStamp(refPsf.psf, size);
  const fwhmNew = measureFwhm(psfNew);
  const fwhmRef = measureFwhm(psfRef);
  const reach = (size - 1) / 2 + Math.ceil(2 * Math.max(fwhmNew, fwhmRef));

  // Invalid output: masked input in either image, grown by the kernels' reach.
  // Both images are zeroed on the union (a hole in one only would leave the other's stars), and
  // the output is invalid wherever the kernels reach from a hole.
  const union = new Uint8Array(width * height);
  for (let i = 0; i < union.length; i++) union[i] = N.mask[i]! | Rs.mask[i]! | Rs.border[i]!;
  const invalid = binaryDilation(union, width, height, 2 * Math.ceil(2 * Math.max(fwhmNew, fwhmRef)) + 1);

  // Tiles over the frame padded by `reach` zeros on every side (zero = background after subtraction).
  const pad = reach;
  const tileSize = Math.max(options.tileSize ?? 512, 4 * reach + 32);
  const PW = width + 2 * pad;
  const PH = height + 2 * pad;
  const tiles = planTiles(PW, PH, tileSize, pad);
  const out = {
    D: new Float64Array(width * height).fill(Number.NaN),
    S: new Float64Array(width * height).fill(Number.NaN),
    Sc: new Float64Array(width * height).fill(Number.NaN),
    V: new Float64Array(width * height).fill(Number.NaN),
  };
  let psfDiff: Image | undefined;
  let F_D = 0;
  const fluxZeroPointScore = new Float64Array(width * height).fill(Number.NaN);
  const nClean = zeroNaN(N.image);
  for (let i = 0; i < union.length; i++) if (union[i]) nClean.data[i] = 0;
  const rClean = zeroNaN(Rs.image);
  for (const t of tiles) {
    const tw = smoothSize(t.x1 - t.x0);
    const th = smoothSize(t.y1 - t.y0);
    const nt = new Float64Array(tw * th);
    const rt = new Float64Array(tw * th);
    for (let y = t.y0; y < t.y1; y++) {
      const fy = y - pad;
      if (fy < 0 || fy >= height) continue;
      for (let x = t.x0; x < t.x1; x++) {
        const fx = x - pad;
        if (fx < 0 || fx >= width) continue;
        nt[(y - t.y0) * tw + x - t.x0] = nClean.data[fy * width + fx]!;
        rt[(y - t.y0) * tw + x - t.x0] = rClean.data[fy * width + fx]!;
      }
    }
    // The PSF varies across a large frame: use the tile's own stars where it has enough of them.
    const local =
      tiles.length > 1 && options.localPsf !== false
        ? {
            n: science.psf === undefined ? localPsf(N.image, N.sigma, t, pad, psfNew.width) : undefined,
            r: reference.psf === undefined ? localPsf(Rs.image, R.sigma, t, pad, psfRef.width) : undefined,
          }
        : { n: undefined, r: undefined };
    const result = zogy({
      newImage: { width: tw, height: th, data: nt },
      refImage: { width: tw, height: th, data: rt },
      psfNew: local.n ?? psfNew,
      psfRef: local.r ?? psfRef,
      sigmaNew: N.sigma,
      sigmaRef: R.sigma,
      fluxZeroPointNew: 1,
      fluxZeroPointRef: fluxRatio,
      gainNew: science.gain ?? Number.POSITIVE_INFINITY,
      gainRef: reference.gain ?? Number.POSITIVE_INFINITY,
      sigmaAstX,
      sigmaAstY,
    });
    if (local.n === undefined && local.r === undefined) psfDiff ??= result.psfDiff;
    F_D = result.fluxZeroPointDiff;
    for (let y = Math.max(t.keepY0, pad); y < Math.min(t.keepY1, pad + height); y++) {
      for (let x = Math.max(t.keepX0, pad); x < Math.min(t.keepX1, pad + width); x++) {
        const i = (y - pad) * width + (x - pad);
        if (invalid[i]) continue;
        const k = (y - t.y0) * tw + (x - t.x0);
        out.D[i] = result.difference.data[k]!;
        out.S[i] = result.score.data[k]!;
        out.Sc[i] = result.scoreCorr.data[k]!;
        out.V[i] = result.scoreVariance.data[k]!;
        fluxZeroPointScore[i] = result.fluxZeroPointScore;
      }
    }
  }
  const image = (data: Float64Array): Image => ({ width, height, data });
  return {
    difference: image(out.D),
    score: image(out.S),
    scoreCorr: image(out.Sc),
    scoreVariance: image(out.V),
    invalid,
    psfDiff: psfDiff ?? psfDiffOf(psfNew, psfRef, N.sigma, R.sigma, fluxRatio),
    psfNew,
    psfRef,
    fluxZeroPointDiff: F_D,
    fluxZeroPointScore,
    fluxRatio,
    sigmaNew: N.sigma,
    sigmaRef: R.sigma,
    shiftX: dx,
    shiftY: dy,
    sigmaAstX,
    sigmaAstY,
    matchedStars: match?.stars.length ?? 0,
    fwhmNew,
    fwhmRef,
  };
}

/** A tile's own PSF from the stars in its frame region, or undefined when it has fewer than 5. */
function localPsf(image: Image, sigma: number, t: Tile, pad: number, size: number): Image | undefined {
  const x0 = Math.max(0, t.x0 - pad);
  const y0 = Math.max(0, t.y0 - pad);
  const x1 = Math.min(image.width, t.x1 - pad);
  const y1 = Math.min(image.height, t.y1 - pad);
  const w = x1 - x0;
  const data = new Float64Array(w * (y1 - y0));
  for (let y = y0; y < y1; y++)
    data.set(image.data.subarray(y * image.width + x0, y * image.width + x1), (y - y0) * w);
  try {
    const est = estimatePsf({ width: w, height: y1 - y0, data }, { sigma, halfSize: (size - 1) / 2 });
    return est.stars.length >= 5 ? est.stamp : undefined;
  } catch (error) {
    if (error instanceof PsfEstimateError) return undefined;
    throw error;
  }
}

/** P_D of the global PSFs (eq. 14), for the PSF_D output when every tile used its own PSFs. */
function psfDiffOf(
  psfNew: Image,
  psfRef: Image,
  sigmaNew: number,
  sigmaRef: number,
  fluxRatio: number,
): Image {
  const size = psfNew.width;
  const n = 4 * size;
  const zeros: Image = { width: n, height: n, data: new Float64Array(n * n) };
  return zogy({
    newImage: zeros,
    refImage: zeros,
    psfNew,
    psfRef,
    sigmaNew,
    sigmaRef,
    fluxZeroPointNew: 1,
    fluxZeroPointRef: fluxRatio,
    gainNew: Number.POSITIVE_INFINITY,
    gainRef: Number.POSITIVE_INFINITY,
    sigmaAstX: 0,
    sigmaAstY: 0,
  }).psfDiff;
}
