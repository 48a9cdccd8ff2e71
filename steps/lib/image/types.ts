/**
 * The in-memory image every science step works on.
 *
 * Row-major, `data[y * width + x]`, where x is the column (FITS axis 1, NAXIS1) and y the row
 * (FITS axis 2). FITS pixel (1, 1) is index 0, and positions in catalogs are 0-based pixel
 * coordinates with pixel centres at integers (so FITS pixel p maps to p - 1). This is numpy's
 * `array[y, x]` order for an image astropy reads, so arrays compare element by element.
 */
export interface Image {
  readonly width: number;
  readonly height: number;
  /** Science values in float64; NaN marks missing or masked pixels. */
  readonly data: Float64Array;
}

/** A new zero-filled image. */
export function createImage(width: number, height: number): Image {
  return { width, height, data: new Float64Array(width * height) };
}

/**
 * A complex image (for example a spectrum) in split form: `re[y * width + x]`, `im[y * width + x]`.
 * The same layout as {@link Image}; numpy's complex `array[y, x]`.
 */
export interface ComplexImage {
  readonly width: number;
  readonly height: number;
  readonly re: Float64Array;
  readonly im: Float64Array;
}
