/** Loading train-unet's inputs: fields paired across image sets, split by field, cut into stamps. */
import { StepInputError, type StepLogger } from '../../engine/index.js';
import { FitsError, readFitsImage } from '../lib/fits/index.js';
import { type FieldFile, ImageSetError, listFields } from '../lib/imageset/image-set.js';
import { truthFromTable } from '../lib/metrics/catalogs.js';
import type { TruthObject } from '../lib/metrics/types.js';
import { Random } from '../lib/random.js';
import { ChannelError, type ChannelName, readFieldInput } from '../lib/stamps/channels.js';
import { cutStamps, type Stamp } from '../lib/stamps/sample.js';
import { CsvError, readCsv } from '../lib/table/csv.js';
import { type FieldSplit, splitFields } from './split.js';

/** A whole validation field, kept to choose the operating threshold on. */
export interface ValidationField {
  readonly field: string;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  /** Scaled input, interleaved (height × width × channels). */
  readonly input: Float32Array;
  /** Truth mask classes: 0 background, 1 real, 2 artifact. */
  readonly mask: Uint8Array;
  readonly truth: readonly TruthObject[];
}

/** Stamps on each side of the split. */
export interface TrainingData {
  readonly split: FieldSplit;
  readonly train: Stamp[];
  readonly validation: Stamp[];
  /** The validation fields whole (at most `thresholdFields` of them). */
  readonly validationFields: ValidationField[];
  readonly positivePixels: number;
  readonly totalPixels: number;
}

/** The params train-unet's data loading reads. */
export interface DataParams {
  readonly difference: string;
  readonly masks: string;
  readonly truth: string;
  readonly science?: string;
  readonly reference?: string;
  readonly channels: readonly ChannelName[];
  readonly stampSize: number;
  readonly backgroundPerField: number;
  readonly jitterPx: number;
  readonly stampsPerArtifact: number;
  readonly validationFraction: number;
  /** Validation fields kept whole for the threshold choice. */
  readonly thresholdFields: number;
}

function listOrThrow(path: string, param: string): FieldFile[] {
  try {
    return listFields(path);
  } catch (error) {
    if (error instanceof ImageSetError)
      throw new StepInputError(`\`${param}\`: ${error.message}`, { file: path });
    throw error;
  }
}

function pathOf(
  set: readonly FieldFile[] | undefined,
  field: string,
  param: string,
  dir: string,
): string | undefined {
  if (set === undefined) return undefined;
  const member = set.find((m) => m.field === field);
  if (member === undefined) {
    throw new StepInputError(`field \`${field}\` of \`difference\` is missing from \`${param}\``, {
      file: dir,
    });
  }
  return member.path;
}

/** Read every field, split by field, and cut stamps (deterministic by seed). */
export async function loadTrainingFields(
  params: DataParams,
  seed: number,
  log: StepLogger,
): Promise<TrainingData> {
  const differences = listOrThrow(params.difference, 'difference');
  const masks = listOrThrow(params.masks, 'masks');
  const science = params.science === undefined ? undefined : listOrThrow(params.science, 'science');
  const reference = params.reference === undefined ? undefined : listOrThrow(params.reference, 'reference');
  let truth: ReturnType<typeof truthFromTable>;
  try {
    truth = truthFromTable(await readCsv(params.truth), params.truth);
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    throw new StepInputError(error.message, {
      file: params.truth,
      hint: 'Pass the `truth` output of inject',
    });
  }
  const split = splitFields(
    differences.map((d) => d.field),
    params.validationFraction,
    seed,
  );
  const validationSet = new Set(split.validation);
  const rng = new Random(seed).fork('stamps');
  const data: TrainingData = {
    split,
    train: [],
    validation: [],
    validationFields: [],
    positivePixels: 0,
    totalPixels: 0,
  };
  let positivePixels = 0;
  let totalPixels = 0;
  for (const { field, path } of differences) {
    let input: ReturnType<typeof readFieldInput>;
    let mask: ReturnType<typeof readFitsImage>;
    const maskPath = pathOf(masks, field, 'masks', params.masks)!;
    try {
      const sciencePath = pathOf(science, field, 'science', params.science ?? '');
      const referencePath = pathOf(reference, field, 'reference', params.reference ?? '');
      input = readFieldInput(
        {
          field,
          difference: path,
          ...(sciencePath === undefined ? {} : { science: sciencePath }),
          ...(referencePath === undefined ? {} : { reference: referencePath }),
        },
        params.channels,
      );
      mask = readFitsImage(maskPath);
    } catch (error) {
      if (error instanceof ChannelError) {
        throw new StepInputError(error.message, {
          hint: 'Pass the missing image set, or choose other `channels` (e.g. [DIFF, SCORR])',
        });
      }
      if (error instanceof FitsError) throw new StepInputError(error.message, { cause: error });
      throw error;
    }
    if (mask.image.width !== input.width || mask.image.height !== input.height) {
      throw new StepInputError(
        `the mask of field \`${field}\` is ${mask.image.width}×${mask.image.height} but its difference image is ${input.width}×${input.height}`,
        { file: maskPath },
      );
    }
    // Target classes 0, 1 (real), 2 (artifact): artifacts are background to the network, but the
    // loss weights their pixels separately (hard negatives).
    const target = new Uint8Array(mask.image.data.length);
    for (let i = 0; i < target.length; i++) {
      const v = mask.image.data[i];
      target[i] = v === 1 ? 1 : v === 2 ? 2 : 0;
    }
    const fieldTruth = truth.filter((t) => t.field === field);
    const stamps = cutStamps(
      {
        field,
        width: input.width,
        height: input.height,
        channels: input.channels,
        input: input.data,
        target,
        objects: fieldTruth,
      },
      {
        size: params.stampSize,
        backgroundPerField: params.backgroundPerField,
        jitterPx: params.jitterPx,
        stampsPerArtifact: params.stampsPerArtifact,
      },
      rng.fork(field),
    );
    if (validationSet.has(field)) {
      data.validation.push(...stamps);
      if (data.validationFields.length < params.thresholdFields) {
        data.validationFields.push({
          field,
          width: input.width,
          height: input.height,
          channels: input.channels,
          input: input.data,
          mask: target,
          truth: fieldTruth,
        });
      }
    } else {
      data.train.push(...stamps);
      for (const s of stamps) for (const v of s.target) if (v === 1) positivePixels++;
      totalPixels += stamps.length * params.stampSize * params.stampSize;
    }
  }
  log.info(
    `${data.train.length} training stamps from ${split.train.length} fields, ${data.validation.length} validation stamps from ${split.validation.length} fields`,
  );
  if (data.train.length === 0) {
    throw new StepInputError('no training stamps: the truth catalog names no object in the training fields', {
      file: params.truth,
      hint: 'Raise `backgroundPerField`, or check that truth `field` values match the image file names',
    });
  }
  return { ...data, positivePixels, totalPixels };
}
