/**
 * detect: run a trained U-Net over whole difference images (tiled with overlap and blended),
 * threshold the probability map, and report one candidate per connected component at its peak
 * probability. Outputs match detect-threshold's, so `evaluate` scores both the same way.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineStep, type ParamsOf, type StepContext, StepInputError } from '../../engine/index.js';
import { FitsError, provenanceCards, writeFits } from '../lib/fits/index.js';
import { type FieldFile, ImageSetError, listFields } from '../lib/imageset/image-set.js';
import { CANDIDATE_COLUMNS, candidateRows } from '../lib/metrics/catalogs.js';
import { DETECTION_REPORT_FILE, type DetectionReport } from '../lib/metrics/detection-report.js';
import { segmentMap } from '../lib/metrics/map-candidates.js';
import type { Candidate } from '../lib/metrics/types.js';
// TensorFlow.js is imported when the step runs, not when the registry loads it: every
// `asterism` command loads all built-in steps, and tfjs alone costs about half a second.
import type { loadModel } from '../lib/ml/model-io.js';
import { predictTiled } from '../lib/models/tiling.js';
import { ChannelError, readFieldInput } from '../lib/stamps/channels.js';
import { readUNetConfig, type UNetConfig } from '../lib/stamps/model-config.js';
import { wcsCards } from '../lib/stamps/wcs-cards.js';
import { writeCsv } from '../lib/table/csv.js';

const paramsSchema = {
  type: 'object',
  properties: {
    model: { type: 'string', description: 'Model folder from train-unet.' },
    difference: { type: 'string', description: 'Image set from `difference` (extensions DIFF, SCORR).' },
    science: { type: 'string', description: 'Science epochs (when the model takes the `science` channel).' },
    reference: {
      type: 'string',
      description: 'Reference epochs (when the model takes the `reference` channel).',
    },
    fields: {
      type: 'array',
      items: { type: 'string' },
      description: 'Only these fields (default: every field of `difference`).',
    },
    threshold: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      description:
        "Probability threshold; default: the model's operating threshold chosen on its validation fields (unet.json), else 0.5.",
    },
    minArea: { type: 'integer', minimum: 1, default: 1, description: 'Smallest component kept, in pixels.' },
    tileSize: { type: 'integer', minimum: 8, default: 256, description: 'Tile side in pixels.' },
    overlap: {
      type: 'integer',
      minimum: 0,
      default: 32,
      description: 'Pixels shared by neighbouring tiles.',
    },
    backend: {
      enum: ['auto', 'tensorflow', 'native', 'wasm', 'cpu'],
      default: 'auto',
      description: 'tfjs backend (auto: tfjs-node-gpu, tfjs-node, native CPU, wasm, cpu).',
    },
  },
  required: ['model', 'difference', 'minArea', 'tileSize', 'overlap', 'backend'],
  additionalProperties: false,
} as const;

type Params = ParamsOf<typeof paramsSchema>;

function inputError(error: unknown, file?: string): never {
  if (error instanceof ImageSetError || error instanceof ChannelError || error instanceof FitsError) {
    throw new StepInputError(error.message, {
      ...(file === undefined ? {} : { file }),
      hint: 'Pass the image sets the model was trained on (see `channels` in the model folder’s unet.json)',
      cause: error,
    });
  }
  throw error;
}

/**
 * The member of `set` for `field`. As `difference` pairs them, two one-file sets pair whatever
 * their names (a reference epoch `night-1.fits` with the difference of `night-2.fits`).
 */
function fieldPath(
  set: readonly FieldFile[] | undefined,
  field: string,
  nFields: number,
): string | undefined {
  if (set?.length === 1 && nFields === 1) return set[0]!.path;
  return set?.find((m) => m.field === field)?.path;
}

export const detect = defineStep<
  typeof paramsSchema,
  'candidates' | 'probability' | 'segmentation' | 'report'
>({
  name: 'detect',
  version: '2',
  description: 'Find transients with a trained U-Net: tiled inference, threshold, connected components.',
  params: paramsSchema,
  outputs: {
    candidates: 'Catalog CSV: field,x,y,score,area,label (score = peak probability of the component).',
    probability: 'Image set of float32 probability maps, one per field, with the WCS of the input.',
    segmentation: 'Image set of int32 label maps: component k of each field is candidate label k.',
    report: `${DETECTION_REPORT_FILE}: detector, threshold, backend, fields, ms per image.`,
  },
  resources: { cpu: 2, gpu: 1, memoryMb: 4096 },
  isolate: true,
  async run(ctx: StepContext<Params>) {
    const p = ctx.params;
    let config: UNetConfig;
    try {
      config = await readUNetConfig(p.model);
    } catch (error) {
      throw new StepInputError(`cannot read the model configuration: ${(error as Error).message}`, {
        file: p.model,
        hint: 'Pass the `model` output of train-unet',
        cause: error,
      });
    }
    // The operating threshold chosen on the model's validation fields, unless one is given.
    const threshold = p.threshold ?? config.threshold ?? 0.5;
    ctx.log.info(
      `probability threshold ${threshold}${p.threshold !== undefined ? ' (given)' : config.threshold !== undefined ? " (the model's, chosen on its validation fields)" : ' (the model has none: default)'}`,
    );
    const multiple = 2 ** (config.widths.length - 1);
    if (p.tileSize % multiple !== 0 || p.overlap >= p.tileSize) {
      throw new StepInputError(
        `tileSize ${p.tileSize} must be a multiple of ${multiple} (a ${config.widths.length}-level U-Net) and larger than overlap ${p.overlap}`,
      );
    }
    let differences: FieldFile[] = [];
    let science: FieldFile[] | undefined;
    let reference: FieldFile[] | undefined;
    try {
      differences = listFields(p.difference);
      science = p.science === undefined ? undefined : listFields(p.science);
      reference = p.reference === undefined ? undefined : listFields(p.reference);
    } catch (error) {
      inputError(error);
    }
    if (p.fields !== undefined) {
      const wanted = new Set(p.fields);
      const missing = p.fields.filter((f) => !differences.some((d) => d.field === f));
      if (missing.length > 0) {
        throw new StepInputError(`field(s) ${missing.join(', ')} not in \`difference\``, {
          file: p.difference,
        });
      }
      differences = differences.filter((d) => wanted.has(d.field));
    }

    const tf = await import('@tensorflow/tfjs');
    const { initBackend } = await import('../lib/ml/backend.js');
    const { loadModel, ModelIOError } = await import('../lib/ml/model-io.js');
    const backend = await initBackend(p.backend, { log: (line) => ctx.log.info(line) });
    ctx.reportBackend?.(`${backend.name}, ${backend.threads} thread(s)`);
    let model: Awaited<ReturnType<typeof loadModel>>;
    try {
      model = await loadModel(p.model);
    } catch (error) {
      if (!(error instanceof ModelIOError)) throw error;
      throw new StepInputError(error.message, {
        file: p.model,
        hint: 'Pass the `model` output of train-unet',
      });
    }
    await mkdir(join(ctx.outDir, 'probability'));
    await mkdir(join(ctx.outDir, 'segmentation'));
    const candidates: Candidate[] = [];
    let elapsedMs = 0;
    let imageShape: [number, number] = [0, 0];
    try {
      for (const [i, { field, path }] of differences.entries()) {
        ctx.signal.throwIfAborted();
        const sciencePath = fieldPath(science, field, differences.length);
        const referencePath = fieldPath(reference, field, differences.length);
        let input: ReturnType<typeof readFieldInput>;
        try {
          input = readFieldInput(
            {
              field,
              difference: path,
              ...(sciencePath === undefined ? {} : { science: sciencePath }),
              ...(referencePath === undefined ? {} : { reference: referencePath }),
            },
            config.channels,
          );
        } catch (error) {
          inputError(error, path);
        }
        if (i === 0) imageShape = [input.width, input.height];
        // Timed: inference, blending, thresholding and labelling (reading and scaling excluded).
        const started = performance.now();
        const probability = await predictTiled(
          tf,
          model,
          input.data,
          input.width,
          input.height,
          input.channels,
          { tileSize: p.tileSize, overlap: p.overlap, multiple },
          ctx.signal,
        );
        const segmentation = segmentMap(probability, input.width, input.height, threshold, {
          minArea: p.minArea,
        });
        elapsedMs += performance.now() - started;
        for (const c of segmentation.candidates) candidates.push({ field, ...c });
        const cards = [...wcsCards(input.reference.header), ...provenanceCards(ctx.provenance)];
        writeFits(join(ctx.outDir, 'probability', `${field}.fits`), [
          { data: { axes: [input.width, input.height], data: probability }, extname: 'PROB', cards },
        ]);
        writeFits(join(ctx.outDir, 'segmentation', `${field}.fits`), [
          {
            data: { axes: [input.width, input.height], data: segmentation.labels },
            bitpix: 32,
            extname: 'SEGMENT',
            cards: [...cards, { keyword: 'THRESH', value: threshold, comment: 'probability threshold' }],
          },
        ]);
        ctx.progress(i + 1, differences.length);
      }
    } finally {
      model.dispose();
    }
    await writeCsv(join(ctx.outDir, 'candidates.csv'), CANDIDATE_COLUMNS, candidateRows(candidates));
    const report: DetectionReport = {
      detector: 'unet',
      threshold: threshold,
      backend: backend.name,
      fields: differences.map((d) => d.field),
      msPerImage: elapsedMs / Math.max(1, differences.length),
      imageShape,
      segmentation: 'segmentation',
    };
    await writeFile(join(ctx.outDir, DETECTION_REPORT_FILE), `${JSON.stringify(report, null, 2)}\n`);
    ctx.log.info(
      `${candidates.length} candidates in ${differences.length} images, ${report.msPerImage.toFixed(0)} ms per image on ${backend.name}`,
    );
    return {
      candidates: 'candidates.csv',
      probability: 'probability',
      segmentation: 'segmentation',
      report: DETECTION_REPORT_FILE,
    };
  },
});
