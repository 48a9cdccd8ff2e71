/**
 * The operating threshold of a trained U-Net, chosen on its whole validation fields (tiled and
 * blended exactly as `detect` runs it), stored in unet.json so `detect` uses it by default.
 */
import type * as tf from '@tensorflow/tfjs';
import {
  candidateThresholds,
  chooseOperatingThreshold,
  DEFAULT_THRESHOLD_GRID,
  type OperatingChoice,
  type OperatingRule,
  type ScoredField,
  type ThresholdPoint,
  thresholdPoints,
} from '../lib/metrics/operating-threshold.js';
import { predictTiled } from '../lib/models/tiling.js';
import type { ValidationField } from './data.js';

/** The choice and the table it was made from (threshold.csv). */
export interface OperatingPoint {
  readonly choice: OperatingChoice;
  readonly points: readonly ThresholdPoint[];
  readonly fields: readonly string[];
}

/** Run the model on the validation fields and choose the threshold; undefined without fields. */
export async function chooseOnValidation(
  tfjs: typeof tf,
  model: tf.LayersModel,
  fields: readonly ValidationField[],
  options: {
    readonly levels: number;
    readonly rule: OperatingRule;
    readonly signal: AbortSignal;
  },
): Promise<OperatingPoint | undefined> {
  if (fields.length === 0) return undefined;
  const scored: ScoredField[] = [];
  for (const f of fields) {
    const probability = await predictTiled(
      tfjs,
      model,
      f.input,
      f.width,
      f.height,
      f.channels,
      { multiple: 2 ** (options.levels - 1) },
      options.signal,
    );
    scored.push({
      field: f.field,
      width: f.width,
      height: f.height,
      probability,
      truth: f.truth,
      mask: f.mask,
    });
  }
  const points = thresholdPoints(scored, candidateThresholds(scored, DEFAULT_THRESHOLD_GRID));
  return {
    choice: chooseOperatingThreshold(points, options.rule),
    points,
    fields: fields.map((f) => f.field),
  };
}
