/**
 * A seeded, deterministic random number generator for science steps.
 *
 * The generator is xoshiro128** (Blackman & Vigna 2018): 128 bits of state, period 2^128 − 1,
 * 32-bit outputs that pass BigCrush, and only 32-bit integer arithmetic, so it is fast in
 * JavaScript and gives the same stream on every platform. The state is filled from the seed by
 * splitmix32, which spreads nearby seeds (0, 1, 2, ...) over unrelated states.
 *
 * Normal deviates use the Box–Muller transform (Box & Muller 1958) and keep the second deviate
 * of each pair, so a stream of `normal()` calls costs one `log`, one `sqrt` and one `sin`/`cos`
 * pair per two values.
 *
 * @example
 * const rng = new Random(ctx.seed);
 * const z = rng.normalArray(100);          // z ~ N(0, I)
 * const sub = rng.fork('noise');           // an independent stream for one purpose
 */

/** One step of splitmix32: returns the next state and its mixed output. */
function splitmix32(state: number): [next: number, out: number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [next, z >>> 0];
}

/** FNV-1a hash of a string to 32 bits: used to derive labelled sub-streams. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A deterministic pseudo-random stream seeded by a 32-bit unsigned integer. */
export class Random {
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;
  #spareNormal: number | undefined;
  readonly seed: number;

  /**
   * @param seed any integer; it is reduced to 32 bits (`seed >>> 0`). The same seed always
   *   yields the same stream.
   */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) {
      throw new RangeError(`Expected \`seed\` to be a finite integer, got \`${seed}\``);
    }
    this.seed = Math.trunc(seed) >>> 0;
    let state = this.seed;
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [next, out] = splitmix32(state);
      state = next;
      words.push(out);
    }
    [this.#s0, this.#s1, this.#s2, this.#s3] = words as [number, number, number, number];
    // An all-zero state would be a fixed point of xoshiro; splitmix32 never yields four zeros,
    // but guard anyway so the invariant is local.
    if ((this.#s0 | this.#s1 | this.#s2 | this.#s3) === 0) this.#s0 = 1;
  }

  /** The next 32-bit unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.#s1, 5), 7), 9) >>> 0;
    const t = this.#s1 << 9;
    this.#s2 ^= this.#s0;
    this.#s3 ^= this.#s1;
    this.#s1 ^= this.#s2;
    this.#s0 ^= this.#s3;
    this.#s2 ^= t;
    this.#s3 = rotl(this.#s3, 11);
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform double in [low, high). */
  uniformIn(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** A uniform integer in [0, n) without modulo bias. */
  integer(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 2 ** 32) {
      throw new RangeError(`Expected \`n\` to be an integer from 1 to 2^32, got \`${n}\``);
    }
    // Rejection sampling on the top of the 32-bit range keeps every value equally likely.
    const limit = 2 ** 32 - (2 ** 32 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /** A standard normal deviate N(0, 1) (Box–Muller). */
  normal(): number {
    const spare = this.#spareNormal;
    if (spare !== undefined) {
      this.#spareNormal = undefined;
      return spare;
    }
    // 1 − U lies in (0, 1], so the logarithm is finite.
    const u1 = 1 - this.uniform();
    const u2 = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u1));
    const angle = 2 * Math.PI * u2;
    this.#spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /** `n` standard normal deviates as a Float64Array. */
  normalArray(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.normal();
    return out;
  }

  /** A Poisson deviate with mean `lambda` (Knuth's method below 30, normal approximation above). */
  poisson(lambda: number): number {
    if (!(lambda >= 0)) throw new RangeError(`Expected \`lambda\` ≥ 0, got \`${lambda}\``);
    if (lambda >= 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.uniform();
    while (p > limit) {
      k++;
      p *= this.uniform();
    }
    return k;
  }

  /** Shuffle an array in place (Fisher–Yates) and return it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.integer(i + 1);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /** A random permutation of 0..n−1. */
  permutation(n: number): number[] {
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }

  /**
   * An independent stream derived from this generator's seed and a label, without advancing
   * this stream: `new Random(7).fork('noise')` is the same stream however many values the parent
   * has drawn, so adding a draw in one part of a step does not shift the numbers in another.
   */
  fork(label: string): Random {
    return new Random(deriveSeed(this.seed, label));
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A 32-bit seed derived from a parent seed and a label (e.g. `'split'`, `'epoch-3'`). */
export function deriveSeed(seed: number, label: string): number {
  const [, out] = splitmix32((seed >>> 0) ^ hashLabel(label));
  return out;
}
