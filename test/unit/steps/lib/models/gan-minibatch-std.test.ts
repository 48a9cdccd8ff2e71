/**
 * The minibatch standard-deviation layer (Karras et al. 2018, §3) against numpy: σ of every
 * feature over the batch (biased, + 1e-8 under the root), averaged over positions and
 * features, appended as a constant last channel. Float32 in tfjs against float64 in numpy:
 * 1e-6 relative on values of order 1. The layer's gradient is checked inside the discriminator
 * by gan-trainer.test.ts (PyTorch's autograd on the same network).
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDiscriminator } from '../../../../../steps/lib/models/gan.js';
import { MinibatchStd } from '../../../../../steps/lib/models/gan-minibatch-std.js';
import { f64Bytes, withPython } from '../solar/python.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('MinibatchStd', () => {
  it('appends the mean over features of the batch standard deviation (numpy)', async () => {
    const shape = [5, 3, 4, 6] as const;
    const values = Float64Array.from({ length: 5 * 3 * 4 * 6 }, (_, i) => Math.sin(i * 0.71) * (1 + (i % 7)));
    const ours = tf.tidy(() => {
      const x = tf.tensor4d(Float32Array.from(values), [...shape]);
      return Array.from((new MinibatchStd({}).apply(x) as tf.Tensor).dataSync());
    });
    const expected = await withPython(
      { 'x.f8': f64Bytes(values) },
      {
        code: `import numpy as np, sys
x = np.fromfile(sys.argv[1] + '/x.f8', '<f8').reshape(${shape.join(', ')})
s = np.sqrt(x.var(axis=0) + 1e-8).mean()
y = np.concatenate([x, np.full(x.shape[:3] + (1,), s)], axis=3)
y.astype('<f8').tofile(sys.argv[1] + '/y.f8')`,
        args: ['{dir}'],
      },
      async (dir) => {
        const bytes = readFileSync(`${dir}/y.f8`);
        return Array.from(new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8));
      },
    );
    expect(ours.length).toBe(5 * 3 * 4 * 7);
    expect(expected.length).toBe(ours.length);
    ours.forEach((v, i) => {
      const e = expected[i] ?? Number.NaN;
      expect(Math.abs(v - e)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(e)));
    });
  });

  it('widens the discriminator’s dense layer by one map', () => {
    const plain = buildDiscriminator({ size: 24, seed: 1 });
    const withStd = buildDiscriminator({ size: 24, seed: 1, minibatchStd: true });
    // 24 → 11 → 5 → 2: 2·2·64 inputs, and 2·2 more for the appended map.
    expect(plain.getLayer('fc').getWeights()[0]?.shape).toEqual([256, 100]);
    expect(withStd.getLayer('fc').getWeights()[0]?.shape).toEqual([260, 100]);
    expect(withStd.predict(tf.zeros([3, 24, 24, 1]))).toBeInstanceOf(tf.Tensor);
    plain.dispose();
    withStd.dispose();
  });
});
