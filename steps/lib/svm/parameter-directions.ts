/**
 * The paper's latent directions, all parameters at once: for each physical parameter label the
 * latents above its median +1, split them 70/30 (one seeded split shared by every parameter),
 * fit a linear SVM on the training part and keep the unit normal n̂ = w/‖w‖ (towards larger
 * values) and the intercept in the same units. This is the whole numerical work of
 * fit-svm-directions; the fits share the samples, so the native solver runs them in parallel.
 */

import { dot, unitVector } from './directions.js';
import type { ParameterDirection } from './directions-file.js';
import { medianLabels, takeRows, takeValues, trainValidationSplit } from './labels.js';
import { fitLinearSvms, type LinearSvmModel, type LinearSvmOptions, svmAccuracy } from './linear-svm.js';

/** One physical parameter: its name and one value per latent row. */
export interface ParameterColumn {
  readonly name: string;
  readonly values: ArrayLike<number>;
}

/** Options of {@link fitParameterDirections}. */
export interface ParameterDirectionsOptions extends Omit<LinearSvmOptions, 'seed'> {
  /** Fraction of the rows held out for validation. @default 0.3 */
  readonly validationFraction?: number;
  /** Seed of the train/validation split and of the solver's sample order. @default 0 */
  readonly seed?: number;
}

/** A fitted direction and the model behind it. */
export interface FittedDirection {
  readonly direction: ParameterDirection;
  readonly model: LinearSvmModel;
}

/**
 * Fit one SVM direction per parameter on latents `z` (n × d, row-major).
 *
 * @example
 * const fitted = fitParameterDirections({ data, rows: n, columns: 100 }, [{ name: 'tuf', values }]);
 */
export function fitParameterDirections(
  z: { readonly data: Float64Array; readonly rows: number; readonly columns: number },
  parameters: readonly ParameterColumn[],
  options: ParameterDirectionsOptions = {},
): Map<string, FittedDirection> {
  const { rows: n, columns: d } = z;
  const seed = options.seed ?? 0;
  const split = trainValidationSplit(n, options.validationFraction ?? 0.3, seed);
  const Xtrain = { data: takeRows(z.data, d, split.train), rows: split.train.length, columns: d };
  const Xval = { data: takeRows(z.data, d, split.validation), rows: split.validation.length, columns: d };
  const labelled = parameters.map(({ name, values }) => {
    if (values.length !== n)
      throw new RangeError(`parameter \`${name}\` has ${values.length} values for ${n} latents`);
    const { labels, threshold } = medianLabels(values);
    return {
      name,
      threshold,
      yTrain: takeValues(labels, split.train),
      yVal: takeValues(labels, split.validation),
    };
  });
  const models = fitLinearSvms(
    Xtrain,
    labelled.map((p) => p.yTrain),
    { ...options, seed },
  );
  const out = new Map<string, FittedDirection>();
  for (const [k, p] of labelled.entries()) {
    const model = models[k] as LinearSvmModel;
    const norm = Math.sqrt(dot(model.weights, model.weights));
    out.set(p.name, {
      model,
      direction: {
        normal: Array.from(unitVector(model.weights)),
        // The hyperplane n̂·z + b/‖w‖ = 0 in the units of the unit normal.
        intercept: model.intercept / norm,
        median: p.threshold,
        trainAccuracy: svmAccuracy(model, Xtrain, p.yTrain),
        validationAccuracy: svmAccuracy(model, Xval, p.yVal),
        nTrain: Xtrain.rows,
        nValidation: Xval.rows,
        iterations: model.iterations,
        converged: model.converged,
      },
    });
  }
  return out;
}
