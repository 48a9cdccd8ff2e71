/**
 * Two-dimensional FFTs with numpy's conventions.
 *
 * - `fft2` / `ifft2`: complex ↔ complex, X[v,u] = Σ_{y,x} z[y,x] exp(-2πi(vy/H + ux/W)), i.e.
 *   `numpy.fft.fft2` on an `[height, width]` array; the inverse is scaled by 1/(width·height)
 *   (numpy's default `norm="backward"`).
 * - `rfft2` / `irfft2`: real input, half spectrum of width ⌊width/2⌋ + 1 along x (the last numpy
 *   axis), exactly `numpy.fft.rfft2` / `numpy.fft.irfft2(s=(height, width))`. Like numpy, the inverse
 *   ignores the imaginary parts of the x = 0 and (even width) Nyquist columns.
 *
 * Any size works. The transforms run in the native addon when it is built (fft-native.ts: SIMD
 * across four columns, about twice numpy's pocketfft on one core) and otherwise in TypeScript
 * (fft-js.ts); both agree with numpy to ~1e-15 relative. {@link fftBackend} says which runs.
 */

import { assertHalfSpectrum, assertShape, fft2InPlaceJs, irfft2Js, rfft2Js } from './fft-js.js';
import { nativeFft } from './fft-native.js';
import type { ComplexImage, Image } from './types.js';

export { fftBackend } from './fft-native.js';

/** In-place 2-D complex FFT (forward unscaled, inverse scaled by 1/(width·height)). */
export function fft2InPlace(z: ComplexImage, inverse = false): void {
  const { width, height, re, im } = z;
  const native = nativeFft();
  if (!native) {
    fft2InPlaceJs(z, inverse);
    return;
  }
  assertShape(width, height, re.length, inverse ? 'ifft2' : 'fft2');
  assertShape(width, height, im.length, inverse ? 'ifft2' : 'fft2');
  native.fftComplex2d(re, im, re, im, width, height, inverse);
}

/** `numpy.fft.fft2`: a new complex spectrum of a complex image. */
export function fft2(z: ComplexImage): ComplexImage {
  const out = { width: z.width, height: z.height, re: Float64Array.from(z.re), im: Float64Array.from(z.im) };
  fft2InPlace(out, false);
  return out;
}

/** `numpy.fft.ifft2`: the inverse transform, scaled by 1/(width·height). */
export function ifft2(z: ComplexImage): ComplexImage {
  const out = { width: z.width, height: z.height, re: Float64Array.from(z.re), im: Float64Array.from(z.im) };
  fft2InPlace(out, true);
  return out;
}

/** A real image as a complex one (imaginary part zero). */
export function toComplex(image: Image): ComplexImage {
  return {
    width: image.width,
    height: image.height,
    re: Float64Array.from(image.data),
    im: new Float64Array(image.data.length),
  };
}

/**
 * `numpy.fft.rfft2`: the half spectrum (width ⌊width/2⌋ + 1) of a real image. `out`, when given,
 * receives it (its arrays must hold height × (⌊width/2⌋ + 1) values): loops over many transforms of
 * one size can then reuse memory instead of faulting in fresh pages for every spectrum.
 */
export function rfft2(image: Image, out?: ComplexImage): ComplexImage {
  const { width, height, data } = image;
  assertShape(width, height, data.length, 'rfft2');
  const half = Math.floor(width / 2) + 1;
  if (out) {
    assertShape(half, height, out.re.length, 'rfft2 output');
    assertShape(half, height, out.im.length, 'rfft2 output');
  }
  const native = nativeFft();
  if (!native) {
    const spectrum = rfft2Js(image);
    if (!out) return spectrum;
    out.re.set(spectrum.re);
    out.im.set(spectrum.im);
    return { width: half, height, re: out.re, im: out.im };
  }
  const re = out?.re ?? new Float64Array(half * height);
  const im = out?.im ?? new Float64Array(half * height);
  native.fftReal2d(data, re, im, width, height);
  return { width: half, height, re, im };
}

/** Options of {@link irfft2}. */
export interface InverseRealOptions {
  /** Receives the image (width × height values) instead of a new array. */
  readonly out?: Float64Array;
  /**
   * The caller no longer needs the spectrum: the native path then uses its arrays as scratch
   * (they hold garbage afterwards) and saves a temporary of their size.
   */
  readonly overwriteInput?: boolean;
}

/**
 * `numpy.fft.irfft2(spectrum, s=(height, width))`: the real image whose half spectrum is given.
 * `width` is the output width; the spectrum must be ⌊width/2⌋ + 1 wide. The spectrum is not
 * changed unless `options.overwriteInput`.
 */
export function irfft2(spectrum: ComplexImage, width: number, options: InverseRealOptions = {}): Image {
  const { height } = spectrum;
  assertHalfSpectrum(spectrum, width);
  const { out } = options;
  if (out) assertShape(width, height, out.length, 'irfft2 output');
  const native = nativeFft();
  if (!native) {
    const image = irfft2Js(spectrum, width);
    if (!out) return image;
    out.set(image.data);
    return { width, height, data: out };
  }
  const data = out ?? new Float64Array(width * height);
  native.fftRealInverse2d(spectrum.re, spectrum.im, data, width, height, options.overwriteInput === true);
  return { width, height, data };
}

/** Swap quadrants so the zero frequency moves to the centre (`numpy.fft.fftshift` on both axes). */
export function fftshift(image: Image): Image {
  return roll(image, Math.floor(image.width / 2), Math.floor(image.height / 2));
}

/** Undo {@link fftshift} (`numpy.fft.ifftshift` on both axes). */
export function ifftshift(image: Image): Image {
  return roll(image, -Math.floor(image.width / 2), -Math.floor(image.height / 2));
}

/** `numpy.roll(image, (dy, dx), axis=(0, 1))`: circular shift by whole pixels. */
export function roll(image: Image, dx: number, dy: number): Image {
  const { width, height, data } = image;
  const out = new Float64Array(data.length);
  const sx = ((dx % width) + width) % width;
  const sy = ((dy % height) + height) % height;
  for (let y = 0; y < height; y++) {
    const ty = (y + sy) % height;
    for (let x = 0; x < width; x++) {
      out[ty * width + ((x + sx) % width)] = data[y * width + x]!;
    }
  }
  return { width, height, data: out };
}
