/**
 * Float32 binary arithmetic and comparisons (native, threaded), Select, and Sum over leading or
 * trailing axes, without the stock kernels' per-element index arithmetic. The
 * broadcast cases covered are the ones training produces: equal shapes, a scalar, and a bias
 * that repeats along the trailing dimensions. Other cases go to the stock kernel.
 */
import type * as tf from '@tensorflow/tfjs';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { NativeAddon } from './addon.js';
import { cpuKernel, floatValues, type KernelArgs, sizeOf } from './common.js';

/** Operation codes of the addon's `binary` (native/src/elementwise.h). */
const ARITHMETIC: Readonly<Record<string, number>> = {
  Add: 0,
  Sub: 1,
  Multiply: 2,
  RealDiv: 3,
  Maximum: 4,
  Minimum: 5,
  SquaredDifference: 6,
};

const COMPARISON: Readonly<Record<string, number>> = {
  Greater: 7,
  GreaterEqual: 8,
  Less: 9,
  LessEqual: 10,
};

/**
 * How the smaller operand repeats in the larger: the period p such that small[i % p] lines up
 * with big[i], when the small shape equals the big shape's trailing dims (after leading 1s).
 */
function period(big: readonly number[], small: readonly number[]): number | undefined {
  const s = [...small];
  while (s.length > 0 && s[0] === 1) s.shift();
  if (s.length > big.length) return undefined;
  const offset = big.length - s.length;
  for (let i = 0; i < s.length; i++) if (s[i] !== big[offset + i]) return undefined;
  return sizeOf(s);
}

function binary(
  addon: NativeAddon,
  name: string,
  op: number,
  boolOut: boolean,
): { kernelName: string; kernelFunc: tf.KernelFunc } {
  const stock = cpuKernel(name);
  return {
    kernelName: name,
    kernelFunc: (args: KernelArgs) => {
      const backend = args.backend as MathBackendCPU;
      const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const av = floatValues(backend, a);
      const bv = floatValues(backend, b);
      if (!av || !bv || av.length === 0 || bv.length === 0) return stock(args);
      // The larger operand gives the output shape; with equal sizes, the higher rank does.
      const aBig = av.length > bv.length || (av.length === bv.length && a.shape.length >= b.shape.length);
      const big = aBig ? a : b;
      const small = aBig ? b : a;
      const p = period(big.shape, small.shape);
      if (p === undefined) return stock(args);
      const n = sizeOf(big.shape);
      const out = boolOut ? new Uint8Array(n) : new Float32Array(n);
      addon.binary(aBig ? av : bv, aBig ? bv : av, out, [op, n, p, aBig ? 1 : 0]);
      return backend.makeTensorInfo([...big.shape], boolOut ? 'bool' : 'float32', out);
    },
  };
}

function selectKernel(addon: NativeAddon): { kernelName: string; kernelFunc: tf.KernelFunc } {
  const stock = cpuKernel('Select');
  return {
    kernelName: 'Select',
    kernelFunc: (args: KernelArgs) => {
      const backend = args.backend as MathBackendCPU;
      const { condition, t, e } = args.inputs as {
        condition: tf.TensorInfo;
        t: tf.TensorInfo;
        e: tf.TensorInfo;
      };
      const cv = backend.data.get(condition.dataId).values;
      const tv = floatValues(backend, t);
      const ev = floatValues(backend, e);
      if (!(cv instanceof Uint8Array) || !tv || !ev || cv.length !== tv.length || ev.length !== tv.length) {
        return stock(args);
      }
      const out = new Float32Array(tv.length);
      addon.select(cv, tv, ev, out);
      return backend.makeTensorInfo([...t.shape], 'float32', out);
    },
  };
}

function normaliseAxes(axis: number | number[], rank: number): number[] {
  const list = Array.isArray(axis) ? axis : [axis];
  return [...new Set(list.map((a) => (a < 0 ? a + rank : a)))].sort((x, y) => x - y);
}

/**
 * Sum over leading axes [0..k) (native) or trailing axes [k..rank), accumulating in float64 in
 * index order and rounding once, as the stock kernel does.
 */
function sumKernel(addon: NativeAddon): { kernelName: string; kernelFunc: tf.KernelFunc } {
  const stock = cpuKernel('Sum');
  return {
    kernelName: 'Sum',
    kernelFunc: (args: KernelArgs) => {
      const backend = args.backend as MathBackendCPU;
      const { x } = args.inputs as { x: tf.TensorInfo };
      const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
      const xv = floatValues(backend, x);
      const rank = x.shape.length;
      if (!xv || rank === 0) return stock(args);
      const axes = normaliseAxes(axis, rank);
      const leading = axes.every((a, i) => a === i);
      const trailing = axes.every((a, i) => a === rank - axes.length + i);
      if (axes.length === 0 || (!leading && !trailing)) return stock(args);
      const outShape = keepDims
        ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
        : x.shape.filter((_, i) => !axes.includes(i));
      const reduced = sizeOf(axes.map((a) => x.shape[a] as number));
      const kept = xv.length / Math.max(1, reduced);
      const out = new Float32Array(kept);
      if (leading) {
        addon.sumLeading(xv, out, [reduced, kept]);
      } else {
        for (let j = 0; j < kept; j++) {
          let s = 0;
          const base = j * reduced;
          for (let r = 0; r < reduced; r++) s += xv[base + r] as number;
          out[j] = s;
        }
      }
      return backend.makeTensorInfo(outShape, 'float32', out);
    },
  };
}

/** Kernel configs (without backend name) for elementwise arithmetic, comparisons and Sum. */
export function elementwiseKernels(addon: NativeAddon): { kernelName: string; kernelFunc: tf.KernelFunc }[] {
  return [
    ...Object.entries(ARITHMETIC).map(([name, op]) => binary(addon, name, op, false)),
    ...Object.entries(COMPARISON).map(([name, op]) => binary(addon, name, op, true)),
    selectKernel(addon),
    sumKernel(addon),
  ];
}
