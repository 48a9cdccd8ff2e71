/** Native BatchMatMul and _FusedMatMul (float32; equal or broadcast-of-one batch dimensions). */
import type * as tf from '@tensorflow/tfjs';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { NativeAddon } from './addon.js';
import { ACTIVATION_CODES, cpuKernel, floatValues, type KernelArgs, sizeOf } from './common.js';

interface MatMulAttrs {
  readonly transposeA?: boolean;
  readonly transposeB?: boolean;
}

/** Kernel configs (without backend name) for matrix products. */
export function matMulKernels(addon: NativeAddon): { kernelName: string; kernelFunc: tf.KernelFunc }[] {
  const stockBatch = cpuKernel('BatchMatMul');
  const stockFused = cpuKernel('_FusedMatMul');

  const product = (args: KernelArgs, bias: tf.TensorInfo | undefined, activation: string, alpha: number) => {
    const backend = args.backend as MathBackendCPU;
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA = false, transposeB = false } = args.attrs as MatMulAttrs;
    const av = floatValues(backend, a);
    const bv = floatValues(backend, b);
    const code = ACTIVATION_CODES[activation];
    if (!av || !bv || code === undefined || a.shape.length < 2 || b.shape.length < 2) return undefined;
    const ra = a.shape.length;
    const rb = b.shape.length;
    const m = transposeA ? (a.shape[ra - 1] as number) : (a.shape[ra - 2] as number);
    const k = transposeA ? (a.shape[ra - 2] as number) : (a.shape[ra - 1] as number);
    const kb = transposeB ? (b.shape[rb - 1] as number) : (b.shape[rb - 2] as number);
    const n = transposeB ? (b.shape[rb - 2] as number) : (b.shape[rb - 1] as number);
    if (k !== kb) return undefined;
    const outerA = a.shape.slice(0, -2);
    const outerB = b.shape.slice(0, -2);
    const batchA = sizeOf(outerA);
    const batchB = sizeOf(outerB);
    let outer: number[];
    if (batchA === batchB && outerA.length === outerB.length && outerA.every((d, i) => d === outerB[i]))
      outer = outerA;
    else if (batchA === 1 && outerA.length <= outerB.length) outer = outerB;
    else if (batchB === 1 && outerB.length <= outerA.length) outer = outerA;
    else return undefined;
    const bvBias = bias ? floatValues(backend, bias) : undefined;
    if (bias && (!bvBias || bvBias.length !== n)) return undefined;
    const shape = [...outer, m, n];
    const c = new Float32Array(sizeOf(shape));
    addon.matMul(av, bv, c, [batchA, batchB, m, n, k, transposeA ? 1 : 0, transposeB ? 1 : 0]);
    if (bvBias || code !== 0) addon.biasActivation(c, bvBias ?? null, n, code, alpha);
    return backend.makeTensorInfo(shape, 'float32', c);
  };

  return [
    {
      kernelName: 'BatchMatMul',
      kernelFunc: (args) => product(args, undefined, 'linear', 0) ?? stockBatch(args),
    },
    {
      kernelName: '_FusedMatMul',
      kernelFunc: (args) => {
        const { bias, preluActivationWeights } = args.inputs as {
          bias?: tf.TensorInfo;
          preluActivationWeights?: tf.TensorInfo;
        };
        const attrs = args.attrs as { activation?: string; leakyreluAlpha?: number };
        if (preluActivationWeights) return stockFused(args);
        return (
          product(args, bias, attrs.activation ?? 'linear', attrs.leakyreluAlpha ?? 0.2) ?? stockFused(args)
        );
      },
    },
  ];
}
