/**
 * Native MaxPool, MaxPoolGrad (float32 NHWC) and the unary Relu, Step, LeakyRelu, Sqrt, Square;
 * other cases use the stock kernels.
 */
import * as tf from '@tensorflow/tfjs';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { NativeAddon } from './addon.js';
import { cpuKernel, floatValues, type KernelArgs, sizeOf } from './common.js';

type Shape4 = [number, number, number, number];

interface PoolAttrs {
  readonly filterSize: number | [number, number];
  readonly strides: number | [number, number];
  readonly pad: Parameters<typeof tf.backend_util.computePool2DInfo>[4];
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function poolGeometry(shape: readonly number[], a: PoolAttrs): { geom: number[]; outShape: number[] } {
  const info = tf.backend_util.computePool2DInfo(
    shape as Shape4,
    a.filterSize,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  );
  const geom = [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.filterHeight,
    info.filterWidth,
    info.outHeight,
    info.outWidth,
    info.strideHeight,
    info.strideWidth,
    info.padInfo.top,
    info.padInfo.left,
  ];
  return { geom, outShape: [info.batchSize, info.outHeight, info.outWidth, info.outChannels] };
}

/** Kernel configs (without backend name) for pooling and the ReLU family. */
export function poolKernels(addon: NativeAddon): { kernelName: string; kernelFunc: tf.KernelFunc }[] {
  const stockPool = cpuKernel('MaxPool');
  const stockGrad = cpuKernel('MaxPoolGrad');
  const stockRelu = cpuKernel('Relu');
  const stockStep = cpuKernel('Step');
  const stockLeaky = cpuKernel('LeakyRelu');
  const stockSqrt = cpuKernel('Sqrt');
  const stockSquare = cpuKernel('Square');
  const unary = (stock: tf.KernelFunc, op: number) => (args: KernelArgs) => {
    const backend = args.backend as MathBackendCPU;
    const { x } = args.inputs as { x: tf.TensorInfo };
    const xv = floatValues(backend, x);
    if (!xv) return stock(args);
    const y = new Float32Array(xv.length);
    addon.unary(xv, y, op, (args.attrs as { alpha?: number } | undefined)?.alpha ?? 0);
    return backend.makeTensorInfo([...x.shape], 'float32', y);
  };
  return [
    {
      kernelName: 'MaxPool',
      kernelFunc: (args: KernelArgs) => {
        const backend = args.backend as MathBackendCPU;
        const { x } = args.inputs as { x: tf.TensorInfo };
        const xv = floatValues(backend, x);
        if (!xv || x.shape.length !== 4) return stockPool(args);
        const { geom, outShape } = poolGeometry(x.shape, args.attrs as unknown as PoolAttrs);
        const y = new Float32Array(sizeOf(outShape));
        addon.maxPool(xv, y, geom);
        return backend.makeTensorInfo(outShape, 'float32', y);
      },
    },
    {
      kernelName: 'MaxPoolGrad',
      kernelFunc: (args: KernelArgs) => {
        const backend = args.backend as MathBackendCPU;
        const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
        const xv = floatValues(backend, input);
        const dyv = floatValues(backend, dy);
        if (!xv || !dyv || input.shape.length !== 4) return stockGrad(args);
        const { geom } = poolGeometry(input.shape, args.attrs as unknown as PoolAttrs);
        const dx = new Float32Array(xv.length);
        addon.maxPoolGrad(xv, dyv, dx, geom);
        return backend.makeTensorInfo([...input.shape], 'float32', dx);
      },
    },
    { kernelName: 'Relu', kernelFunc: unary(stockRelu, 0) },
    { kernelName: 'Step', kernelFunc: unary(stockStep, 1) },
    { kernelName: 'LeakyRelu', kernelFunc: unary(stockLeaky, 2) },
    { kernelName: 'Sqrt', kernelFunc: unary(stockSqrt, 3) },
    { kernelName: 'Square', kernelFunc: unary(stockSquare, 4) },
  ];
}
