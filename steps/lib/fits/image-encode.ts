/**
 * Turning pixel arrays into big-endian FITS data, chunk by chunk, with the scaling (BSCALE,
 * BZERO, BLANK) that makes the stored integers represent the physical values.
 */
import type { Image } from '../image/types.js';
import { FitsError, type FitsLocation } from './errors.js';

/** The six BITPIX values. */
export type Bitpix = 8 | 16 | 32 | 64 | -32 | -64;

/** Arrays accepted as image data. Unsigned arrays are written with the BZERO convention. */
export type PixelArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigInt64Array;

/** Image data: an `Image`, or an N-dimensional array with axes in FITS order (NAXIS1 first). */
export type ImageData = Image | { readonly axes: readonly number[]; readonly data: PixelArray };

/** The resolved storage of an image: what goes in BITPIX, BSCALE, BZERO, BLANK. */
export interface ImageStorage {
  readonly bitpix: Bitpix;
  readonly bscale: number;
  readonly bzero: number;
  readonly blank: number | undefined;
}

const RANGE: Record<number, readonly [number, number]> = {
  8: [0, 255],
  16: [-32768, 32767],
  32: [-2147483648, 2147483647],
  64: [-(2 ** 63), 2 ** 63 - 1024],
};

/** Axes (FITS order) and values of image data. */
export function imageAxes(data: ImageData): { axes: readonly number[]; values: PixelArray } {
  if ('width' in data) return { axes: [data.width, data.height], values: data.data };
  return { axes: data.axes, values: data.data };
}

/** The natural storage of an array type when the caller does not choose one. */
export function defaultStorage(values: PixelArray): { bitpix: Bitpix; bzero: number } {
  if (values instanceof Float32Array) return { bitpix: -32, bzero: 0 };
  if (values instanceof Int32Array) return { bitpix: 32, bzero: 0 };
  if (values instanceof Int16Array) return { bitpix: 16, bzero: 0 };
  if (values instanceof Uint8Array) return { bitpix: 8, bzero: 0 };
  // Unsigned and signed-byte conventions (Standard table 11).
  if (values instanceof Uint16Array) return { bitpix: 16, bzero: 32768 };
  if (values instanceof Uint32Array) return { bitpix: 32, bzero: 2147483648 };
  if (values instanceof Int8Array) return { bitpix: 8, bzero: -128 };
  if (values instanceof BigInt64Array) return { bitpix: 64, bzero: 0 };
  return { bitpix: -64, bzero: 0 };
}

/**
 * Chunks of big-endian stored values. Float targets store values as they are; integer targets
 * store round((v - BZERO) / BSCALE), NaN as BLANK, and refuse values out of range rather than
 * wrapping them.
 */
export function* encodePixels(
  values: PixelArray,
  storage: ImageStorage,
  location: FitsLocation,
  chunkPixels = 1 << 19,
): Generator<Uint8Array> {
  const { bitpix, bscale, bzero, blank } = storage;
  const bytesPerPixel = Math.abs(bitpix) / 8;
  const buffer = Buffer.from(new ArrayBuffer(Math.min(values.length, chunkPixels) * bytesPerPixel || 8));
  const view = new DataView(buffer.buffer);
  const range = RANGE[bitpix];
  for (let start = 0; start < values.length; start += chunkPixels) {
    const n = Math.min(chunkPixels, values.length - start);
    const bytes = buffer.subarray(0, n * bytesPerPixel);
    if (bitpix < 0 && !(values instanceof BigInt64Array)) {
      // Fast path: let the engine convert, then swap to big-endian in place.
      const target =
        bitpix === -32 ? new Float32Array(buffer.buffer, 0, n) : new Float64Array(buffer.buffer, 0, n);
      target.set(values.subarray(start, start + n));
      if (bitpix === -32) bytes.swap32();
      else bytes.swap64();
      yield bytes;
      continue;
    }
    for (let i = 0; i < n; i++) {
      const raw = values[start + i]!;
      const v = typeof raw === 'bigint' ? Number(raw) : raw;
      const at = i * bytesPerPixel;
      if (bitpix === -32) view.setFloat32(at, v);
      else if (bitpix === -64) view.setFloat64(at, v);
      else if (bitpix === 64 && typeof raw === 'bigint' && bscale === 1 && bzero === 0)
        view.setBigInt64(at, raw);
      else {
        let stored: number;
        if (Number.isNaN(v)) {
          if (blank === undefined)
            throw new FitsError(
              location,
              `pixel ${start + i} is NaN but BITPIX ${bitpix} has no BLANK value`,
              'Pass blank (a stored integer meaning undefined) or write a float BITPIX',
            );
          stored = blank;
        } else {
          stored = Math.round((v - bzero) / bscale);
          if (range === undefined || !(stored >= range[0] && stored <= range[1]) || stored === blank) {
            throw new FitsError(
              location,
              `pixel ${start + i} = ${v} cannot be stored as BITPIX ${bitpix} with BSCALE ${bscale} and BZERO ${bzero}${stored === blank ? ' (it would read back as BLANK)' : ' (out of range)'}`,
              'Choose a wider BITPIX, a float BITPIX (-32 or -64), or other BSCALE/BZERO',
            );
          }
        }
        if (bitpix === 8) view.setUint8(at, stored);
        else if (bitpix === 16) view.setInt16(at, stored);
        else if (bitpix === 32) view.setInt32(at, stored);
        else view.setBigInt64(at, BigInt(stored));
      }
    }
    yield bytes;
  }
}
