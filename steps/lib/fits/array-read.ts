/**
 * Reading an image HDU's data in the type astropy.io.fits gives it (`fits.getdata`): float32
 * data stays float32 (half the memory and time of the float64 `Image`), integers keep their
 * type, the unsigned convention gives unsigned arrays, and scaled data becomes float32 or
 * float64 as astropy's does, computed with astropy's arithmetic.
 */

import { readArrayJs } from './array-decode.js';
import { type ArrayMode, arrayMode, type FitsArrayData, resultBytes, viewAs } from './array-mode.js';
import { readCompressedImage } from './compressed-read.js';
import { FitsError } from './errors.js';
import type { Header } from './header.js';
import { fitsNative } from './image-data.js';
import { defaultImageHdu, scalingOf } from './image-read.js';
import { type FitsReader, type HduInfo, type HduSelector, withFits } from './reader.js';

/** An image HDU's data in its astropy type. */
export interface FitsArray {
  /** Values in FITS (= numpy C) order: NAXIS1 varies fastest; `data[y * axes[0] + x]` for 2-D. */
  readonly data: FitsArrayData;
  /** NAXIS1, NAXIS2, ... (FITS order; numpy's `shape` is this reversed). */
  readonly axes: readonly number[];
  /** The file's BITPIX (ZBITPIX for tile-compressed images). */
  readonly bitpix: number;
  /** For tile-compressed images, the image's header (ZBITPIX etc. turned back into BITPIX). */
  readonly header: Header;
  readonly hdu: number;
  readonly extname: string | undefined;
}

/** Options of `readFitsArray`. */
export interface ReadArrayOptions {
  /** Index or EXTNAME. Default: the first HDU holding an image (as `fits.getdata`). */
  readonly hdu?: HduSelector;
}

/**
 * Read an image HDU's data as astropy's `fits.getdata(path, ext)` returns it:
 *
 * | BITPIX, BSCALE/BZERO/BLANK                   | `data`                                   |
 * |----------------------------------------------|------------------------------------------|
 * | none (1, 0, no BLANK)                        | `Uint8Array`, `Int16Array`, `Int32Array`, `BigInt64Array`, `Float32Array`, `Float64Array` |
 * | unsigned convention (BSCALE 1, BZERO -2^7, 2^15, 2^31, 2^63) | `Int8Array`, `Uint16Array`, `Uint32Array`, `BigUint64Array` (BLANK ignored, as astropy does) |
 * | scaled or BLANK, BITPIX 8, 16, -32           | `Float32Array`, computed in float32; BLANK → NaN |
 * | scaled or BLANK, BITPIX 32, 64, -64          | `Float64Array`; BLANK → NaN              |
 *
 * Natively (native/src/fits_array.cc) when the addon is built: the data unit is read block by
 * block straight into the result's memory and byte-swapped there, on two threads; else in JS,
 * with the same values bit for bit. Memory: the result only (64 MiB for a 4096² float32 image).
 *
 * @example
 * const { data, axes } = readFitsArray('frame.fits', { hdu: 'SCI' }); // Float32Array for BITPIX -32
 */
export function readFitsArray(path: string, options: ReadArrayOptions = {}): FitsArray {
  return withFits(path, (reader) => readArrayFrom(reader, options));
}

/** `readFitsArray` on an already open file. */
export function readArrayFrom(reader: FitsReader, options: ReadArrayOptions = {}): FitsArray {
  const info = options.hdu === undefined ? defaultImageHdu(reader) : reader.hdu(options.hdu);
  if (info.kind === 'compressed-image') return compressedArray(reader, info);
  if (info.kind !== 'image') {
    throw new FitsError(
      info.location,
      `this HDU is a ${info.kind}, not an image`,
      'Select an image HDU with the hdu option; tables are read with readFitsTable',
    );
  }
  const scaling = scalingOf(info.header, info.bitpix);
  const mode = arrayMode(info.bitpix, scaling);
  const count = info.axes.length === 0 ? 0 : info.axes.reduce((a, b) => a * b, 1);
  const buffer = readData(reader, info, count, mode);
  return {
    data: viewAs(buffer, info.bitpix, mode),
    axes: info.axes,
    bitpix: info.bitpix,
    header: info.header,
    hdu: info.index,
    extname: info.extname,
  };
}

/**
 * The stored values of an uncompressed image HDU (no scaling), natively when possible: the
 * buffer behind `readFitsRaw`.
 */
export function readStoredData(reader: FitsReader, info: HduInfo, count: number): ArrayBuffer {
  return readData(reader, info, count, 0);
}

function readData(reader: FitsReader, info: HduInfo, count: number, mode: ArrayMode): ArrayBuffer {
  const scaling = scalingOf(info.header, info.bitpix);
  const bytes = resultBytes(info.bitpix, mode);
  const native = count > 0 ? fitsNative() : undefined;
  if (native?.fitsReadArray === undefined) {
    return readArrayJs(reader, info.location, info.bitpix, info.dataOffset, count, mode, scaling, bytes);
  }
  try {
    return native.fitsReadArray(
      reader.path,
      info.dataOffset,
      info.bitpix,
      count,
      mode,
      scaling.bscale,
      scaling.bzero,
      scaling.blank ?? null,
    );
  } catch (error) {
    // The header check already proved the data unit is there; a failure now means the file
    // changed under us or the disk failed. Say where, as every FITS error does.
    const message = (error as Error).message.replace(`${reader.path}: `, '');
    throw new FitsError(
      info.location,
      `the data unit could not be read (${message})`,
      'Check that the file is complete and readable',
      {
        cause: error,
      },
    );
  }
}

/** Tile-compressed: decoded through the float64 path, then held in the astropy type. */
function compressedArray(reader: FitsReader, info: HduInfo): FitsArray {
  const { array, header } = readCompressedImage(reader, info);
  const bitpix = header.getInteger('BITPIX') ?? -64;
  const mode = arrayMode(bitpix, scalingOf(header, bitpix));
  const data = viewAs(new ArrayBuffer(array.data.length * resultBytes(bitpix, mode)), bitpix, mode);
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    for (let i = 0; i < array.data.length; i++) data[i] = BigInt(array.data[i]!);
  } else {
    data.set(array.data);
  }
  return { data, axes: array.axes, bitpix, header, hdu: info.index, extname: info.extname };
}
