/**
 * Reading image pixels in their stored type, without widening to float64: half the memory of
 * `readFitsImage` for float32 data, for steps that keep images as float32 or want the stored
 * integers (e.g. to inspect BLANK or saturation values).
 */
import { readStoredData } from './array-read.js';
import { FitsError } from './errors.js';
import type { Header } from './header.js';
import { scalingOf } from './image-read.js';
import { type HduSelector, withFits } from './reader.js';

/** Stored values (not scaled) in native byte order, with what is needed to scale them. */
export interface RawImage {
  /** FITS order: NAXIS1 first. */
  readonly axes: readonly number[];
  readonly bitpix: number;
  readonly data: Uint8Array | Int16Array | Int32Array | BigInt64Array | Float32Array | Float64Array;
  /** physical = bzero + bscale × stored; stored === blank means undefined. */
  readonly bscale: number;
  readonly bzero: number;
  readonly blank: number | undefined;
  readonly header: Header;
}

/** Read an uncompressed image HDU's stored values (one read, byte-swapped in place; natively when the addon is built). */
export function readFitsRaw(path: string, options: { hdu?: HduSelector } = {}): RawImage {
  return withFits(path, (reader) => {
    const info = reader.hdu(options.hdu ?? 0);
    if (info.kind !== 'image') {
      throw new FitsError(
        info.location,
        `this HDU is a ${info.kind}; readFitsRaw reads uncompressed images only`,
        'Use readFitsImage, which also decompresses',
      );
    }
    const count = info.axes.length === 0 ? 0 : info.axes.reduce((a, b) => a * b, 1);
    const ab = readStoredData(reader, info, count);
    return {
      axes: info.axes,
      bitpix: info.bitpix,
      data: view(ab, info.bitpix),
      ...scalingOf(info.header, info.bitpix),
      header: info.header,
    };
  });
}

function view(ab: ArrayBuffer, bitpix: number): RawImage['data'] {
  switch (bitpix) {
    case 8:
      return new Uint8Array(ab);
    case 16:
      return new Int16Array(ab);
    case 32:
      return new Int32Array(ab);
    case 64:
      return new BigInt64Array(ab);
    case -32:
      return new Float32Array(ab);
    default:
      return new Float64Array(ab);
  }
}
