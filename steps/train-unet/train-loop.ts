/**
 * The U-Net training loop: Adam on the segmentation loss, mini-batches shuffled per epoch,
 * validation loss after each epoch, a checkpoint per epoch, and early stopping that restores the
 * weights of the best validation epoch.
 */
import type * as tf from '@tensorflow/tfjs';
import { Random } from '../lib/random.js';
import type { Stamp } from '../lib/stamps/sample.js';
import { segmentationLoss } from './loss.js';

/** One row of history.csv. */
export interface EpochRecord {
  readonly epoch: number;
  readonly train_loss: number;
  readonly val_loss: number;
  readonly val_bce: number;
  readonly val_dice: number;
  readonly seconds: number;
}

/** Loop settings. */
export interface TrainOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly positiveWeight: number;
  /** BCE weight of artifact pixels (target 2). */
  readonly artifactWeight: number;
  /** Stop after this many epochs without a better validation loss. */
  readonly patience: number;
  readonly seed: number;
  readonly stampSize: number;
  readonly channels: number;
  readonly signal: AbortSignal;
  /** Called after every batch with (batches done, batches planned). */
  onBatch(done: number, total: number): void;
  /** Called after every epoch (save a checkpoint, log). */
  onEpoch(record: EpochRecord, model: tf.LayersModel): Promise<void>;
}

/** What the loop ends with. */
export interface TrainResult {
  readonly history: EpochRecord[];
  readonly bestEpoch: number;
  readonly stoppedEarly: boolean;
}

function batchTensors(
  tfjs: typeof tf,
  stamps: readonly Stamp[],
  indices: readonly number[],
  size: number,
  channels: number,
): { x: tf.Tensor4D; y: tf.Tensor4D } {
  const x = new Float32Array(indices.length * size * size * channels);
  const y = new Float32Array(indices.length * size * size);
  indices.forEach((s, b) => {
    x.set(stamps[s]!.input, b * size * size * channels);
    y.set(stamps[s]!.target, b * size * size);
  });
  return {
    x: tfjs.tensor4d(x, [indices.length, size, size, channels]),
    y: tfjs.tensor4d(y, [indices.length, size, size, 1]),
  };
}

/** Mean loss terms over `stamps` (no gradient), weighted by batch size. */
export function evaluateLoss(
  tfjs: typeof tf,
  model: tf.LayersModel,
  stamps: readonly Stamp[],
  options: Pick<TrainOptions, 'batchSize' | 'positiveWeight' | 'artifactWeight' | 'stampSize' | 'channels'>,
): { total: number; bce: number; dice: number } {
  let total = 0;
  let bce = 0;
  let dice = 0;
  for (let start = 0; start < stamps.length; start += options.batchSize) {
    const indices = Array.from(
      { length: Math.min(options.batchSize, stamps.length - start) },
      (_, i) => start + i,
    );
    const values = tfjs.tidy(() => {
      const { x, y } = batchTensors(tfjs, stamps, indices, options.stampSize, options.channels);
      const loss = segmentationLoss(
        y,
        model.predict(x) as tf.Tensor,
        options.positiveWeight,
        options.artifactWeight,
      );
      return [loss.total, loss.bce, loss.dice].map((t) => t.dataSync()[0]!);
    });
    total += values[0]! * indices.length;
    bce += values[1]! * indices.length;
    dice += values[2]! * indices.length;
  }
  const n = Math.max(1, stamps.length);
  return { total: total / n, bce: bce / n, dice: dice / n };
}

/** Train `model` in place; on return it holds the best epoch's weights. */
export async function trainUNet(
  tfjs: typeof tf,
  model: tf.LayersModel,
  train: readonly Stamp[],
  validation: readonly Stamp[],
  options: TrainOptions,
): Promise<TrainResult> {
  const optimizer = tfjs.train.adam(options.learningRate, 0.9, 0.999, 1e-8);
  const rng = new Random(options.seed);
  const batchesPerEpoch = Math.ceil(train.length / options.batchSize);
  const history: EpochRecord[] = [];
  let best = Number.POSITIVE_INFINITY;
  let bestEpoch = 0;
  let bestWeights: tf.Tensor[] | undefined;
  let stoppedEarly = false;
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const started = performance.now();
      const order = rng.fork(`epoch-${epoch}`).permutation(train.length);
      let trainLoss = 0;
      for (let b = 0; b < batchesPerEpoch; b++) {
        options.signal.throwIfAborted();
        const indices = order.slice(b * options.batchSize, (b + 1) * options.batchSize);
        const { x, y } = batchTensors(tfjs, train, indices, options.stampSize, options.channels);
        // minimize runs the loss inside its own tidy: only the returned total survives.
        const cost = optimizer.minimize(
          () =>
            segmentationLoss(
              y,
              model.apply(x, { training: true }) as tf.Tensor,
              options.positiveWeight,
              options.artifactWeight,
            ).total,
          true,
        );
        x.dispose();
        y.dispose();
        if (cost === null) throw new Error('internal: the optimiser returned no loss');
        trainLoss += (await cost.data())[0]! * indices.length;
        cost.dispose();
        options.onBatch((epoch - 1) * batchesPerEpoch + b + 1, options.epochs * batchesPerEpoch);
        // Yield to the event loop so an abort (Ctrl-C, timeout) is seen between batches.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      // Without validation fields, early stopping falls back on the training loss.
      const val =
        validation.length > 0
          ? evaluateLoss(tfjs, model, validation, options)
          : { total: trainLoss / train.length, bce: Number.NaN, dice: Number.NaN };
      const record: EpochRecord = {
        epoch,
        train_loss: trainLoss / train.length,
        val_loss: val.total,
        val_bce: val.bce,
        val_dice: val.dice,
        seconds: (performance.now() - started) / 1000,
      };
      history.push(record);
      await options.onEpoch(record, model);
      if (val.total < best) {
        best = val.total;
        bestEpoch = epoch;
        for (const w of bestWeights ?? []) w.dispose();
        bestWeights = model.getWeights().map((w) => w.clone());
      } else if (epoch - bestEpoch >= options.patience) {
        stoppedEarly = true;
        break;
      }
    }
    if (bestWeights !== undefined) model.setWeights(bestWeights);
    return { history, bestEpoch, stoppedEarly };
  } finally {
    for (const w of bestWeights ?? []) w.dispose();
    optimizer.dispose();
  }
}
