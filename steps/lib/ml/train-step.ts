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
