/**
 * A plain U-Net (Ronneberger et al. 2015) as in `../shared/peers/torch_unet.py`: per level two
 * 3×3 convolutions (padding 1) with ReLU, 2×2 max-pooling down, a 2×2 stride-2 transposed
 * convolution up, concatenation with the skip connection (upsampled first, as the peer does), and
 * a 1×1 convolution to one logit per pixel. NHWC, tfjs Layers API, PyTorch's initialisation.
 */
import * as tf from '@tensorflow/tfjs';
import { SeedSequence, torchBiasInit, torchWeightInit } from './torch-init.js';

/** U-Net hyper-parameters. */
export interface UNetOptions {
  /** Input channels (difference image and S_corr: 2). @default 2 */
  readonly inputChannels?: number;
  /** Channels per level, top to bottom. @default [16, 32, 64, 128] */
  readonly widths?: readonly number[];
  /**
   * Input side, or `null` for a fully convolutional model that accepts any side divisible by
   * 2^(levels − 1). @default null
   */
  readonly size?: number | null;
  /** Seed for the initial weights. @default 0 */
  readonly seed?: number;
}

/** Default widths of the four levels. */
import { DEFAULT_UNET_WIDTHS } from './unet-defaults.js';

export { DEFAULT_UNET_WIDTHS };

/** Build the U-Net: image [batch, h, w, inputChannels] → logits [batch, h, w, 1]. */
export function buildUNet(options: UNetOptions = {}): tf.LayersModel {
  const inputChannels = options.inputChannels ?? 2;
  const widths = options.widths ?? DEFAULT_UNET_WIDTHS;
  if (widths.length < 1 || widths.some((w) => !Number.isInteger(w) || w < 1)) {
    throw new RangeError(`U-Net widths must be positive integers, got [${widths.join(', ')}]`);
  }
  const size = options.size ?? null;
  const seeds = new SeedSequence(options.seed ?? 0);
  const conv = (filters: number, inChannels: number, kernel: number, name: string): tf.layers.Layer =>
    tf.layers.conv2d({
      filters,
      kernelSize: kernel,
      padding: 'same',
      kernelInitializer: torchWeightInit(seeds.next()),
      biasInitializer: torchBiasInit(inChannels * kernel * kernel, seeds.next()),
      name,
    });
  const block = (
    x: tf.SymbolicTensor,
    inChannels: number,
    filters: number,
    name: string,
  ): tf.SymbolicTensor => {
    let y = conv(filters, inChannels, 3, `${name}_conv1`).apply(x) as tf.SymbolicTensor;
    y = tf.layers.reLU({ name: `${name}_relu1` }).apply(y) as tf.SymbolicTensor;
    y = conv(filters, filters, 3, `${name}_conv2`).apply(y) as tf.SymbolicTensor;
    return tf.layers.reLU({ name: `${name}_relu2` }).apply(y) as tf.SymbolicTensor;
  };

  const input = tf.input({ shape: [size, size, inputChannels], name: 'image' });
  const skips: tf.SymbolicTensor[] = [];
  let x: tf.SymbolicTensor = input;
  let channels = inputChannels;
  for (const [level, width] of widths.entries()) {
    x = block(x, channels, width, `down${level}`);
    channels = width;
    if (level < widths.length - 1) {
      skips.push(x);
      x = tf.layers
        .maxPooling2d({ poolSize: 2, strides: 2, name: `pool${level}` })
        .apply(x) as tf.SymbolicTensor;
    }
  }
  for (let level = widths.length - 2; level >= 0; level--) {
    const width = widths[level] as number;
    const up = tf.layers
      .conv2dTranspose({
        filters: width,
        kernelSize: 2,
        strides: 2,
        padding: 'valid',
        kernelInitializer: torchWeightInit(seeds.next()),
        biasInitializer: torchBiasInit(width * 4, seeds.next()),
        name: `up${level}`,
      })
      .apply(x) as tf.SymbolicTensor;
    const skip = skips.pop() as tf.SymbolicTensor;
    x = tf.layers.concatenate({ axis: -1, name: `cat${level}` }).apply([up, skip]) as tf.SymbolicTensor;
    x = block(x, 2 * width, width, `up${level}_block`);
    channels = width;
  }
  const logits = conv(1, channels, 1, 'head').apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: 'unet' });
}
