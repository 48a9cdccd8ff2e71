/**
 * Drawing markers on RGB images: circles (the quickstart circles its detections), crosses, boxes.
 * Positions are 0-based pixel coordinates with pixel centres at integers, in the RGB image's own
 * rows (if the picture was made with `flipY`, pass `height - 1 - y`). Drawing clips at the edges.
 */
import type { Rgb, RgbImage } from './types.js';

function setPixel(image: RgbImage, x: number, y: number, color: Rgb): void {
  if (x < 0 || y < 0 || x >= image.width || y >= image.height) return;
  const o = 3 * (y * image.width + x);
  image.data[o] = color[0];
  image.data[o + 1] = color[1];
  image.data[o + 2] = color[2];
}

/**
 * Outline a circle of `radius` pixels centred at (cx, cy): every pixel whose centre lies within
 * `thickness`/2 of the circle is painted, so the ring is closed at any radius.
 */
export function drawCircle(
  image: RgbImage,
  cx: number,
  cy: number,
  radius: number,
  color: Rgb,
  thickness = 1,
): void {
  const half = thickness / 2;
  const outer = radius + half;
  for (let y = Math.floor(cy - outer); y <= Math.ceil(cy + outer); y++) {
    for (let x = Math.floor(cx - outer); x <= Math.ceil(cx + outer); x++) {
      const r = Math.hypot(x - cx, y - cy);
      if (Math.abs(r - radius) <= half) setPixel(image, x, y, color);
    }
  }
}

/** A "+" marker of half-length `size` pixels at the nearest pixel to (cx, cy). */
export function drawCross(image: RgbImage, cx: number, cy: number, size: number, color: Rgb): void {
  const x0 = Math.round(cx);
  const y0 = Math.round(cy);
  for (let d = -size; d <= size; d++) {
    setPixel(image, x0 + d, y0, color);
    setPixel(image, x0, y0 + d, color);
  }
}

/** Outline the inclusive pixel rectangle [xMin, xMax] × [yMin, yMax] (a bounding box). */
export function drawRect(
  image: RgbImage,
  xMin: number,
  yMin: number,
  xMax: number,
  yMax: number,
  color: Rgb,
): void {
  for (let x = xMin; x <= xMax; x++) {
    setPixel(image, x, yMin, color);
    setPixel(image, x, yMax, color);
  }
  for (let y = yMin; y <= yMax; y++) {
    setPixel(image, xMin, y, color);
    setPixel(image, xMax, y, color);
  }
}
