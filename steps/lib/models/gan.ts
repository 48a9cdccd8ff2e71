/**
 * The GAN of Chatterjee, Muñoz-Jaramillo & Malanushenko (2025), as in the paper's code
 * (`../shared/peers/torch_gan.py` is the same network in PyTorch), written with the tfjs Layers
 * API in NHWC so it saves and loads as a Layers model.
 *
 * Generator (size 128): z ∈ ℝ¹⁰⁰ → Linear(100 → 64·15·15) + LeakyReLU(0.2) → reshape 15×15×64 →
 * ConvTranspose(64→64, 3, stride 2, no padding) → 31 → LeakyReLU → ConvTranspose(64→32) → 63 →
 * LeakyReLU → zero-pad bottom/right to 64 → ConvTranspose(32→1) → 129 → crop to 128 → tanh.
 * Discriminator: Conv(1→32, 3, stride 2, no padding) → 63, Conv(32→64) → 31, Conv(64→64) → 15,
 * LeakyReLU(0.2) after each, flatten, Linear(→100) + LeakyReLU, Linear(100→1) + sigmoid.
 * Other sizes scale the same design: the first map is s₀ = (size − 8)/8 (7 for 64×64).
 * Optional (off in the paper): a minibatch standard-deviation channel before D's flatten.
 *
 * PyTorch flattens NCHW and we flatten NHWC: the two networks are the same function family, but
 * the weights of the dense layers next to a reshape are stored in a different order.
 */
import * as tf from '@tensorflow/tfjs';
import { MinibatchStd } from './gan-minibatch-std.js';
import { SeedSequence, torchBiasInit, torchWeightInit } from './torch-init.js';

/** Dimension of the latent vector z. */
export const LATENT_DIM = 100;

/** Slope of the LeakyReLU activations (paper: 0.2). */
export const LEAKY_SLOPE = 0.2;

/** Options shared by the two builders. */
export interface GanModelOptions {
  /** Image side in pixels: a multiple of 8, at least 24 (the paper: 128; quick runs: 64). */
  readonly size: number;
  /** Seed for the initial weights (PyTorch's default initialisation). */
  readonly seed?: number;
}

/** Options of the discriminator. */
export interface DiscriminatorOptions extends GanModelOptions {
  /**
   * Append the minibatch standard-deviation channel (Karras et al. 2018) after the last
   * convolution: s0′² more inputs to the dense layer. Off in the paper. @default false
   */
  readonly minibatchStd?: boolean;
}

/** Side of the generator's first feature map: three stride-2 transposed convolutions reach ≥ size. */
export function firstMapSize(size: number): number {
  if (!Number.isInteger(size) || size < 24 || size % 8 !== 0) {
    throw new RangeError(`GAN image size must be a multiple of 8 and at least 24, got ${size}`);
  }
  return (size - 8) / 8;
}

/** Side after a 3×3, stride-2, unpadded convolution. */
function convOut(n: number): number {
  return Math.floor((n - 3) / 2) + 1;
}

/** The generator G: z [batch, 100] → image [batch, size, size, 1] in [−1, 1]. */
export function buildGenerator(options: GanModelOptions): tf.LayersModel {
  const s0 = firstMapSize(options.size);
  const seeds = new SeedSequence(options.seed ?? 0);
  const z = tf.input({ shape: [LATENT_DIM], name: 'z' });
  let x = tf.layers
    .dense({
      units: 64 * s0 * s0,
      kernelInitializer: torchWeightInit(seeds.next()),
      biasInitializer: torchBiasInit(LATENT_DIM, seeds.next()),
      name: 'fc',
    })
    .apply(z) as tf.SymbolicTensor;
  x = tf.layers.leakyReLU({ alpha: LEAKY_SLOPE, name: 'fc_act' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reshape({ targetShape: [s0, s0, 64], name: 'to_map' }).apply(x) as tf.SymbolicTensor;
  const deconv = (filters: number, name: string): tf.layers.Layer =>
    tf.layers.conv2dTranspose({
      filters,
      kernelSize: 3,
      strides: 2,
      padding: 'valid',
      kernelInitializer: torchWeightInit(seeds.next()),
      // PyTorch's ConvTranspose2d fan-in is out_channels·k·k (see torch-init.ts).
      biasInitializer: torchBiasInit(filters * 9, seeds.next()),
      name,
    });
  x = deconv(64, 'd1').apply(x) as tf.SymbolicTensor; // 2·s0 + 1
  x = tf.layers.leakyReLU({ alpha: LEAKY_SLOPE, name: 'd1_act' }).apply(x) as tf.SymbolicTensor;
  x = deconv(32, 'd2').apply(x) as tf.SymbolicTensor; // 4·s0 + 3 = size − 1
  x = tf.layers.leakyReLU({ alpha: LEAKY_SLOPE, name: 'd2_act' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers
    .zeroPadding2d({
      padding: [
        [0, 1],
        [0, 1],
      ],
      name: 'pad',
    })
    .apply(x) as tf.SymbolicTensor; // size
  x = deconv(1, 'd3').apply(x) as tf.SymbolicTensor; // 2·size + 1, cropped bottom/right to size
  x = tf.layers
    .cropping2D({
      cropping: [
        [0, 1],
        [0, 1],
      ],
      name: 'crop',
    })
    .apply(x) as tf.SymbolicTensor;
  const image = tf.layers.activation({ activation: 'tanh', name: 'tanh' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: z, outputs: image, name: 'generator' });
}

/** The discriminator D: image [batch, size, size, 1] → probability [batch, 1] that it is real. */
export function buildDiscriminator(options: DiscriminatorOptions): tf.LayersModel {
  firstMapSize(options.size);
  const seeds = new SeedSequence((options.seed ?? 0) + 1);
  const image = tf.input({ shape: [options.size, options.size, 1], name: 'image' });
  let x: tf.SymbolicTensor = image;
  let side = options.size;
  let channels = 1;
  for (const [i, filters] of [32, 64, 64].entries()) {
    x = tf.layers
      .conv2d({
        filters,
        kernelSize: 3,
        strides: 2,
        padding: 'valid',
        kernelInitializer: torchWeightInit(seeds.next()),
        biasInitializer: torchBiasInit(channels * 9, seeds.next()),
        name: `c${i + 1}`,
      })
      .apply(x) as tf.SymbolicTensor;
    x = tf.layers.leakyReLU({ alpha: LEAKY_SLOPE, name: `c${i + 1}_act` }).apply(x) as tf.SymbolicTensor;
    side = convOut(side);
    channels = filters;
  }
  if (options.minibatchStd === true) {
    x = new MinibatchStd({ name: 'minibatch_std' }).apply(x) as tf.SymbolicTensor;
    channels += 1;
  }
  x = tf.layers.flatten({ name: 'flatten' }).apply(x) as tf.SymbolicTensor;
  const flat = side * side * channels;
  x = tf.layers
    .dense({
      units: 100,
      kernelInitializer: torchWeightInit(seeds.next()),
      biasInitializer: torchBiasInit(flat, seeds.next()),
      name: 'fc',
    })
    .apply(x) as tf.SymbolicTensor;
  x = tf.layers.leakyReLU({ alpha: LEAKY_SLOPE, name: 'fc_act' }).apply(x) as tf.SymbolicTensor;
  const p = tf.layers
    .dense({
      units: 1,
      activation: 'sigmoid',
      kernelInitializer: torchWeightInit(seeds.next()),
      biasInitializer: torchBiasInit(100, seeds.next()),
      name: 'out',
    })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: image, outputs: p, name: 'discriminator' });
}
