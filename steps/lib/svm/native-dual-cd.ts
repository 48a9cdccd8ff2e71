/**
 * The native dual coordinate descent (`native/src/svm.cc`): the same solver as `dual-cd.ts`,
 * bit for bit, with AVX2 dot products and several label vectors fitted on parallel threads.
 * Absent addon (or one built before the SVM kernel existed): callers use `dual-cd.ts`.
 */
import { loadNativeModule } from '../native/addon.js';
import type { DualCdProblem, DualCdResult } from './dual-cd.js';

type SvmDualCd = (
  data: Float64Array,
  labels: Float64Array,
  settings: Float64Array,
  out: Float64Array,
) => void;

let cached: { readonly fn: SvmDualCd } | { readonly error: string } | undefined;

/** The native solver, or why it is unavailable. */
export function nativeDualCd(): { readonly fn: SvmDualCd } | { readonly error: string } {
  if (cached) return cached;
  const loaded = loadNativeModule();
  if ('error' in loaded) cached = { error: loaded.error };
  else if (typeof loaded.module.svmDualCd !== 'function')
    cached = {
      error: `native addon ${loaded.path} has no svmDualCd (rebuild: \`node scripts/build-native.mjs\`)`,
    };
  else cached = { fn: loaded.module.svmDualCd as SvmDualCd };
  return cached;
}

/**
 * Solve `labels.length` problems that share samples and settings, on up to `threads` threads.
 * Each label vector must hold p.rows values in {−1, +1} (checked by the caller).
 */
export function solveDualCdNative(
  fn: SvmDualCd,
  p: DualCdProblem,
  labels: readonly Float64Array[],
  threads: number,
): DualCdResult[] {
  const { rows: n, columns: d } = p;
  const k = labels.length;
  const stacked = new Float64Array(k * n);
  for (const [f, y] of labels.entries()) stacked.set(y, f * n);
  const settings = Float64Array.of(
    n,
    d,
    k,
    p.upper,
    p.diag,
    p.tol,
    p.maxIter,
    p.biasFeature,
    Math.trunc(p.seed) >>> 0,
    threads,
  );
  const out = new Float64Array(k * (d + 3));
  fn(p.data, stacked, settings, out);
  return labels.map((_, f) => {
    const o = out.subarray(f * (d + 3), (f + 1) * (d + 3));
    return {
      w: o.slice(0, d),
      wB: o[d] as number,
      iterations: o[d + 1] as number,
      converged: o[d + 2] === 1,
    };
  });
}
