/**
 * Reading image pixels in their stored type, without widening to float64: half the memory of
 * `readFitsImage` for float32 data, for steps that keep images as float32 or want the stored
 * integers (e.g. to inspect BLANK or saturation values).
 */
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

/** Read an uncompressed image HDU's stored values (one read, one in-place byte swap). */
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
    const bytesPerPixel = Math.abs(info.bitpix) / 8;
    const buffer = Buffer.from(new ArrayBuffer(count * bytesPerPixel));
    reader.readInto(buffer, 0, buffer.length, info.dataOffset, info.location);
    const ab = buffer.buffer;
    let data: RawImage['data'];
    switch (info.bitpix) {
      case 8:
        data = new Uint8Array(ab);
        break;
      case 16:
        data = new Int16Array(buffer.swap16().buffer);
        break;
      case 32:
        data = new Int32Array(buffer.swap32().buffer);
        break;
      case 64:
        data = new BigInt64Array(buffer.swap64().buffer);
        break;
      case -32:
        data = new Float32Array(buffer.swap32().buffer);
        break;
      default:
        data = new Float64Array(buffer.swap64().buffer);
    }
    return {
      axes: info.axes,
      bitpix: info.bitpix,
      data,
      ...scalingOf(info.header, info.bitpix),
      header: info.header,
    };
  });
}
