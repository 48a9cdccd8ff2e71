/**
 * One training iteration of the paper's GAN and of the U-Net, as the PyTorch peers do it
 * (`../shared/peers/torch_gan.py`, `torch_unet.py`): Adam with PyTorch's defaults
 * (β₁ = 0.9, β₂ = 0.999, ε = 1e-8), BCE on probabilities for the GAN, BCE-with-logits for the
 * U-Net. Used by the benchmarks and the tests; training steps may write their own loops.
 */
import * as tf from '@tensorflow/tfjs';

/** Adam with PyTorch's default moments and ε. */
export function torchAdam(learningRate: number): tf.AdamOptimizer {
  return tf.train.adam(learningRate, 0.9, 0.999, 1e-8);
}

/** The trainable variables of a Layers model, in layer order. */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/**
 * Binary cross-entropy of probabilities p against labels y, averaged over all elements.
 * Like PyTorch's BCELoss, log terms are bounded (here by clipping p to [1e-7, 1 − 1e-7]) so a
 * saturated sigmoid gives a large finite loss, not NaN.
 */
export function binaryCrossEntropy(y: tf.Tensor, p: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const pc = tf.clipByValue(p, 1e-7, 1 - 1e-7);
    const perElement = tf.add(tf.mul(y, tf.log(pc)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, pc))));
    return tf.neg(tf.mean(perElement)) as tf.Scalar;
  });
}

/** Losses of one GAN iteration. */
export interface GanStepLosses {
  /** Generator loss BCE(D(G(z)), 1) before its update. */
  readonly gLoss: number;
  /** Discriminator loss ½(BCE(D(x), 1) + BCE(D(G(z)), 0)) before its update. */
  readonly dLoss: number;
}

/** A GAN trainer: holds the two Adam optimisers. */
export interface GanTrainer {
  /** One iteration: the generator step, then the discriminator step on the same z. */
  step(z: tf.Tensor2D, real: tf.Tensor4D): GanStepLosses;
  /** Free the optimisers' state. */
  dispose(): void;
}

/** Create a trainer for generator `g` and discriminator `d` (paper: Adam 5e-4). */
export function createGanTrainer(
  g: tf.LayersModel,
  d: tf.LayersModel,
  options: { readonly learningRate?: number } = {},
): GanTrainer {
  const lr = options.learningRate ?? 5e-4;
  const optG = torchAdam(lr);
  const optD = torchAdam(lr);
  const gVars = trainableVariables(g);
  const dVars = trainableVariables(d);
  return {
    step(z, real) {
      const batch = z.shape[0];
      let fake: tf.Tensor | undefined;
      const ones = tf.ones([batch, 1]);
      const zeros = tf.zeros([batch, 1]);
      try {
        const gCost = optG.minimize(
          () => {
            const generated = g.apply(z, { training: true }) as tf.Tensor;
            // The discriminator step reuses these images, as PyTorch's `fake.detach()` does.
            fake = tf.keep(generated);
            return binaryCrossEntropy(ones, d.apply(generated, { training: true }) as tf.Tensor);
          },
          true,
          gVars,
        );
        const detached = fake as unknown as tf.Tensor;
        const dCost = optD.minimize(
          () => {
            const lossReal = binaryCrossEntropy(ones, d.apply(real, { training: true }) as tf.Tensor);
            const lossFake = binaryCrossEntropy(zeros, d.apply(detached, { training: true }) as tf.Tensor);
            return tf.mul(0.5, tf.add(lossReal, lossFake)) as tf.Scalar;
          },
          true,
          dVars,
        );
        const losses = {
          gLoss: (gCost as tf.Scalar).dataSync()[0] ?? Number.NaN,
          dLoss: (dCost as tf.Scalar).dataSync()[0] ?? Number.NaN,
        };
        gCost?.dispose();
        dCost?.dispose();
        return losses;
      } finally {
        ones.dispose();
        zeros.dispose();
        (fake as tf.Tensor | undefined)?.dispose();
      }
    },
    dispose() {
      optG.dispose();
      optD.dispose();
    },
  };
}

/** A U-Net trainer: BCE-with-logits, Adam (peer: 1e-3). */
export interface SegmentationTrainer {
  /** One step on a batch; returns the loss before the update. */
  step(images: tf.Tensor4D, masks: tf.Tensor4D): number;
  /** Free the optimiser's state. */
  dispose(): void;
}

/** Create a trainer for a U-Net producing one logit per pixel. */
export function createSegmentationTrainer(
  model: tf.LayersModel,
  options: { readonly learningRate?: number } = {},
): SegmentationTrainer {
  const opt = torchAdam(options.learningRate ?? 1e-3);
  const vars = trainableVariables(model);
  return {
    step(images, masks) {
      const cost = opt.minimize(
        () =>
          tf.losses.sigmoidCrossEntropy(
            masks,
            model.apply(images, { training: true }) as tf.Tensor,
          ) as tf.Scalar,
        true,
        vars,
      );
      const loss = cost?.dataSync()[0] ?? Number.NaN;
      cost?.dispose();
      return loss;
    },
    dispose() {
      opt.dispose();
    },
  };
}
