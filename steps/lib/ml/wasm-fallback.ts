/**
 * The wasm backend as a fallback: tfjs 4.22's wasm backend has no Conv2DBackpropFilter, so a
 * plain-JS one (direct loops, NHWC) is registered for it. Slow, but it makes training possible
 * where the native addon could not be built.
 */
import * as tf from '@tensorflow/tfjs';

interface WasmLikeBackend {
  readSync(dataId: object): tf.backend_util.BackendValues;
  makeOutput(
    shape: number[],
    dtype: tf.DataType,
    memoryOffset?: number,
    values?: tf.backend_util.BackendValues,
  ): tf.TensorInfo;
}

/** dW[ky,kx,ci,co] = Σ_{b,oy,ox} x[b, oy·sh − pt + ky, ox·sw − pl + kx, ci] · dy[b, oy, ox, co]. */
function backpropFilter(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const backend = args.backend as unknown as WasmLikeBackend;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as {
    strides: number | [number, number];
    pad: Parameters<typeof tf.backend_util.computeConv2DInfo>[4];
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
  };
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const xv = backend.readSync(x.dataId) as Float32Array;
  const dyv = backend.readSync(dy.dataId) as Float32Array;
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: cin, outChannels: cout } = info;
  const {
    outHeight: oh,
    outWidth: ow,
    strideHeight: sh,
    strideWidth: sw,
    filterHeight: kh,
    filterWidth: kw,
  } = info;
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  const dw = new Float32Array(kh * kw * cin * cout);
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      for (let b = 0; b < n; b++) {
        for (let oy = 0; oy < oh; oy++) {
          const iy = oy * sh - pt + ky;
          if (iy < 0 || iy >= h) continue;
          for (let ox = 0; ox < ow; ox++) {
            const ix = ox * sw - pl + kx;
            if (ix < 0 || ix >= w) continue;
            const xo = ((b * h + iy) * w + ix) * cin;
            const dyo = ((b * oh + oy) * ow + ox) * cout;
            for (let ci = 0; ci < cin; ci++) {
              const xval = xv[xo + ci] as number;
              const base = ((ky * kw + kx) * cin + ci) * cout;
              for (let co = 0; co < cout; co++)
                dw[base + co] = (dw[base + co] as number) + xval * (dyv[dyo + co] as number);
            }
          }
        }
      }
    }
  }
  return backend.makeOutput([...attrs.filterShape], 'float32', undefined, dw);
}

/** Load the wasm backend and give it the missing Conv2DBackpropFilter kernel. */
export async function prepareWasmBackend(): Promise<void> {
  await import('@tensorflow/tfjs-backend-wasm');
  if (!tf.getKernel('Conv2DBackpropFilter', 'wasm')) {
    tf.registerKernel({
      kernelName: 'Conv2DBackpropFilter',
      backendName: 'wasm',
      kernelFunc: backpropFilter,
    });
  }
}
