/**
 * Rice decompression as used by the FITS tiled-image convention (RICE_1; Pence, Seaman & White
 * 2009; White & Greenfield 1999). The stream is: the first pixel as a raw BYTEPIX-byte integer,
 * then blocks of BLOCKSIZE pixel differences, each block led by an FS code: FS = 0 means all
 * differences are zero, FS = max means raw differences, otherwise each difference is a unary
 * high part plus FS low bits, zig-zag mapped to a signed value.
 */

/** Bits of the FS code, its "raw" value and the bits per raw value, by bytes per pixel. */
const PARAMETERS: Record<number, { fsBits: number; fsMax: number; bBits: number }> = {
  1: { fsBits: 3, fsMax: 6, bBits: 8 },
  2: { fsBits: 4, fsMax: 14, bBits: 16 },
  4: { fsBits: 5, fsMax: 25, bBits: 32 },
};

/**
 * Decode `count` pixels. Returns signed 32-bit values for BYTEPIX 4, signed 16-bit for 2 and
 * unsigned 8-bit for 1 (as cfitsio does), in an Int32Array. Throws on a short or corrupt stream.
 *
 * The bit reader is inlined: `bits` holds the `nBits` not yet consumed bits of the stream in its
 * low end (never more than 31, so 32-bit integer operations stay exact).
 */
export function riceDecode(input: Uint8Array, count: number, blockSize: number, bytePix: number): Int32Array {
  const parameters = PARAMETERS[bytePix];
  if (parameters === undefined) throw new RangeError(`RICE_1 BYTEPIX must be 1, 2 or 4, not ${bytePix}`);
  const { fsBits, fsMax, bBits } = parameters;
  const out = new Int32Array(count);
  const length = input.length;
  if (length < bytePix + 1) throw new RangeError('RICE_1 stream ends early');
  let last = 0;
  for (let i = 0; i < bytePix; i++) last = last * 256 + input[i]!;
  last = wrap(last, bytePix);
  let position = bytePix;
  let bits = input[position++]!;
  let nBits = 8;
  const fsMask = (1 << fsBits) - 1;
  for (let start = 0; start < count; start += blockSize) {
    const end = Math.min(start + blockSize, count);
    nBits -= fsBits;
    while (nBits < 0) {
      if (position >= length) throw new RangeError('RICE_1 stream ends early');
      bits = (bits << 8) | input[position++]!;
      nBits += 8;
    }
    const fs = ((bits >>> nBits) & fsMask) - 1;
    bits &= (1 << nBits) - 1;
    if (fs < 0) {
      // Low entropy: every difference in the block is zero.
      for (let i = start; i < end; i++) out[i] = last;
      continue;
    }
    for (let i = start; i < end; i++) {
      let mapped: number;
      if (fs === fsMax) {
        // High entropy: raw bBits-bit differences, read 16 bits at a time.
        mapped = 0;
        for (let remaining = bBits; remaining > 0; ) {
          const take = Math.min(remaining, 16);
          nBits -= take;
          while (nBits < 0) {
            if (position >= length) throw new RangeError('RICE_1 stream ends early');
            bits = (bits << 8) | input[position++]!;
            nBits += 8;
          }
          mapped = mapped * (1 << take) + ((bits >>> nBits) & ((1 << take) - 1));
          bits &= (1 << nBits) - 1;
          remaining -= take;
        }
      } else {
        // Unary high part: count the zero bits before the next one bit.
        let zeros = 0;
        while (bits === 0) {
          zeros += nBits;
          if (position >= length) throw new RangeError('RICE_1 stream ends early');
          bits = input[position++]!;
          nBits = 8;
        }
        const top = 31 - Math.clz32(bits); // index of the highest one bit
        zeros += nBits - 1 - top;
        nBits = top;
        bits ^= 1 << top;
        // Low part: fs bits.
        nBits -= fs;
        while (nBits < 0) {
          if (position >= length) throw new RangeError('RICE_1 stream ends early');
          bits = (bits << 8) | input[position++]!;
          nBits += 8;
        }
        mapped = zeros * 2 ** fs + (bits >>> nBits);
        bits &= (1 << nBits) - 1;
      }
      // Zig-zag: even values are non-negative differences, odd ones negative.
      const difference = mapped % 2 === 0 ? mapped / 2 : -(mapped + 1) / 2;
      last = wrap(last + difference, bytePix);
      out[i] = last;
    }
  }
  return out;
}

/** Reduce to the pixel type's range with two's-complement wrap-around. */
function wrap(value: number, bytePix: number): number {
  if (bytePix === 4) return value | 0;
  if (bytePix === 2) return (value << 16) >> 16;
  return value & 0xff;
}
