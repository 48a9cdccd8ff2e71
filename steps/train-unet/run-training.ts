/** Backend, model, loop, checkpoints and figures of one train-unet run. */
import { join } from 'node:path';
import type { StepContext } from '../../engine/index.js';
import { initBackend } from '../lib/ml/backend.js';
import { saveModel } from '../lib/ml/model-io.js';
import { buildUNet } from '../lib/models/unet.js';
import { writePng } from '../lib/render/png.js';
import type { ChannelName } from '../lib/stamps/channels.js';
import type { UNetConfig } from '../lib/stamps/model-config.js';
import type { TrainingData } from './data.js';
import { autoPositiveWeight } from './loss.js';
import { chooseOnValidation, type OperatingPoint } from './operating-point.js';
import { predictionPanels } from './panels.js';
import { type EpochRecord, trainUNet } from './train-loop.js';

/** The params the run reads. */
export interface RunParams {
  readonly channels: readonly ChannelName[];
  readonly widths: readonly number[];
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly stampSize: number;
  readonly patience: number;
  readonly positiveWeight?: number;
  readonly artifactWeight?: number;
  readonly operatingFpPerMegapixel: number;
  readonly operatingRecall: number;
  readonly backend: 'auto' | 'tensorflow' | 'native' | 'wasm' | 'cpu';
  readonly panels: number;
}

/** Train, save the best model to `model/` and every epoch to `checkpoints/`, draw the panels. */
export async function runTraining(
  ctx: StepContext<RunParams>,
  data: TrainingData,
): Promise<{ history: EpochRecord[]; config: UNetConfig; operating: OperatingPoint | undefined }> {
  const p = ctx.params;
  const tf = await import('@tensorflow/tfjs');
  const backend = await initBackend(p.backend, { log: (line) => ctx.log.info(line) });
  ctx.reportBackend?.(`${backend.name}, ${backend.threads} thread(s)`);
  const positiveWeight = p.positiveWeight ?? autoPositiveWeight(data.positivePixels, data.totalPixels);
  // By default an artifact pixel costs as much as a real one (see loss.ts).
  const artifactWeight = p.artifactWeight ?? positiveWeight;
  ctx.log.info(
    `backend ${backend.name} (${backend.threads} threads); positive-class weight ${positiveWeight.toFixed(2)}, artifact weight ${artifactWeight.toFixed(2)}`,
  );
  const model = buildUNet({ inputChannels: p.channels.length, widths: p.widths, seed: ctx.seed });
  try {
    const result = await trainUNet(tf, model, data.train, data.validation, {
      epochs: p.epochs,
      batchSize: p.batchSize,
      learningRate: p.learningRate,
      positiveWeight,
      artifactWeight,
      patience: p.patience,
      seed: ctx.seed,
      stampSize: p.stampSize,
      channels: p.channels.length,
      signal: ctx.signal,
      onBatch: (done, total) => ctx.progress(done, total),
      onEpoch: async (record, m) => {
        ctx.log.info(
          `epoch ${record.epoch}: train loss ${record.train_loss.toFixed(4)}, validation loss ${record.val_loss.toFixed(4)} (${record.seconds.toFixed(1)} s)`,
        );
        await saveModel(m, join(ctx.outDir, 'checkpoints', `epoch-${String(record.epoch).padStart(3, '0')}`));
      },
    });
    ctx.log.info(
      `best epoch ${result.bestEpoch}${result.stoppedEarly ? ' (stopped early)' : ''}; saving the model from it`,
    );
    await saveModel(model, join(ctx.outDir, 'model'));
    const operating = await chooseOnValidation(tf, model, data.validationFields, {
      levels: p.widths.length,
      rule: { maxFalsePositivesPerMegapixel: p.operatingFpPerMegapixel, minRecall: p.operatingRecall },
      signal: ctx.signal,
    });
    if (operating === undefined) {
      ctx.log.warn('no validation fields: no operating threshold chosen (detect will use 0.5)');
    } else {
      const { point, basis, falsePositivesUpperPerMegapixel } = operating.choice;
      ctx.log.info(
        `operating threshold ${point.threshold} on ${operating.fields.length} validation field(s) (${point.megapixels.toFixed(2)} Mpx), by ${basis}: recall ${point.recall.toFixed(3)}, ${point.falsePositives} false positive(s) (95 % upper bound ${falsePositivesUpperPerMegapixel.toFixed(2)} per megapixel; bound ${p.operatingFpPerMegapixel})`,
      );
    }
    const examples = (data.validation.length > 0 ? data.validation : data.train)
      .filter((s) => s.target.some((v) => v === 1))
      .slice(0, p.panels);
    writePng(
      join(ctx.outDir, 'panels.png'),
      predictionPanels(
        tf,
        model,
        examples.length > 0 ? examples : data.train.slice(0, 1),
        p.stampSize,
        p.channels.length,
      ),
    );
    const config: UNetConfig = {
      format: 'asterism-unet/1',
      channels: p.channels,
      widths: p.widths,
      scaling: 'median-mad-asinh',
      stampSize: p.stampSize,
      trainFields: data.split.train,
      validationFields: data.split.validation,
      bestEpoch: result.bestEpoch,
      positiveWeight,
      artifactWeight,
      backend: backend.name,
      ...(operating === undefined
        ? {}
        : {
            threshold: operating.choice.point.threshold,
            thresholdChoice: {
              rule: `highest validation recall with ≤ ${p.operatingFpPerMegapixel} false positives per megapixel (95 % upper bound); else the highest threshold with validation recall ≥ ${p.operatingRecall}; else the fewest false positives`,
              basis: operating.choice.basis,
              withinBound: operating.choice.withinBound,
              megapixels: operating.choice.point.megapixels,
              falsePositivesUpperPerMegapixel: operating.choice.falsePositivesUpperPerMegapixel,
              fields: operating.fields,
              recall: finiteOrNull(operating.choice.point.recall),
              precision: finiteOrNull(operating.choice.point.precision),
              falsePositivesPerImage: operating.choice.point.falsePositivesPerImage,
              falsePositivesPerMegapixel: operating.choice.point.falsePositivesPerMegapixel,
            },
          }),
    };
    return { history: result.history, config, operating };
  } finally {
    model.dispose();
  }
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
