/**
 * Composing figures from RGB tiles: a rows × columns grid (10×10 sample grids, input / truth /
 * prediction panels) with a gap between tiles, optional nearest-neighbour enlargement of each tile
 * (so a 128-pixel patch stays crisp at 4×), and tiles of different sizes centred in equal cells.
 */
import { drawText, textHeight, textWidth } from './text.js';
import { createRgb, type Rgb, type RgbImage } from './types.js';

/** Options of {@link composeGrid}. */
export interface GridOptions {
  /** Tiles per row. @default ceil(sqrt(number of tiles)) */
  readonly columns?: number;
  /** Pixels between tiles and around the edge. @default 2 */
  readonly gap?: number;
  /** Integer enlargement of every tile (nearest neighbour). @default 1 */
  readonly scale?: number;
  /** Colour of the gaps and empty cells. @default [255, 255, 255] */
  readonly background?: Rgb;
  /** A caption above each tile (same order as the tiles; missing or empty ones leave a blank). */
  readonly labels?: readonly string[];
  /** Caption colour. @default [0, 0, 0] */
  readonly labelColor?: Rgb;
  /** Caption font scale (3×5 font pixels). @default 1 */
  readonly labelScale?: number;
}

/** Enlarge an RGB image by an integer factor, each pixel becoming a factor × factor block. */
export function scaleNearest(image: RgbImage, factor: number): RgbImage {
  if (!Number.isInteger(factor) || factor < 1)
    throw new RangeError(`scale must be a positive integer, got ${factor}`);
  if (factor === 1) return image;
  const out = createRgb(image.width * factor, image.height * factor);
  for (let y = 0; y < out.height; y++) {
    const sy = Math.floor(y / factor);
    for (let x = 0; x < out.width; x++) {
      const s = 3 * (sy * image.width + Math.floor(x / factor));
      const o = 3 * (y * out.width + x);
      out.data[o] = image.data[s]!;
      out.data[o + 1] = image.data[s + 1]!;
      out.data[o + 2] = image.data[s + 2]!;
    }
  }
  return out;
}

/** Copy `tile` into `target` with its top-left corner at (x0, y0), clipping at the edges. */
export function blit(target: RgbImage, tile: RgbImage, x0: number, y0: number): void {
  for (let y = 0; y < tile.height; y++) {
    const ty = y0 + y;
    if (ty < 0 || ty >= target.height) continue;
    for (let x = 0; x < tile.width; x++) {
      const tx = x0 + x;
      if (tx < 0 || tx >= target.width) continue;
      const s = 3 * (y * tile.width + x);
      const o = 3 * (ty * target.width + tx);
      target.data[o] = tile.data[s]!;
      target.data[o + 1] = tile.data[s + 1]!;
      target.data[o + 2] = tile.data[s + 2]!;
    }
  }
}

/**
 * Lay `tiles` out row by row in a grid. Every cell is as large as the largest (scaled) tile;
 * smaller tiles are centred in their cell. With `labels`, each cell gets a caption band above the
 * tile (text centred, 3×5 font).
 */
export function composeGrid(tiles: readonly RgbImage[], options: GridOptions = {}): RgbImage {
  if (tiles.length === 0) throw new RangeError('composeGrid: no tiles to compose');
  const columns = options.columns ?? Math.ceil(Math.sqrt(tiles.length));
  if (!Number.isInteger(columns) || columns < 1)
    throw new RangeError(`composeGrid: columns must be a positive integer, got ${columns}`);
  const gap = options.gap ?? 2;
  const scaled = tiles.map((t) => scaleNearest(t, options.scale ?? 1));
  const cellW = Math.max(...scaled.map((t) => t.width));
  const cellH = Math.max(...scaled.map((t) => t.height));
  const rows = Math.ceil(tiles.length / columns);
  const labelScale = options.labelScale ?? 1;
  const band = options.labels === undefined ? 0 : textHeight(labelScale) + 2;
  const rowH = cellH + band;
  const out = createRgb(
    columns * cellW + (columns + 1) * gap,
    rows * rowH + (rows + 1) * gap,
    options.background ?? [255, 255, 255],
  );
  scaled.forEach((tile, k) => {
    const col = k % columns;
    const row = Math.floor(k / columns);
    const cellX = gap + col * (cellW + gap);
    const cellY = gap + row * (rowH + gap);
    const label = options.labels?.[k];
    if (label !== undefined && label !== '') {
      const x = cellX + Math.floor((cellW - textWidth(label, labelScale)) / 2);
      drawText(out, x, cellY, label, options.labelColor ?? [0, 0, 0], labelScale);
    }
    blit(
      out,
      tile,
      cellX + Math.floor((cellW - tile.width) / 2),
      cellY + band + Math.floor((cellH - tile.height) / 2),
    );
  });
  return out;
}
