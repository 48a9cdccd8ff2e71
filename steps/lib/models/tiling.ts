/**
 * Tiled inference on whole images: the image is cut into overlapping tiles, each tile goes
 * through the network, and overlapping predictions are blended with weights that ramp linearly
 * across the overlap, so tile seams (where a convolution saw zero padding) get little weight and
 * the result has no visible edges.
 *
 * Tiles are laid out per axis from 0 with stride (tile − overlap); the last tile is aligned with
 * the image's end. An axis shorter than a tile is zero-padded (inputs are median-centred, so 0 is
 * "sky") up to a multiple of the network's down-sampling factor.
 */
import type * as tf from '@tensorflow/tfjs';

/** Tile layout options. */
export interface TileOptions {
  /** Tile side in pixels (a multiple of `multiple`). @default 256 */
  readonly tileSize?: number;
  /** Pixels shared by neighbouring tiles. @default 32 */
  readonly overlap?: number;
  /** The network needs sides divisible by this (2^(levels − 1)). @default 8 */
  readonly multiple?: number;
  /** Tiles per forward pass. @default 4 */
  readonly batchSize?: number;
}

/** Tile start offsets along one axis of `length` pixels (`length` ≥ `tile`). */
export function tileStarts(length: number, tile: number, overlap: number): number[] {
  if (length <= tile) return [0];
  const stride = tile - overlap;
  const starts: number[] = [];
  for (let s = 0; s + tile < length; s += stride) starts.push(s);
  starts.push(length - tile);
  return starts;
}

/**
 * Blend weights along one tile axis: ramps (i + ½) / overlap over the first `overlap` pixels
 * when a tile precedes, and symmetrically at the end when one follows; 1 elsewhere.
 */
export function rampWeights(tile: number, overlap: number, before: boolean, after: boolean): Float32Array {
  const w = new Float32Array(tile).fill(1);
  for (let i = 0; i < Math.min(overlap, tile); i++) {
    const ramp = (i + 0.5) / overlap;
    if (before) w[i] = Math.min(w[i]!, ramp);
    if (after) w[tile - 1 - i] = Math.min(w[tile - 1 - i]!, ramp);
  }
  return w;
}

function roundUp(n: number, multiple: number): number {
  return Math.ceil(n / multiple) * multiple;
}

/**
 * Run `model` (image [b, h, w, c] → logits [b, h, w, 1]) over an interleaved HWC float32 image and
 * return the blended probability map (row-major, width × height).
 */
export async function predictTiled(
  tfjs: typeof tf,
  model: tf.LayersModel,
  input: Float32Array,
  width: number,
  height: number,
  channels: number,
  options: TileOptions = {},
  signal?: AbortSignal,
): Promise<Float32Array> {
  const multiple = options.multiple ?? 8;
  const tileSize = options.tileSize ?? 256;
  const overlap = options.overlap ?? 32;
  if (tileSize % multiple !== 0 || overlap >= tileSize || overlap < 0) {
    throw new RangeError(
      `tile size ${tileSize} must be a multiple of ${multiple} and larger than the overlap ${overlap}`,
    );
  }
  const tileW = Math.min(tileSize, roundUp(width, multiple));
  const tileH = Math.min(tileSize, roundUp(height, multiple));
  const paddedW = Math.max(width, tileW);
  const paddedH = Math.max(height, tileH);
  const xs = tileStarts(paddedW, tileW, overlap);
  const ys = tileStarts(paddedH, tileH, overlap);
  const tiles = ys.flatMap((y0, iy) => xs.map((x0, ix) => ({ x0, y0, ix, iy })));

  const sum = new Float32Array(width * height);
  const weight = new Float32Array(width * height);
  const batchSize = options.batchSize ?? 4;
  for (let b = 0; b < tiles.length; b += batchSize) {
    signal?.throwIfAborted();
    const batch = tiles.slice(b, b + batchSize);
    const buffer = new Float32Array(batch.length * tileH * tileW * channels);
    batch.forEach(({ x0, y0 }, t) => {
      for (let y = 0; y < tileH && y0 + y < height; y++) {
        const rowIn = ((y0 + y) * width + x0) * channels;
        const rowOut = (t * tileH + y) * tileW * channels;
        const n = Math.min(tileW, width - x0) * channels;
        buffer.set(input.subarray(rowIn, rowIn + n), rowOut);
      }
    });
    const probabilities = tfjs.tidy(() => {
      const logits = model.predict(
        tfjs.tensor4d(buffer, [batch.length, tileH, tileW, channels]),
      ) as tf.Tensor;
      return tfjs.sigmoid(logits);
    });
    const p = (await probabilities.data()) as Float32Array;
    probabilities.dispose();
    batch.forEach(({ x0, y0, ix, iy }, t) => {
      const wx = rampWeights(tileW, overlap, ix > 0, ix < xs.length - 1);
      const wy = rampWeights(tileH, overlap, iy > 0, iy < ys.length - 1);
      for (let y = 0; y < tileH && y0 + y < height; y++) {
        for (let x = 0; x < tileW && x0 + x < width; x++) {
          const w = wx[x]! * wy[y]!;
          const i = (y0 + y) * width + x0 + x;
          sum[i]! += w * p[(t * tileH + y) * tileW + x]!;
          weight[i]! += w;
        }
      }
    });
  }
  for (let i = 0; i < sum.length; i++) sum[i] = sum[i]! / weight[i]!;
  return sum;
}
