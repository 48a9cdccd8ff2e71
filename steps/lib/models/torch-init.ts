/**
 * Initialisers that reproduce PyTorch's default parameter initialisation, so our models start
 * from the same distribution as the paper's code (`nn.Linear`, `nn.Conv2d`, `nn.ConvTranspose2d`).
 *
 * PyTorch draws weights from kaiming_uniform(a = √5), i.e. U(−1/√fanIn, 1/√fanIn), and biases
 * from U(−1/√fanIn, 1/√fanIn). For a transposed convolution PyTorch's fan-in is
 * `outChannels · kh · kw` (its weight is stored `[in, out, kh, kw]`); tfjs stores that kernel as
 * `[kh, kw, out, in]` and computes the same fan-in, so `varianceScaling` with scale 1/3 and mode
 * `fanIn` gives limit √(3 · (1/3) / fanIn) = 1/√fanIn for all three layer kinds.
 */
import * as tf from '@tensorflow/tfjs';

/** A tfjs Layers initialiser. */
export type LayerInitializer = ReturnType<typeof tf.initializers.zeros>;

/** Weight initialiser U(−1/√fanIn, 1/√fanIn), PyTorch's default for linear and conv layers. */
export function torchWeightInit(seed: number): LayerInitializer {
  return tf.initializers.varianceScaling({ scale: 1 / 3, mode: 'fanIn', distribution: 'uniform', seed });
}

/** Bias initialiser U(−1/√fanIn, 1/√fanIn) for a layer whose weight has the given fan-in. */
export function torchBiasInit(fanIn: number, seed: number): LayerInitializer {
  const bound = 1 / Math.sqrt(fanIn);
  return tf.initializers.randomUniform({ minval: -bound, maxval: bound, seed });
}

/**
 * A deterministic seed sequence: each layer of a model takes the next value, so one model seed
 * fixes every initial weight.
 */
export class SeedSequence {
  #next: number;

  constructor(seed: number) {
    this.#next = Math.trunc(seed) * 1000;
  }

  /** The next layer seed. */
  next(): number {
    this.#next += 1;
    return this.#next;
  }
}
