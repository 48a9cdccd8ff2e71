/**
 * Which type astropy.io.fits gives an image's data, from BITPIX, BSCALE, BZERO and BLANK
 * (astropy `ImageHDU._get_scaled_image_data`, `_dtype_for_bitpix`, with its default
 * `uint=True`), and the typed array that holds it. One decision for the native and JS readers.
 */
import type { ImageScaling } from './image-data.js';

/** How stored values become the result (numbered as native/src/fits_array.cc numbers them). */
export const ArrayMode = {
  /** No scaling: the stored values in BITPIX's own type, byte-swapped to native order. */
  stored: 0,
  /** The unsigned-integer convention (BSCALE = 1, BZERO = -2^7 / 2^15 / 2^31 / 2^63): stored xor sign bit. */
  unsigned: 1,
  /** BITPIX 8, 16 or -32 with scaling or BLANK: float32, arithmetic in float32. */
  float32: 2,
  /** BITPIX 32, 64 or -64 with scaling or BLANK: float64. */
  float64: 3,
} as const;
export type ArrayMode = (typeof ArrayMode)[keyof typeof ArrayMode];

/** The data of an image HDU in its astropy type. */
export type FitsArrayData =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

/** BZERO of the unsigned convention for each integer BITPIX (BITPIX 8 holds signed bytes). */
const UNSIGNED_BZERO: ReadonlyMap<number, number> = new Map([
  [8, -128],
  [16, 32768],
  [32, 2 ** 31],
  [64, 2 ** 63],
]);

/**
 * astropy's choice: unscaled data keeps its stored type; the unsigned convention gives int8,
 * uint16, uint32 or uint64 (BLANK is then ignored, as astropy ignores it); anything else scaled
 * (or with BLANK) becomes float32 for BITPIX 8 and 16 (and float32 data), float64 for 32 and 64.
 */
export function arrayMode(bitpix: number, { bscale, bzero, blank }: ImageScaling): ArrayMode {
  if (bscale === 1 && bzero === 0 && blank === undefined) return ArrayMode.stored;
  if (bitpix > 0 && bscale === 1 && UNSIGNED_BZERO.get(bitpix) === bzero) return ArrayMode.unsigned;
  return bitpix === 8 || bitpix === 16 || bitpix === -32 ? ArrayMode.float32 : ArrayMode.float64;
}

/** Bytes per value of the result. */
export function resultBytes(bitpix: number, mode: ArrayMode): number {
  if (mode === ArrayMode.float32) return 4;
  if (mode === ArrayMode.float64) return 8;
  return Math.abs(bitpix) / 8;
}

/** The typed array over a result buffer. */
export function viewAs(buffer: ArrayBuffer, bitpix: number, mode: ArrayMode): FitsArrayData {
  if (mode === ArrayMode.float32) return new Float32Array(buffer);
  if (mode === ArrayMode.float64) return new Float64Array(buffer);
  const unsigned = mode === ArrayMode.unsigned;
  switch (bitpix) {
    case 8:
      return unsigned ? new Int8Array(buffer) : new Uint8Array(buffer);
    case 16:
      return unsigned ? new Uint16Array(buffer) : new Int16Array(buffer);
    case 32:
      return unsigned ? new Uint32Array(buffer) : new Int32Array(buffer);
    case 64:
      return unsigned ? new BigUint64Array(buffer) : new BigInt64Array(buffer);
    case -32:
      return new Float32Array(buffer);
    default:
      return new Float64Array(buffer);
  }
}
