/**
 * Colormaps: `grey` and `viridis`.
 *
 * viridis (Stéfan van der Walt and Nathaniel Smith, 2015; released CC0) is perceptually uniform and
 * readable in greyscale and by colour-blind readers. It is defined as a curve in the CAM02-UCS
 * colour space; we store 33 evenly spaced points of its published sRGB table (8-bit) and
 * interpolate linearly between them, which reproduces matplotlib's 256-entry table to within 3/255
 * per channel (checked in the tests).
 */
import type { Image } from '../image/types.js';
import type { Rgb, RgbImage } from './types.js';

/** Colormap names. */
export type ColormapName = 'grey' | 'viridis';

const VIRIDIS_POINTS: readonly Rgb[] = [
  [68, 1, 84],
  [71, 13, 96],
  [72, 24, 106],
  [72, 35, 116],
  [71, 45, 123],
  [69, 55, 129],
  [66, 64, 134],
  [62, 73, 137],
  [59, 82, 139],
  [55, 91, 141],
  [51, 99, 141],
  [47, 107, 142],
  [44, 114, 142],
  [41, 122, 142],
  [38, 130, 142],
  [35, 137, 142],
  [33, 145, 140],
  [31, 152, 139],
  [31, 160, 136],
  [34, 167, 133],
  [40, 174, 128],
  [50, 182, 122],
  [63, 188, 115],
  [78, 195, 107],
  [94, 201, 98],
  [112, 207, 87],
  [132, 212, 75],
  [152, 216, 62],
  [173, 220, 48],
  [194, 223, 35],
  [216, 226, 25],
  [236, 229, 27],
  [253, 231, 37],
];

/** A 256-entry lookup table, RGB interleaved. */
function buildTable(name: ColormapName): Uint8Array {
  const table = new Uint8Array(256 * 3);
  for (let k = 0; k < 256; k++) {
    if (name === 'grey') {
      table.fill(k, 3 * k, 3 * k + 3);
      continue;
    }
    const pos = (k / 255) * (VIRIDIS_POINTS.length - 1);
    const i = Math.min(Math.floor(pos), VIRIDIS_POINTS.length - 2);
    const f = pos - i;
    const a = VIRIDIS_POINTS[i]!;
    const b = VIRIDIS_POINTS[i + 1]!;
    for (let c = 0; c < 3; c++) table[3 * k + c] = Math.round(a[c]! + f * (b[c]! - a[c]!));
  }
  return table;
}

const tables = new Map<ColormapName, Uint8Array>();

/** The 256 × RGB lookup table of a colormap. */
export function colormapTable(name: ColormapName): Uint8Array {
  let table = tables.get(name);
  if (table === undefined) {
    table = buildTable(name);
    tables.set(name, table);
  }
  return table;
}

/** Options of {@link colorize}. */
export interface ColorizeOptions {
  /** @default 'viridis' */
  readonly colormap?: ColormapName;
  /** Colour of NaN pixels. @default [255, 0, 255] (magenta: never confused with data) */
  readonly bad?: Rgb;
  /** Draw row 0 at the bottom (FITS/DS9 orientation). @default false */
  readonly flipY?: boolean;
}

/**
 * Colour an image whose values are already in [0, 1] (see stretch.ts `normalize`): value v takes
 * table entry round(v·255).
 */
export function colorize(
  image: Pick<Image, 'width' | 'height'> & { data: ArrayLike<number> },
  options: ColorizeOptions = {},
): RgbImage {
  const table = colormapTable(options.colormap ?? 'viridis');
  const bad = options.bad ?? [255, 0, 255];
  const { width, height } = image;
  const data = new Uint8Array(3 * width * height);
  for (let y = 0; y < height; y++) {
    const sourceRow = options.flipY ? height - 1 - y : y;
    for (let x = 0; x < width; x++) {
      const v = image.data[sourceRow * width + x]!;
      const o = 3 * (y * width + x);
      if (Number.isNaN(v)) {
        data[o] = bad[0];
        data[o + 1] = bad[1];
        data[o + 2] = bad[2];
        continue;
      }
      const k = 3 * Math.round(Math.min(1, Math.max(0, v)) * 255);
      data[o] = table[k]!;
      data[o + 1] = table[k + 1]!;
      data[o + 2] = table[k + 2]!;
    }
  }
  return { width, height, data };
}
