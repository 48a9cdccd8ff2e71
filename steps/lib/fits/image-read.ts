/**
 * Reading images into the canonical `Image` (float64, row-major, numpy order) or into an
 * N-dimensional float64 array.
 */
import type { Image } from '../image/types.js';
import { readCompressedImage } from './compressed-read.js';
import { FitsError } from './errors.js';
import type { Header } from './header.js';
import { type ImageScaling, readNewPixels, readPixels } from './image-data.js';
import { type FitsReader, type HduInfo, type HduSelector, withFits } from './reader.js';

/** An N-dimensional image: `axes` in FITS order (NAXIS1 first), data in FITS (= numpy C) order. */
export interface ImageArray {
  readonly axes: readonly number[];
  readonly data: Float64Array;
}

export interface ReadImageOptions {
  /** Index or EXTNAME. Default: the first HDU holding an image (primary, else the first image extension). */
  readonly hdu?: HduSelector;
  /** For 3-D data, which plane along NAXIS3 (0-based). Default: required when NAXIS3 > 1. */
  readonly plane?: number;
  /**
   * Read into this array instead of a new one (its first width × height elements; the returned
   * image's data is a view of it). For loops over many same-sized frames: reusing memory saves
   * the page faults of fresh allocations, which cost more than the read itself for large images.
   */
  readonly into?: Float64Array;
}

/** An image read from a file, with the header that describes it. */
export interface FitsImage {
  readonly image: Image;
  /** For tile-compressed images, the header of the image (ZBITPIX etc. turned back into BITPIX). */
  readonly header: Header;
  readonly hdu: number;
  readonly extname: string | undefined;
}

/**
 * Read one 2-D image (or one plane of a cube) as physical float64 values: BSCALE/BZERO applied,
 * BLANK → NaN. Reads only that HDU's data.
 *
 * @example
 * const { image, header } = readFitsImage('gmos.fits', { hdu: 'SCI' });
 * const gain = header.getNumber('GAIN');
 */
export function readFitsImage(path: string, options: ReadImageOptions = {}): FitsImage {
  return withFits(path, (reader) => readImageFrom(reader, options));
}

/** `readFitsImage` on an already open file. */
export function readImageFrom(reader: FitsReader, options: ReadImageOptions = {}): FitsImage {
  const info = options.hdu === undefined ? defaultImageHdu(reader) : reader.hdu(options.hdu);
  if (info.kind === 'compressed-image') {
    const { array, header } = readCompressedImage(reader, info);
    const image = toImage(array, info, options.plane);
    if (options.into === undefined) return { image, header, hdu: info.index, extname: info.extname };
    const data = target(info, options.into, image.data.length);
    data.set(image.data);
    return {
      image: { width: image.width, height: image.height, data },
      header,
      hdu: info.index,
      extname: info.extname,
    };
  }
  requireImage(info);
  const axes = info.axes;
  const [width = 0, height = 1] = axes;
  const planeSize = width * height;
  const plane = choosePlane(info, axes, options.plane);
  const scaling = scalingOf(info.header, info.bitpix);
  let data: Float64Array;
  if (options.into === undefined) {
    data = readNewPixels(
      reader,
      info.location,
      info.bitpix,
      info.dataOffset,
      plane * planeSize,
      planeSize,
      scaling,
    );
  } else {
    data = target(info, options.into, planeSize);
    readPixels(
      reader,
      info.location,
      info.bitpix,
      info.dataOffset,
      plane * planeSize,
      planeSize,
      scaling,
      data,
    );
  }
  return { image: { width, height, data }, header: info.header, hdu: info.index, extname: info.extname };
}

/** Read a whole N-dimensional image HDU (also tile-compressed ones). */
export function readImageArray(reader: FitsReader, selector: HduSelector): ImageArray & { header: Header } {
  const info = reader.hdu(selector);
  if (info.kind === 'compressed-image') {
    const { array, header } = readCompressedImage(reader, info);
    return { ...array, header };
  }
  requireImage(info);
  const count = info.axes.length === 0 ? 0 : info.axes.reduce((a, b) => a * b, 1);
  const data = readNewPixels(
    reader,
    info.location,
    info.bitpix,
    info.dataOffset,
    0,
    count,
    scalingOf(info.header, info.bitpix),
  );
  return { axes: info.axes, data, header: info.header };
}

/** BSCALE, BZERO and BLANK of an image header. */
export function scalingOf(header: Header, bitpix: number): ImageScaling {
  const bscale = header.getNumber('BSCALE') ?? 1;
  const bzero = header.getNumber('BZERO') ?? 0;
  // BLANK is meaningful only for integer data (Standard 4.4.2.5); floats use NaN.
  const blank = bitpix > 0 ? header.getInteger('BLANK') : undefined;
  return { bscale, bzero, blank };
}

/** The first HDU with image pixels: the primary if it has data, else the first image extension. */
export function defaultImageHdu(reader: FitsReader): HduInfo {
  for (let i = 0; ; i++) {
    let info: HduInfo;
    try {
      info = reader.hdu(i);
    } catch (error) {
      if (error instanceof FitsError && error.problem.startsWith('there is no HDU')) break;
      throw error;
    }
    if ((info.kind === 'image' && info.dataBytes > 0) || info.kind === 'compressed-image') return info;
  }
  throw new FitsError(
    { file: reader.path },
    'no HDU holds an image',
    'List the HDUs with `asterism fits info FILE`; tables are read with readFitsTable',
  );
}

function target(info: HduInfo, into: Float64Array | undefined, size: number): Float64Array {
  if (into === undefined) return new Float64Array(size);
  if (into.length < size) {
    throw new FitsError(
      info.location,
      `the 'into' array holds ${into.length} values but the image has ${size}`,
      'Pass a Float64Array of at least width × height',
    );
  }
  return into.length === size ? into : into.subarray(0, size);
}

function requireImage(info: HduInfo): void {
  if (info.kind !== 'image') {
    throw new FitsError(
      info.location,
      `this HDU is a ${info.kind}, not an image`,
      'Select an image HDU with the hdu option',
    );
  }
}

function choosePlane(info: HduInfo, axes: readonly number[], plane: number | undefined): number {
  if (axes.length < 2) {
    throw new FitsError(
      info.location,
      axes.length === 0
        ? 'NAXIS = 0: the HDU has no image data'
        : `NAXIS = 1: a 1-D array of ${axes[0]} values is not an image`,
      'Select an HDU with NAXIS = 2 (or a cube and a plane)',
    );
  }
  const planes = axes.slice(2).reduce((a, b) => a * b, 1);
  if (plane === undefined) {
    if (planes === 1) return 0;
    throw new FitsError(
      info.location,
      `NAXIS = ${axes.length} with axes [${axes.join(', ')}]: the data has ${planes} planes, not one image`,
      'Pass { plane: k } (0-based) to read one plane, or readImageArray to read them all',
    );
  }
  if (!Number.isInteger(plane) || plane < 0 || plane >= planes) {
    throw new FitsError(info.location, `plane ${plane} is out of range 0 to ${planes - 1}`);
  }
  return plane;
}

function toImage(array: ImageArray, info: HduInfo, plane: number | undefined): Image {
  const [width = 0, height = 1] = array.axes;
  const k = choosePlane(info, array.axes, plane);
  const size = width * height;
  const data = array.axes.length === 2 ? array.data : array.data.slice(k * size, (k + 1) * size);
  return { width, height, data };
}
