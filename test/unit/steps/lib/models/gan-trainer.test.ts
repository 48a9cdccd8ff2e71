/**
 * train-gan's iterations against PyTorch (test/reference/gan_iteration.py, written from the
 * paper's gan.py): the same weights, latents and real batch give the same losses over three
 * iterations, for the paper's loop and for the opt-in stabilisers (Adam β₁, discriminator rate,
 * real label, reusing the generator step's images, a per-iteration rate factor, the
 * discriminator's minibatch standard-deviation channel).
 *
 * Tolerance 1e-3 absolute on BCE losses of order 1: the kernels differ from PyTorch's by ~1e-6
 * relative (summation order); Adam moves each weight by about the rate times the sign of its
 * gradient, so a rounding difference matters only for gradient components near zero, whose
 * effect on a loss is bounded by lr·|∂L/∂w|. The rate (2e-3) is larger than the paper's so that
 * one generator step changes D(G(z)) visibly: the test checks it tells the variants apart.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../../../steps/lib/ml/backend.js';
import { buildDiscriminator, buildGenerator, LATENT_DIM } from '../../../../../steps/lib/models/gan.js';
import {
  createPaperGanTrainer,
  type GanTrainerOptions,
} from '../../../../../steps/lib/models/gan-trainer.js';
import { repoRoot, withPython } from '../solar/python.js';

const SIZE = 24;
const BATCH = 4;
const ITERATIONS = 3;

beforeAll(async () => {
  // The native CPU kernels when built (checked against tfjs's reference backend in
  // test/unit/steps/lib/ml), else wasm: the pure-JS backend takes minutes here.
  await initBackend('native', { log: () => {} }).catch(() => initBackend('wasm', { log: () => {} }));
});

/** What the reference takes besides the trainer options. */
interface Extra {
  /** The discriminator's minibatch standard-deviation channel. */
  readonly minibatchStd?: boolean;
  /**
   * Set D's dense weights from the appended map to this value: with PyTorch's small initial
   * weights the map moves the losses by less than the tolerance, so the test could not fail.
   */
  readonly stdWeight?: number;
  /** `learningRateScale` of each iteration. */
  readonly learningRateScales?: readonly number[];
}

/** Our losses and PyTorch's for the same start. */
async function bothLosses(
  options: GanTrainerOptions,
  extra: Extra = {},
): Promise<{ ours: number[][]; torch: number[][] }> {
  const g = buildGenerator({ size: SIZE, seed: 11 });
  const d = buildDiscriminator({ size: SIZE, seed: 12, minibatchStd: extra.minibatchStd ?? false });
  if (extra.stdWeight !== undefined) {
    const fc = d.getLayer('fc');
    const [kernel, bias] = fc.getWeights();
    if (kernel === undefined || bias === undefined) throw new Error('fc has no weights');
    // NHWC flatten: the appended map is channel 64 of every position, rows 65·k + 64.
    const w = kernel.arraySync() as number[][];
    w.forEach((row, i) => {
      if (i % 65 === 64) row.fill(extra.stdWeight ?? 0);
    });
    fc.setWeights([tf.tensor2d(w), bias]);
  }
  const weights: Record<string, { shape: number[]; data: number[] }> = {};
  for (const [prefix, model, names] of [
    ['g', g, ['fc', 'd1', 'd2', 'd3']],
    ['d', d, ['c1', 'c2', 'c3', 'fc', 'out']],
  ] as const) {
    for (const name of names) {
      const [kernel, bias] = model.getLayer(name).getWeights();
      if (kernel === undefined || bias === undefined) throw new Error(`layer ${name} has no weights`);
      weights[`${prefix}/${name}/kernel`] = { shape: kernel.shape, data: Array.from(kernel.dataSync()) };
      weights[`${prefix}/${name}/bias`] = { shape: bias.shape, data: Array.from(bias.dataSync()) };
    }
  }
  const real = tf.randomUniform([BATCH, SIZE, SIZE, 1], -1, 1, 'float32', 5) as tf.Tensor4D;
  const zs = Array.from(
    { length: ITERATIONS },
    (_, i) => tf.randomNormal([BATCH, LATENT_DIM], 0, 1, 'float32', 20 + i) as tf.Tensor2D,
  );
  const input = {
    size: SIZE,
    weights,
    options: { ...options, minibatchStd: extra.minibatchStd ?? false },
    learningRateScales: extra.learningRateScales ?? null,
    real: Array.from(real.dataSync()),
    z: zs.map((z) => Array.from(z.dataSync())),
  };
  const trainer = createPaperGanTrainer(g, d, options);
  const ours = zs.map((z, i) => {
    const l = trainer.step(z, real, { learningRateScale: extra.learningRateScales?.[i] ?? 1 });
    return [l.gLoss, l.dLoss];
  });
  trainer.dispose();
  for (const t of [real, ...zs, g, d]) t.dispose();
  const torch = await withPython(
    { 'in.json': JSON.stringify(input) },
    { script: `${repoRoot}test/reference/gan_iteration.py`, args: ['{dir}'] },
    async (_dir, out) => JSON.parse(out) as number[][],
  );
  return { ours, torch };
}

function expectClose(ours: number[][], torch: number[][]): void {
  expect(ours.length).toBe(torch.length);
  ours.forEach((pair, i) => {
    pair.forEach((v, j) => {
      expect(Math.abs(v - (torch[i]?.[j] ?? Number.NaN))).toBeLessThan(1e-3);
    });
  });
}

describe('createPaperGanTrainer vs PyTorch', () => {
  it('the paper loop: D step on G(z) recomputed by the updated generator', { timeout: 120_000 }, async () => {
    const paper = await bothLosses({ learningRate: 2e-3 });
    expectClose(paper.ours, paper.torch);
    const reuse = await bothLosses({ learningRate: 2e-3, regenerateFakes: false });
    expectClose(reuse.ours, reuse.torch);
    // The two variants differ by more than the tolerance, so the comparison can tell them apart.
    const gap = Math.max(...paper.torch.map((p, i) => Math.abs((p[1] ?? 0) - (reuse.torch[i]?.[1] ?? 0))));
    expect(gap).toBeGreaterThan(5e-3);
  });

  it('with β₁ = 0.5, a faster discriminator and one-sided label smoothing', {
    timeout: 120_000,
  }, async () => {
    const r = await bothLosses({
      learningRate: 2e-3,
      discriminatorLearningRate: 4e-3,
      beta1: 0.5,
      realLabel: 0.9,
    });
    expectClose(r.ours, r.torch);
  });

  it('with a per-iteration rate factor (a learning-rate schedule)', { timeout: 120_000 }, async () => {
    const scaled = await bothLosses({ learningRate: 2e-3, beta1: 0.5 }, { learningRateScales: [0.25, 2, 1] });
    expectClose(scaled.ours, scaled.torch);
    const constant = await bothLosses({ learningRate: 2e-3, beta1: 0.5 });
    // The schedule changes the later iterations by more than the tolerance.
    const gap = Math.max(
      ...scaled.torch.map((p, i) => Math.abs((p[0] ?? 0) - (constant.torch[i]?.[0] ?? 0))),
    );
    expect(gap).toBeGreaterThan(5e-3);
  });

  it('with the minibatch standard-deviation channel in the discriminator', {
    timeout: 120_000,
  }, async () => {
    const options = { learningRate: 2e-3, beta1: 0.5, realLabel: 0.9 };
    const r = await bothLosses(options, { minibatchStd: true, stdWeight: 3 });
    expectClose(r.ours, r.torch);
    // With the map's weights at 0 it has no effect: the losses differ by more than the tolerance.
    const off = await bothLosses(options, { minibatchStd: true, stdWeight: 0 });
    expectClose(off.ours, off.torch);
    const gap = Math.max(...r.torch.map((p, i) => Math.abs((p[1] ?? 0) - (off.torch[i]?.[1] ?? 0))));
    expect(gap).toBeGreaterThan(5e-3);
  });
});
