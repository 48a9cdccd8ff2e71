/**
 * Running a generator over many latent vectors in batches, keeping tfjs memory flat: each batch
 * is computed inside `tf.tidy` and copied out to one Float32Array (N × size × size, kG).
 */
import * as tf from '@tensorflow/tfjs';

/** Generated patches back to back, with their side. */
export interface GeneratedStack {
  readonly size: number;
  readonly count: number;
  readonly data: Float32Array;
}

/**
 * G(z) for `count` latents of dimension `latentDim` stored row-major in `z`.
 *
 * @param onBatch called after each batch with the number of images done (progress, abort checks).
 */
export function generateImages(
  generator: tf.LayersModel,
  z: Float64Array,
  count: number,
  latentDim: number,
  options: { readonly batchSize?: number; readonly onBatch?: (done: number) => void } = {},
): GeneratedStack {
  const outShape = generator.outputs[0]?.shape ?? [];
  const size = outShape[1];
  if (typeof size !== 'number' || outShape[2] !== size) {
    throw new RangeError(`the generator's output shape [${outShape.join(', ')}] is not [batch, N, N, 1]`);
  }
  const batchSize = options.batchSize ?? 64;
  const data = new Float32Array(count * size * size);
  for (let start = 0; start < count; start += batchSize) {
    const rows = Math.min(batchSize, count - start);
    const batch = tf.tidy(() => {
      const input = tf.tensor2d(
        Float32Array.from(z.subarray(start * latentDim, (start + rows) * latentDim)),
        [rows, latentDim],
      );
      return generator.predict(input) as tf.Tensor;
    });
    data.set(batch.dataSync() as Float32Array, start * size * size);
    batch.dispose();
    options.onBatch?.(start + rows);
  }
  return { size, count, data };
}
