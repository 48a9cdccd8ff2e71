/**
 * The segmentation loss: class-weighted binary cross-entropy on logits plus soft Dice.
 *
 * Targets carry the truth mask's classes t ∈ {0 background, 1 real, 2 artifact}. With logits z,
 * p = σ(z), y = [t = 1], a = [t = 2], positive-class weight w and artifact weight w_a:
 *   BCE_w = mean[ w · y · softplus(−z) + (1 + (w_a − 1) a) · (1 − y) · softplus(z) ]
 *                                                                     (−log σ(z) = softplus(−z))
 *   Dice  = 1 − (2 Σ p y + 1) / (Σ p + Σ y + 1)                       (sums over the whole batch)
 *   L     = BCE_w + Dice.
 * Real transients cover a few pixels of a stamp, so unweighted BCE is minimised by predicting
 * background everywhere; the weight w and the Dice term (which is scale-free in the number of
 * positive pixels) counter that. The +1 smoothing keeps Dice defined on stamps with no positives.
 * Artifacts are background for the target, but a cosmic ray covers a handful of pixels of a stamp
 * of thousands: with weight 1 its pixels barely move the loss, and a sharp bright track that looks
 * "transient-like" in the science channel is left at high probability. The artifact weight w_a
 * makes a false positive on an artifact pixel cost as much as a missed real pixel (hard negatives).
 */
import * as tf from '@tensorflow/tfjs';

/** The loss terms, as scalars (the caller disposes them). */
export interface SegmentationLoss {
  readonly total: tf.Scalar;
  readonly bce: tf.Scalar;
  readonly dice: tf.Scalar;
}

/**
 * Class-weighted BCE + soft Dice of `logits` against `targets` (same shape; classes 0, 1, 2 as
 * above; binary targets are the special case without artifacts).
 */
export function segmentationLoss(
  targets: tf.Tensor,
  logits: tf.Tensor,
  positiveWeight: number,
  artifactWeight = 1,
): SegmentationLoss {
  return tf.tidy(() => {
    const labels = tf.cast(tf.equal(targets, 1), 'float32');
    const artifact = tf.cast(tf.equal(targets, 2), 'float32');
    const positive = tf.mul(tf.mul(labels, positiveWeight), tf.softplus(tf.neg(logits)));
    const negativeWeight = tf.add(1, tf.mul(artifact, artifactWeight - 1));
    const negative = tf.mul(tf.mul(tf.sub(1, labels), negativeWeight), tf.softplus(logits));
    const bce = tf.mean(tf.add(positive, negative)) as tf.Scalar;
    const p = tf.sigmoid(logits);
    const overlap = tf.sum(tf.mul(p, labels));
    const dice = tf.sub(
      1,
      tf.div(tf.add(tf.mul(overlap, 2), 1), tf.add(tf.add(tf.sum(p), tf.sum(labels)), 1)),
    ) as tf.Scalar;
    return { total: tf.add(bce, dice) as tf.Scalar, bce, dice };
  });
}

/**
 * The default positive-class weight: √(background pixels / positive pixels) of the training
 * targets, clipped to [1, 100]. The square root is a compromise between no weighting (recall
 * suffers) and the full ratio (which floods the map with false positives on noise).
 */
export function autoPositiveWeight(positivePixels: number, totalPixels: number): number {
  if (positivePixels <= 0) return 1;
  return Math.min(100, Math.max(1, Math.sqrt((totalPixels - positivePixels) / positivePixels)));
}
