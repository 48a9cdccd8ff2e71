/**
 * Overlapping sub-images for large frames.
 *
 * ZOGY works in Fourier space, so each sub-image is treated as periodic: the kernels wrap around
 * its edges. Cutting a large frame into tiles that overlap by at least the kernel's reach and
 * keeping only each tile's interior makes the stitched result free of wrap-around, lets the PSF
 * and noise vary across the frame, and bounds memory. The outer frame edge keeps a border of
 * wrapped pixels; `difference` marks it invalid (see edge masking there).
 */

/** One tile: the sub-image read (`x0..x1`, `y0..y1`, exclusive ends) and the part of it kept. */
export interface Tile {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
  /** The kept region in frame coordinates (exclusive ends); kept regions partition the frame. */
  readonly keepX0: number;
  readonly keepY0: number;
  readonly keepX1: number;
  readonly keepY1: number;
}

function axisTiles(length: number, tile: number, overlap: number): [number, number, number, number][] {
  if (length <= tile) return [[0, length, 0, length]];
  const step = tile - 2 * overlap;
  if (step <= 0) throw new RangeError(`tile size ${tile} must exceed twice the overlap ${overlap}`);
  const count = Math.ceil((length - 2 * overlap) / step);
  const out: [number, number, number, number][] = [];
  for (let i = 0; i < count; i++) {
    // Spread tiles evenly so the last one is not a sliver.
    const start = Math.round((i * (length - tile)) / (count - 1 || 1));
    const end = start + tile;
    out.push([start, end, 0, 0]);
  }
  // Keep boundaries halfway through each overlap.
  for (let i = 0; i < out.length; i++) {
    const t = out[i]!;
    const prev = out[i - 1];
    const next = out[i + 1];
    t[2] = prev === undefined ? 0 : Math.floor((prev[1] + t[0]) / 2);
    t[3] = next === undefined ? length : Math.floor((t[1] + next[0]) / 2);
  }
  return out;
}

/**
 * Tiles of at most `tileSize`² covering a `width`×`height` frame, neighbours overlapping by at least
 * 2×`overlap` pixels, so every kept pixel is ≥ `overlap` from its tile's inner edges.
 */
export function planTiles(width: number, height: number, tileSize: number, overlap: number): Tile[] {
  const xs = axisTiles(width, tileSize, overlap);
  const ys = axisTiles(height, tileSize, overlap);
  const tiles: Tile[] = [];
  for (const [y0, y1, keepY0, keepY1] of ys) {
    for (const [x0, x1, keepX0, keepX1] of xs) tiles.push({ x0, y0, x1, y1, keepX0, keepY0, keepX1, keepY1 });
  }
  return tiles;
}
