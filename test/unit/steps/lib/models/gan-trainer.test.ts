/**
 * train-gan's iterations against PyTorch (test/reference/gan_iteration.py, written from the
 * paper's gan.py): the same weights, latents and real batch give the same losses over three
 * iterations, for the paper's loop and for the opt-in stabilisers (Adam β₁, discriminator rate,
 * real label, reusing the generator step's images).
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

/** Our losses and PyTorch's for the same start. */
async function bothLosses(options: GanTrainerOptions): Promise<{ ours: number[][]; torch: number[][] }> {
  const g = buildGenerator({ size: SIZE, seed: 11 });
  const d = buildDiscriminator({ size: SIZE, seed: 12 });
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
    options,
    real: Array.from(real.dataSync()),
    z: zs.map((z) => Array.from(z.dataSync())),
  };
  const trainer = createPaperGanTrainer(g, d, options);
  const ours = zs.map((z) => {
    const l = trainer.step(z, real);
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
});
