/**
 * Decoding an image data unit into float64 physical values, streaming: the file is read in
 * fixed-size chunks, byte-swapped in place (big-endian on disk) and converted into the output
 * array, so peak memory is the output plus one chunk.
 */
import type { FitsLocation } from './errors.js';
import type { FitsReader } from './reader.js';

/** How stored integers map to physical values: physical = BZERO + BSCALE × stored (Standard eq. 3). */
export interface ImageScaling {
  readonly bscale: number;
  readonly bzero: number;
  /** Stored value meaning "undefined" (integer images only); becomes NaN. */
  readonly blank: number | undefined;
}

const CHUNK_BYTES = 1 << 22;

/**
 * Read `count` pixels starting at pixel `first` of a data unit at `dataOffset` into `out`
 * (at `outOffset`), as physical values.
 */
export function readPixels(
  reader: FitsReader,
  location: FitsLocation,
  bitpix: number,
  dataOffset: number,
  first: number,
  count: number,
  scaling: ImageScaling,
  out: Float64Array,
  outOffset = 0,
): void {
  const bytesPerPixel = Math.abs(bitpix) / 8;
  const chunk = Buffer.from(new ArrayBuffer(Math.min(CHUNK_BYTES, Math.max(8, count * bytesPerPixel))));
  const pixelsPerChunk = chunk.length / bytesPerPixel;
  for (let done = 0; done < count; ) {
    const n = Math.min(pixelsPerChunk, count - done);
    const bytes = n * bytesPerPixel;
    reader.readInto(chunk, 0, bytes, dataOffset + (first + done) * bytesPerPixel, location);
    decodeChunk(chunk.subarray(0, bytes), bitpix, n, scaling, out, outOffset + done);
    done += n;
  }
}

/** Decode `n` big-endian pixels held in `bytes` (offset 0 of its ArrayBuffer); swaps `bytes` in place. */
export function decodeChunk(
  bytes: Buffer,
  bitpix: number,
  n: number,
  scaling: ImageScaling,
  out: Float64Array,
  outOffset: number,
): void {
  const { buffer } = bytes;
  switch (bitpix) {
    case 8:
      convert(new Uint8Array(buffer, bytes.byteOffset, n), scaling, out, outOffset);
      return;
    case 16:
      bytes.swap16();
      convert(new Int16Array(buffer, bytes.byteOffset, n), scaling, out, outOffset);
      return;
    case 32:
      bytes.swap32();
      convert(new Int32Array(buffer, bytes.byteOffset, n), scaling, out, outOffset);
      return;
    case 64:
      bytes.swap64();
      convertInt64(new Int32Array(buffer, bytes.byteOffset, 2 * n), scaling, out, outOffset);
      return;
    case -32:
      bytes.swap32();
      convert(new Float32Array(buffer, bytes.byteOffset, n), scaling, out, outOffset);
      return;
    case -64:
      bytes.swap64();
      convert(new Float64Array(buffer, bytes.byteOffset, n), scaling, out, outOffset);
      return;
    default:
      throw new RangeError(`BITPIX ${bitpix} is not valid`);
  }
}

type NumericArray = Uint8Array | Int16Array | Int32Array | Float32Array | Float64Array;

function convert(raw: NumericArray, scaling: ImageScaling, out: Float64Array, offset: number): void {
  const { bscale, bzero, blank } = scaling;
  const n = raw.length;
  if (blank === undefined && bscale === 1 && bzero === 0) {
    for (let i = 0; i < n; i++) out[offset + i] = raw[i]!;
  } else if (blank === undefined) {
    for (let i = 0; i < n; i++) out[offset + i] = bzero + bscale * raw[i]!;
  } else {
    for (let i = 0; i < n; i++) {
      const v = raw[i]!;
      out[offset + i] = v === blank ? Number.NaN : bzero + bscale * v;
    }
  }
}

/** 64-bit integers, little-endian after the swap: low word then high word. Exact below 2^53. */
function convertInt64(words: Int32Array, scaling: ImageScaling, out: Float64Array, offset: number): void {
  const { bscale, bzero, blank } = scaling;
  const n = words.length / 2;
  for (let i = 0; i < n; i++) {
    const v = words[2 * i + 1]! * 4294967296 + (words[2 * i]! >>> 0);
    out[offset + i] = v === blank ? Number.NaN : bzero + bscale * v;
  }
}
