/**
 * Native Conv2D, FusedConv2D, Conv2DBackpropInput (also conv2dTranspose) and
 * Conv2DBackpropFilter for NHWC float32 tensors; anything else goes to the stock cpu kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { NativeAddon } from './addon.js';
import { ACTIVATION_CODES, cpuKernel, floatValues, type KernelArgs, sizeOf } from './common.js';

type Shape4 = [number, number, number, number];
type Pad = Parameters<typeof tf.backend_util.computeConv2DInfo>[4];
type Rounding = 'floor' | 'round' | 'ceil' | undefined;

interface ConvAttrs {
  readonly strides: number | [number, number];
  readonly pad: Pad;
  readonly dataFormat?: 'NHWC' | 'NCHW';
  readonly dilations?: number | [number, number];
  readonly dimRoundingMode?: Rounding;
}

/** [n,h,w,cin, kh,kw,cout, oh,ow, sh,sw, padTop,padLeft, dh,dw] for the addon. */
function geometry(info: tf.backend_util.Conv2DInfo): number[] {
  return [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.filterHeight,
    info.filterWidth,
    info.outChannels,
    info.outHeight,
    info.outWidth,
    info.strideHeight,
    info.strideWidth,
    info.padInfo.top,
    info.padInfo.left,
    info.dilationHeight,
    info.dilationWidth,
  ];
}

function convInfo(
  xShape: readonly number[],
  filterShape: readonly number[],
  a: ConvAttrs,
): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    xShape as Shape4,
    filterShape as Shape4,
    a.strides,
    a.dilations ?? 1,
    a.pad,
    a.dimRoundingMode,
    false,
    'channelsLast',
  );
}

/** Kernel configs (without backend name) for the convolution family. */
export function convKernels(addon: NativeAddon): { kernelName: string; kernelFunc: tf.KernelFunc }[] {
  const stockConv = cpuKernel('Conv2D');
  const stockFused = cpuKernel('FusedConv2D');
  const stockInput = cpuKernel('Conv2DBackpropInput');
  const stockFilter = cpuKernel('Conv2DBackpropFilter');

  const conv = (args: KernelArgs, bias: tf.TensorInfo | undefined, activation: string, alpha: number) => {
    const backend = args.backend as MathBackendCPU;
    const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
    const attrs = args.attrs as unknown as ConvAttrs;
    const xv = floatValues(backend, x);
    const fv = floatValues(backend, filter);
    const bv = bias ? floatValues(backend, bias) : undefined;
    const code = ACTIVATION_CODES[activation];
    if (!xv || !fv || (attrs.dataFormat ?? 'NHWC') !== 'NHWC' || x.shape.length !== 4 || code === undefined)
      return undefined;
    if (bias && (!bv || bv.length !== filter.shape[3])) return undefined;
    const info = convInfo(x.shape, filter.shape, attrs);
    const outShape = [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
    const y = new Float32Array(sizeOf(outShape));
    addon.conv2d(xv, fv, y, geometry(info));
    if (bv || code !== 0) addon.biasActivation(y, bv ?? null, info.outChannels, code, alpha);
    return backend.makeTensorInfo(outShape, 'float32', y);
  };

  return [
    {
      kernelName: 'Conv2D',
      kernelFunc: (args) => conv(args, undefined, 'linear', 0) ?? stockConv(args),
    },
    {
      kernelName: 'FusedConv2D',
      kernelFunc: (args) => {
        const { bias, preluActivationWeights } = args.inputs as {
          bias?: tf.TensorInfo;
          preluActivationWeights?: tf.TensorInfo;
        };
        const attrs = args.attrs as { activation?: string; leakyreluAlpha?: number };
        if (preluActivationWeights) return stockFused(args);
        return (
          conv(args, bias, attrs.activation ?? 'linear', attrs.leakyreluAlpha ?? 0.2) ?? stockFused(args)
        );
      },
    },
    {
      kernelName: 'Conv2DBackpropInput',
      kernelFunc: (args) => {
        const backend = args.backend as MathBackendCPU;
        const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
        const attrs = args.attrs as unknown as ConvAttrs & { inputShape: Shape4 };
        const dyv = floatValues(backend, dy);
        const fv = floatValues(backend, filter);
        if (!dyv || !fv || (attrs.dataFormat ?? 'NHWC') !== 'NHWC' || dy.shape.length !== 4)
          return stockInput(args);
        const info = convInfo(attrs.inputShape, filter.shape, { ...attrs, dilations: 1 });
        const dx = new Float32Array(sizeOf(attrs.inputShape));
        addon.conv2dBackpropInput(dyv, fv, dx, geometry(info));
        return backend.makeTensorInfo([...attrs.inputShape], 'float32', dx);
      },
    },
    {
      kernelName: 'Conv2DBackpropFilter',
      kernelFunc: (args) => {
        const backend = args.backend as MathBackendCPU;
        const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
        const attrs = args.attrs as unknown as ConvAttrs & { filterShape: Shape4 };
        const xv = floatValues(backend, x);
        const dyv = floatValues(backend, dy);
        if (!xv || !dyv || (attrs.dataFormat ?? 'NHWC') !== 'NHWC' || x.shape.length !== 4)
          return stockFilter(args);
        const info = convInfo(x.shape, attrs.filterShape, { ...attrs, dilations: 1 });
        const df = new Float32Array(sizeOf(attrs.filterShape));
        addon.conv2dBackpropFilter(xv, dyv, df, geometry(info));
        return backend.makeTensorInfo([...attrs.filterShape], 'float32', df);
      },
    },
  ];
}
