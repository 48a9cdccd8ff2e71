/**
 * Moving PSF stamps between their centred form (odd size, centre on the middle pixel) and the
 * origin-centred, wrapped form a Fourier-space convolution needs (centre at pixel (0, 0), so
 * convolving with it does not shift the image).
 */
import type { Image } from '../image/types.js';

/**
 * A full-size array holding the stamp with its centre moved to (0, 0), wrapping around; written into
 * `out` (cleared first) when given.
 */
export function embedPsfAtOrigin(
  stamp: Image,
  width: number,
  height: number,
  out?: Float64Array,
): Float64Array {
  const k = stamp.width;
  if (k !== stamp.height || k % 2 === 0) {
    throw new RangeError(`PSF stamp must be square with an odd size, got ${stamp.width}x${stamp.height}`);
  }
  if (k > width || k > height) {
    throw new RangeError(`PSF stamp (${k}x${k}) is larger than the image (${width}x${height})`);
  }
  const half = (k - 1) / 2;
  if (out && out.length !== width * height) {
    throw new RangeError(`embedPsfAtOrigin: out holds ${out.length} values, expected ${width}x${height}`);
  }
  const full = out ? out.fill(0) : new Float64Array(width * height);
  for (let sy = 0; sy < k; sy++) {
    const y = (sy - half + height) % height;
    for (let sx = 0; sx < k; sx++) {
      const x = (sx - half + width) % width;
      full[y * width + x] = stamp.data[sy * k + sx]!;
    }
  }
  return full;
}

/** The centred `size`×`size` stamp of an origin-centred full-size array (inverse of the above). */
export function extractCentredStamp(full: Image, size: number): Image {
  const half = (size - 1) / 2;
  const data = new Float64Array(size * size);
  for (let sy = 0; sy < size; sy++) {
    const y = (sy - half + full.height) % full.height;
    for (let sx = 0; sx < size; sx++) {
      const x = (sx - half + full.width) % full.width;
      data[sy * size + sx] = full.data[y * full.width + x]!;
    }
  }
  return { width: size, height: size, data };
}
