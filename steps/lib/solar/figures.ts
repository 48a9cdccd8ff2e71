/**
 * Figures of magnetogram patches like the paper's: grey scale, white positive and black negative
 * polarity, symmetric limits in kG, row 0 drawn at the bottom (solar north up in a CEA map).
 */
import { colorize } from '../render/colormap.js';
import { composeGrid } from '../render/compose.js';
import { normalize } from '../render/stretch.js';
import type { RgbImage } from '../render/types.js';

/** One patch as a grey tile with limits ±limitKG. */
export function patchTile(data: ArrayLike<number>, size: number, limitKG = 0.5): RgbImage {
  const values = normalize(data, { interval: { kind: 'manual', vmin: -limitKG, vmax: limitKG } });
  return colorize({ width: size, height: size, data: values }, { colormap: 'grey', flipY: true });
}

/** A rows × columns grid of patches taken from a stack (e.g. the 10×10 sample grid). */
export function patchGrid(
  stack: Float32Array,
  size: number,
  indices: readonly number[],
  options: { readonly columns?: number; readonly scale?: number; readonly limitKG?: number } = {},
): RgbImage {
  const n = size * size;
  const tiles = indices.map((k) => patchTile(stack.subarray(k * n, (k + 1) * n), size, options.limitKG));
  return composeGrid(tiles, {
    columns: options.columns ?? Math.ceil(Math.sqrt(indices.length)),
    scale: options.scale ?? 1,
    gap: 2,
  });
}
