/**
 * Physical parameters of a radial-field magnetogram patch, as Chatterjee, Muñoz-Jaramillo &
 * Malanushenko (2025) compute them in their code (`calculate_params`, `calculate_srij_R`).
 *
 * The patch holds B_r in kG (the GAN's units: field / 1000 G, clipped to [−1, 1]), so the
 * strong-field threshold of 150 G is 0.15. Writing s for the patch, W × H its size,
 * Npix = W·H, P = {s > +0.15} and N = {s < −0.15}:
 *
 * - TUF  = Σ|s| / Npix                                   (total unsigned flux per pixel, kG)
 * - PSEP = |c_N − c_P| / √(W² + H²)     with c_P = Σ_P (x, y)·s / Σ_P s, c_N likewise
 *          (field-weighted centroids, separation as a fraction of the image diagonal; the paper's
 *          128√2 for 128 × 128 patches)
 * - R    = Σ |s| over dilate₇(P) ∩ dilate₇(N)            (the paper's variant of Schrijver's R:
 *          dilation by a 7 × 7 square, pixels outside the image count as empty)
 * - tilt = asin((c_N,y − c_P,y) / |c_N − c_P|), here in degrees
 *
 * and, beyond the paper, quantities a GAN latent encodes linearly because they are *signed*:
 *
 * - net_flux  = Σ s / Npix
 * - dipole_ew = Σ s·(x − (W − 1)/2) / (Npix·W)          (east–west dipole moment)
 *
 * plus flux_pos = Σ_P s / Npix, flux_neg = Σ_N |s| / Npix and area = (|P| + |N|) / Npix.
 * Where P or N is empty the paper's code returns zeros; here TUF, fluxes, area and the signed
 * quantities are still computed, PSEP, R and tilt are 0, and `flag` says which polarity is
 * missing (bit 1: no strong positive pixel, bit 2: no strong negative pixel). NaN pixels count
 * as 0, as the paper's `nan_to_num` does.
 */
import { binaryDilation } from '../image/morphology.js';

/** The paper's strong-field threshold, 150 G in kG. */
export const STRONG_FIELD_THRESHOLD_KG = 0.15;
/** Side of the square structuring element used for R. */
export const R_DILATION_SIZE_PX = 7;

/** `flag` bit: the patch has no pixel above +threshold. */
export const FLAG_NO_POSITIVE = 1;
/** `flag` bit: the patch has no pixel below −threshold. */
export const FLAG_NO_NEGATIVE = 2;

/** A patch in kG, row-major `data[y * width + x]` (the canonical `Image`, or a Float32 view). */
export interface FieldPatch {
  readonly width: number;
  readonly height: number;
  readonly data: ArrayLike<number>;
}

/** The parameters of one patch; names match the CSV columns. */
export interface PhysicalParameters {
  /** Total unsigned flux per pixel, kG. */
  readonly tuf: number;
  /** Polarity separation as a fraction of the image diagonal. */
  readonly psep: number;
  /** The paper's R: Σ|s| near the polarity inversion line, kG·pixel. */
  readonly r: number;
  /** Tilt of the bipole, degrees in [−90, 90]. */
  readonly tilt: number;
  /** Strong positive flux per pixel, kG. */
  readonly flux_pos: number;
  /** Strong negative flux per pixel (unsigned), kG. */
  readonly flux_neg: number;
  /** Strong-field area as a fraction of the patch. */
  readonly area: number;
  /** Signed flux per pixel, kG. */
  readonly net_flux: number;
  /** East–west dipole moment per pixel, kG (x in units of the width). */
  readonly dipole_ew: number;
  /** 0, or the FLAG_NO_POSITIVE / FLAG_NO_NEGATIVE bits. */
  readonly flag: number;
}

/** The CSV column order. */
export const PARAMETER_NAMES = [
  'tuf',
  'psep',
  'r',
  'tilt',
  'flux_pos',
  'flux_neg',
  'area',
  'net_flux',
  'dipole_ew',
  'flag',
] as const satisfies readonly (keyof PhysicalParameters)[];

/** Options of {@link physicalParameters}. */
export interface PhysicsOptions {
  /** Strong-field threshold in kG. @default 0.15 */
  readonly thresholdKG?: number;
  /** Side of the square dilation for R, pixels (odd). @default 7 */
  readonly dilationSizePx?: number;
}

/** Compute the physical parameters of one patch in kG. */
export function physicalParameters(patch: FieldPatch, options: PhysicsOptions = {}): PhysicalParameters {
  const { width: W, height: H, data: s } = patch;
  const threshold = options.thresholdKG ?? STRONG_FIELD_THRESHOLD_KG;
  const dilationSize = options.dilationSizePx ?? R_DILATION_SIZE_PX;
  const nPix = W * H;
  if (s.length < nPix) {
    throw new RangeError(`patch data holds ${s.length} values, expected width × height = ${nPix}`);
  }
  const positive = new Uint8Array(nPix);
  const negative = new Uint8Array(nPix);
  let sumAbs = 0;
  let sumSigned = 0;
  let sumDipole = 0;
  let nPos = 0;
  let nNeg = 0;
  let sumPos = 0; // Σ_P s
  let sumPosX = 0; // Σ_P x·s
  let sumPosY = 0;
  let sumNeg = 0; // Σ_N s (negative)
  let sumNegX = 0;
  let sumNegY = 0;
  const xCentre = (W - 1) / 2;
  for (let y = 0; y < H; y++) {
    const row = y * W;
    for (let x = 0; x < W; x++) {
      const raw = s[row + x] as number;
      const v = Number.isNaN(raw) ? 0 : raw;
      sumAbs += Math.abs(v);
      sumSigned += v;
      sumDipole += v * (x - xCentre);
      if (v > threshold) {
        positive[row + x] = 1;
        nPos++;
        sumPos += v;
        sumPosX += x * v;
        sumPosY += y * v;
      } else if (v < -threshold) {
        negative[row + x] = 1;
        nNeg++;
        sumNeg += v;
        sumNegX += x * v;
        sumNegY += y * v;
      }
    }
  }
  const flag = (nPos === 0 ? FLAG_NO_POSITIVE : 0) | (nNeg === 0 ? FLAG_NO_NEGATIVE : 0);
  let psep = 0;
  let tilt = 0;
  let r = 0;
  if (flag === 0) {
    const cPx = sumPosX / sumPos;
    const cPy = sumPosY / sumPos;
    const cNx = sumNegX / sumNeg;
    const cNy = sumNegY / sumNeg;
    const separationPx = Math.hypot(cNx - cPx, cNy - cPy);
    psep = separationPx / Math.sqrt(W * W + H * H);
    tilt = separationPx > 0 ? (Math.asin((cNy - cPy) / separationPx) * 180) / Math.PI : 0;
    r = strongGradientFlux(s, W, H, positive, negative, dilationSize);
  }
  return {
    tuf: sumAbs / nPix,
    psep,
    r,
    tilt,
    flux_pos: sumPos / nPix,
    flux_neg: -sumNeg / nPix,
    area: (nPos + nNeg) / nPix,
    net_flux: sumSigned / nPix,
    dipole_ew: sumDipole / (nPix * W),
    flag,
  };
}

/** R: Σ|s| where both dilated strong-polarity masks overlap. */
function strongGradientFlux(
  s: ArrayLike<number>,
  W: number,
  H: number,
  positive: Uint8Array,
  negative: Uint8Array,
  size: number,
): number {
  const posDilated = binaryDilation(positive, W, H, size);
  const negDilated = binaryDilation(negative, W, H, size);
  let r = 0;
  for (let i = 0; i < W * H; i++) {
    if (posDilated[i] && negDilated[i]) {
      const v = s[i] as number;
      if (!Number.isNaN(v)) r += Math.abs(v);
    }
  }
  return r;
}

/**
 * Parameters of every patch in a stack stored back to back (`count` patches of `width × height`).
 */
export function stackParameters(
  data: Float32Array | Float64Array,
  width: number,
  height: number,
  options: PhysicsOptions = {},
): PhysicalParameters[] {
  const n = width * height;
  if (data.length % n !== 0) {
    throw new RangeError(
      `stack of ${data.length} values is not a whole number of ${width}×${height} patches`,
    );
  }
  const out: PhysicalParameters[] = [];
  for (let k = 0; k < data.length / n; k++) {
    out.push(physicalParameters({ width, height, data: data.subarray(k * n, (k + 1) * n) }, options));
  }
  return out;
}

/** The parameters in physical units, for a patch of known pixel size. */
export interface PhysicalUnits {
  /** Mean unsigned field, G. */
  readonly tuf_g: number;
  /** Total unsigned flux, Mx. */
  readonly unsigned_flux_mx: number;
  /** Polarity separation, Mm. */
  readonly psep_mm: number;
  /** The paper's R as a flux, Mx. */
  readonly r_mx: number;
}

/** Column names of {@link PhysicalUnits}. */
export const PHYSICAL_UNIT_NAMES = ['tuf_g', 'unsigned_flux_mx', 'psep_mm', 'r_mx'] as const;

/** Convert the kG/pixel quantities of a W×H patch with `pixelSizeMm` Mm pixels to G, Mx and Mm. */
export function inPhysicalUnits(
  p: PhysicalParameters,
  W: number,
  H: number,
  pixelSizeMm: number,
): PhysicalUnits {
  const pixelAreaCm2 = pixelSizeMm * pixelSizeMm * 1e16;
  return {
    tuf_g: p.tuf * 1000,
    unsigned_flux_mx: p.tuf * W * H * 1000 * pixelAreaCm2,
    psep_mm: p.psep * Math.sqrt(W * W + H * H) * pixelSizeMm,
    r_mx: p.r * 1000 * pixelAreaCm2,
  };
}
