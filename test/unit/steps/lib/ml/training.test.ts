/**
 * Whole training steps on the fast CPU path against tfjs's reference `cpu` backend, and the
 * determinism guarantee: the same seed gives bit-identical weights, run to run and (with the
 * native addon) whatever the thread count.
 *
 * Loss tolerance: 1e-3 absolute on BCE losses near 0.69 over 2–3 Adam steps. Kernel results differ
 * by ~1e-6 relative (summation order, kernels.test.ts); Adam's first steps move each weight by
 * about lr = 5e-4 in the direction of its gradient's sign, so the curves agree to ~1e-5 unless a
 * gradient component is near zero, which cannot move a loss by more than lr·|∂L/∂w|.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../../../steps/lib/ml/backend.js';
import {
  NATIVE_BACKEND,
  registerNativeBackend,
  setNativeThreads,
} from '../../../../../steps/lib/ml/native-kernels/register.js';
import { createSegmentationTrainer } from '../../../../../steps/lib/ml/train-step.js';
import { buildDiscriminator, buildGenerator, LATENT_DIM } from '../../../../../steps/lib/models/gan.js';
import { createPaperGanTrainer } from '../../../../../steps/lib/models/gan-trainer.js';
import { buildUNet } from '../../../../../steps/lib/models/unet.js';

let fast = 'cpu';
/** Whether the native addon is built here (else the wasm fallback is what gets tested). */
const nativeAvailable = registerNativeBackend().ok;

beforeAll(async () => {
  const choice = await initBackend('native', { log: () => {} }).catch(() =>
    initBackend('wasm', { log: () => {} }),
  );
  fast = choice.name;
});

interface Run {
  readonly losses: number[];
  readonly weights: Float32Array[];
}

/** Two GAN iterations at 24×24, batch 2, everything seeded (the reference backend is slow). */
async function trainGan(backend: string): Promise<Run> {
  await tf.setBackend(backend);
  const g = buildGenerator({ size: 24, seed: 3 });
  const d = buildDiscriminator({ size: 24, seed: 3 });
  const trainer = createPaperGanTrainer(g, d, { regenerateFakes: false });
  const real = tf.randomUniform([2, 24, 24, 1], -1, 1, 'float32', 5) as tf.Tensor4D;
  const losses: number[] = [];
  for (let i = 0; i < 2; i++) {
    const z = tf.randomNormal([2, LATENT_DIM], 0, 1, 'float32', 10 + i) as tf.Tensor2D;
    const { gLoss, dLoss } = trainer.step(z, real);
    losses.push(gLoss, dLoss);
    z.dispose();
  }
  const weights = [...g.getWeights(), ...d.getWeights()].map((w) => Float32Array.from(w.dataSync()));
  trainer.dispose();
  real.dispose();
  g.dispose();
  d.dispose();
  return { losses, weights };
}

async function trainUNet(backend: string): Promise<Run> {
  await tf.setBackend(backend);
  const model = buildUNet({ inputChannels: 2, widths: [4, 8, 8], seed: 2 });
  const trainer = createSegmentationTrainer(model);
  const x = tf.randomNormal([2, 16, 16, 2], 0, 1, 'float32', 1) as tf.Tensor4D;
  const y = tf.tidy(() =>
    tf.cast(tf.greater(tf.randomUniform([2, 16, 16, 1], 0, 1, 'float32', 2), 0.9), 'float32'),
  ) as tf.Tensor4D;
  const losses: number[] = [];
  for (let i = 0; i < 3; i++) losses.push(trainer.step(x, y));
  const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  trainer.dispose();
  model.dispose();
  return { losses, weights };
}

function sameBits(a: readonly Float32Array[], b: readonly Float32Array[]): boolean {
  return (
    a.length === b.length &&
    a.every((w, i) => Buffer.from(w.buffer).equals(Buffer.from((b[i] as Float32Array).buffer)))
  );
}

describe('training on the fast CPU path', () => {
  it('gives the GAN loss curve of the reference cpu backend', async () => {
    const ours = await trainGan(fast);
    const reference = await trainGan('cpu');
    for (let i = 0; i < ours.losses.length; i++) {
      expect(Math.abs((ours.losses[i] as number) - (reference.losses[i] as number))).toBeLessThan(1e-3);
    }
  });

  it('gives the U-Net loss curve of the reference cpu backend', async () => {
    const ours = await trainUNet(fast);
    const reference = await trainUNet('cpu');
    for (let i = 0; i < ours.losses.length; i++) {
      expect(Math.abs((ours.losses[i] as number) - (reference.losses[i] as number))).toBeLessThan(1e-3);
    }
  });

  it('is deterministic: the same seed gives bit-identical weights run to run', async () => {
    const first = await trainGan(fast);
    const second = await trainGan(fast);
    expect(sameBits(first.weights, second.weights)).toBe(true);
    expect(second.losses).toEqual(first.losses);
  });

  it.runIf(nativeAvailable)('gives bit-identical weights with 1 and 3 threads', async () => {
    setNativeThreads(1);
    const one = await trainGan(NATIVE_BACKEND);
    setNativeThreads(3);
    const three = await trainGan(NATIVE_BACKEND);
    setNativeThreads(2);
    expect(sameBits(one.weights, three.weights)).toBe(true);
  });
});
