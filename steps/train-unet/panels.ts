/**
 * Example predictions as one PNG: a row per stamp with its input channels (grey, zscale), the
 * truth target (white = real transient, grey = artifact) and the predicted probability (viridis, 0 to 1).
 */
import type * as tf from '@tensorflow/tfjs';
import { composeGrid } from '../lib/render/compose.js';
import { renderImage } from '../lib/render/preview.js';
import type { RgbImage } from '../lib/render/types.js';
import type { Stamp } from '../lib/stamps/sample.js';

/** Render `stamps` with the model's predictions. */
export function predictionPanels(
  tfjs: typeof tf,
  model: tf.LayersModel,
  stamps: readonly Stamp[],
  size: number,
  channels: number,
): RgbImage {
  const tiles: RgbImage[] = [];
  for (const stamp of stamps) {
    const probability = tfjs.tidy(() =>
      tfjs
        .sigmoid(model.predict(tfjs.tensor4d(stamp.input, [1, size, size, channels])) as tf.Tensor)
        .dataSync(),
    );
    for (let c = 0; c < channels; c++) {
      const plane = new Float64Array(size * size);
      for (let i = 0; i < plane.length; i++) plane[i] = stamp.input[i * channels + c]!;
      tiles.push(renderImage({ width: size, height: size, data: plane }, { colormap: 'grey' }));
    }
    tiles.push(
      renderImage(
        // White: real transient; grey: artifact (background to the network).
        {
          width: size,
          height: size,
          data: Float64Array.from(stamp.target, (v) => (v === 1 ? 1 : v === 2 ? 0.4 : 0)),
        },
        { colormap: 'grey', interval: { kind: 'manual', vmin: 0, vmax: 1 } },
      ),
    );
    tiles.push(
      renderImage(
        { width: size, height: size, data: Float64Array.from(probability) },
        { colormap: 'viridis', interval: { kind: 'manual', vmin: 0, vmax: 1 } },
      ),
    );
  }
  return composeGrid(tiles, { columns: channels + 2, scale: size < 96 ? 2 : 1 });
}
