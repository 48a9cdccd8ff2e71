/**
 * The two figures of `evaluate`, drawn on a unit square (both axes 0–1): the precision–recall
 * curve (recall → x, precision → y) and the reliability diagram (one bar per confidence bin at
 * the bin's accuracy, with the diagonal of perfect calibration). Grid lines every 0.1; no text —
 * the numbers are in `metrics.json` and `pr-curve.csv`.
 */

import type { ReliabilityBin } from '../lib/metrics/calibration.js';
import type { PrPoint } from '../lib/metrics/pr-curve.js';
import { drawRect } from '../lib/render/draw.js';
import { createRgb, type Rgb, type RgbImage } from '../lib/render/types.js';

const SIZE = 320;
const MARGIN = 20;
const GRID: Rgb = [225, 225, 225];
const AXIS: Rgb = [0, 0, 0];

/** Pixel of the unit-square point (u, v), v up. */
function toPixel(u: number, v: number): [number, number] {
  const span = SIZE - 2 * MARGIN;
  return [Math.round(MARGIN + u * span), Math.round(SIZE - MARGIN - v * span)];
}

function setPixel(image: RgbImage, x: number, y: number, color: Rgb): void {
  if (x < 0 || y < 0 || x >= image.width || y >= image.height) return;
  image.data.set(color, 3 * (y * image.width + x));
}

/** A straight line between two unit-square points (dense sampling, 2 px wide). */
function line(image: RgbImage, u0: number, v0: number, u1: number, v1: number, color: Rgb): void {
  const [x0, y0] = toPixel(u0, v0);
  const [x1, y1] = toPixel(u1, v1);
  const steps = Math.max(1, 2 * Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0)));
  for (let s = 0; s <= steps; s++) {
    const x = Math.round(x0 + ((x1 - x0) * s) / steps);
    const y = Math.round(y0 + ((y1 - y0) * s) / steps);
    setPixel(image, x, y, color);
    setPixel(image, x + 1, y, color);
  }
}

function axes(): RgbImage {
  const image = createRgb(SIZE, SIZE, [255, 255, 255]);
  for (let k = 1; k < 10; k++) {
    line(image, k / 10, 0, k / 10, 1, GRID);
    line(image, 0, k / 10, 1, k / 10, GRID);
  }
  const [left, bottom] = toPixel(0, 0);
  const [right, top] = toPixel(1, 1);
  drawRect(image, left, top, right, bottom, AXIS);
  return image;
}

/** Colours of successive curves: blue (all transients), orange (the bright subset). */
export const CURVE_COLORS: readonly Rgb[] = [
  [31, 119, 180],
  [255, 127, 14],
];

/** Precision (y) against recall (x) as step curves, each starting at (0, its first precision). */
export function drawPrCurves(curves: readonly (readonly PrPoint[])[]): RgbImage {
  const image = axes();
  curves.forEach((points, k) => {
    const color = CURVE_COLORS[k % CURVE_COLORS.length]!;
    let previous: [number, number] | undefined;
    for (const p of points) {
      if (!Number.isFinite(p.precision) || !Number.isFinite(p.recall)) continue;
      const [r0, p0] = previous ?? [0, p.precision];
      line(image, r0, p0, p.recall, p0, color); // recall grows at the old precision,
      line(image, p.recall, p0, p.recall, p.precision, color); // then precision moves.
      previous = [p.recall, p.precision];
    }
  });
  return image;
}

/** Accuracy bars per confidence bin (grey where the bin is empty) and the diagonal. */
export function drawReliability(bins: readonly ReliabilityBin[]): RgbImage {
  const image = axes();
  for (const bin of bins) {
    if (bin.count === 0) continue;
    const [x0, yBase] = toPixel(bin.lower, 0);
    const [x1, yTop] = toPixel(bin.upper, bin.accuracy);
    for (let y = yTop; y < yBase; y++)
      for (let x = x0 + 2; x < x1 - 1; x++) setPixel(image, x, y, [31, 119, 180]);
    // The bin's mean confidence as a red tick: the gap to the bar's top is the calibration error.
    const [cx0, cy] = toPixel(bin.lower, bin.meanConfidence);
    const [cx1] = toPixel(bin.upper, 0);
    for (let x = cx0 + 2; x < cx1 - 1; x++) {
      setPixel(image, x, cy, [214, 39, 40]);
      setPixel(image, x, cy + 1, [214, 39, 40]);
    }
  }
  line(image, 0, 0, 1, 1, [120, 120, 120]);
  return image;
}
