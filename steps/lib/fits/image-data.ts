/**
 * Decoding an image data unit into float64 physical values: big-endian on disk, byte-swapped
 * and widened in place in the output array.
 */
import { loadNativeModule } from '../native/addon.js';
import type { FitsLocation } from './errors.js';
import type { FitsReader } from './reader.js';

/** How stored integers map to physical values: physical = BZERO + BSCALE × stored (Standard eq. 3). */
export interface ImageScaling {
  readonly bscale: number;
  readonly bzero: number;
  /** Stored value meaning "undefined" (integer images only); becomes NaN. */
  readonly blank: number | undefined;
}

/** The FITS functions of the native addon (native/src/fits_read.cc). */
export interface FitsNative {
  /**
   * Read `count` big-endian pixels at byte `offset` of `path` as physical float64 values (same
   * arithmetic as the JS path, bit for bit) into `out`, or into a new array.
   */
  fitsReadPixels(
    path: string,
    offset: number,
    bitpix: number,
    count: number,
    bscale: number,
    bzero: number,
    blank: number | null,
    out: Float64Array | null,
  ): Float64Array;
  /**
   * Read `count` pixels at byte `offset` of `path` in `mode` (steps/lib/fits/array-mode.ts) into
   * a new buffer: stored values byte-swapped, or astropy's unsigned, float32 or
   * float64 conversion. Absent from addons built before it (then the JS path runs).
   */
  fitsReadArray?(
    path: string,
    offset: number,
    bitpix: number,
    count: number,
    mode: number,
    bscale: number,
    bzero: number,
    blank: number | null,
  ): ArrayBuffer;
}

/**
 * The native FITS reader, or undefined when the addon is not built, predates it, or
 * ASTERISM_FITS_NATIVE=0 (checked on every call, so tests can compare both paths in one process).
 */
export function fitsNative(): FitsNative | undefined {
  if (process.env.ASTERISM_FITS_NATIVE === '0') return undefined;
  const loaded = loadNativeModule();
  if ('error' in loaded || typeof loaded.module.fitsReadPixels !== 'function') return undefined;
  return loaded.module as unknown as FitsNative;
}

/**
 * Read `count` pixels starting at pixel `first` into a new Float64Array: natively when the addon
 * is built (block-wise pread, swap and widen in place on two threads; ~2× faster than the JS path
 * for a 4096² float32 image, docs/fits.md), else with readPixels.
 */
export function readNewPixels(
  reader: FitsReader,
  location: FitsLocation,
  bitpix: number,
  dataOffset: number,
  first: number,
  count: number,
  scaling: ImageScaling,
): Float64Array {
  const native = count > 0 ? fitsNative() : undefined;
  if (native !== undefined) {
    const { bscale, bzero, blank } = scaling;
    const offset = dataOffset + first * (Math.abs(bitpix) / 8);
    return native.fitsReadPixels(reader.path, offset, bitpix, count, bscale, bzero, blank ?? null, null);
  }
  const out = new Float64Array(count);
  readPixels(reader, location, bitpix, dataOffset, first, count, scaling, out);
  return out;
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
  const native = fitsNative();
  if (native !== undefined) {
    const { bscale, bzero, blank } = scaling;
    const offset = dataOffset + first * (Math.abs(bitpix) / 8);
    const target = out.subarray(outOffset, outOffset + count);
    native.fitsReadPixels(reader.path, offset, bitpix, count, bscale, bzero, blank ?? null, target);
    return;
  }
  const bytesPerPixel = Math.abs(bitpix) / 8;
  const rawBytes = count * bytesPerPixel;
  const tail = out.byteOffset + outOffset * 8 + (count * 8 - rawBytes);
  const raw = Buffer.from(out.buffer, tail, rawBytes);
  reader.readInto(raw, 0, rawBytes, dataOffset + first * bytesPerPixel, location);
  decodeChunk(raw, bitpix, count, scaling, out, outOffset);
}

/** Decode `n` big-endian pixels held in `bytes` (8-byte aligned for BITPIX ±64); swaps `bytes` in place. */
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
      widenInt16(new DataView(buffer, bytes.byteOffset, 2 * n), n, scaling, out, outOffset);
      return;
    case 32:
      widenInt32(new DataView(buffer, bytes.byteOffset, 4 * n), n, scaling, out, outOffset);
      return;
    case 64:
      bytes.swap64();
      convertInt64(new Int32Array(buffer, bytes.byteOffset, 2 * n), scaling, out, outOffset);
      return;
    case -32:
      widenFloat32(new DataView(buffer, bytes.byteOffset, 4 * n), n, scaling, out, outOffset);
      return;
    case -64:
      bytes.swap64();
      convert(new Float64Array(buffer, bytes.byteOffset, n), scaling, out, outOffset);
      return;
    default:
      throw new RangeError(`BITPIX ${bitpix} is not valid`);
  }
}

// Big-endian reads through a DataView swap and widen in one pass (faster than Buffer.swapNN
// followed by a typed-array loop). Reading element i before writing out[i] keeps the in-place
// widening of readPixels safe.
function widenFloat32(
  view: DataView,
  n: number,
  { bscale, bzero }: ImageScaling,
  out: Float64Array,
  offset: number,
): void {
  if (bscale === 1 && bzero === 0) for (let i = 0; i < n; i++) out[offset + i] = view.getFloat32(4 * i);
  else for (let i = 0; i < n; i++) out[offset + i] = bzero + bscale * view.getFloat32(4 * i);
}

function widenInt16(
  view: DataView,
  n: number,
  { bscale, bzero, blank }: ImageScaling,
  out: Float64Array,
  offset: number,
): void {
  if (blank === undefined)
    for (let i = 0; i < n; i++) out[offset + i] = bzero + bscale * view.getInt16(2 * i);
  else {
    for (let i = 0; i < n; i++) {
      const v = view.getInt16(2 * i);
      out[offset + i] = v === blank ? Number.NaN : bzero + bscale * v;
    }
  }
}

function widenInt32(
  view: DataView,
  n: number,
  { bscale, bzero, blank }: ImageScaling,
  out: Float64Array,
  offset: number,
): void {
  if (blank === undefined)
    for (let i = 0; i < n; i++) out[offset + i] = bzero + bscale * view.getInt32(4 * i);
  else {
    for (let i = 0; i < n; i++) {
      const v = view.getInt32(4 * i);
      out[offset + i] = v === blank ? Number.NaN : bzero + bscale * v;
    }
  }
}

// One function per source type keeps each loop monomorphic (a shared loop over a union of typed
// arrays runs several times slower in V8).
function convert(
  raw: Uint8Array | Float64Array,
  scaling: ImageScaling,
  out: Float64Array,
  offset: number,
): void {
  if (raw instanceof Float64Array) convertFloat64(raw, scaling, out, offset);
  else convertUint8(raw, scaling, out, offset);
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
