/**
 * The TypeScript 2-D FFTs: the fallback of fft.ts when the native addon (native/src/fft*.cc) is not
 * built, and a second implementation the tests hold against numpy alongside it. Conventions are
 * those documented in fft.ts (numpy's).
 *
 * Any size works (see fft-plan.ts). Rows are transformed in place; columns are gathered a few at a
 * time into contiguous buffers so every pass runs on cache-resident data.
 */

import { getFftPlan } from './fft-plan.js';
import type { ComplexImage, Image } from './types.js';

/** Throws unless width × height is a positive size matching `length` values. */
export function assertShape(width: number, height: number, length: number, what: string): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`${what}: width and height must be positive integers, got ${width}×${height}`);
  }
  if (length !== width * height) {
    throw new RangeError(`${what}: data length ${length} does not match ${width}×${height}`);
  }
}
/** Transform every row of a split complex array in place. */
function transformRows(
  re: Float64Array,
  im: Float64Array,
  width: number,
  height: number,
  inverse: boolean,
): void {
  const plan = getFftPlan(width);
  for (let y = 0; y < height; y++) {
    const start = y * width;
    plan.transform(re.subarray(start, start + width), im.subarray(start, start + width), inverse);
  }
}

/**
 * Column blocking. Eight float64 columns are one 64-byte cache line per row, so blocks of 8 read and
 * write every line of the image once. The block is gathered as 8 interleaved sequences [y][b] and
 * transformed in one batch: the block and the plan's ping-pong buffer (2 × 8 × height × 16 bytes,
 * 512 KiB at height 2048) stay in a typical 1 MiB L2 cache, and the kernels' inner loops run over
 * 8·stride contiguous values, which amortises their per-butterfly twiddle loads.
 */
const COLUMN_BLOCK = 8;

/** Gather buffers, reused across calls (the 2-D transforms are synchronous, so never shared). */
let blockRe = new Float64Array(0);
let blockIm = new Float64Array(0);

/** Copy the full-width column block [xb, xb + 8) into `bRe`, `bIm` laid out [y][b]. */
function gather8(
  re: Float64Array,
  im: Float64Array,
  stride: number,
  height: number,
  xb: number,
  bRe: Float64Array,
  bIm: Float64Array,
): void {
  for (let y = 0, row = xb, at = 0; y < height; y++, row += stride, at += 8) {
    bRe[at] = re[row]!;
    bRe[at + 1] = re[row + 1]!;
    bRe[at + 2] = re[row + 2]!;
    bRe[at + 3] = re[row + 3]!;
    bRe[at + 4] = re[row + 4]!;
    bRe[at + 5] = re[row + 5]!;
    bRe[at + 6] = re[row + 6]!;
    bRe[at + 7] = re[row + 7]!;
    bIm[at] = im[row]!;
    bIm[at + 1] = im[row + 1]!;
    bIm[at + 2] = im[row + 2]!;
    bIm[at + 3] = im[row + 3]!;
    bIm[at + 4] = im[row + 4]!;
    bIm[at + 5] = im[row + 5]!;
    bIm[at + 6] = im[row + 6]!;
    bIm[at + 7] = im[row + 7]!;
  }
}

/** The inverse of {@link gather8}. */
function scatter8(
  re: Float64Array,
  im: Float64Array,
  stride: number,
  height: number,
  xb: number,
  bRe: Float64Array,
  bIm: Float64Array,
): void {
  for (let y = 0, row = xb, at = 0; y < height; y++, row += stride, at += 8) {
    re[row] = bRe[at]!;
    re[row + 1] = bRe[at + 1]!;
    re[row + 2] = bRe[at + 2]!;
    re[row + 3] = bRe[at + 3]!;
    re[row + 4] = bRe[at + 4]!;
    re[row + 5] = bRe[at + 5]!;
    re[row + 6] = bRe[at + 6]!;
    re[row + 7] = bRe[at + 7]!;
    im[row] = bIm[at]!;
    im[row + 1] = bIm[at + 1]!;
    im[row + 2] = bIm[at + 2]!;
    im[row + 3] = bIm[at + 3]!;
    im[row + 4] = bIm[at + 4]!;
    im[row + 5] = bIm[at + 5]!;
    im[row + 6] = bIm[at + 6]!;
    im[row + 7] = bIm[at + 7]!;
  }
}

/** Gather (or scatter back) a narrow block of nb < 8 columns, laid out [y][b]. */
function copyNarrow(
  re: Float64Array,
  im: Float64Array,
  stride: number,
  height: number,
  xb: number,
  nb: number,
  bRe: Float64Array,
  bIm: Float64Array,
  gather: boolean,
): void {
  for (let y = 0; y < height; y++) {
    const row = y * stride + xb;
    const at = y * nb;
    for (let b = 0; b < nb; b++) {
      if (gather) {
        bRe[at + b] = re[row + b]!;
        bIm[at + b] = im[row + b]!;
      } else {
        re[row + b] = bRe[at + b]!;
        im[row + b] = bIm[at + b]!;
      }
    }
  }
}

/**
 * Transform the columns x0 ≤ x < x1 of a row-major split complex array with row length `stride`,
 * in place, or, when `outRe`/`outIm` are given, into those arrays (same layout; the input is then
 * left untouched, which saves a copy of the whole array).
 */
export function transformColumns(
  re: Float64Array,
  im: Float64Array,
  stride: number,
  height: number,
  x0: number,
  x1: number,
  inverse: boolean,
  outRe: Float64Array = re,
  outIm: Float64Array = im,
): void {
  const plan = getFftPlan(height);
  if (blockRe.length < COLUMN_BLOCK * height) {
    blockRe = new Float64Array(COLUMN_BLOCK * height);
    blockIm = new Float64Array(COLUMN_BLOCK * height);
  }
  const bRe = blockRe;
  const bIm = blockIm;
  for (let xb = x0; xb < x1; xb += COLUMN_BLOCK) {
    const nb = Math.min(COLUMN_BLOCK, x1 - xb);
    if (nb === COLUMN_BLOCK) gather8(re, im, stride, height, xb, bRe, bIm);
    else copyNarrow(re, im, stride, height, xb, nb, bRe, bIm, true);
    plan.transformBatch(bRe, bIm, nb, inverse);
    if (nb === COLUMN_BLOCK) scatter8(outRe, outIm, stride, height, xb, bRe, bIm);
    else copyNarrow(outRe, outIm, stride, height, xb, nb, bRe, bIm, false);
  }
}

function scaleInPlace(values: Float64Array, factor: number): void {
  for (let i = 0; i < values.length; i++) values[i]! *= factor;
}

/** In-place 2-D complex FFT (forward unscaled, inverse scaled by 1/(width·height)). */
export function fft2InPlaceJs(z: ComplexImage, inverse = false): void {
  const { width, height, re, im } = z;
  assertShape(width, height, re.length, inverse ? 'ifft2' : 'fft2');
  assertShape(width, height, im.length, inverse ? 'ifft2' : 'fft2');
  transformRows(re, im, width, height, inverse);
  transformColumns(re, im, width, height, 0, width, inverse);
  if (inverse) {
    const scale = 1 / (width * height);
    scaleInPlace(re, scale);
    scaleInPlace(im, scale);
  }
}

/** `numpy.fft.fft2`: a new complex spectrum of a complex image. */
/** Row buffers shared by rfft2/irfft2: z = a + ib for a pair of rows, and a zero row. */
let rowRe = new Float64Array(0);
let rowIm = new Float64Array(0);
let zeroRow = new Float64Array(0);
function rowBuffers(width: number): void {
  if (rowRe.length < width) {
    rowRe = new Float64Array(width);
    rowIm = new Float64Array(width);
    zeroRow = new Float64Array(width);
  }
}

/**
 * `numpy.fft.rfft2`: the half spectrum (width ⌊width/2⌋ + 1) of a real image.
 *
 * Rows are transformed two at a time as one complex row z = a + ib, then separated with
 * A_k = (Z_k + conj Z_{-k})/2 and B_k = (Z_k - conj Z_{-k})/(2i), which halves the row work.
 * Columns are then transformed only over the half spectrum.
 */
export function rfft2Js(image: Image): ComplexImage {
  const { width, height, data } = image;
  assertShape(width, height, data.length, 'rfft2');
  const half = Math.floor(width / 2) + 1;
  const re = new Float64Array(half * height);
  const im = new Float64Array(half * height);
  const plan = getFftPlan(width);
  rowBuffers(width);
  const zr = rowRe;
  const zi = rowIm;
  // An odd last row is paired with zeros; its B half goes to a scratch row that is then dropped.
  const dumpRe = new Float64Array(height % 2 === 1 ? half : 0);
  const dumpIm = new Float64Array(height % 2 === 1 ? half : 0);
  for (let y = 0; y < height; y += 2) {
    const pair = y + 1 < height;
    zr.set(data.subarray(y * width, (y + 1) * width));
    if (pair) zi.set(data.subarray((y + 1) * width, (y + 2) * width));
    else zi.fill(0, 0, width);
    plan.transform(zr, zi, false);
    const outA = y * half;
    const bRe = pair ? re : dumpRe;
    const bIm = pair ? im : dumpIm;
    const outB = pair ? outA + half : 0;
    // k = 0: Z_{-0} = Z_0.
    re[outA] = zr[0]!;
    im[outA] = 0;
    bRe[outB] = zi[0]!;
    bIm[outB] = 0;
    for (let k = 1, kNeg = width - 1; k < half; k++, kNeg--) {
      const pr = zr[k]!;
      const pi = zi[k]!;
      const qr = zr[kNeg]!;
      const qi = zi[kNeg]!;
      // P = Z_k, Q = conj Z_{-k}: A = (P + Q)/2, B = (P - Q)/(2i) = (Im(P - Q), -Re(P - Q))/2.
      re[outA + k] = 0.5 * (pr + qr);
      im[outA + k] = 0.5 * (pi - qi);
      bRe[outB + k] = 0.5 * (pi + qi);
      bIm[outB + k] = -0.5 * (pr - qr);
    }
  }
  transformColumns(re, im, half, height, 0, half, false);
  return { width: half, height, re, im };
}

/** Check that `spectrum` is the half spectrum of a real image `width` wide; returns its width. */
export function assertHalfSpectrum(spectrum: ComplexImage, width: number): number {
  const half = Math.floor(width / 2) + 1;
  if (spectrum.width !== half) {
    throw new RangeError(
      `irfft2: a half spectrum of width ${spectrum.width} cannot give width ${width} (expected ${half} columns)`,
    );
  }
  assertShape(half, spectrum.height, spectrum.re.length, 'irfft2');
  assertShape(half, spectrum.height, spectrum.im.length, 'irfft2');
  return half;
}

/**
 * `numpy.fft.irfft2(spectrum, s=(height, width))`: the real image whose half spectrum is given.
 * `width` is the output width; the spectrum must be ⌊width/2⌋ + 1 wide. The spectrum is not changed.
 */
export function irfft2Js(spectrum: ComplexImage, width: number): Image {
  const { height } = spectrum;
  const half = assertHalfSpectrum(spectrum, width);
  const re = new Float64Array(half * height);
  const im = new Float64Array(half * height);
  transformColumns(spectrum.re, spectrum.im, half, height, 0, half, true, re, im);
  const data = new Float64Array(width * height);
  const plan = getFftPlan(width);
  rowBuffers(width);
  // Each pair of output rows is transformed in place as z = (row y) + i (row y + 1), with numpy's
  // 1/(width·height) folded into the packing; an odd last row pairs with a scratch row.
  const nyquist = width % 2 === 0 ? width / 2 : -1;
  const kEnd = nyquist > 0 ? nyquist : half;
  const scale = 1 / (width * height);
  for (let y = 0; y < height; y += 2) {
    const pair = y + 1 < height;
    const zr = data.subarray(y * width, (y + 1) * width);
    const zi = pair ? data.subarray((y + 1) * width, (y + 2) * width) : rowIm;
    const a = y * half;
    const bRe = pair ? re : zeroRow;
    const bIm = pair ? im : zeroRow;
    const b = pair ? a + half : 0;
    // Z = A + iB over the full length, with A_{-k} = conj A_k (and the same for B). The x = 0 and
    // (even width) Nyquist bins are taken as real, as numpy does.
    zr[0] = scale * re[a]!;
    zi[0] = scale * bRe[b]!;
    for (let k = 1, kNeg = width - 1; k < kEnd; k++, kNeg--) {
      const ar = scale * re[a + k]!;
      const ai = scale * im[a + k]!;
      const br = scale * bRe[b + k]!;
      const bi = scale * bIm[b + k]!;
      zr[k] = ar - bi;
      zi[k] = ai + br;
      // conj(A) + i conj(B)
      zr[kNeg] = ar + bi;
      zi[kNeg] = br - ai;
    }
    if (nyquist > 0) {
      zr[nyquist] = scale * re[a + nyquist]!;
      zi[nyquist] = scale * bRe[b + nyquist]!;
    }
    plan.transform(zr, zi, true);
  }
  return { width, height, data };
}
