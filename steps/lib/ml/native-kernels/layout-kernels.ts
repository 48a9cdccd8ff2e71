/**
 * Slice and PadV2 as block copies. The stock cpu kernels address every element through
 * `indexToLoc`, which made the GAN's crop and pad (and their gradients) the slowest ops of a
 * training step; here the innermost dimensions that are copied whole merge into one run.
 */
import * as tf from '@tensorflow/tfjs';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { cpuKernel, type KernelArgs, sizeOf } from './common.js';

type NumericArray = Float32Array | Int32Array | Uint8Array;

function numericValues(backend: MathBackendCPU, t: tf.TensorInfo): NumericArray | undefined {
  if (t.dtype === 'string' || t.dtype === 'complex64') return undefined;
  const v = backend.data.get(t.dataId).values;
  return v instanceof Float32Array || v instanceof Int32Array || v instanceof Uint8Array ? v : undefined;
}

function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = (s[i + 1] as number) * (shape[i + 1] as number);
  return s;
}

/**
 * Copy a box of `box` elements starting at `srcBegin` in `src` (shape srcShape) to `dstBegin`
 * in `dst` (shape dstShape), as runs over the innermost dimension that is not copied whole.
 */
function copyBox(
  src: NumericArray,
  srcShape: readonly number[],
  srcBegin: readonly number[],
  dst: NumericArray,
  dstShape: readonly number[],
  dstBegin: readonly number[],
  box: readonly number[],
): void {
  const rank = box.length;
  if (sizeOf(box) === 0) return;
  let d = rank - 1;
  while (d > 0 && box[d] === srcShape[d] && box[d] === dstShape[d]) d--;
  const ss = strides(srcShape);
  const ds = strides(dstShape);
  const run = (box[d] as number) * (ss[d] as number);
  const idx = new Array<number>(d).fill(0);
  for (;;) {
    let so = (srcBegin[d] as number) * (ss[d] as number);
    let doff = (dstBegin[d] as number) * (ds[d] as number);
    for (let i = 0; i < d; i++) {
      so += ((srcBegin[i] as number) + (idx[i] as number)) * (ss[i] as number);
      doff += ((dstBegin[i] as number) + (idx[i] as number)) * (ds[i] as number);
    }
    dst.set(src.subarray(so, so + run), doff);
    let i = d - 1;
    while (i >= 0) {
      idx[i] = (idx[i] as number) + 1;
      if ((idx[i] as number) < (box[i] as number)) break;
      idx[i] = 0;
      i--;
    }
    if (i < 0) break;
  }
}

function allocLike(values: NumericArray, n: number): NumericArray {
  if (values instanceof Float32Array) return new Float32Array(n);
  if (values instanceof Int32Array) return new Int32Array(n);
  return new Uint8Array(n);
}

/** Kernel configs (without backend name) for Slice, SplitV, Concat and PadV2. */
export function layoutKernels(): { kernelName: string; kernelFunc: tf.KernelFunc }[] {
  const stockSlice = cpuKernel('Slice');
  const stockSplit = cpuKernel('SplitV');
  const stockPad = cpuKernel('PadV2');
  const stockConcat = cpuKernel('Concat');
  return [
    {
      // The U-Net's skip connections: one block copy per input.
      kernelName: 'Concat',
      kernelFunc: (args: KernelArgs) => {
        const backend = args.backend as MathBackendCPU;
        const inputs = args.inputs as unknown as tf.TensorInfo[];
        const { axis } = args.attrs as unknown as { axis: number };
        const first = inputs[0];
        if (!first || first.shape.length === 0) return stockConcat(args);
        const values = inputs.map((t) => (t.dtype === first.dtype ? numericValues(backend, t) : undefined));
        if (values.some((v) => v === undefined)) return stockConcat(args);
        const ax = tf.util.parseAxisParam(axis, first.shape)[0] as number;
        const outShape = tf.backend_util.computeOutShape(
          inputs.map((t) => [...t.shape]),
          ax,
        );
        const out = allocLike(values[0] as NumericArray, sizeOf(outShape));
        const zeros = new Array<number>(outShape.length).fill(0);
        const begin = new Array<number>(outShape.length).fill(0);
        inputs.forEach((t, i) => {
          copyBox(values[i] as NumericArray, t.shape, zeros, out, outShape, begin, t.shape);
          begin[ax] = (begin[ax] as number) + (t.shape[ax] as number);
        });
        return backend.makeTensorInfo(outShape, first.dtype, out);
      },
    },
    {
      // The gradient of concatenation: one block copy per part.
      kernelName: 'SplitV',
      kernelFunc: (args: KernelArgs) => {
        const backend = args.backend as MathBackendCPU;
        const { x } = args.inputs as { x: tf.TensorInfo };
        const { numOrSizeSplits, axis } = args.attrs as unknown as {
          numOrSizeSplits: number | number[];
          axis: number;
        };
        const values = numericValues(backend, x);
        if (!values || x.shape.length === 0) return stockSplit(args);
        const ax = tf.util.parseAxisParam(axis, x.shape)[0] as number;
        const sizes = tf.backend_util.prepareSplitSize(x as unknown as tf.Tensor, numOrSizeSplits, ax);
        const begin = new Array<number>(x.shape.length).fill(0);
        const zeros = new Array<number>(x.shape.length).fill(0);
        return sizes.map((s) => {
          const shape = [...x.shape];
          shape[ax] = s;
          const out = allocLike(values, sizeOf(shape));
          copyBox(values, x.shape, begin, out, shape, zeros, shape);
          begin[ax] = (begin[ax] as number) + s;
          return backend.makeTensorInfo(shape, x.dtype, out);
        });
      },
    },
    {
      kernelName: 'Slice',
      kernelFunc: (args: KernelArgs) => {
        const backend = args.backend as MathBackendCPU;
        const { x } = args.inputs as { x: tf.TensorInfo };
        const { begin, size } = args.attrs as unknown as {
          begin: number | number[];
          size?: number | number[];
        };
        const values = numericValues(backend, x);
        if (!values || x.shape.length === 0) return stockSlice(args);
        const [b, s] = tf.slice_util.parseSliceParams(x as unknown as tf.Tensor, begin, size) as [
          number[],
          number[],
        ];
        tf.slice_util.assertParamsValid(x as unknown as tf.Tensor, b, s);
        const out = allocLike(values, sizeOf(s));
        copyBox(values, x.shape, b, out, s, new Array<number>(s.length).fill(0), s);
        return backend.makeTensorInfo(s, x.dtype, out);
      },
    },
    {
      kernelName: 'PadV2',
      kernelFunc: (args: KernelArgs) => {
        const backend = args.backend as MathBackendCPU;
        const { x } = args.inputs as { x: tf.TensorInfo };
        const { paddings, constantValue } = args.attrs as unknown as {
          paddings: [number, number][];
          constantValue: number;
        };
        const values = numericValues(backend, x);
        if (!values || x.shape.length === 0) return stockPad(args);
        const outShape = x.shape.map((d, i) => (paddings[i]?.[0] ?? 0) + d + (paddings[i]?.[1] ?? 0));
        const out = allocLike(values, sizeOf(outShape));
        if (constantValue !== 0) out.fill(constantValue);
        copyBox(
          values,
          x.shape,
          new Array<number>(x.shape.length).fill(0),
          out,
          outShape,
          paddings.map((p) => p[0]),
          x.shape,
        );
        return backend.makeTensorInfo(outShape, x.dtype, out);
      },
    },
  ];
}
