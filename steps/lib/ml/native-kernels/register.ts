/**
 * The `asterism-cpu` backend: tfjs's own CPU backend (a `MathBackendCPU` instance, every stock
 * kernel) with the hot kernels replaced by the native addon's.
 */
import * as tf from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { loadNativeAddon } from './addon.js';
import { convKernels } from './conv-kernels.js';
import { elementwiseKernels } from './elementwise-kernels.js';
import { layoutKernels } from './layout-kernels.js';
import { matMulKernels } from './matmul-kernels.js';
import { poolKernels } from './pool-kernels.js';

/** Name under which the native backend is registered. */
export const NATIVE_BACKEND = 'asterism-cpu';

/** What registration found. */
export type NativeRegistration =
  | {
      readonly ok: true;
      readonly simd: string;
      readonly addonPath: string;
      readonly kernels: readonly string[];
    }
  | { readonly ok: false; readonly reason: string };

let registered: NativeRegistration | undefined;

/**
 * A tfjs cpu backend without its first-write banner. The banner tells the user to install
 * tfjs-node "to speed things up dramatically", which is wrong advice here: this backend runs our
 * native kernels, and tfjs-node cannot install without network. Our own log line names the backend.
 */
export function quietCpuBackend(): MathBackendCPU {
  const backend = new MathBackendCPU();
  // `firstUse` is private in the typings; it only gates the banner.
  (backend as unknown as { firstUse: boolean }).firstUse = false;
  return backend;
}

/**
 * Register `asterism-cpu` (once per process). Returns why not when the addon is unavailable;
 * the caller then chooses another backend.
 */
export function registerNativeBackend(): NativeRegistration {
  if (registered) return registered;
  const loaded = loadNativeAddon();
  if ('error' in loaded) {
    registered = { ok: false, reason: loaded.error };
    return registered;
  }
  const { addon } = loaded;
  // Priority below `cpu` so tfjs never picks it implicitly; initBackend selects it by name.
  tf.registerBackend(NATIVE_BACKEND, quietCpuBackend, 0);
  const native = [
    ...convKernels(addon),
    ...matMulKernels(addon),
    ...layoutKernels(),
    ...elementwiseKernels(addon),
    ...poolKernels(addon),
  ];
  const replaced = new Set(native.map((k) => k.kernelName));
  for (const config of tf.getKernelsForBackend('cpu')) {
    if (!replaced.has(config.kernelName)) tf.registerKernel({ ...config, backendName: NATIVE_BACKEND });
  }
  for (const k of native) tf.registerKernel({ ...k, backendName: NATIVE_BACKEND });
  registered = { ok: true, simd: addon.info().simd, addonPath: loaded.path, kernels: [...replaced] };
  return registered;
}

/** Set the native thread pool's size (no effect when the addon is not loaded). */
export function setNativeThreads(n: number): number | undefined {
  const loaded = loadNativeAddon();
  if ('error' in loaded) return undefined;
  loaded.addon.setThreads(n);
  return loaded.addon.info().threads;
}
