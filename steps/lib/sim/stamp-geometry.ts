/**
 * Label-preserving geometry for training stamps: flips, quarter turns and small rotations about a
 * stamp's centre, applied identically to image planes (bilinear), masks (nearest) and catalog
 * positions (exact), so an object and its label never drift apart.
 *
 * A transform is a 2×2 matrix A acting on offsets from a centre: a source pixel p maps to
 * stamp position c_stamp + A (p − c_source). Sampling inverts it: each stamp pixel reads the source
 * at c_source + A⁻¹ (q − c_stamp). Flips and quarter turns land exactly on pixel centres, so
 * without a small rotation the stamp is an exact copy of source pixels.
 */
import type { Image } from '../image/types.js';

/** Row-major 2×2 matrix [a, b; c, d] acting on column vectors (x, y). */
export type Matrix2 = readonly [number, number, number, number];

export const IDENTITY: Matrix2 = [1, 0, 0, 1];

/** Matrix product A·B. */
export function multiply(A: Matrix2, B: Matrix2): Matrix2 {
  return [
    A[0] * B[0] + A[1] * B[2],
    A[0] * B[1] + A[1] * B[3],
    A[2] * B[0] + A[3] * B[2],
    A[2] * B[1] + A[3] * B[3],
  ];
}

/** A⁻¹. */
export function invert(A: Matrix2): Matrix2 {
  const det = A[0] * A[3] - A[1] * A[2];
  return [A[3] / det, -A[1] / det, -A[2] / det, A[0] / det];
}

/** Rotation by `angleRad` (counter-clockwise on the displayed image, x right, y up). */
export function rotation(angleRad: number): Matrix2 {
  const c = Math.cos(angleRad);
  const s = Math.sin(angleRad);
  return [c, -s, s, c];
}

/** Exact quarter turns (k × 90°), free of rounding. */
export function quarterTurn(k: number): Matrix2 {
  const turns: Matrix2[] = [IDENTITY, [0, -1, 1, 0], [-1, 0, 0, -1], [0, 1, -1, 0]];
  return turns[((k % 4) + 4) % 4]!;
}

/** Mirror x → −x. */
export const FLIP_X: Matrix2 = [-1, 0, 0, 1];

/** Where a source position lands in the stamp. */
export function mapPoint(
  A: Matrix2,
  sourceCentre: readonly [number, number],
  stampCentre: readonly [number, number],
  x: number,
  y: number,
): [number, number] {
  const dx = x - sourceCentre[0];
  const dy = y - sourceCentre[1];
  return [stampCentre[0] + A[0] * dx + A[1] * dy, stampCentre[1] + A[2] * dx + A[3] * dy];
}

/**
 * A `size`×`size` stamp of `image` under the transform A about `sourceCentre`. Bilinear sampling
 * for science planes (NaN if any contributing pixel is NaN or outside the image); nearest for masks
 * (0 outside). An exact integer source position is copied without interpolation.
 */
export function sampleStamp(
  image: Image,
  A: Matrix2,
  sourceCentre: readonly [number, number],
  size: number,
  mode: 'bilinear' | 'nearest',
): Image {
  const Ainv = invert(A);
  // The stamp centre is a pixel centre (size // 2, as numpy indexes it) so that flips and quarter
  // turns of an even-sized stamp still copy pixels exactly.
  const c = Math.floor(size / 2);
  const data = new Float64Array(size * size);
  const { width, height } = image;
  const at = (x: number, y: number): number =>
    x < 0 || y < 0 || x >= width || y >= height ? Number.NaN : image.data[y * width + x]!;
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      const du = u - c;
      const dv = v - c;
      const sx = sourceCentre[0] + Ainv[0] * du + Ainv[1] * dv;
      const sy = sourceCentre[1] + Ainv[2] * du + Ainv[3] * dv;
      let value: number;
      if (mode === 'nearest') {
        const nx = Math.round(sx);
        const ny = Math.round(sy);
        value = at(nx, ny);
        if (Number.isNaN(value)) value = 0;
      } else {
        const rx = Math.round(sx);
        const ry = Math.round(sy);
        if (Math.abs(sx - rx) < 1e-9 && Math.abs(sy - ry) < 1e-9) value = at(rx, ry);
        else {
          const x0 = Math.floor(sx);
          const y0 = Math.floor(sy);
          const fx = sx - x0;
          const fy = sy - y0;
          value =
            at(x0, y0) * (1 - fx) * (1 - fy) +
            at(x0 + 1, y0) * fx * (1 - fy) +
            at(x0, y0 + 1) * (1 - fx) * fy +
            at(x0 + 1, y0 + 1) * fx * fy;
        }
      }
      data[v * size + u] = value;
    }
  }
  return { width: size, height: size, data };
}
