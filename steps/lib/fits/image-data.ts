/**
 * Decoding an image data unit into float64 physical values: big-endian on disk, byte-swapped
 * and widened in place in the output array.
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

/**
 * Read `count` pixels starting at pixel `first` of a data unit at `dataOffset` into `out`
 * (at `outOffset`), as physical values.
 *
 * No second buffer: the raw big-endian bytes are read into the tail of the output's own memory,
 * byte-swapped there, and widened to float64 front to back. Writing out[i] (bytes 8i..8i+8)
 * never overtakes the raw value still to be read (at tail + i·b, b ≤ 8 bytes per pixel), so a
 * 4096×4096 float32 image costs exactly its 128 MiB float64 result.
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
  if (count === 0) return;
  const bytesPerPixel = Math.abs(bitpix) / 8;
  const rawBytes = count * bytesPerPixel;
  const tail = out.byteOffset + outOffset * 8 + (count * 8 - rawBytes);
  const raw = Buffer.from(out.buffer, tail, rawBytes);
  reader.readInto(raw, 0, rawBytes, dataOffset + first * bytesPerPixel, location);
  decodeChunk(raw, bitpix, count, scaling, out, outOffset);
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

// One function per source type keeps each loop monomorphic (a shared loop over a union of typed
// arrays runs several times slower in V8).
function convert(
  raw: Uint8Array | Int16Array | Int32Array | Float32Array | Float64Array,
  scaling: ImageScaling,
  out: Float64Array,
  offset: number,
): void {
  if (raw instanceof Float32Array) convertFloat32(raw, scaling, out, offset);
  else if (raw instanceof Float64Array) convertFloat64(raw, scaling, out, offset);
  else if (raw instanceof Int16Array) convertInt16(raw, scaling, out, offset);
  else if (raw instanceof Int32Array) convertInt32(raw, scaling, out, offset);
  else convertUint8(raw, scaling, out, offset);
}

function convertFloat32(
  raw: Float32Array,
  { bscale, bzero }: ImageScaling,
  out: Float64Array,
  offset: number,
): void {
  const n = raw.length;
  if (bscale === 1 && bzero === 0) for (let i = 0; i < n; i++) out[offset + i] = raw[i]!;
  else for (let i = 0; i < n; i++) out[offset + i] = bzero + bscale * raw[i]!;
}

function convertFloat64(
  raw: Float64Array,
  { bscale, bzero }: ImageScaling,
  out: Float64Array,
  offset: number,
): void {
  const n = raw.length;
  if (bscale === 1 && bzero === 0) {
    if (raw.buffer !== out.buffer || raw.byteOffset !== out.byteOffset + offset * 8) out.set(raw, offset);
  } else {
    for (let i = 0; i < n; i++) out[offset + i] = bzero + bscale * raw[i]!;
  }
}

function convertInt16(
  raw: Int16Array,
  { bscale, bzero, blank }: ImageScaling,
  out: Float64Array,
  offset: number,
): void {
  const n = raw.length;
  if (blank === undefined) for (let i = 0; i < n; i++) out[offset + i] = bzero + bscale * raw[i]!;
  else for (let i = 0; i < n; i++) out[offset + i] = raw[i] === blank ? Number.NaN : bzero + bscale * raw[i]!;
}

function convertInt32(
  raw: Int32Array,
  { bscale, bzero, blank }: ImageScaling,
  out: Float64Array,
  offset: number,
): void {
  const n = raw.length;
  if (blank === undefined) for (let i = 0; i < n; i++) out[offset + i] = bzero + bscale * raw[i]!;
  else for (let i = 0; i < n; i++) out[offset + i] = raw[i] === blank ? Number.NaN : bzero + bscale * raw[i]!;
}

function convertUint8(
  raw: Uint8Array,
  { bscale, bzero, blank }: ImageScaling,
  out: Float64Array,
  offset: number,
): void {
  const n = raw.length;
  if (blank === undefined) for (let i = 0; i < n; i++) out[offset + i] = bzero + bscale * raw[i]!;
  else for (let i = 0; i < n; i++) out[offset + i] = raw[i] === blank ? Number.NaN : bzero + bscale * raw[i]!;
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
