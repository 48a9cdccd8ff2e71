/**
 * Background and noise maps of large images, estimated on a mesh of boxes (the SExtractor /
 * photutils Background2D approach):
 *
 * 1. The image is cut into boxes of `boxSize` pixels (the last row and column of boxes take what is
 *    left, so every pixel belongs to one box). In each box the sigma-clipped median and std
 *    (statistics.ts, astropy semantics) estimate the local background and its noise.
 * 2. Boxes with fewer than `minFraction` finite pixels are undefined and take the mean of the defined
 *    boxes among their 8 neighbours (repeated until all are filled); if no box is defined the image
 *    has no usable pixels and an error is thrown.
 * 3. The low-resolution grid is median filtered with a `filterSize` window (odd, edge-truncated),
 *    which removes boxes biased by bright stars.
 * 4. The grid is interpolated bilinearly between box centres to every pixel; beyond the outermost
 *    centres the nearest value is held constant.
 */
import { medianInPlace, type SigmaClipOptions, sigmaClippedStats } from './statistics.js';
import type { Image } from './types.js';

/** Options of {@link backgroundMap}. */
export interface BackgroundOptions {
  /** Box width and height in pixels (one number for square boxes). @default 64 */
  readonly boxSize?: number | readonly [number, number];
  /** Median-filter window over boxes, odd (one number for square). @default 3 */
  readonly filterSize?: number | readonly [number, number];
  /** Minimum fraction of finite pixels for a box to count. @default 0.5 */
  readonly minFraction?: number;
  /** Sigma clipping inside each box. @default astropy's (3σ, 5 iterations, median centre) */
  readonly sigmaClip?: SigmaClipOptions;
}

/** Background and noise maps, full resolution, plus the filtered mesh they were interpolated from. */
export interface BackgroundMap {
  readonly background: Image;
  readonly rms: Image;
  readonly meshBackground: Image;
  readonly meshRms: Image;
}

function pair(value: number | readonly [number, number], name: string): [number, number] {
  const [a, b] = typeof value === 'number' ? [value, value] : value;
  if (!Number.isInteger(a) || !Number.isInteger(b) || a < 1 || b < 1) {
    throw new RangeError(
      `background ${name} must be a positive integer or a pair of them, got ${String(value)}`,
    );
  }
  return [a, b];
}

/** Fill NaN cells with the mean of their defined 8-neighbours, sweeping until none are left. */
function fillUndefined(grid: Float64Array, nx: number, ny: number): void {
  let missing = grid.reduce((count, v) => count + (Number.isNaN(v) ? 1 : 0), 0);
  if (missing === grid.length) {
    throw new RangeError('background: no box has enough finite pixels; is the image all NaN?');
  }
  while (missing > 0) {
    const next = Float64Array.from(grid);
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        if (!Number.isNaN(grid[y * nx + x]!)) continue;
        let sum = 0;
        let count = 0;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx;
            const yy = y + dy;
            if (xx < 0 || yy < 0 || xx >= nx || yy >= ny) continue;
            const v = grid[yy * nx + xx]!;
            if (!Number.isNaN(v)) {
              sum += v;
              count++;
            }
          }
        }
        if (count > 0) {
          next[y * nx + x] = sum / count;
          missing--;
        }
      }
    }
    grid.set(next);
  }
}

/** Median filter of a small grid with an edge-truncated window. */
function medianFilterGrid(grid: Float64Array, nx: number, ny: number, fx: number, fy: number): Float64Array {
  const out = new Float64Array(grid.length);
  const work = new Float64Array(fx * fy);
  const hx = Math.floor(fx / 2);
  const hy = Math.floor(fy / 2);
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      let n = 0;
      for (let yy = Math.max(0, y - hy); yy <= Math.min(ny - 1, y + hy); yy++) {
        for (let xx = Math.max(0, x - hx); xx <= Math.min(nx - 1, x + hx); xx++)
          work[n++] = grid[yy * nx + xx]!;
      }
      out[y * nx + x] = medianInPlace(work, n);
    }
  }
  return out;
}

/** For each pixel index along one axis: the lower centre index and the weight of the upper one. */
function axisWeights(size: number, centres: Float64Array): { lower: Int32Array; weight: Float64Array } {
  const lower = new Int32Array(size);
  const weight = new Float64Array(size);
  let k = 0;
  for (let p = 0; p < size; p++) {
    while (k + 1 < centres.length - 1 && centres[k + 1]! <= p) k++;
    const c0 = centres[k]!;
    const c1 = centres[Math.min(k + 1, centres.length - 1)]!;
    lower[p] = k;
    weight[p] = c1 === c0 ? 0 : Math.min(1, Math.max(0, (p - c0) / (c1 - c0)));
  }
  return { lower, weight };
}

function interpolate(
  grid: Float64Array,
  nx: number,
  ny: number,
  xs: Float64Array,
  ys: Float64Array,
  image: Image,
): Image {
  const { width, height } = image;
  const ax = axisWeights(width, xs);
  const ay = axisWeights(height, ys);
  const data = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    const j0 = ay.lower[y]!;
    const j1 = Math.min(j0 + 1, ny - 1);
    const wy = ay.weight[y]!;
    for (let x = 0; x < width; x++) {
      const i0 = ax.lower[x]!;
      const i1 = Math.min(i0 + 1, nx - 1);
      const wx = ax.weight[x]!;
      const top = grid[j0 * nx + i0]! * (1 - wx) + grid[j0 * nx + i1]! * wx;
      const bottom = grid[j1 * nx + i0]! * (1 - wx) + grid[j1 * nx + i1]! * wx;
      data[y * width + x] = top * (1 - wy) + bottom * wy;
    }
  }
  return { width, height, data };
}

/** Box edges along one axis: start of each box, plus the end. */
function boxEdges(size: number, box: number): number[] {
  const edges: number[] = [];
  for (let start = 0; start < size; start += box) edges.push(start);
  edges.push(size);
  return edges;
}

/** Estimate the background and noise (rms) of `image` on a mesh of boxes; see the module comment. */
export function backgroundMap(image: Image, options: BackgroundOptions = {}): BackgroundMap {
  const [bw, bh] = pair(options.boxSize ?? 64, 'boxSize');
  const [fx, fy] = pair(options.filterSize ?? 3, 'filterSize');
  if (fx % 2 === 0 || fy % 2 === 0) {
    throw new RangeError(`background filterSize must be odd so the window has a centre, got ${fx}×${fy}`);
  }
  const minFraction = options.minFraction ?? 0.5;
  const xEdges = boxEdges(image.width, Math.min(bw, image.width));
  const yEdges = boxEdges(image.height, Math.min(bh, image.height));
  const nx = xEdges.length - 1;
  const ny = yEdges.length - 1;
  const level = new Float64Array(nx * ny);
  const noise = new Float64Array(nx * ny);
  const xs = new Float64Array(nx);
  const ys = new Float64Array(ny);
  for (let i = 0; i < nx; i++) xs[i] = (xEdges[i]! + xEdges[i + 1]! - 1) / 2;
  for (let j = 0; j < ny; j++) ys[j] = (yEdges[j]! + yEdges[j + 1]! - 1) / 2;
  const box = new Float64Array(Math.min(bw, image.width) * Math.min(bh, image.height));
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      let n = 0;
      for (let y = yEdges[j]!; y < yEdges[j + 1]!; y++) {
        for (let x = xEdges[i]!; x < xEdges[i + 1]!; x++) box[n++] = image.data[y * image.width + x]!;
      }
      const stats = sigmaClippedStats(box.subarray(0, n), options.sigmaClip);
      let finite = 0;
      for (let k = 0; k < n; k++) if (Number.isFinite(box[k]!)) finite++;
      const defined = finite >= minFraction * n && stats.count > 0;
      level[j * nx + i] = defined ? stats.median : Number.NaN;
      noise[j * nx + i] = defined ? stats.std : Number.NaN;
    }
  }
  fillUndefined(level, nx, ny);
  fillUndefined(noise, nx, ny);
  const meshLevel = medianFilterGrid(level, nx, ny, fx, fy);
  const meshNoise = medianFilterGrid(noise, nx, ny, fx, fy);
  return {
    background: interpolate(meshLevel, nx, ny, xs, ys, image),
    rms: interpolate(meshNoise, nx, ny, xs, ys, image),
    meshBackground: { width: nx, height: ny, data: meshLevel },
    meshRms: { width: nx, height: ny, data: meshNoise },
  };
}
