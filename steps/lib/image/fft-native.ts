/**
 * The native 2-D FFT (native/src/fft*.cc in the N-API addon): AVX2+FMA kernels that transform four
 * adjacent columns (or rows) per instruction, with a portable build for other CPUs. fft.ts uses it
 * when the addon is built and falls back to the TypeScript FFT (fft-js.ts) otherwise.
 *
 * `ASTERISM_FFT=js` forces the TypeScript path (for comparisons); `ASTERISM_FFT_SIMD=scalar` makes
 * the addon use its portable kernels even on an AVX2 CPU (read once, when the addon first runs).
 */
import { loadNativeModule } from '../native/addon.js';

/** The addon's FFT entry points (native/src/fft_napi.cc). Arrays are split complex, row-major. */
export interface NativeFft {
  /** `numpy.fft.fft2` (inverse: `ifft2`, scaled by 1/(width·height)); out may be the input arrays. */
  fftComplex2d(
    re: Float64Array,
    im: Float64Array,
    outRe: Float64Array,
    outIm: Float64Array,
    width: number,
    height: number,
    inverse: boolean,
  ): void;
  /** `numpy.fft.rfft2`: out arrays hold height × (⌊width/2⌋ + 1) values. */
  fftReal2d(
    data: Float64Array,
    outRe: Float64Array,
    outIm: Float64Array,
    width: number,
    height: number,
  ): void;
  /**
   * `numpy.fft.irfft2(s=(height, width))`; `width` is the output width. The input is not changed
   * unless `overwriteInput`, which lets the transform use it as scratch.
   */
  fftRealInverse2d(
    re: Float64Array,
    im: Float64Array,
    out: Float64Array,
    width: number,
    height: number,
    overwriteInput?: boolean,
  ): void;
  /** Which kernels run: `avx2-fma` or `scalar`. */
  fftInfo(): { simd: string };
}

let cached: { fft: NativeFft | undefined; why: string } | undefined;

function load(): { fft: NativeFft | undefined; why: string } {
  if (cached) return cached;
  if (process.env.ASTERISM_FFT === 'js') {
    cached = { fft: undefined, why: 'ASTERISM_FFT=js' };
    return cached;
  }
  const loaded = loadNativeModule();
  if ('error' in loaded) {
    cached = { fft: undefined, why: loaded.error };
    return cached;
  }
  const m = loaded.module;
  if (typeof m.fftReal2d !== 'function' || typeof m.fftComplex2d !== 'function') {
    cached = { fft: undefined, why: `native addon ${loaded.path} predates the FFT; rebuild it` };
    return cached;
  }
  const fft = m as unknown as NativeFft;
  cached = { fft, why: `native ${fft.fftInfo().simd}` };
  return cached;
}

/** The native FFT, or undefined when the addon is missing, too old, or `ASTERISM_FFT=js`. */
export function nativeFft(): NativeFft | undefined {
  return load().fft;
}

/** Which FFT runs, for reports and benchmarks: `native avx2-fma`, or `typescript (<why>)`. */
export function fftBackend(): string {
  const { fft, why } = load();
  return fft ? why : `typescript (${why})`;
}
