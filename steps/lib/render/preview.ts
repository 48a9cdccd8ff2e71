/**
 * One call from an Image to a PNG-ready picture: interval + stretch (stretch.ts), then a colormap.
 */
import type { Image } from '../image/types.js';
import { type ColorizeOptions, colorize } from './colormap.js';
import { type NormalizeOptions, normalize } from './stretch.js';
import type { RgbImage } from './types.js';

/** Options of {@link renderImage}: the normalisation and colouring options together. */
export type RenderImageOptions = NormalizeOptions & ColorizeOptions;

/**
 * Render an image for display. Defaults: zscale interval, linear stretch, viridis, NaN in magenta,
 * row 0 at the top.
 */
export function renderImage(image: Image, options: RenderImageOptions = {}): RgbImage {
  const unit = normalize(image.data, options);
  return colorize({ width: image.width, height: image.height, data: unit }, options);
}
