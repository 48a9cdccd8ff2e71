/**
 * Shared plumbing for the native kernels: reading a tensor's Float32Array from the CPU backend,
 * making an output tensor, and deferring to the stock `cpu` kernel for cases we do not handle.
 */
import * as tf from '@tensorflow/tfjs';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';

/** Arguments tfjs passes to a kernel function. */
export type KernelArgs = Parameters<tf.KernelFunc>[0];

/** The float32 values of a tensor held by the CPU backend, or undefined if it is not float32. */
export function floatValues(backend: MathBackendCPU, t: tf.TensorInfo): Float32Array | undefined {
  if (t.dtype !== 'float32') return undefined;
  const values = backend.data.get(t.dataId).values;
  return values instanceof Float32Array ? values : undefined;
}

/** The stock `cpu` kernel of a name: the fallback for inputs the native kernel does not cover. */
export function cpuKernel(name: string): tf.KernelFunc {
  const config = tf.getKernel(name, 'cpu');
  if (!config) throw new Error(`tfjs cpu backend has no kernel ${name}; cannot build the native backend`);
  return config.kernelFunc;
}

/** Activation names of tfjs fused kernels → the addon's activation codes. */
export const ACTIVATION_CODES: Readonly<Record<string, number>> = {
  linear: 0,
  relu: 1,
  leakyrelu: 2,
  sigmoid: 3,
  relu6: 4,
  elu: 5,
};

/** Product of a shape's entries. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
