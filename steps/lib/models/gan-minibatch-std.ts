/**
 * Minibatch standard deviation (Karras, Aila, Laine & Lehtinen 2018, "Progressive growing of
 * GANs for improved quality, stability, and variation", §3): a discriminator layer that appends
 * one feature map holding the average over features and positions of the standard deviation of
 * each feature across the minibatch. A generator that makes too little variety (here: too few
 * strong, extended regions) gives batches of lower spread than real batches, which the
 * discriminator can then see and penalise — a cheap counter to partial mode dropping.
 *
 * For an input x[b, h, w, c] of a batch of B:
 *   σ[h, w, c] = √( (1/B) Σ_b (x[b, h, w, c] − x̄[h, w, c])² + 1e-8 ),  s = mean_{h,w,c} σ,
 * and the output is x with a constant channel s appended (NHWC, channels last). The whole batch
 * is one group (the paper's original form); every image of the batch gets the same s.
 */
import * as tf from '@tensorflow/tfjs';

/** ε under the square root (the paper's implementation: 1e-8). */
export const MINIBATCH_STD_EPSILON = 1e-8;

/** The minibatch standard-deviation layer: [B, H, W, C] → [B, H, W, C + 1]. */
export class MinibatchStd extends tf.layers.Layer {
  /** tfjs's name for this layer class (the discriminator is never saved, so no registration). */
  static readonly className = 'MinibatchStd';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const channels = shape[3];
    if (shape.length !== 4 || channels === null || channels === undefined) {
      throw new RangeError(`MinibatchStd needs a [batch, h, w, c] input, got [${shape.join(', ')}]`);
    }
    return [shape[0] ?? null, shape[1] ?? null, shape[2] ?? null, channels + 1];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const [batch, height, width] = x.shape;
      const deviation = tf.sub(x, tf.mean(x, 0, true));
      const sigma = tf.sqrt(tf.add(tf.mean(tf.square(deviation), 0), MINIBATCH_STD_EPSILON));
      const s = tf.mean(sigma);
      const channel = tf.mul(tf.ones([batch, height, width, 1]), s);
      return tf.concat([x, channel], 3);
    });
  }

  override getClassName(): string {
    return MinibatchStd.className;
  }
}
