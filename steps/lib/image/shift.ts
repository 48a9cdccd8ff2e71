/**
 * Sub-pixel image shifts. Both functions move content by (+dx, +dy): out(x, y) = in(x - dx, y - dy).
 *
 * - {@link shiftFourier}: multiply the spectrum by the phase ramp exp(-2πi(u·dx/W + v·dy/H)) and
 *   take the real part of the inverse, exactly `scipy.ndimage.fourier_shift` on `numpy.fft.fft2`
 *   followed by `ifft2(...).real`. Band-limited (sinc) interpolation: it preserves the PSF width and
 *   the flux, but the image is periodic, so content leaving one edge re-enters at the other; pad
 *   first if that matters. Frequencies are signed the numpy way, the Nyquist index n/2 of an even
 *   axis counting as -n/2 (as scipy does).
 * - {@link shiftBilinear}: bilinear interpolation, `scipy.ndimage.shift(image, (dy, dx), order=1,
 *   mode="constant", cval=fill)`: a sample point outside [0, W-1] × [0, H-1] gets `fill`. Local and
 *   edge-safe, but it smooths (a half-pixel shift averages neighbours), which widens a PSF slightly.
 */
import { fft2InPlace } from './fft.js';
import type { Image } from './types.js';

/** numpy's signed frequency index of bin k on an axis of n bins (fftfreq · n). */
function signedFrequency(k: number, n: number): number {
  return k < Math.floor((n + 1) / 2) ? k : k - n;
}

/** Shift by (dx, dy) pixels with a Fourier phase ramp (periodic boundary). */
export function shiftFourier(image: Image, dx: number, dy: number): Image {
  const { width, height } = image;
  const re = Float64Array.from(image.data);
  const im = new Float64Array(re.length);
  const z = { width, height, re, im };
  fft2InPlace(z, false);
  const phaseX = new Float64Array(width);
  const phaseY = new Float64Array(height);
  for (let u = 0; u < width; u++) phaseX[u] = (-2 * Math.PI * signedFrequency(u, width) * dx) / width;
  for (let v = 0; v < height; v++) phaseY[v] = (-2 * Math.PI * signedFrequency(v, height) * dy) / height;
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      const i = v * width + u;
      const phase = phaseX[u]! + phaseY[v]!;
      const c = Math.cos(phase);
      const s = Math.sin(phase);
      const r = re[i]!;
      const m = im[i]!;
      re[i] = r * c - m * s;
      im[i] = r * s + m * c;
    }
  }
  fft2InPlace(z, true);
  return { width, height, data: re };
}

/** Bilinear value of `image` at (x, y), or `fill` outside [0, W-1] × [0, H-1]. */
export function sampleBilinear(image: Image, x: number, y: number, fill = 0): number {
  const { width, height, data } = image;
  if (!(x >= 0 && y >= 0 && x <= width - 1 && y <= height - 1)) return fill;
  const x0 = Math.min(Math.floor(x), width - 1);
  const y0 = Math.min(Math.floor(y), height - 1);
  const x1 = Math.min(x0 + 1, width - 1);
  const y1 = Math.min(y0 + 1, height - 1);
  const fx = x - x0;
  const fy = y - y0;
  const top = data[y0 * width + x0]! * (1 - fx) + data[y0 * width + x1]! * fx;
  const bottom = data[y1 * width + x0]! * (1 - fx) + data[y1 * width + x1]! * fx;
  return top * (1 - fy) + bottom * fy;
}

/** Shift by (dx, dy) pixels with bilinear interpolation; pixels with no source get `fill` (default 0). */
export function shiftBilinear(image: Image, dx: number, dy: number, fill = 0): Image {
  const { width, height } = image;
  const data = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data[y * width + x] = sampleBilinear(image, x - dx, y - dy, fill);
  }
  return { width, height, data };
}
