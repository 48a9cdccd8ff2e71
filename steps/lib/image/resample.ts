/**
 * Resizing images: area-averaging downsampling and bilinear resizing.
 *
 * Area averaging (how the paper brings SHARP magnetograms down to 128×128): output pixel i along an
 * axis covers the input interval [i·s, (i+1)·s) with s = inSize / outSize, and its value is the
 * overlap-weighted mean of the input pixels it covers. Any ratio works, including non-integer
 * ones; for an integer ratio f it is the mean of each f×f block. The total flux is kept up to the
 * factor s_x·s_y (a mean, not a sum). NaN pixels are left out of the mean (their weight is
 * dropped); an output pixel that covers only NaN is NaN. This is OpenCV's INTER_AREA for shrinking.
 *
 * Bilinear resizing maps output pixel centres to input coordinates by either convention:
 * - `alignCorners: false` (default; PyTorch `F.interpolate(mode="bilinear", align_corners=False)`,
 *   TensorFlow `resize(..., half_pixel_centers=True)`): pixel edges align, src = (dst + ½)·in/out - ½,
 *   clamped to [0, in - 1].
 * - `alignCorners: true`: the centres of the corner pixels align, src = dst·(in - 1)/(out - 1).
 * It does no anti-aliasing, so use {@link downsampleArea} to shrink.
 */
import type { Image } from './types.js';

/** Sparse per-axis weights: output i takes input pixels start[i] .. start[i] + count[i] - 1. */
interface AxisWeights {
  readonly start: Int32Array;
  readonly count: Int32Array;
  readonly offsets: Int32Array;
  readonly weights: Float64Array;
}

function areaWeights(inSize: number, outSize: number): AxisWeights {
  const s = inSize / outSize;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const offsets = new Int32Array(outSize);
  const list: number[] = [];
  for (let i = 0; i < outSize; i++) {
    const lo = i * s;
    const hi = Math.min(inSize, (i + 1) * s);
    const first = Math.floor(lo);
    const last = Math.min(inSize - 1, Math.ceil(hi) - 1);
    start[i] = first;
    count[i] = last - first + 1;
    offsets[i] = list.length;
    for (let p = first; p <= last; p++) list.push(Math.max(0, Math.min(p + 1, hi) - Math.max(p, lo)));
  }
  return { start, count, offsets, weights: Float64Array.from(list) };
}

function assertSize(width: number, height: number, what: string): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`${what}: output size must be positive integers, got ${width}×${height}`);
  }
}

/**
 * Shrink `image` to outWidth × outHeight by area averaging (see the module comment). The output
 * must not be larger than the input on either axis.
 */
export function downsampleArea(image: Image, outWidth: number, outHeight: number): Image {
  assertSize(outWidth, outHeight, 'downsampleArea');
  if (outWidth > image.width || outHeight > image.height) {
    throw new RangeError(
      `downsampleArea: cannot grow ${image.width}×${image.height} to ${outWidth}×${outHeight}; use resizeBilinear to enlarge`,
    );
  }
  const wx = areaWeights(image.width, outWidth);
  const wy = areaWeights(image.height, outHeight);
  const data = new Float64Array(outWidth * outHeight);
  for (let j = 0; j < outHeight; j++) {
    for (let i = 0; i < outWidth; i++) {
      let sum = 0;
      let weight = 0;
      for (let b = 0; b < wy.count[j]!; b++) {
        const y = wy.start[j]! + b;
        const weightY = wy.weights[wy.offsets[j]! + b]!;
        const row = y * image.width;
        for (let a = 0; a < wx.count[i]!; a++) {
          const v = image.data[row + wx.start[i]! + a]!;
          if (Number.isNaN(v)) continue;
          const w = weightY * wx.weights[wx.offsets[i]! + a]!;
          sum += w * v;
          weight += w;
        }
      }
      data[j * outWidth + i] = weight > 0 ? sum / weight : Number.NaN;
    }
  }
  return { width: outWidth, height: outHeight, data };
}

/** Options of {@link resizeBilinear}. */
export interface BilinearOptions {
  /** Align the centres of corner pixels instead of the image edges. @default false */
  readonly alignCorners?: boolean;
}

function sourceCoordinates(inSize: number, outSize: number, alignCorners: boolean): Float64Array {
  const src = new Float64Array(outSize);
  for (let d = 0; d < outSize; d++) {
    if (alignCorners) {
      src[d] = outSize === 1 ? 0 : (d * (inSize - 1)) / (outSize - 1);
    } else {
      src[d] = Math.min(inSize - 1, Math.max(0, ((d + 0.5) * inSize) / outSize - 0.5));
    }
  }
  return src;
}

/** Resize `image` to outWidth × outHeight by bilinear interpolation (see the module comment). */
export function resizeBilinear(
  image: Image,
  outWidth: number,
  outHeight: number,
  options: BilinearOptions = {},
): Image {
  assertSize(outWidth, outHeight, 'resizeBilinear');
  const alignCorners = options.alignCorners ?? false;
  const sx = sourceCoordinates(image.width, outWidth, alignCorners);
  const sy = sourceCoordinates(image.height, outHeight, alignCorners);
  const { width, data: input } = image;
  const data = new Float64Array(outWidth * outHeight);
  for (let j = 0; j < outHeight; j++) {
    const y = sy[j]!;
    const y0 = Math.floor(y);
    const y1 = Math.min(y0 + 1, image.height - 1);
    const fy = y - y0;
    for (let i = 0; i < outWidth; i++) {
      const x = sx[i]!;
      const x0 = Math.floor(x);
      const x1 = Math.min(x0 + 1, width - 1);
      const fx = x - x0;
      const top = input[y0 * width + x0]! * (1 - fx) + input[y0 * width + x1]! * fx;
      const bottom = input[y1 * width + x0]! * (1 - fx) + input[y1 * width + x1]! * fx;
      data[j * outWidth + i] = top * (1 - fy) + bottom * fy;
    }
  }
  return { width: outWidth, height: outHeight, data };
}
