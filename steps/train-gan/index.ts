/**
 * train-gan: the paper's GAN (steps/lib/models/gan.ts) on a stack of patches. Adam 5e-4, batch
 * 32, BCE; per iteration the generator step first, then the discriminator step on the same z
 * (steps/lib/models/gan-trainer.ts, with the paper's loop as the default and opt-in stabilisers:
 * hemisphere-twin augmentation, annealed instance noise, label smoothing, Adam β₁, TTUR, weight
 * EMA). After each epoch: the held-out discriminator accuracy (real
 * patches never trained on vs generated ones) and the KS statistics of TUF, R, PSEP and net flux
 * between generated and training patches. The kept epoch is, by default, the one whose samples
 * match the training physics best (smallest largest KS); `select: paper` applies the paper's rule
 * (lowest discriminator accuracy among the first half of the epochs).
 */
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { defineStep, StepInputError } from '../../engine/index.js';
import type { BackendPreference } from '../lib/ml/backend.js';
import { hemisphereTwin } from '../lib/models/gan-augment.js';
import { Random } from '../lib/random.js';
import { writePng } from '../lib/render/png.js';
import { patchGrid } from '../lib/solar/figures.js';
import { readPatchStack } from '../lib/solar/patch-stack.js';
import { type PhysicalParameters, stackParameters } from '../lib/solar/physics.js';
import { type PhysicsKs, physicsKs } from '../lib/solar/physics-ks.js';
import { type CsvRow, writeCsv } from '../lib/table/csv.js';
import { trainGanParams } from './params.js';

const LOSS_COLUMNS = [
  'epoch',
  'g_loss',
  'd_loss',
  'd_accuracy',
  'ks_tuf',
  'ks_r',
  'ks_psep',
  'ks_net_flux',
  'ks_max',
] as const;

interface EpochRecord {
  readonly epoch: number;
  readonly dAccuracy: number;
  readonly ks: PhysicsKs;
}

export const trainGan = defineStep({
  name: 'train-gan',
  version: '2',
  description:
    'Train the paper’s GAN on magnetogram patches; keep the epoch that best matches the training physics.',
  params: trainGanParams,
  outputs: {
    generator: 'Folder: the selected generator as a tfjs Layers model (model.json + weights).',
    losses: 'CSV: epoch,g_loss,d_loss,d_accuracy,ks_tuf,ks_r,ks_psep,ks_net_flux,ks_max.',
    samples: 'PNG: 10×10 grid of samples from the selected generator (grey, ±0.5 kG).',
    selection: 'JSON: the selected epoch, the rule, and each rule’s candidate epoch.',
  },
  resources: { gpu: 1 },
  isolate: true,
  async run(ctx) {
    const p = ctx.params;
    // tfjs and the models load only when a GAN step runs, so `asterism --help` stays fast.
    const tf = await import('@tensorflow/tfjs');
    const { initBackend } = await import('../lib/ml/backend.js');
    const { saveModel, loadModel } = await import('../lib/ml/model-io.js');
    const { createPaperGanTrainer } = await import('../lib/models/gan-trainer.js');
    const { GeneratorEma } = await import('../lib/models/gan-ema.js');
    const { buildDiscriminator, buildGenerator, LATENT_DIM } = await import('../lib/models/gan.js');
    const { generateImages } = await import('../lib/solar/generate.js');
    const backend = await initBackend((p.backend ?? 'auto') as BackendPreference, { log: ctx.log.info });
    ctx.reportBackend?.(`${backend.name}, ${backend.threads} thread(s)`);
    const stack = readPatchStack(p.patches);
    const size = stack.width;
    if (stack.height !== size || size % 8 !== 0) {
      throw new StepInputError(
        `patches are ${stack.width}×${stack.height}; the GAN needs N×N with N a multiple of 8`,
        {
          file: p.patches,
          hint: 'Set prepare-patches `size` to 64 or 128',
        },
      );
    }
    const epochs = p.epochs ?? 100;
    const batchSize = p.batchSize ?? 32;
    const evalSamples = p.evalSamples ?? 500;
    const holdout = Math.min(p.holdout ?? 200, Math.floor(stack.count / 5));
    const n = size * size;
    const rng = new Random(ctx.seed);
    const order = rng.fork('holdout').permutation(stack.count);
    const heldOut = order.slice(0, holdout);
    const training = order.slice(holdout);
    const batches = Math.floor(training.length / batchSize);
    if (batches === 0) {
      throw new StepInputError(`${training.length} training patches make no batch of ${batchSize}`, {
        file: p.patches,
        hint: 'Prepare more patches or lower `batchSize`',
      });
    }
    const gather = (indices: readonly number[], mirrored?: readonly boolean[]): Float32Array => {
      const out = new Float32Array(indices.length * n);
      indices.forEach((k, i) => {
        const patch = stack.data.subarray(k * n, (k + 1) * n);
        if (mirrored?.[i] === true) hemisphereTwin(patch, size, out.subarray(i * n, (i + 1) * n));
        else out.set(patch, i * n);
      });
      return out;
    };
    const trainingPhysics: PhysicalParameters[] = stackParameters(
      gather(training.slice(0, Math.max(evalSamples, 1000))),
      size,
      size,
    );
    const heldOutImages = tf.tensor4d(gather(heldOut), [heldOut.length, size, size, 1]);
    const evalZ = rng.fork('eval').normalArray(evalSamples * LATENT_DIM);
    const g = buildGenerator({ size, seed: rng.fork('init-g').seed });
    const d = buildDiscriminator({
      size,
      seed: rng.fork('init-d').seed,
      minibatchStd: p.minibatchStd ?? false,
    });
    const learningRate = p.learningRate ?? 5e-4;
    const trainer = createPaperGanTrainer(g, d, {
      learningRate,
      discriminatorLearningRate: p.discriminatorLearningRate ?? learningRate,
      beta1: p.adamBeta1 ?? 0.9,
      realLabel: p.realLabel ?? 1,
      regenerateFakes: p.regenerateFakes ?? true,
    });
    const emaDecay = p.emaDecay ?? 0;
    // With EMA on, the averaged generator is the one evaluated, saved and kept.
    const ema = emaDecay > 0 ? new GeneratorEma(g, buildGenerator({ size, seed: 0 }), emaDecay) : undefined;
    const kept = ema?.model ?? g;
    const augment = p.augment ?? 'none';
    const noise0 = p.instanceNoise ?? 0;
    const noiseIterations = (p.instanceNoiseFraction ?? 0.5) * epochs * batches;
    // Linear decay of both rates to 0 over the last `learningRateDecayFraction` of the iterations.
    const decayIterations = (p.learningRateDecayFraction ?? 0) * epochs * batches;
    const rateScale = (iteration: number): number =>
      decayIterations > 0 ? Math.min(1, (epochs * batches - iteration) / decayIterations) : 1;
    const checkpoints = join(ctx.outDir, 'checkpoints');
    await mkdir(checkpoints, { recursive: true });
    const rows: CsvRow[] = [];
    const records: EpochRecord[] = [];
    const halfway = Math.max(1, Math.floor(epochs / 2));
    const best = {
      physics: undefined as EpochRecord | undefined,
      paper: undefined as EpochRecord | undefined,
    };
    const dirOf = (epoch: number): string => join(checkpoints, `epoch-${String(epoch).padStart(3, '0')}`);
    ctx.log.info(
      `training on ${training.length} patches (${holdout} held out), ${batches} batches × ${epochs} epochs, backend ${backend.name}`,
    );
    try {
      for (let epoch = 1; epoch <= epochs; epoch++) {
        const epochRng = rng.fork(`epoch-${epoch}`);
        const shuffled = epochRng.shuffle([...training]);
        let gSum = 0;
        let dSum = 0;
        for (let b = 0; b < batches; b++) {
          ctx.signal.throwIfAborted();
          const mirrored =
            augment === 'hemisphere'
              ? Array.from({ length: batchSize }, () => epochRng.uniform() < 0.5)
              : undefined;
          const real = tf.tensor4d(gather(shuffled.slice(b * batchSize, (b + 1) * batchSize), mirrored), [
            batchSize,
            size,
            size,
            1,
          ]);
          const z = tf.tensor2d(Float32Array.from(epochRng.normalArray(batchSize * LATENT_DIM)), [
            batchSize,
            LATENT_DIM,
          ]);
          const iteration = (epoch - 1) * batches + b;
          const noiseStd = noise0 > 0 ? noise0 * Math.max(0, 1 - iteration / noiseIterations) : 0;
          const noiseSeed = noise0 > 0 ? Math.floor(epochRng.uniform() * 2 ** 31) : 0;
          const losses = trainer.step(z, real, {
            noiseStd,
            noiseSeed,
            learningRateScale: rateScale(iteration),
          });
          ema?.update();
          real.dispose();
          z.dispose();
          gSum += losses.gLoss;
          dSum += losses.dLoss;
          ctx.progress((epoch - 1) * batches + b + 1, epochs * batches);
        }
        // Epoch-end evaluation: generated samples from fixed z, compared with held-out reals.
        const generated = generateImages(kept, evalZ, evalSamples, LATENT_DIM);
        const dAccuracy =
          tf.tidy(() => {
            const pReal = d.predict(heldOutImages) as TF.Tensor;
            const fake = tf.tensor4d(generated.data.subarray(0, heldOut.length * n), [
              Math.min(heldOut.length, evalSamples),
              size,
              size,
              1,
            ]);
            const pFake = d.predict(fake) as TF.Tensor;
            const correct = tf.add(
              tf.sum(tf.greater(pReal, 0.5).toFloat()),
              tf.sum(tf.lessEqual(pFake, 0.5).toFloat()),
            );
            return correct.dataSync()[0] ?? 0;
          }) /
          (heldOut.length + Math.min(heldOut.length, evalSamples));
        const ks = physicsKs(stackParameters(generated.data, size, size), trainingPhysics);
        const record = { epoch, dAccuracy, ks };
        records.push(record);
        rows.push({
          epoch,
          g_loss: gSum / batches,
          d_loss: dSum / batches,
          d_accuracy: dAccuracy,
          ks_tuf: ks.tuf,
          ks_r: ks.r,
          ks_psep: ks.psep,
          ks_net_flux: ks.net_flux,
          ks_max: ks.max,
        });
        ctx.log.info(
          `epoch ${epoch}: g ${(gSum / batches).toFixed(3)}, d ${(dSum / batches).toFixed(3)}, D acc ${dAccuracy.toFixed(3)}, max KS ${ks.max.toFixed(3)}`,
        );
        await saveModel(kept, dirOf(epoch));
        const previous = { ...best };
        if (best.physics === undefined || ks.max < best.physics.ks.max) best.physics = record;
        if (epoch <= halfway && (best.paper === undefined || dAccuracy < best.paper.dAccuracy))
          best.paper = record;
        if (!(p.keepCheckpoints ?? false)) {
          // Drop checkpoints no rule can pick any more: superseded bests and the previous "last".
          const keep = new Set([best.physics?.epoch, best.paper?.epoch, epoch]);
          for (const old of new Set([previous.physics?.epoch, previous.paper?.epoch, epoch - 1])) {
            if (old !== undefined && old >= 1 && !keep.has(old))
              await rm(dirOf(old), { recursive: true, force: true });
          }
        }
      }
    } finally {
      trainer.dispose();
      heldOutImages.dispose();
    }
    const rule = p.select ?? 'physics';
    const chosen = (
      rule === 'physics' ? best.physics : rule === 'paper' ? best.paper : records.at(-1)
    ) as EpochRecord;
    await cp(dirOf(chosen.epoch), join(ctx.outDir, 'generator'), { recursive: true });
    await writeCsv(join(ctx.outDir, 'losses.csv'), LOSS_COLUMNS, rows);
    const selection = {
      epoch: chosen.epoch,
      rule,
      backend: backend.name,
      candidates: {
        physics: { epoch: best.physics?.epoch, ksMax: best.physics?.ks.max },
        paper: { epoch: best.paper?.epoch, dAccuracy: best.paper?.dAccuracy },
        last: { epoch: epochs },
      },
    };
    await writeFile(join(ctx.outDir, 'selection.json'), `${JSON.stringify(selection, null, 2)}\n`);
    // Samples of the kept generator (its weights are in the copied folder; regenerate from it).
    const selected = await loadModel(join(ctx.outDir, 'generator'));
    const sampleZ = rng.fork('samples').normalArray(100 * LATENT_DIM);
    const samples = generateImages(selected, sampleZ, 100, LATENT_DIM);
    writePng(
      join(ctx.outDir, 'samples.png'),
      patchGrid(samples.data, size, [...Array(100).keys()], { columns: 10 }),
    );
    selected.dispose();
    ema?.model.dispose();
    g.dispose();
    d.dispose();
    ctx.log.info(`selected epoch ${chosen.epoch} by the ${rule} rule`);
    return {
      generator: 'generator',
      losses: 'losses.csv',
      samples: 'samples.png',
      selection: 'selection.json',
    };
  },
});
