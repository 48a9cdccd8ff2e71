/**
 * train-unet: train a U-Net to segment real transients in difference-image stamps (the AstrID
 * plan). Target: mask value 1; artifacts (2) are background, so the network learns to reject
 * them. Split by field, never by stamp. See docs/real-bogus.md.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineStep, type ParamsOf, type StepContext, StepInputError } from '../../engine/index.js';
import { DEFAULT_UNET_WIDTHS } from '../lib/models/unet-defaults.js';
import { CHANNEL_NAMES } from '../lib/stamps/channels.js';
import { writeCsv } from '../lib/table/csv.js';
import { loadTrainingFields, type TrainingData } from './data.js';

const paramsSchema = {
  type: 'object',
  properties: {
    difference: { type: 'string', description: 'Image set from `difference` (extensions DIFF, SCORR).' },
    masks: { type: 'string', description: 'Truth masks image set from `inject` (0, 1 real, 2 artifact).' },
    truth: {
      type: 'string',
      description: 'Truth catalog from `inject`: stamps are cut around its objects.',
    },
    science: {
      type: 'string',
      description: 'Science epochs image set (needed for the `science` channel).',
    },
    reference: {
      type: 'string',
      description: 'Reference epochs image set (needed for the `reference` channel).',
    },
    channels: {
      type: 'array',
      items: { enum: CHANNEL_NAMES },
      minItems: 1,
      uniqueItems: true,
      default: ['DIFF', 'SCORR', 'science', 'reference'],
      description: 'Input channels, in order.',
    },
    widths: {
      type: 'array',
      items: { type: 'integer', minimum: 1 },
      minItems: 1,
      default: [...DEFAULT_UNET_WIDTHS],
      description: 'Channels per U-Net level, top to bottom (default 4 levels: 16-32-64-128).',
    },
    epochs: { type: 'integer', minimum: 1, default: 10 },
    batchSize: { type: 'integer', minimum: 1, default: 16 },
    learningRate: { type: 'number', exclusiveMinimum: 0, default: 0.001 },
    stampSize: { type: 'integer', minimum: 8, default: 64, description: 'Stamp side in pixels.' },
    backgroundPerField: {
      type: 'integer',
      minimum: 0,
      default: 8,
      description: 'Random stamps per field.',
    },
    jitterPx: {
      type: 'integer',
      minimum: 0,
      default: 8,
      description: 'Largest object offset from stamp centre.',
    },
    stampsPerArtifact: {
      type: 'integer',
      minimum: 1,
      default: 1,
      description: 'Stamps around every artifact (hard negatives; > 1 oversamples them).',
    },
    validationFraction: { type: 'number', minimum: 0, maximum: 0.9, default: 0.2 },
    patience: { type: 'integer', minimum: 1, default: 3, description: 'Early stopping patience (epochs).' },
    positiveWeight: {
      type: 'number',
      minimum: 1,
      description: 'BCE weight of real-transient pixels; default √(background/positive pixels), in [1, 100].',
    },
    artifactWeight: {
      type: 'number',
      minimum: 0,
      description: 'BCE weight of artifact pixels (mask 2); default: the positive weight.',
    },
    operatingFpPerMegapixel: {
      type: 'number',
      minimum: 0,
      default: 1,
      description:
        'Operating threshold rule: the highest validation recall among thresholds whose false positives per 10⁶ validation pixels are at most this (95 % Poisson upper bound).',
    },
    operatingRecall: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      default: 0.9,
      description:
        'When the validation area is too small to demonstrate operatingFpPerMegapixel: the highest threshold keeping at least this validation recall.',
    },
    thresholdFields: {
      type: 'integer',
      minimum: 0,
      default: 20,
      description:
        'Validation fields (whole) the operating threshold is chosen on (0: none, detect uses 0.5).',
    },
    backend: {
      enum: ['auto', 'tensorflow', 'native', 'wasm', 'cpu'],
      default: 'auto',
      description: 'tfjs backend (auto: tfjs-node-gpu, tfjs-node, native CPU, wasm, cpu).',
    },
    panels: {
      type: 'integer',
      minimum: 0,
      default: 4,
      description: 'Validation stamps drawn in panels.png.',
    },
  },
  required: [
    'difference',
    'masks',
    'truth',
    'channels',
    'widths',
    'epochs',
    'batchSize',
    'learningRate',
    'stampSize',
    'backgroundPerField',
    'jitterPx',
    'stampsPerArtifact',
    'validationFraction',
    'operatingFpPerMegapixel',
    'operatingRecall',
    'thresholdFields',
    'patience',
    'backend',
    'panels',
  ],
  additionalProperties: false,
} as const;

type Params = ParamsOf<typeof paramsSchema>;

export const trainUnet = defineStep<
  typeof paramsSchema,
  'model' | 'history' | 'panels' | 'checkpoints' | 'thresholds'
>({
  name: 'train-unet',
  version: '3',
  description:
    'Train a U-Net to segment real transients in ZOGY difference images (artifacts are background).',
  params: paramsSchema,
  outputs: {
    model: 'tfjs Layers model folder (model.json + shards) with unet.json (channels, scaling, split).',
    history: 'history.csv: epoch, train_loss, val_loss, val_bce, val_dice, seconds.',
    panels: 'panels.png: per validation stamp, the input channels, the truth and the prediction.',
    checkpoints: 'checkpoints/epoch-NNN/: the model after every epoch.',
    thresholds:
      'thresholds.csv: validation scores per probability threshold (the operating one is in unet.json).',
  },
  resources: { cpu: 2, gpu: 1, memoryMb: 4096 },
  isolate: true,
  async run(ctx: StepContext<Params>) {
    const p = ctx.params;
    const multiple = 2 ** (p.widths.length - 1);
    if (p.stampSize % multiple !== 0) {
      throw new StepInputError(
        `stampSize ${p.stampSize} is not divisible by ${multiple}, which a ${p.widths.length}-level U-Net needs`,
        { hint: `Use a multiple of ${multiple}, e.g. ${Math.ceil(p.stampSize / multiple) * multiple}` },
      );
    }
    const data: TrainingData = await loadTrainingFields(p, ctx.seed, ctx.log);
    await mkdir(join(ctx.outDir, 'checkpoints'));
    // Imported here, not at the top: it loads TensorFlow.js (about half a second), which every
    // `asterism` command would otherwise pay when the registry loads the built-in steps.
    const { runTraining } = await import('./run-training.js');
    const result = await runTraining(ctx, data);
    await writeCsv(
      join(ctx.outDir, 'history.csv'),
      ['epoch', 'train_loss', 'val_loss', 'val_bce', 'val_dice', 'seconds'],
      result.history.map((r) => ({ ...r })),
    );
    await writeFile(join(ctx.outDir, 'model', 'unet.json'), `${JSON.stringify(result.config, null, 2)}\n`);
    await writeCsv(
      join(ctx.outDir, 'thresholds.csv'),
      [
        'threshold',
        'true_positives',
        'false_positives',
        'false_negatives',
        'precision',
        'recall',
        'fp_per_image',
        'chosen',
      ],
      (result.operating?.points ?? []).map((q) => ({
        threshold: q.threshold,
        true_positives: q.truePositives,
        false_positives: q.falsePositives,
        false_negatives: q.falseNegatives,
        precision: q.precision,
        recall: q.recall,
        fp_per_image: q.falsePositivesPerImage,
        fp_per_megapixel: q.falsePositivesPerMegapixel,
        chosen: q.threshold === result.config.threshold ? 1 : 0,
      })),
    );
    return {
      model: 'model',
      history: 'history.csv',
      panels: 'panels.png',
      checkpoints: 'checkpoints',
      thresholds: 'thresholds.csv',
    };
  },
});
