/**
 * The FITS checksum convention (Seaman, Pence & Rots 2012, FITS Standard 4.0 appendix J):
 * DATASUM is the 32-bit ones'-complement sum of the data unit's big-endian words, written as
 * an unsigned decimal string; CHECKSUM encodes the complement of the sum over the whole HDU
 * as 16 ASCII characters so that the HDU then sums to -0 (all ones).
 */

/** 32-bit ones'-complement sum of `bytes` (length a multiple of 4), continuing from `initial`. */
export function onesComplementSum(bytes: Uint8Array, initial = 0): number {
  const running = new RunningChecksum();
  running.update(bytes);
  return addOnesComplement(initial, running.sum);
}

/**
 * An incremental ones'-complement sum over a byte stream cut at arbitrary places (chunks of
 * 8- or 16-bit pixels need not end on a 4-byte word boundary).
 */
export class RunningChecksum {
  #hi = 0;
  #lo = 0;
  #phase = 0;

  update(bytes: Uint8Array): void {
    let i = 0;
    const n = bytes.length;
    for (; this.#phase !== 0 && i < n; i++) this.#add(bytes[i]!);
    let hi = this.#hi;
    let lo = this.#lo;
    const aligned = i + ((n - i) & ~3);
    for (; i < aligned; i += 4) {
      hi += (bytes[i]! << 8) | bytes[i + 1]!;
      lo += (bytes[i + 2]! << 8) | bytes[i + 3]!;
    }
    // No folding needed: each half grows by < 2^16 per word, exact in float64 up to 2^37 words.
    this.#hi = hi;
    this.#lo = lo;
    for (; i < n; i++) this.#add(bytes[i]!);
  }

  /** Fold in another 32-bit sum (ones'-complement addition), e.g. a header's onto its data's. */
  add(sum: number): void {
    this.#hi += Math.floor(sum / 65536);
    this.#lo += sum % 65536;
  }

  /** The 32-bit ones'-complement sum so far (bytes past the last whole word count as if zero-padded). */
  get sum(): number {
    return fromHalves(this.#hi, this.#lo);
  }

  #add(byte: number): void {
    const weight = this.#phase % 2 === 0 ? 256 : 1;
    if (this.#phase < 2) this.#hi += byte * weight;
    else this.#lo += byte * weight;
    this.#phase = (this.#phase + 1) % 4;
  }
}

function fromHalves(hiIn: number, loIn: number): number {
  let hi = hiIn;
  let lo = loIn;
  for (;;) {
    const hiCarry = Math.floor(hi / 65536);
    const loCarry = Math.floor(lo / 65536);
    if (hiCarry === 0 && loCarry === 0) break;
    hi = (hi % 65536) + loCarry;
    lo = (lo % 65536) + hiCarry;
  }
  return hi * 65536 + lo;
}

/** Ones'-complement addition of two 32-bit sums. */
export function addOnesComplement(a: number, b: number): number {
  const sum = a + b;
  return sum > 0xffffffff ? sum - 0xffffffff : sum;
}

// ASCII punctuation between the digits and letters that the encoding avoids.
const EXCLUDED: readonly number[] = [
  0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x40, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60,
];

/**
 * Encode a 32-bit sum as the 16-character CHECKSUM string (complemented, as the convention
 * requires, so that the HDU including this value sums to all ones).
 */
export function encodeChecksum(sum: number): string {
  const value = ~sum >>> 0;
  const ascii = new Array<number>(16).fill(0);
  for (let i = 0; i < 4; i++) {
    const byte = (value >>> (24 - 8 * i)) & 0xff;
    const quotient = (byte >> 2) + 0x30;
    const remainder = byte & 3;
    const ch = [quotient + remainder, quotient, quotient, quotient];
    // Move pairs away from punctuation, keeping each pair's sum (and so the total) unchanged.
    for (let changed = true; changed; ) {
      changed = false;
      for (const excluded of EXCLUDED) {
        for (let j = 0; j < 4; j += 2) {
          if (ch[j] === excluded || ch[j + 1] === excluded) {
            ch[j] = ch[j]! + 1;
            ch[j + 1] = ch[j + 1]! - 1;
            changed = true;
          }
        }
      }
    }
    for (let j = 0; j < 4; j++) ascii[4 * j + i] = ch[j]!;
  }
  // Rotate right by one byte: the 16 characters start on a word boundary minus one in the card.
  const rotated = [ascii[15]!, ...ascii.slice(0, 15)];
  return String.fromCharCode(...rotated);
}
