/**
 * Every kernel the fast CPU path replaces, against tfjs's reference `cpu` backend on random
 * shapes: values and gradients. The path under test is whatever `initBackend('auto')` picks
 * here — the native `asterism-cpu` backend when the addon is built, else the wasm fallback.
 *
 * Tolerance: relative 1e-4 of the reference's largest magnitude for products and convolutions
 * (float32 sums of up to a few hundred terms in a different order: about √K·2⁻²⁴ relative each,
 * far below 1e-4); exact (0) for data movement, elementwise arithmetic and comparisons (one
 * operation per element; the addon rounds exactly as JS's float64-then-float32 does); 1e-6 where
 * tfjs sums in float64 and we sum in float32 (overlapping max-pool gradients, Sum).
 * Without the addon the wasm fallback is tested: it computes elementwise ops in float32 (1e-6)
 * and its max-pool gradient differs from tfjs's cpu backend (by 7% of the largest value, measured
 * here, even for 2×2 windows), so only max-pool values are checked there: a known fallback defect.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../../../steps/lib/ml/backend.js';
import { NATIVE_BACKEND } from '../../../../../steps/lib/ml/native-kernels/register.js';
import { int, on, prng, relativeError } from './helpers.js';

const RTOL = 1e-4;
let fast = 'cpu';

beforeAll(async () => {
  // tfjs-node cannot be installed here; on a machine where it is, test our CPU path anyway.
  const choice = await initBackend('auto', {
    log: () => {},
    env: { ...process.env, ASTERISM_BACKEND: undefined },
  }).catch(() => initBackend('native', { log: () => {} }));
  fast = choice.name === 'tensorflow' ? (await initBackend('native', { log: () => {} })).name : choice.name;
});

function compare(f: () => tf.Tensor | tf.Tensor[], rtol: number): void {
  const want = on('cpu', f);
  const got = on(fast, f);
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    expect(got[i]?.length).toBe(want[i]?.length);
    expect(relativeError(got[i] as Float32Array, want[i] as Float32Array)).toBeLessThanOrEqual(rtol);
  }
}

describe('convolutions match the cpu backend', () => {
  const rand = prng(11);
  for (let c = 0; c < 10; c++) {
    const n = int(rand, 1, 3);
    const h = int(rand, 5, 17);
    const w = int(rand, 5, 17);
    const cin = int(rand, 1, 7);
    const cout = int(rand, 1, 20);
    const k = int(rand, 1, 3);
    const stride = int(rand, 1, 2);
    const pad = rand() < 0.5 ? 'same' : 'valid';
    const dil = stride === 1 && rand() < 0.3 ? 2 : 1;
    const label = `x[${n},${h},${w},${cin}] f[${k},${k},${cin},${cout}] s${stride} ${pad} d${dil}`;
    it(`conv2d value and both gradients, ${label}`, () => {
      compare(() => {
        const x = tf.randomNormal([n, h, w, cin], 0, 1, 'float32', c + 1) as tf.Tensor4D;
        const f = tf.randomNormal([k, k, cin, cout], 0, 1, 'float32', c + 101) as tf.Tensor4D;
        const y = tf.conv2d(x, f, stride, pad, 'NHWC', dil);
        // tfjs has no gradient for dilated convolutions: check the value only there.
        if (dil > 1) return [y];
        const dy = tf.randomNormal(y.shape, 0, 1, 'float32', c + 201);
        const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad, 'NHWC', dil), dy)),
        )([x, f]);
        return [y, ...grads];
      }, RTOL);
    });
  }

  it('conv2dTranspose (stride 2, valid, as in the GAN generator) and its filter gradient', () => {
    compare(() => {
      const x = tf.randomNormal([2, 7, 7, 6], 0, 1, 'float32', 5) as tf.Tensor4D;
      const f = tf.randomNormal([3, 3, 4, 6], 0, 1, 'float32', 6) as tf.Tensor4D;
      const y = tf.conv2dTranspose(x, f, [2, 15, 15, 4], 2, 'valid');
      const g = tf.grad((b: tf.Tensor) =>
        tf.sum(tf.square(tf.conv2dTranspose(x, b as tf.Tensor4D, [2, 15, 15, 4], 2, 'valid'))),
      )(f);
      return [y, g];
    }, RTOL);
  });

  it('fused conv2d with bias and each supported activation', () => {
    for (const activation of ['linear', 'relu', 'leakyrelu', 'sigmoid', 'relu6', 'elu'] as const) {
      compare(() => {
        const x = tf.randomNormal([2, 9, 9, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
        const f = tf.randomNormal([3, 3, 3, 5], 0, 1, 'float32', 8) as tf.Tensor4D;
        const bias = tf.randomNormal([5], 0, 1, 'float32', 9);
        return tf.fused.conv2d({
          x,
          filter: f,
          bias,
          strides: 1,
          pad: 'same',
          activation,
          leakyreluAlpha: 0.2,
        });
      }, RTOL);
    }
  });
});

describe('matrix products match the cpu backend', () => {
  const rand = prng(23);
  for (let c = 0; c < 8; c++) {
    const m = int(rand, 1, 40);
    const k = int(rand, 1, 300);
    const n = int(rand, 1, 40);
    const ta = rand() < 0.5;
    const tb = rand() < 0.5;
    it(`matMul ${m}x${k}x${n} transposeA=${ta} transposeB=${tb}, value and gradients`, () => {
      compare(() => {
        const a = tf.randomNormal(ta ? [k, m] : [m, k], 0, 1, 'float32', c + 1);
        const b = tf.randomNormal(tb ? [n, k] : [k, n], 0, 1, 'float32', c + 50);
        const y = tf.matMul(a, b, ta, tb);
        const grads = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.square(tf.matMul(p, q, ta, tb))))([
          a,
          b,
        ]);
        return [y, ...grads];
      }, RTOL);
    });
  }

  it('batched matMul with a broadcast batch and fused bias + leaky ReLU', () => {
    compare(() => {
      const a = tf.randomNormal([3, 5, 7], 0, 1, 'float32', 1);
      const b = tf.randomNormal([1, 7, 4], 0, 1, 'float32', 2);
      const bias = tf.randomNormal([4], 0, 1, 'float32', 3);
      return [
        tf.matMul(a, b),
        tf.fused.matMul({
          a: a.reshape([15, 7]),
          b: b.reshape([7, 4]),
          bias,
          activation: 'leakyrelu',
          leakyreluAlpha: 0.2,
        }),
      ];
    }, RTOL);
  });
});

describe('data movement, pooling and elementwise kernels match the cpu backend exactly', () => {
  it('slice, pad, concat and their gradients', () => {
    compare(() => {
      const x = tf.randomNormal([2, 9, 8, 3], 0, 1, 'float32', 1);
      const y = tf.randomNormal([2, 9, 8, 5], 0, 1, 'float32', 2);
      const crop = tf.slice(x, [0, 1, 0, 0], [2, 7, 7, 3]);
      const padded = tf.pad(x, [
        [0, 0],
        [0, 1],
        [2, 1],
        [0, 0],
      ]);
      const g = tf.grads((p: tf.Tensor, q: tf.Tensor) =>
        tf.sum(
          tf.mul(
            tf.concat(
              [
                tf.pad(p, [
                  [0, 0],
                  [0, 1],
                  [0, 1],
                  [0, 0],
                ]),
                tf.pad(q, [
                  [0, 0],
                  [0, 1],
                  [0, 1],
                  [0, 0],
                ]),
              ],
              3,
            ),
            tf.range(0, 8, 1, 'float32'),
          ),
        ),
      )([x, y]);
      return [crop, padded, tf.slice(padded, [1, 2, 3, 1], [1, 5, 4, 2]), ...g];
    }, 0);
  });

  it('max pooling (2x2 and overlapping 3x3 windows) and its gradient', () => {
    compare(() => {
      const x = tf.randomNormal([2, 10, 9, 4], 0, 1, 'float32', 3) as tf.Tensor4D;
      const out: tf.Tensor[] = [];
      const windows = [
        [2, 2, 'valid'],
        [3, 1, 'same'],
        [3, 2, 'valid'],
      ] as const;
      for (const [size, stride, pad] of windows) {
        out.push(tf.maxPool(x, size, stride, pad));
        if (fast === NATIVE_BACKEND)
          out.push(
            tf.grad((a: tf.Tensor) => tf.sum(tf.square(tf.maxPool(a as tf.Tensor4D, size, stride, pad))))(x),
          );
      }
      return out;
    }, 1e-6);
  });

  it('binary ops with equal shapes, scalars and trailing-dimension broadcasts', () => {
    compare(
      () => {
        const a = tf.randomNormal([3, 4, 5], 0, 1, 'float32', 4);
        const b = tf.randomNormal([3, 4, 5], 0, 1, 'float32', 5);
        const v = tf.randomNormal([5], 0, 1, 'float32', 6).add(3);
        const s = tf.scalar(0.3);
        const out: tf.Tensor[] = [];
        for (const [p, q] of [
          [a, b],
          [a, v],
          [v, a],
          [a, s],
          [s, a],
        ] as const) {
          out.push(
            tf.add(p, q),
            tf.sub(p, q),
            tf.mul(p, q),
            tf.div(p, q),
            tf.maximum(p, q),
            tf.minimum(p, q),
          );
          out.push(
            tf.squaredDifference(p, q),
            tf.cast(tf.greater(p, q), 'float32'),
            tf.cast(tf.lessEqual(p, q), 'float32'),
          );
        }
        return out;
      },
      fast === NATIVE_BACKEND ? 0 : 1e-6,
    );
  });

  it('select, relu, step, leaky relu, sqrt, square and sum over leading or trailing axes', () => {
    compare(
      () => {
        const a = tf.randomNormal([4, 6, 7], 0, 1, 'float32', 7);
        const b = tf.randomNormal([4, 6, 7], 0, 1, 'float32', 8);
        return [
          tf.where(tf.greater(a, 0), a, b),
          tf.relu(a),
          tf.step(a, 0.25),
          tf.leakyRelu(a, 0.2),
          tf.sqrt(tf.abs(a)),
          tf.square(a),
          tf.sum(a, [0, 1]),
          tf.sum(a, 2, true),
          tf.sum(a),
        ];
      },
      fast === NATIVE_BACKEND ? 0 : 1e-6,
    );
  });
});
