/**
 * fit-svm-directions: the paper's latent directions. For each physical parameter, label the
 * latents above the median +1, split 70/30 (seeded), fit a linear SVM (C = 1, hinge loss, L2),
 * and keep the unit normal n̂ (towards larger values); then conditional directions with other
 * normals projected out (InterFaceGAN). Solver and projection: `steps/lib/svm/`.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineStep, StepInputError } from '../../engine/index.js';
import { conditionalDirection, DegenerateDirectionError, dot, unitVector } from '../lib/svm/directions.js';
import type { ConditionalDirection, DirectionsFile, ParameterDirection } from '../lib/svm/directions-file.js';
import { medianLabels, takeRows, takeValues, trainValidationSplit } from '../lib/svm/labels.js';
import { readLatents } from '../lib/svm/latent-io.js';
import { fitLinearSvm, svmAccuracy } from '../lib/svm/linear-svm.js';
import { readCsv } from '../lib/table/csv.js';
import { fitSvmDirectionsParams } from './params.js';

export type { ConditionalDirection, DirectionsFile, ParameterDirection } from '../lib/svm/directions-file.js';

export const fitSvmDirections = defineStep({
  name: 'fit-svm-directions',
  version: '1',
  description:
    'Fit one linear SVM per physical parameter in latent space; unit normals and conditional directions.',
  params: fitSvmDirectionsParams,
  outputs: {
    directions:
      'JSON: per parameter the unit normal, intercept, median, train/validation accuracy; conditional directions.',
  },
  async run(ctx) {
    const p = ctx.params;
    let latents: ReturnType<typeof readLatents>;
    try {
      latents = readLatents(p.latents);
    } catch (error) {
      throw new StepInputError(`cannot read latents: ${(error as Error).message}`, {
        file: p.latents,
        cause: error,
      });
    }
    const table = await readCsv(p.parameters);
    if (table.rows.length !== latents.rows) {
      throw new StepInputError(
        `${table.rows.length} parameter rows for ${latents.rows} latents; they must correspond row by row`,
        { file: p.parameters, hint: 'Use the `parameters` output of the same sample-latents run' },
      );
    }
    const d = latents.columns;
    const keep = table.rows
      .map((row, i) => ({ row, i }))
      .filter(({ row }) => !(p.dropFlagged ?? false) || Number(row.flag ?? 0) === 0)
      .map(({ i }) => i);
    const X = takeRows(latents.data, d, keep);
    const n = keep.length;
    const split = trainValidationSplit(n, p.validationFraction ?? 0.3, ctx.seed);
    const Xtrain = { data: takeRows(X, d, split.train), rows: split.train.length, columns: d };
    const Xval = { data: takeRows(X, d, split.validation), rows: split.validation.length, columns: d };
    const names = p.fit ?? ['tuf', 'psep', 'r', 'dipole_ew', 'net_flux'];
    const parameters: Record<string, ParameterDirection> = {};
    for (const [k, name] of names.entries()) {
      ctx.signal.throwIfAborted();
      ctx.progress(k, names.length);
      if (!table.columns.includes(name)) {
        throw new StepInputError(`no column \`${name}\` in the parameters table`, {
          file: p.parameters,
          hint: `Columns are: ${table.columns.join(', ')}`,
        });
      }
      const values = Float64Array.from(keep, (i) => Number(table.rows[i]?.[name]));
      const { labels, threshold } = medianLabels(values);
      const yTrain = takeValues(labels, split.train);
      const model = fitLinearSvm(Xtrain, yTrain, {
        C: p.C ?? 1,
        loss: 'hinge',
        tol: p.tol ?? 0.01,
        maxIter: p.maxIter ?? 20000,
        seed: ctx.seed,
      });
      if (!model.converged)
        ctx.log.warn(`${name}: the SVM stopped at maxIter = ${model.iterations} before tol`);
      const norm = Math.sqrt(dot(model.weights, model.weights));
      parameters[name] = {
        normal: Array.from(unitVector(model.weights)),
        // The hyperplane n̂·z + b/‖w‖ = 0 in the units of the unit normal.
        intercept: model.intercept / norm,
        median: threshold,
        trainAccuracy: svmAccuracy(model, Xtrain, yTrain),
        validationAccuracy: svmAccuracy(model, Xval, takeValues(labels, split.validation)),
        nTrain: Xtrain.rows,
        nValidation: Xval.rows,
        iterations: model.iterations,
        converged: model.converged,
      };
      const fitted = parameters[name];
      ctx.log.info(
        `${name}: validation accuracy ${fitted.validationAccuracy.toFixed(3)} (train ${fitted.trainAccuracy.toFixed(3)})`,
      );
    }
    const conditional: Record<string, ConditionalDirection> = {};
    for (const spec of p.conditional ?? [{ name: 'tuf-without-r', primal: 'tuf', conditions: ['r'] }]) {
      const lookup = (name: string): number[] => {
        const found = parameters[name];
        if (found === undefined) {
          throw new StepInputError(
            `conditional direction \`${spec.name}\` needs \`${name}\`, which is not fitted`,
            {
              file: p.parameters,
              hint: `Add \`${name}\` to \`fit\` (fitted: ${Object.keys(parameters).join(', ')})`,
            },
          );
        }
        return found.normal;
      };
      const primal = lookup(spec.primal);
      try {
        const direction = conditionalDirection(primal, spec.conditions.map(lookup));
        conditional[spec.name] = {
          primal: spec.primal,
          conditions: [...spec.conditions],
          direction: Array.from(direction),
          cosineWithPrimal: dot(direction, primal),
        };
      } catch (error) {
        if (!(error instanceof DegenerateDirectionError)) throw error;
        throw new StepInputError(`conditional direction \`${spec.name}\`: ${error.message}`, {
          cause: error,
        });
      }
    }
    const out: DirectionsFile = { latentDim: d, parameters, conditional };
    await writeFile(join(ctx.outDir, 'directions.json'), `${JSON.stringify(out, null, 2)}\n`);
    ctx.progress(names.length, names.length);
    return { directions: 'directions.json' };
  },
});
