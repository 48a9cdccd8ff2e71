/**
 * One-dimensional FFT plans of any length.
 *
 * A length factors into radices 4, 2, 3, 5 and small odd primes (up to {@link MAX_DIRECT_PRIME}),
 * each done by a Stockham pass (see fft-kernels.ts). A length with a larger prime factor is done
 * by Bluestein's chirp-z algorithm: X_k = w_k Σ_j (x_j w_j) conj(w_{k-j}) with w_k = exp(-iπk²/n),
 * a convolution evaluated with a power-of-two FFT of length ≥ 2n - 1.
 *
 * Plans (twiddles, scratch buffers) are built once per length and cached, so repeated transforms of
 * one size allocate nothing. Transforms are unnormalised in both directions, like FFTW; the 2-D
 * functions in fft.ts apply numpy's 1/n on the inverse.
 */
import {
  type PassTwiddles,
  pass2,
  pass3,
  pass4,
  pass5,
  pass8,
  passGeneric,
  passTwiddles,
} from './fft-kernels.js';
import { pass4Final, pass8Final } from './fft-kernels-final.js';

/** Largest prime factor handled by a direct radix pass; larger ones go through Bluestein. */
export const MAX_DIRECT_PRIME = 13;

interface Pass {
  readonly radix: number;
  /** Stride: product of the radices of the earlier passes. */
  readonly s: number;
  /** Number of butterflies per stride: n / (s · radix). */
  readonly m: number;
  readonly twiddles: PassTwiddles;
  readonly rootRe: Float64Array;
  readonly rootIm: Float64Array;
}

/**
 * Split n into radices: the power of two into 8s with at most two 4s (never a lone 2 unless n has
 * a single factor 2), ordered 2, 4, then 8s, then 3, 5 and other primes in increasing order. Fewer,
 * larger passes mean fewer sweeps over memory.
 */
export function factorize(n: number): number[] {
  const factors: number[] = [];
  let rest = n;
  let twos = 0;
  while (rest % 2 === 0) {
    twos++;
    rest /= 2;
  }
  // 2^twos = 8^a · r with r ∈ {1, 2, 4}; turn 8·2 into 4·4.
  let eights = Math.floor(twos / 3);
  const remainder = twos % 3;
  const fours = remainder === 2 ? 1 : remainder === 1 && eights > 0 ? 2 : 0;
  if (remainder === 1 && eights > 0) eights--;
  // Small radices first: the first pass (stride 1) reloads twiddles for every butterfly, which costs
  // least for radix 4, and the last pass (all twiddles 1) is then a twiddle-free radix 8.
  if (remainder === 1 && fours === 0) factors.push(2);
  for (let i = 0; i < fours; i++) factors.push(4);
  for (let i = 0; i < eights; i++) factors.push(8);
  for (let p = 3; p * p <= rest; p += 2) {
    while (rest % p === 0) {
      factors.push(p);
      rest /= p;
    }
  }
  if (rest > 1) factors.push(rest);
  return factors;
}

/** A reusable transform of one length. Not reentrant: it owns its scratch buffers. */
export class FftPlan {
  readonly n: number;
  readonly #passes: Pass[] = [];
  #workRe: Float64Array;
  #workIm: Float64Array;
  readonly #genericScratch: Float64Array;
  readonly #bluestein: Bluestein | undefined;

  constructor(n: number) {
    if (!Number.isInteger(n) || n < 1) {
      throw new RangeError(`FFT length must be a positive integer, got ${n}`);
    }
    this.n = n;
    const factors = factorize(n);
    const largest = factors.length === 0 ? 1 : Math.max(...factors);
    if (largest > MAX_DIRECT_PRIME) {
      this.#bluestein = new Bluestein(n);
      this.#workRe = new Float64Array(0);
      this.#workIm = new Float64Array(0);
      this.#genericScratch = new Float64Array(0);
      return;
    }
    this.#bluestein = undefined;
    this.#workRe = new Float64Array(n);
    this.#workIm = new Float64Array(n);
    this.#genericScratch = new Float64Array(2 * largest);
    let s = 1;
    for (const radix of factors) {
      const m = n / (s * radix);
      const rootRe = new Float64Array(radix);
      const rootIm = new Float64Array(radix);
      for (let k = 0; k < radix; k++) {
        rootRe[k] = Math.cos((-2 * Math.PI * k) / radix);
        rootIm[k] = Math.sin((-2 * Math.PI * k) / radix);
      }
      this.#passes.push({ radix, s, m, twiddles: passTwiddles(radix, m), rootRe, rootIm });
      s *= radix;
    }
  }

  /**
   * Transform `re`, `im` (each of length ≥ n; the first n values are used) in place:
   * X_k = Σ_j x_j exp(∓2πi jk/n), minus sign when `inverse` is false. Unnormalised.
   */
  transform(re: Float64Array, im: Float64Array, inverse: boolean): void {
    if (this.#bluestein !== undefined) {
      this.#bluestein.transform(re, im, inverse);
      return;
    }
    this.#run(re, im, inverse, 1);
  }

  /**
   * Transform `batch` interleaved sequences in place: sequence b is `re[k·batch + b]`, k < n
   * (a block of image columns gathered row by row). The Stockham passes simply start at stride
   * `batch`, so the innermost loop runs over contiguous memory.
   */
  transformBatch(re: Float64Array, im: Float64Array, batch: number, inverse: boolean): void {
    if (this.#bluestein !== undefined) {
      const n = this.n;
      const colRe = new Float64Array(n);
      const colIm = new Float64Array(n);
      for (let b = 0; b < batch; b++) {
        for (let k = 0; k < n; k++) {
          colRe[k] = re[k * batch + b]!;
          colIm[k] = im[k * batch + b]!;
        }
        this.#bluestein.transform(colRe, colIm, inverse);
        for (let k = 0; k < n; k++) {
          re[k * batch + b] = colRe[k]!;
          im[k * batch + b] = colIm[k]!;
        }
      }
      return;
    }
    this.#run(re, im, inverse, batch);
  }

  #run(re: Float64Array, im: Float64Array, inverse: boolean, batch: number): void {
    const size = this.n * batch;
    if (this.#workRe.length < size) {
      this.#workRe = new Float64Array(size);
      this.#workIm = new Float64Array(size);
    }
    // The kernels are forward-only; the inverse is swap ∘ forward ∘ swap with swap(a + ib) = b + ia,
    // done by exchanging the roles of the real and imaginary arrays (no data moves).
    const outRe = inverse ? im : re;
    const outIm = inverse ? re : im;
    let xr = outRe;
    let xi = outIm;
    let yr = inverse ? this.#workIm : this.#workRe;
    let yi = inverse ? this.#workRe : this.#workIm;
    for (const pass of this.#passes) {
      const { m, twiddles } = pass;
      const s = pass.s * batch;
      switch (pass.radix) {
        case 8:
          if (m === 1) pass8Final(xr, xi, yr, yi, s);
          else pass8(xr, xi, yr, yi, s, m, twiddles);
          break;
        case 4:
          if (m === 1) pass4Final(xr, xi, yr, yi, s);
          else pass4(xr, xi, yr, yi, s, m, twiddles);
          break;
        case 2:
          pass2(xr, xi, yr, yi, s, m, twiddles);
          break;
        case 3:
          pass3(xr, xi, yr, yi, s, m, twiddles);
          break;
        case 5:
          pass5(xr, xi, yr, yi, s, m, twiddles);
          break;
        default:
          passGeneric(
            xr,
            xi,
            yr,
            yi,
            s,
            m,
            pass.radix,
            twiddles,
            pass.rootRe,
            pass.rootIm,
            this.#genericScratch,
          );
      }
      const tr = xr;
      const ti = xi;
      xr = yr;
      xi = yi;
      yr = tr;
      yi = ti;
    }
    if (xr !== outRe) {
      outRe.set(xr.subarray(0, size));
      outIm.set(xi.subarray(0, size));
    }
  }
}

/** Bluestein's algorithm for lengths with a large prime factor. */
class Bluestein {
  readonly #n: number;
  readonly #inner: FftPlan;
  /** Chirp w_k = exp(-iπ k²/n), k < n. */
  readonly #chirpRe: Float64Array;
  readonly #chirpIm: Float64Array;
  /** FFT of the conjugate chirp laid out circularly over the inner length. */
  readonly #kernelRe: Float64Array;
  readonly #kernelIm: Float64Array;
  readonly #bufRe: Float64Array;
  readonly #bufIm: Float64Array;

  constructor(n: number) {
    this.#n = n;
    let size = 1;
    while (size < 2 * n - 1) size *= 2;
    this.#inner = getFftPlan(size);
    this.#chirpRe = new Float64Array(n);
    this.#chirpIm = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      // k² mod 2n keeps the angle small, so the chirp stays accurate for large n.
      const k2 = (k * k) % (2 * n);
      const angle = (-Math.PI * k2) / n;
      this.#chirpRe[k] = Math.cos(angle);
      this.#chirpIm[k] = Math.sin(angle);
    }
    this.#kernelRe = new Float64Array(size);
    this.#kernelIm = new Float64Array(size);
    this.#kernelRe[0] = 1;
    for (let k = 1; k < n; k++) {
      const cr = this.#chirpRe[k]!;
      const ci = -this.#chirpIm[k]!;
      this.#kernelRe[k] = cr;
      this.#kernelIm[k] = ci;
      this.#kernelRe[size - k] = cr;
      this.#kernelIm[size - k] = ci;
    }
    this.#inner.transform(this.#kernelRe, this.#kernelIm, false);
    this.#bufRe = new Float64Array(size);
    this.#bufIm = new Float64Array(size);
  }

  transform(re: Float64Array, im: Float64Array, inverse: boolean): void {
    const n = this.#n;
    const size = this.#bufRe.length;
    const br = this.#bufRe;
    const bi = this.#bufIm;
    const cr = this.#chirpRe;
    const ci = this.#chirpIm;
    // The inverse is conj(forward(conj(x))): fold the conjugations into the loads and stores.
    const conj = inverse ? -1 : 1;
    for (let k = 0; k < n; k++) {
      const xr = re[k]!;
      const xi = conj * im[k]!;
      br[k] = xr * cr[k]! - xi * ci[k]!;
      bi[k] = xr * ci[k]! + xi * cr[k]!;
    }
    br.fill(0, n);
    bi.fill(0, n);
    this.#inner.transform(br, bi, false);
    const kr = this.#kernelRe;
    const ki = this.#kernelIm;
    for (let k = 0; k < size; k++) {
      const ar = br[k]!;
      const ai = bi[k]!;
      br[k] = ar * kr[k]! - ai * ki[k]!;
      bi[k] = ar * ki[k]! + ai * kr[k]!;
    }
    this.#inner.transform(br, bi, true);
    const scale = 1 / size;
    for (let k = 0; k < n; k++) {
      const ar = br[k]! * scale;
      const ai = bi[k]! * scale;
      re[k] = ar * cr[k]! - ai * ci[k]!;
      im[k] = conj * (ar * ci[k]! + ai * cr[k]!);
    }
  }
}

const planCache = new Map<number, FftPlan>();

/** The cached plan for length n (built on first use). */
export function getFftPlan(n: number): FftPlan {
  let plan = planCache.get(n);
  if (plan === undefined) {
    plan = new FftPlan(n);
    planCache.set(n, plan);
  }
  return plan;
}

/** The smallest m ≥ n whose prime factors are all 2, 3 or 5 (a fast FFT length, like scipy's next_fast_len). */
export function nextFastLength(n: number): number {
  if (n <= 1) return 1;
  let best = Number.POSITIVE_INFINITY;
  for (let p5 = 1; p5 < 2 * n; p5 *= 5) {
    for (let p35 = p5; p35 < 2 * n; p35 *= 3) {
      let m = p35;
      while (m < n) m *= 2;
      if (m < best) best = m;
    }
  }
  return best;
}
