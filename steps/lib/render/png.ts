/**
 * PNG encoding of RGB rasters (8 bits per channel, no alpha), with pngjs.
 */
import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import type { RgbImage } from './types.js';

/** Encode an RGB image as PNG bytes. */
export function encodePng(image: RgbImage): Buffer {
  const png = new PNG({ width: image.width, height: image.height });
  // pngjs holds pixels as RGBA; colorType 2 below writes them as 8-bit RGB without alpha.
  const rgba = Buffer.alloc(4 * image.width * image.height);
  for (let i = 0; i < image.width * image.height; i++) {
    rgba[4 * i] = image.data[3 * i]!;
    rgba[4 * i + 1] = image.data[3 * i + 1]!;
    rgba[4 * i + 2] = image.data[3 * i + 2]!;
    rgba[4 * i + 3] = 255;
  }
  png.data = rgba;
  return PNG.sync.write(png, { colorType: 2, inputColorType: 6, inputHasAlpha: true });
}

/** Write an RGB image to `path` as PNG. */
export function writePng(path: string, image: RgbImage): void {
  writeFileSync(path, encodePng(image));
}
