/** `asterism fits preview`: a PNG of one image HDU, drawn the way DS9 shows it (FITS row 1 at the bottom). */
import { readFitsImage } from '../lib/fits/index.js';
import type { HduSelector } from '../lib/fits/reader.js';
import { writePng } from '../lib/render/png.js';
import { renderImage } from '../lib/render/preview.js';
import type { Interval, StretchName } from '../lib/render/stretch.js';

export const PREVIEW_STRETCHES = ['zscale', 'asinh', 'linear'] as const;
export type PreviewStretch = (typeof PREVIEW_STRETCHES)[number];

/** How each named stretch maps values: zscale interval (linear), or min-max with asinh / linear. */
const STRETCHES: Record<PreviewStretch, { interval: Interval; stretch: StretchName }> = {
  zscale: { interval: { kind: 'zscale' }, stretch: 'linear' },
  asinh: { interval: { kind: 'percentile', percent: 99.5 }, stretch: 'asinh' },
  linear: { interval: { kind: 'minmax' }, stretch: 'linear' },
};

export interface PreviewOptions {
  readonly hdu?: HduSelector;
  readonly stretch: PreviewStretch;
  readonly colormap: 'grey' | 'viridis';
}

/** Render one image HDU to a PNG; returns what was drawn. */
export function previewFits(
  path: string,
  out: string,
  options: PreviewOptions,
): { width: number; height: number; hdu: number } {
  const { image, hdu } = readFitsImage(path, options.hdu === undefined ? {} : { hdu: options.hdu });
  const rgb = renderImage(image, { ...STRETCHES[options.stretch], colormap: options.colormap, flipY: true });
  writePng(out, rgb);
  return { width: image.width, height: image.height, hdu };
}
