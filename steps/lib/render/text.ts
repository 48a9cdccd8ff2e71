/**
 * A 3×5-pixel bitmap font for captions on figures ("INPUT", "TRUTH", "EPOCH 12", "P=0.93").
 * Upper-case letters (lower case is drawn upper case), digits and `.,:;-+=/%()_'!?<>` and space;
 * other characters draw as a hollow box so a missing glyph is visible. `scale` enlarges each font
 * pixel to scale × scale. Glyphs advance 4·scale pixels (3 + 1 spacing).
 */
import type { Rgb, RgbImage } from './types.js';

// Each glyph is five rows of three bits, most significant bit on the left.
const GLYPHS: Readonly<Record<string, readonly number[]>> = {
  '0': [7, 5, 5, 5, 7],
  '1': [2, 6, 2, 2, 7],
  '2': [7, 1, 7, 4, 7],
  '3': [7, 1, 7, 1, 7],
  '4': [5, 5, 7, 1, 1],
  '5': [7, 4, 7, 1, 7],
  '6': [7, 4, 7, 5, 7],
  '7': [7, 1, 1, 1, 1],
  '8': [7, 5, 7, 5, 7],
  '9': [7, 5, 7, 1, 7],
  A: [2, 5, 7, 5, 5],
  B: [6, 5, 6, 5, 6],
  C: [3, 4, 4, 4, 3],
  D: [6, 5, 5, 5, 6],
  E: [7, 4, 6, 4, 7],
  F: [7, 4, 6, 4, 4],
  G: [3, 4, 5, 5, 3],
  H: [5, 5, 7, 5, 5],
  I: [7, 2, 2, 2, 7],
  J: [1, 1, 1, 5, 2],
  K: [5, 5, 6, 5, 5],
  L: [4, 4, 4, 4, 7],
  M: [5, 7, 7, 5, 5],
  N: [6, 5, 5, 5, 5],
  O: [2, 5, 5, 5, 2],
  P: [6, 5, 6, 4, 4],
  Q: [2, 5, 5, 6, 3],
  R: [6, 5, 6, 5, 5],
  S: [3, 4, 2, 1, 6],
  T: [7, 2, 2, 2, 2],
  U: [5, 5, 5, 5, 7],
  V: [5, 5, 5, 5, 2],
  W: [5, 5, 7, 7, 5],
  X: [5, 5, 2, 5, 5],
  Y: [5, 5, 2, 2, 2],
  Z: [7, 1, 2, 4, 7],
  ' ': [0, 0, 0, 0, 0],
  '.': [0, 0, 0, 0, 2],
  ',': [0, 0, 0, 2, 4],
  ':': [0, 2, 0, 2, 0],
  ';': [0, 2, 0, 2, 4],
  '-': [0, 0, 7, 0, 0],
  '+': [0, 2, 7, 2, 0],
  '=': [0, 7, 0, 7, 0],
  '/': [1, 1, 2, 4, 4],
  '%': [5, 1, 2, 4, 5],
  '(': [2, 4, 4, 4, 2],
  ')': [2, 1, 1, 1, 2],
  _: [0, 0, 0, 0, 7],
  "'": [2, 2, 0, 0, 0],
  '!': [2, 2, 2, 0, 2],
  '?': [6, 1, 2, 0, 2],
  '<': [1, 2, 4, 2, 1],
  '>': [4, 2, 1, 2, 4],
};
const MISSING = [7, 5, 5, 5, 7];

/** Height of a line of text in pixels. */
export function textHeight(scale = 1): number {
  return 5 * scale;
}

/** Width of `text` in pixels (no trailing spacing). */
export function textWidth(text: string, scale = 1): number {
  return text.length === 0 ? 0 : (4 * text.length - 1) * scale;
}

/** Draw `text` with its top-left corner at (x0, y0), clipping at the image edges. */
export function drawText(image: RgbImage, x0: number, y0: number, text: string, color: Rgb, scale = 1): void {
  if (!Number.isInteger(scale) || scale < 1)
    throw new RangeError(`text scale must be a positive integer, got ${scale}`);
  let cx = x0;
  for (const ch of text.toUpperCase()) {
    const rows = GLYPHS[ch] ?? MISSING;
    for (let r = 0; r < 5; r++) {
      for (let c = 0; c < 3; c++) {
        if (((rows[r]! >> (2 - c)) & 1) === 0) continue;
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++) {
            const x = cx + c * scale + dx;
            const y = y0 + r * scale + dy;
            if (x < 0 || y < 0 || x >= image.width || y >= image.height) continue;
            const o = 3 * (y * image.width + x);
            image.data[o] = color[0];
            image.data[o + 1] = color[1];
            image.data[o + 2] = color[2];
          }
        }
      }
    }
    cx += 4 * scale;
  }
}
