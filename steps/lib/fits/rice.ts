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
 */
export function riceDecode(input: Uint8Array, count: number, blockSize: number, bytePix: number): Int32Array {
  const parameters = PARAMETERS[bytePix];
  if (parameters === undefined) throw new RangeError(`RICE_1 BYTEPIX must be 1, 2 or 4, not ${bytePix}`);
  const { fsBits, fsMax, bBits } = parameters;
  const out = new Int32Array(count);
  let position = 0;
  // Bit reader: `buffer` holds `bitsLeft` unread bits in its low end.
  let buffer = 0;
  let bitsLeft = 0;
  const nextByte = (): number => {
    if (position >= input.length) throw new RangeError('RICE_1 stream ends early');
    return input[position++]!;
  };
  const readBits = (n: number): number => {
    // n <= 32; assemble in float arithmetic to avoid 32-bit overflow.
    let value = 0;
    let need = n;
    while (need > 0) {
      if (bitsLeft === 0) {
        buffer = nextByte();
        bitsLeft = 8;
      }
      const take = Math.min(need, bitsLeft);
      const shift = bitsLeft - take;
      value = value * (1 << take) + ((buffer >> shift) & ((1 << take) - 1));
      bitsLeft -= take;
      need -= take;
    }
    return value;
  };
  let last = 0;
  for (let i = 0; i < bytePix; i++) last = last * 256 + nextByte();
  last = wrap(last, bytePix);
  for (let start = 0; start < count; start += blockSize) {
    const end = Math.min(start + blockSize, count);
    const fs = readBits(fsBits) - 1;
    if (fs < 0) {
      for (let i = start; i < end; i++) out[i] = last;
      continue;
    }
    for (let i = start; i < end; i++) {
      let mapped: number;
      if (fs === fsMax) {
        mapped = readBits(bBits);
      } else {
        // Unary part: count zero bits up to the next one bit.
        let zeros = 0;
        for (;;) {
          if (bitsLeft === 0) {
            buffer = nextByte();
            bitsLeft = 8;
          }
          bitsLeft -= 1;
          if ((buffer >> bitsLeft) & 1) break;
          zeros += 1;
        }
        mapped = zeros * 2 ** fs + (fs > 0 ? readBits(fs) : 0);
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
