/**
 * Training iterations of the paper's GAN (Chatterjee, Muñoz-Jaramillo & Malanushenko 2025,
 * `gan.py` of their code), with optional, documented stabilisers that the quick CPU profile
 * uses. With the defaults this is the paper's loop:
 *
 * - BCE on probabilities; Adam with PyTorch's defaults (β₁ = 0.9, β₂ = 0.999, ε = 1e-8) and
 *   the same rate (5e-4) for both networks;
 * - per iteration the generator step first, then the discriminator step on the same z; like
 *   `gan.py` (`self.discriminator(self(z).detach())`) the discriminator sees G(z) recomputed
 *   by the *updated* generator (`regenerateFakes: true`).
 *
 * Stabilisers (each off by default):
 * - `realLabel` < 1: one-sided label smoothing of the real targets (Salimans et al. 2016,
 *   "Improved techniques for training GANs", §3.4);
 * - `noiseStd` per step: instance noise, N(0, σ²) added to both real and generated images the
 *   discriminator sees (Sønderby et al. 2017; Arjovsky & Bottou 2017), annealed by the caller;
 * - `discriminatorLearningRate`: two time-scale update rule (Heusel et al. 2017);
 * - `beta1`: Adam's first moment decay (DCGAN, Radford et al. 2016, uses 0.5);
 * - `learningRateScale` per step: a learning-rate schedule, set by the caller.
 * EMA of generator weights for sampling is `GeneratorEma` (gan-ema.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { binaryCrossEntropy, trainableVariables } from '../ml/train-step.js';

/** Options of `createPaperGanTrainer`. */
export interface GanTrainerOptions {
  /** Generator Adam rate (paper: 5e-4). */
  readonly learningRate?: number;
  /** Discriminator Adam rate (paper: the same as the generator's). */
  readonly discriminatorLearningRate?: number;
  /** Adam β₁ for both networks (paper: PyTorch's default 0.9). */
  readonly beta1?: number;
  /** Target of real images in the discriminator loss (paper: 1). */
  readonly realLabel?: number;
  /** Recompute G(z) after the generator step for the discriminator step (paper: true). */
  readonly regenerateFakes?: boolean;
}

/** Losses of one iteration, each before its network's update. */
export interface GanIterationLosses {
  /** BCE(D(G(z)), 1). */
  readonly gLoss: number;
  /** ½(BCE(D(x), realLabel) + BCE(D(G(z)), 0)). */
  readonly dLoss: number;
}

/** Per-iteration inputs besides the batch. */
export interface GanIterationOptions {
  /** Instance-noise standard deviation added to the discriminator's inputs (kG). @default 0 */
  readonly noiseStd?: number;
  /** Seed of this iteration's instance noise, so that training is reproducible. @default 0 */
  readonly noiseSeed?: number;
  /**
   * Factor on both Adam rates for this iteration (a schedule such as a linear decay to 0 over
   * the last epochs, as in CycleGAN, Zhu et al. 2017). @default 1
   */
  readonly learningRateScale?: number;
}

/** tfjs's Adam reads its (protected) rate at every update; a schedule sets it between steps. */
interface AdamRate {
  learningRate: number;
}

/** Holds the two optimisers; `step` runs one iteration. */
export interface PaperGanTrainer {
  step(z: tf.Tensor2D, real: tf.Tensor4D, options?: GanIterationOptions): GanIterationLosses;
  dispose(): void;
}

/** Create a trainer for generator `g` and discriminator `d`. */
export function createPaperGanTrainer(
  g: tf.LayersModel,
  d: tf.LayersModel,
  options: GanTrainerOptions = {},
): PaperGanTrainer {
  const lrG = options.learningRate ?? 5e-4;
  const lrD = options.discriminatorLearningRate ?? lrG;
  const beta1 = options.beta1 ?? 0.9;
  const realLabel = options.realLabel ?? 1;
  const regenerate = options.regenerateFakes ?? true;
  const optG = tf.train.adam(lrG, beta1, 0.999, 1e-8);
  const optD = tf.train.adam(lrD, beta1, 0.999, 1e-8);
  const gVars = trainableVariables(g);
  const dVars = trainableVariables(d);
  // Each call draws from its own seed: seed, seed + 1, ... (G step, then D's real and fake).
  const withNoise = (x: tf.Tensor, std: number, seed: number): tf.Tensor =>
    std > 0 ? tf.add(x, tf.randomNormal(x.shape, 0, std, 'float32', seed)) : x;
  return {
    step(z, real, iteration = {}) {
      const batch = z.shape[0];
      const std = iteration.noiseStd ?? 0;
      const seed = iteration.noiseSeed ?? 0;
      const scale = iteration.learningRateScale ?? 1;
      (optG as unknown as AdamRate).learningRate = lrG * scale;
      (optD as unknown as AdamRate).learningRate = lrD * scale;
      // An object, so TypeScript does not narrow the value assigned inside the closure away.
      const kept: { fake?: tf.Tensor } = {};
      const ones = tf.ones([batch, 1]);
      const realTargets = tf.fill([batch, 1], realLabel);
      const zeros = tf.zeros([batch, 1]);
      try {
        const gCost = optG.minimize(
          () => {
            const generated = g.apply(z, { training: true }) as tf.Tensor;
            if (!regenerate) kept.fake = tf.keep(generated);
            const p = d.apply(withNoise(generated, std, seed), { training: true }) as tf.Tensor;
            return binaryCrossEntropy(ones, p);
          },
          true,
          gVars,
        );
        // gan.py: the discriminator sees G(z) from the generator just updated, detached.
        const fake = kept.fake ?? (g.predict(z) as tf.Tensor);
        const dCost = optD.minimize(
          () => {
            const pReal = d.apply(withNoise(real, std, seed + 1), { training: true }) as tf.Tensor;
            const pFake = d.apply(withNoise(fake, std, seed + 2), { training: true }) as tf.Tensor;
            return tf.mul(
              0.5,
              tf.add(binaryCrossEntropy(realTargets, pReal), binaryCrossEntropy(zeros, pFake)),
            ) as tf.Scalar;
          },
          true,
          dVars,
        );
        fake.dispose();
        const losses = {
          gLoss: (gCost as tf.Scalar).dataSync()[0] ?? Number.NaN,
          dLoss: (dCost as tf.Scalar).dataSync()[0] ?? Number.NaN,
        };
        gCost?.dispose();
        dCost?.dispose();
        return losses;
      } finally {
        ones.dispose();
        realTargets.dispose();
        zeros.dispose();
      }
    },
    dispose() {
      optG.dispose();
      optD.dispose();
    },
  };
}
