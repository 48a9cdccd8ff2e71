/**
 * physical-parameters: TUF, PSEP and R as the paper's code computes them, plus tilt, strong
 * fluxes, strong-field area and the signed net flux and east–west dipole moment, for every patch
 * of a stack (a FITS cube from prepare-patches or sample-latents) or a folder of 2-D FITS files
 * (real SHARP cut-outs, simulate-active-regions). Formulas: `steps/lib/solar/physics.ts`.
 */
import { join } from 'node:path';
import { defineStep, StepInputError } from '../../engine/index.js';
import { FitsError } from '../lib/fits/index.js';
import {
  isFolder,
  PatchInputError,
  readPatchFolder,
  readPatchStack,
  toKiloGaussFactor,
} from '../lib/solar/patch-stack.js';
import {
  inPhysicalUnits,
  PARAMETER_NAMES,
  PHYSICAL_UNIT_NAMES,
  physicalParameters,
} from '../lib/solar/physics.js';
import { type CsvRow, writeCsv } from '../lib/table/csv.js';

/** Parameters of `physical-parameters`. */
export const physicalParametersParams = {
  type: 'object',
  additionalProperties: false,
  required: ['images'],
  properties: {
    images: {
      type: 'string',
      description: 'A FITS cube of patches, one 2-D FITS file, or a folder of them.',
    },
    unit: {
      type: 'string',
      enum: ['auto', 'kG', 'G'],
      default: 'auto',
      description: 'Unit of the pixel values; `auto` reads BUNIT (kG when absent).',
    },
    clip: {
      type: 'boolean',
      default: true,
      description: 'Clip to ±1 kG first, as the paper’s preprocessing does (GAN outputs are already within).',
    },
    thresholdKG: {
      type: 'number',
      exclusiveMinimum: 0,
      default: 0.15,
      description: 'Strong-field threshold, kG.',
    },
  },
} as const;

export const physicalParametersStep = defineStep({
  name: 'physical-parameters',
  version: '1',
  description:
    'Measure TUF, PSEP, R (as the paper), tilt, fluxes, area, net flux and E–W dipole of magnetogram patches.',
  params: physicalParametersParams,
  outputs: {
    parameters:
      'CSV: patch,tuf,psep,r,tilt,flux_pos,flux_neg,area,net_flux,dipole_ew,flag (+ tuf_g,unsigned_flux_mx,psep_mm,r_mx when the pixel size is known).',
  },
  async run(ctx) {
    const p = ctx.params;
    const options = { thresholdKG: p.thresholdKG ?? 0.15 };
    const clip = p.clip ?? true;
    const unitFactor = (unit: string | undefined, path: string): number =>
      p.unit === 'kG' ? 1 : p.unit === 'G' ? 1e-3 : toKiloGaussFactor(unit, path);
    const prepare = (values: ArrayLike<number>, factor: number): Float64Array => {
      const out = Float64Array.from(values, (v) => v * factor);
      if (clip) for (let i = 0; i < out.length; i++) out[i] = Math.max(-1, Math.min(1, out[i] as number));
      return out;
    };
    const rows: CsvRow[] = [];
    let withUnits = true;
    try {
      if (isFolder(p.images)) {
        for (const patch of readPatchFolder(p.images)) {
          ctx.signal.throwIfAborted();
          const { width: W, height: H } = patch.image;
          const params = physicalParameters(
            { width: W, height: H, data: prepare(patch.image.data, unitFactor(patch.unit, patch.path)) },
            options,
          );
          const units =
            patch.pixelSizeMm === undefined ? undefined : inPhysicalUnits(params, W, H, patch.pixelSizeMm);
          if (units === undefined) withUnits = false;
          rows.push({ patch: patch.name, ...params, ...units });
        }
      } else {
        const stack = readPatchStack(p.images);
        const factor = unitFactor(stack.unit, p.images);
        const n = stack.width * stack.height;
        for (let k = 0; k < stack.count; k++) {
          if (k % 500 === 0) {
            ctx.signal.throwIfAborted();
            ctx.progress(k, stack.count);
          }
          const data = prepare(stack.data.subarray(k * n, (k + 1) * n), factor);
          const params = physicalParameters({ width: stack.width, height: stack.height, data }, options);
          const units =
            stack.pixelSizeMm === undefined
              ? undefined
              : inPhysicalUnits(params, stack.width, stack.height, stack.pixelSizeMm);
          if (units === undefined) withUnits = false;
          rows.push({ patch: k, ...params, ...units });
        }
      }
    } catch (error) {
      if (error instanceof FitsError || error instanceof PatchInputError) {
        throw new StepInputError(error.message, {
          file: error instanceof FitsError ? error.file : error.path,
          hint: 'Pass a FITS cube from prepare-patches/sample-latents, or a folder of 2-D B_r FITS files',
          cause: error,
        });
      }
      throw error;
    }
    const flagged = rows.filter((r) => r.flag !== 0).length;
    if (flagged > 0) ctx.log.info(`${flagged} of ${rows.length} patches lack a strong polarity (flag ≠ 0)`);
    const columns = [
      'patch',
      ...PARAMETER_NAMES,
      ...(withUnits && rows.length > 0 ? PHYSICAL_UNIT_NAMES : []),
    ];
    await writeCsv(join(ctx.outDir, 'parameters.csv'), columns, rows);
    ctx.progress(rows.length, rows.length);
    return { parameters: 'parameters.csv' };
  },
});
