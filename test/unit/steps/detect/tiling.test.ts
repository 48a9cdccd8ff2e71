import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { predictTiled, rampWeights, tileStarts } from '../../../../steps/detect/tiling.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('tile layout', () => {
  it('covers the axis with the given overlap and aligns the last tile with the end', () => {
    expect(tileStarts(100, 32, 8)).toEqual([0, 24, 48, 68]);
    expect(tileStarts(32, 32, 8)).toEqual([0]);
    expect(tileStarts(20, 32, 8)).toEqual([0]);
  });

  it('ramps weights only on sides that have a neighbouring tile', () => {
    expect([...rampWeights(6, 2, true, false)]).toEqual([0.25, 0.75, 1, 1, 1, 1]);
    expect([...rampWeights(6, 2, false, true)]).toEqual([1, 1, 1, 1, 0.75, 0.25]);
  });
});

describe('predictTiled', () => {
  it('reproduces a per-pixel model exactly, whatever the tiling (blend weights sum out)', async () => {
    // logits = 2·c0 − c1: a 1×1 convolution, so every tile predicts each pixel identically and
    // the blended map must equal σ(2·c0 − c1) everywhere (float32 rounding only).
    const input = tf.input({ shape: [null, null, 2] });
    const conv = tf.layers.conv2d({ filters: 1, kernelSize: 1, useBias: false });
    const model = tf.model({ inputs: input, outputs: conv.apply(input) as tf.SymbolicTensor });
    conv.setWeights([tf.tensor4d([2, -1], [1, 1, 2, 1])]);
    const width = 45;
    const height = 30;
    const image = Float32Array.from({ length: width * height * 2 }, (_, i) => Math.sin(i * 0.37) * 3);
    const map = await predictTiled(tf, model, image, width, height, 2, {
      tileSize: 16,
      overlap: 4,
      batchSize: 3,
    });
    let worst = 0;
    for (let i = 0; i < width * height; i++) {
      const expected = 1 / (1 + Math.exp(-(2 * image[2 * i]! - image[2 * i + 1]!)));
      worst = Math.max(worst, Math.abs(map[i]! - expected));
    }
    // float32 sigmoid and blending: errors of a few ulps of 1.
    expect(worst).toBeLessThan(1e-6);
  });

  it('pads an image smaller than a tile and stops when aborted', async () => {
    const input = tf.input({ shape: [null, null, 1] });
    const model = tf.model({
      inputs: input,
      outputs: tf.layers
        .conv2d({ filters: 1, kernelSize: 3, padding: 'same' })
        .apply(input) as tf.SymbolicTensor,
    });
    const map = await predictTiled(tf, model, new Float32Array(5 * 3), 5, 3, 1);
    expect(map.length).toBe(15);
    expect(map.every((p) => p > 0 && p < 1)).toBe(true);
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(
      predictTiled(tf, model, new Float32Array(15), 5, 3, 1, {}, controller.signal),
    ).rejects.toThrow('stop');
  });
});
