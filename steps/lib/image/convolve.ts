/**
 * FFT convolution and cross-correlation of images with small or large kernels.
 *
 * Centre convention (the one `scipy.signal.fftconvolve(..., mode="same")` uses): the kernel pixel
 * (cx, cy) = (⌊(kw-1)/2⌋, ⌊(kh-1)/2⌋) lands on the output pixel, i.e.
 *   out[y, x] = Σ_{j,i} image[y + cy - j, x + cx - i] · kernel[j, i].
 * For odd kernel sizes that is the middle pixel, so a centred, symmetric PSF does not shift the image.
 *
 * Boundaries:
 * - `zero` (default): pixels outside the image are 0. The transforms are zero-padded to at least
 *   (width + kw - 1) × (height + kh - 1), rounded up to a 2·3·5-smooth size, so nothing wraps around.
 * - `circular`: the image is periodic (index modulo width/height), as in a plain DFT product; the
 *   kernel must fit in the image. This is what Fourier-space methods such as ZOGY assume.
 *
 * NaN pixels are refused: a Fourier product would spread one NaN over the whole output.
 */
import { irfft2, rfft2 } from './fft.js';
import { nextFastLength } from './fft-plan.js';
import type { Image } from './types.js';

/** How pixels beyond the image edge are treated. */
export type ConvolveBoundary = 'zero' | 'circular';

/** Options of {@link convolve} and {@link correlate}. */
export interface ConvolveOptions {
  /** @default 'zero' */
  readonly boundary?: ConvolveBoundary;
}

function assertFinite(image: Image, what: string): void {
  for (let i = 0; i < image.data.length; i++) {
    if (!Number.isFinite(image.data[i]!)) {
      const x = i % image.width;
      const y = Math.floor(i / image.width);
      throw new RangeError(
        `${what} has a non-finite value at pixel (x=${x}, y=${y}); FFT convolution would spread it over the whole output. Replace NaN/inf first (for example with the background level).`,
      );
    }
  }
}

/** Copy `image` into the top-left corner of a zero image of the given size. */
function padTo(image: Image, width: number, height: number): Image {
  const data = new Float64Array(width * height);
  for (let y = 0; y < image.height; y++) {
    data.set(image.data.subarray(y * image.width, (y + 1) * image.width), y * width);
  }
  return { width, height, data };
}

/**
 * The kernel wrapped onto a width × height grid with its centre pixel ((kw-1)//2, (kh-1)//2) at (0, 0),
 * so that a circular DFT product with it is the centred convolution. Kernels larger than the grid
 * are refused.
 */
export function kernelAtOrigin(kernel: Image, width: number, height: number): Image {
  if (kernel.width > width || kernel.height > height) {
    throw new RangeError(
      `kernel of ${kernel.width}×${kernel.height} does not fit a ${width}×${height} circular grid; crop the kernel or pad the image`,
    );
  }
  const cx = Math.floor((kernel.width - 1) / 2);
  const cy = Math.floor((kernel.height - 1) / 2);
  const data = new Float64Array(width * height);
  for (let j = 0; j < kernel.height; j++) {
    const y = (j - cy + height) % height;
    for (let i = 0; i < kernel.width; i++) {
      const x = (i - cx + width) % width;
      data[y * width + x] = data[y * width + x]! + kernel.data[j * kernel.width + i]!;
    }
  }
  return { width, height, data };
}

/** Multiply two half spectra element by element, into the first. */
function multiplyInto(
  a: { re: Float64Array; im: Float64Array },
  b: { re: Float64Array; im: Float64Array },
): void {
  for (let i = 0; i < a.re.length; i++) {
    const ar = a.re[i]!;
    const ai = a.im[i]!;
    const br = b.re[i]!;
    const bi = b.im[i]!;
    a.re[i] = ar * br - ai * bi;
    a.im[i] = ar * bi + ai * br;
  }
}

/**
 * Convolve `image` with `kernel`; the output has the image's size. With the default zero boundary
 * this is `scipy.signal.fftconvolve(image, kernel, mode="same")`.
 */
export function convolve(image: Image, kernel: Image, options: ConvolveOptions = {}): Image {
  assertFinite(image, 'convolve: image');
  assertFinite(kernel, 'convolve: kernel');
  const { width, height } = image;
  if ((options.boundary ?? 'zero') === 'circular') {
    const spectrum = rfft2(image);
    multiplyInto(spectrum, rfft2(kernelAtOrigin(kernel, width, height)));
    return irfft2(spectrum, width, { overwriteInput: true });
  }
  const paddedWidth = nextFastLength(width + kernel.width - 1);
  const paddedHeight = nextFastLength(height + kernel.height - 1);
  const spectrum = rfft2(padTo(image, paddedWidth, paddedHeight));
  multiplyInto(spectrum, rfft2(padTo(kernel, paddedWidth, paddedHeight)));
  const full = irfft2(spectrum, paddedWidth, { overwriteInput: true });
  const cx = Math.floor((kernel.width - 1) / 2);
  const cy = Math.floor((kernel.height - 1) / 2);
  const data = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    const from = (y + cy) * paddedWidth + cx;
    data.set(full.data.subarray(from, from + width), y * width);
  }
  return { width, height, data };
}

/** The kernel rotated by 180° (flipped on both axes). */
export function flip(kernel: Image): Image {
  const { width, height } = kernel;
  const data = new Float64Array(width * height);
  const last = width * height - 1;
  for (let i = 0; i <= last; i++) data[i] = kernel.data[last - i]!;
  return { width, height, data };
}

/**
 * Cross-correlate `image` with `template`: out[y, x] = Σ image[y + j - c_y, x + i - c_x] template[j, i]
 * with c = ⌈(k-1)/2⌉ on each axis (the middle pixel for odd sizes), computed as the convolution with
 * the flipped template, exactly as
 * `scipy.signal.correlate(image, template, mode="same", method="fft")` (for real arrays).
 */
export function correlate(image: Image, template: Image, options: ConvolveOptions = {}): Image {
  return convolve(image, flip(template), options);
}
