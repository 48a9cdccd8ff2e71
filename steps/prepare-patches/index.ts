/**
 * prepare-patches: turn B_r magnetograms (a folder of FITS files from simulate-active-regions, a
 * SHARP download or any local folder; or a cube) into the GAN's training stack, as the paper
 * does: clip to ±1000 G, divide by 1000 G, NaN → 0, resize to N × N (area average when shrinking,
 * bilinear when enlarging). Output: one float32 cube in kG and an index of the sources.
 */
import { join } from 'node:path';
import { defineStep, StepInputError } from '../../engine/index.js';
import { FitsError, provenanceCards } from '../lib/fits/index.js';
import {
  isFolder,
  PatchInputError,
  readPatchFolder,
  readPatchStack,
  toKiloGaussFactor,
  writePatchStack,
} from '../lib/solar/patch-stack.js';
import { preparePatch } from '../lib/solar/prepare.js';
import { type CsvRow, writeCsv } from '../lib/table/csv.js';

/** Parameters of `prepare-patches`. */
export const preparePatchesParams = {
  type: 'object',
  additionalProperties: false,
  required: ['images'],
  properties: {
    images: { type: 'string', description: 'Folder of 2-D B_r FITS files (G), or a FITS cube.' },
    size: { type: 'integer', minimum: 8, maximum: 4096, default: 128, description: 'Output side N, pixels.' },
    limit: {
      type: 'integer',
      minimum: 1,
      description: 'Use only the first `limit` inputs (sorted by name).',
    },
  },
} as const;

export const preparePatches = defineStep({
  name: 'prepare-patches',
  version: '1',
  description: 'Clip B_r to ±1 kG, scale to kG, NaN→0 and resize to N×N: the GAN training stack.',
  params: preparePatchesParams,
  outputs: {
    patches: 'FITS cube N×N×count, float32, kG in [−1, 1] (BUNIT kG; PIXSIZMM when known).',
    index: 'CSV: patch,source (the input file or plane of each patch).',
  },
  async run(ctx) {
    const p = ctx.params;
    const size = p.size ?? 128;
    const patches: Float64Array[] = [];
    const rows: CsvRow[] = [];
    const pixelSizes = new Set<number | undefined>();
    const add = (
      image: { width: number; height: number; data: Float64Array },
      source: string,
      pixelSizeMm: number | undefined,
    ): void => {
      patches.push(preparePatch(image, size).data);
      rows.push({ patch: rows.length, source });
      // The output pixel size is defined when the input is square (one scale factor for both axes).
      pixelSizes.add(
        pixelSizeMm === undefined || image.width !== image.height
          ? undefined
          : (pixelSizeMm * image.width) / size,
      );
    };
    try {
      if (isFolder(p.images)) {
        for (const patch of readPatchFolder(p.images)) {
          if (p.limit !== undefined && rows.length >= p.limit) break;
          if (rows.length % 100 === 0) ctx.signal.throwIfAborted();
          // Inputs in kG are brought to G so the ±1000 G clip means the same for both.
          const toGauss = toKiloGaussFactor(patch.unit ?? 'G', patch.path) * 1000;
          const data = toGauss === 1 ? patch.image.data : patch.image.data.map((v) => v * toGauss);
          add({ ...patch.image, data }, patch.name, patch.pixelSizeMm);
        }
      } else {
        const stack = readPatchStack(p.images);
        const toGauss = toKiloGaussFactor(stack.unit ?? 'G', p.images) * 1000;
        const n = stack.width * stack.height;
        const count = Math.min(stack.count, p.limit ?? stack.count);
        for (let k = 0; k < count; k++) {
          const data = Float64Array.from(stack.data.subarray(k * n, (k + 1) * n), (v) => v * toGauss);
          add({ width: stack.width, height: stack.height, data }, `plane ${k}`, stack.pixelSizeMm);
        }
      }
    } catch (error) {
      if (error instanceof FitsError || error instanceof PatchInputError) {
        throw new StepInputError(error.message, {
          file: error instanceof FitsError ? error.file : error.path,
          hint: 'Pass a folder of 2-D B_r FITS files (BUNIT G) or a FITS cube',
          cause: error,
        });
      }
      throw error;
    }
    const data = new Float32Array(patches.length * size * size);
    for (const [k, patch] of patches.entries()) data.set(patch, k * size * size);
    const [pixelSizeMm] = pixelSizes.size === 1 ? [...pixelSizes] : [undefined];
    writePatchStack(
      join(ctx.outDir, 'patches.fits'),
      { width: size, height: size, count: patches.length, data, unit: 'kG', pixelSizeMm },
      [
        { keyword: 'CONTENT', value: 'B_r/1000 G clipped to [-1,1]', comment: 'GAN training patches' },
        ...provenanceCards(ctx.provenance),
      ],
    );
    await writeCsv(join(ctx.outDir, 'index.csv'), ['patch', 'source'], rows);
    ctx.log.info(`prepared ${patches.length} patches of ${size}×${size}`);
    return { patches: 'patches.fits', index: 'index.csv' };
  },
});
