/**
 * An 8-bit RGB raster for previews and figures: `data[3 * (y * width + x) + c]`, c = 0 red, 1 green,
 * 2 blue; row 0 is the top row of the picture.
 *
 * Images (steps/lib/image) keep numpy's order, where row 0 is FITS row 1, which DS9 and
 * matplotlib's `origin="lower"` draw at the bottom. The colourising functions take a `flipY`
 * option for that; by default they keep array order (row 0 at the top, like `imshow` with its
 * default `origin="upper"`).
 */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** An RGB colour, each channel 0–255. */
export type Rgb = readonly [number, number, number];

/** A new RGB image filled with one colour (black by default). */
export function createRgb(width: number, height: number, fill: Rgb = [0, 0, 0]): RgbImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`RGB image size must be positive integers, got ${width}×${height}`);
  }
  const data = new Uint8Array(3 * width * height);
  for (let i = 0; i < width * height; i++) {
    data[3 * i] = fill[0];
    data[3 * i + 1] = fill[1];
    data[3 * i + 2] = fill[2];
  }
  return { width, height, data };
}
