/**
 * Loading the native addon (`native/`, built by `scripts/build-native.mjs` during `npm ci`).
 * A missing or unloadable addon is not an error here: the caller falls back to another backend
 * and reports why.
 */
import { loadNativeModule } from '../../native/addon.js';

/** The functions the addon exports; every buffer is a caller-allocated Float32Array. */
export interface NativeAddon {
  /** y = conv(x, filter); geom = [n,h,w,cin, kh,kw,cout, oh,ow, sh,sw, padTop,padLeft, dh,dw]. */
  conv2d(x: Float32Array, filter: Float32Array, y: Float32Array, geom: readonly number[]): void;
  /** dx from dy and the filter (also the transposed convolution). */
  conv2dBackpropInput(
    dy: Float32Array,
    filter: Float32Array,
    dx: Float32Array,
    geom: readonly number[],
  ): void;
  /** dfilter from x and dy. */
  conv2dBackpropFilter(
    x: Float32Array,
    dy: Float32Array,
    dfilter: Float32Array,
    geom: readonly number[],
  ): void;
  /** c = op(a) · op(b) per batch; dims = [batchA, batchB, m, n, k, transA, transB]. */
  matMul(a: Float32Array, b: Float32Array, c: Float32Array, dims: readonly number[]): void;
  /** In place: y = act(y + bias) over rows of `cols`; act 0 linear, 1 relu, 2 leaky, 3 sigmoid, 4 relu6, 5 elu. */
  biasActivation(y: Float32Array, bias: Float32Array | null, cols: number, act: number, alpha: number): void;
  /**
   * out[i] = op(big[i], small[i mod p]) (or op(small…, big…) when bigIsA is 0); dims =
   * [op, n, p, bigIsA]; op codes in elementwise-kernels.ts; out is a Uint8Array for comparisons.
   */
  binary(
    big: Float32Array,
    small: Float32Array,
    out: Float32Array | Uint8Array,
    dims: readonly number[],
  ): void;
  /** out[i] = condition[i] ? t[i] : e[i]. */
  select(condition: Uint8Array, t: Float32Array, e: Float32Array, out: Float32Array): void;
  /** Max pooling NHWC; geom = [n,h,w,c, kh,kw, oh,ow, sh,sw, padTop,padLeft]. */
  maxPool(x: Float32Array, y: Float32Array, geom: readonly number[]): void;
  /** Gradient of max pooling (ties: first maximum in scan order). */
  maxPoolGrad(x: Float32Array, dy: Float32Array, dx: Float32Array, geom: readonly number[]): void;
  /** y = op(x): 0 relu, 1 step (x > 0 ? 1 : alpha), 2 leaky relu, 3 sqrt, 4 square. */
  unary(x: Float32Array, y: Float32Array, op: number, alpha: number): void;
  /** out[j] = Σ_r x[r·cols + j] in float64, r ascending; dims = [rows, cols]. */
  sumLeading(x: Float32Array, out: Float32Array, dims: readonly number[]): void;
  /** Size of the thread pool (including the calling thread). */
  setThreads(n: number): void;
  /** Thread count and the micro-kernel family in use. */
  info(): { threads: number; simd: string };
}

/** The addon, or why it is unavailable. */
export type AddonResult = { readonly addon: NativeAddon; readonly path: string } | { readonly error: string };

let cached: AddonResult | undefined;

/** Load the addon once (through the shared loader in steps/lib/native); later calls return the same result. */
export function loadNativeAddon(): AddonResult {
  if (cached) return cached;
  const loaded = loadNativeModule();
  cached =
    'error' in loaded
      ? { error: loaded.error }
      : { addon: loaded.module as unknown as NativeAddon, path: loaded.path };
  return cached;
}
