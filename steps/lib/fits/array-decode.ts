/**
 * The pure-JS `readFitsArray`: the same results as native/src/fits_array.cc, bit for bit, for
 * when the addon is not built. One read into the result's own memory, then a swap or a widening
 * in place (integers are read into the tail of the result and widened front to back: writing
 * value i never overtakes a stored value not yet read).
 */
import { ArrayMode } from './array-mode.js';
import type { FitsLocation } from './errors.js';
import type { ImageScaling } from './image-data.js';
import type { FitsReader } from './reader.js';

/** Bytes read per step: 1 MiB, a multiple of every pixel size, small enough to stay in L2/L3. */
const CHUNK_BYTES = 1 << 20;

/** Read `count` values of the data unit at `dataOffset` in `mode`; returns the result's buffer. */
export function readArrayJs(
  reader: FitsReader,
  location: FitsLocation,
  bitpix: number,
  dataOffset: number,
  count: number,
  mode: ArrayMode,
  scaling: ImageScaling,
  resultBytes: number,
): ArrayBuffer {
  const buffer = new ArrayBuffer(count * resultBytes);
  const storedBytes = Math.abs(bitpix) / 8;
  const tail = count * (resultBytes - storedBytes);
  const raw = Buffer.from(buffer, tail, count * storedBytes);
  if (bitpix > 0 && (mode === ArrayMode.float32 || mode === ArrayMode.float64)) {
    reader.readInto(raw, 0, raw.length, dataOffset, location);
    widenIntegers(raw, bitpix, count, scaling, buffer);
    return buffer;
  }
  // Read and swap a chunk at a time, so that each chunk is swapped while still in cache.
  for (let start = 0; start < raw.length; start += CHUNK_BYTES) {
    const chunk = raw.subarray(start, Math.min(raw.length, start + CHUNK_BYTES));
    reader.readInto(chunk, 0, chunk.length, dataOffset + start, location);
    if (storedBytes === 2) chunk.swap16();
    else if (storedBytes === 4) chunk.swap32();
    else if (storedBytes === 8) chunk.swap64();
  }
  if (mode === ArrayMode.unsigned) flipSign(buffer, bitpix);
  else if (mode === ArrayMode.float32) scaleInPlace(new Float32Array(buffer), scaling, true);
  else if (mode === ArrayMode.float64) scaleInPlace(new Float64Array(buffer), scaling, false);
  return buffer;
}

/** stored xor sign bit = stored - BZERO for the unsigned convention (little-endian host). */
function flipSign(buffer: ArrayBuffer, bitpix: number): void {
  if (bitpix === 8) {
    const u = new Uint8Array(buffer);
    for (let i = 0; i < u.length; i++) u[i] = u[i]! ^ 0x80;
  } else if (bitpix === 16) {
    const u = new Uint16Array(buffer);
    for (let i = 0; i < u.length; i++) u[i] = u[i]! ^ 0x8000;
  } else {
    // 32-bit words; for BITPIX 64 only the high (odd) word carries the sign.
    const u = new Uint32Array(buffer);
    const step = bitpix === 64 ? 2 : 1;
    for (let i = step - 1; i < u.length; i += step) u[i] = u[i]! ^ 0x80000000;
  }
}

/**
 * x ×= BSCALE if BSCALE ≠ 1, then x += BZERO if BZERO ≠ 0, in the result's precision (numpy's
 * in-place ufuncs). A product or sum of two float32 is exact or correctly rounded in float64,
 * so storing it into a Float32Array rounds it exactly as float32 arithmetic would.
 */
function scaleInPlace(
  x: Float32Array | Float64Array,
  { bscale, bzero }: ImageScaling,
  single: boolean,
): void {
  const b = single ? Math.fround(bscale) : bscale;
  const z = single ? Math.fround(bzero) : bzero;
  if (x instanceof Float32Array) {
    if (b !== 1) for (let i = 0; i < x.length; i++) x[i] = x[i]! * b;
    if (z !== 0) for (let i = 0; i < x.length; i++) x[i] = x[i]! + z;
  } else {
    if (b !== 1) for (let i = 0; i < x.length; i++) x[i] = x[i]! * b;
    if (z !== 0) for (let i = 0; i < x.length; i++) x[i] = x[i]! + z;
  }
}

/** BITPIX 8/16 → float32, 32/64 → float64: scaled, BLANK → NaN. */
function widenIntegers(
  raw: Buffer,
  bitpix: number,
  n: number,
  scaling: ImageScaling,
  buffer: ArrayBuffer,
): void {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const { bscale, bzero, blank } = scaling;
  const blankValue = blank ?? Number.NaN; // NaN equals no stored integer
  if (bitpix === 8 || bitpix === 16) {
    const out = new Float32Array(buffer);
    const b = Math.fround(bscale);
    const z = Math.fround(bzero);
    const mul = bscale !== 1;
    const add = bzero !== 0;
    for (let i = 0; i < n; i++) {
      const v = bitpix === 8 ? view.getUint8(i) : view.getInt16(2 * i);
      if (v === blankValue) out[i] = Number.NaN;
      else {
        // Each operation rounded to float32, as numpy's float32 multiply and add.
        let x = v;
        if (mul) x = Math.fround(x * b);
        if (add) x = Math.fround(x + z);
        out[i] = x;
      }
    }
    return;
  }
  const out = new Float64Array(buffer);
  const mul = bscale !== 1;
  const add = bzero !== 0;
  for (let i = 0; i < n; i++) {
    // int64: the high word times 2^32 is exact, so one rounding of the sum, as numpy's cast.
    const v =
      bitpix === 32 ? view.getInt32(4 * i) : view.getInt32(8 * i) * 4294967296 + view.getUint32(8 * i + 4);
    if (v === blankValue) out[i] = Number.NaN;
    else {
      let x = v;
      if (mul) x *= bscale;
      if (add) x += bzero;
      out[i] = x;
    }
  }
}
