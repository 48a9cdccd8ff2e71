/**
 * simulate-active-regions: synthetic radial-field (B_r) active-region patches in gauss, one FITS
 * file per region like SHARP cut-outs, with the parameters each was drawn with. The physics of
 * the generator (flux, separation, Joy's and Hale's laws with exceptions, spots and plage,
 * emergence and decay, 10 G noise) is described in `steps/lib/solar/simulate.ts`.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { defineStep } from '../../engine/index.js';
import { type CardInit, provenanceCards, writeFits } from '../lib/fits/index.js';
import { Random } from '../lib/random.js';
import { simulateRegion } from '../lib/solar/simulate.js';
import { MM_PER_HELIOGRAPHIC_DEG } from '../lib/solar/units.js';
import { type CsvRow, writeCsv } from '../lib/table/csv.js';
import { simulateActiveRegionsParams } from './params.js';

/** Columns of the `truth` output. */
export const TRUTH_COLUMNS = [
  'region',
  'latitude_deg',
  'tilt_deg',
  'separation_mm',
  'flux_mx',
  'total_unsigned_flux_mx',
  'age',
  'bipoles',
  'hale',
  'joy',
] as const;

export const simulateActiveRegions = defineStep({
  name: 'simulate-active-regions',
  version: '1',
  description:
    'Simulate radial-field active-region patches (gauss) with Joy/Hale laws, spots, plage and evolution.',
  params: simulateActiveRegionsParams,
  outputs: {
    regions: 'Folder of FITS files <region>.fits: B_r in G (float32), CEA-like WCS, one region each.',
    truth:
      'CSV: region,latitude_deg,tilt_deg,separation_mm,flux_mx,total_unsigned_flux_mx,age,bipoles,hale,joy.',
  },
  resources: { cpu: 1 },
  async run(ctx) {
    const p = ctx.params;
    const count = p.count ?? 3000;
    const size = p.size ?? 128;
    const pixelSizeMm = p.pixelSizeMm ?? 0.72;
    const fluxRange = p.fluxRangeMx ?? [3e20, 3e22];
    await mkdir(join(ctx.outDir, 'regions'), { recursive: true });
    const root = new Random(ctx.seed);
    const digits = Math.max(5, String(count - 1).length);
    const rows: CsvRow[] = [];
    const cdeltDeg = pixelSizeMm / MM_PER_HELIOGRAPHIC_DEG;
    for (let k = 0; k < count; k++) {
      if (k % 50 === 0) {
        ctx.signal.throwIfAborted();
        ctx.progress(k, count);
      }
      const region = `ar-${String(k).padStart(digits, '0')}`;
      // One stream per region: the n-th region is the same whatever `count` is.
      const { image, truth } = simulateRegion(root.fork(region), {
        sizePx: size,
        pixelSizeMm,
        fluxRangeMx: [fluxRange[0] as number, fluxRange[1] as number],
        multipolarFraction: p.multipolarFraction ?? 0.2,
        antiHaleFraction: p.antiHaleFraction ?? 0.05,
        antiJoyFraction: p.antiJoyFraction ?? 0.1,
        noiseGauss: p.noiseGauss ?? 10,
      });
      const cards: CardInit[] = [
        { keyword: 'CTYPE1', value: 'CRLN-CEA', comment: 'Carrington longitude, cylindrical equal area' },
        { keyword: 'CTYPE2', value: 'CRLT-CEA', comment: 'Carrington latitude, cylindrical equal area' },
        { keyword: 'CUNIT1', value: 'deg' },
        { keyword: 'CUNIT2', value: 'deg' },
        { keyword: 'CRPIX1', value: (size + 1) / 2, real: true },
        { keyword: 'CRPIX2', value: (size + 1) / 2, real: true },
        { keyword: 'CRVAL1', value: 0, real: true, comment: 'synthetic region: longitude arbitrary' },
        { keyword: 'CRVAL2', value: truth.latitudeDeg, real: true },
        { keyword: 'CDELT1', value: cdeltDeg, real: true, comment: `${pixelSizeMm} Mm per pixel` },
        { keyword: 'CDELT2', value: cdeltDeg, real: true },
        {
          keyword: 'CONTENT',
          value: 'synthetic B_r active region',
          comment: 'asterism simulate-active-regions',
        },
        ...provenanceCards(ctx.provenance),
      ];
      writeFits(join(ctx.outDir, 'regions', `${region}.fits`), [
        { data: { axes: [size, size], data: Float32Array.from(image.data) }, bunit: 'G', cards },
      ]);
      rows.push({
        region,
        latitude_deg: truth.latitudeDeg,
        tilt_deg: truth.tiltDeg,
        separation_mm: truth.separationMm,
        flux_mx: truth.fluxMx,
        total_unsigned_flux_mx: truth.totalUnsignedFluxMx,
        age: truth.age,
        bipoles: truth.bipoles,
        hale: truth.hale,
        joy: truth.joy,
      });
    }
    await writeCsv(join(ctx.outDir, 'truth.csv'), TRUTH_COLUMNS, rows);
    ctx.progress(count, count);
    ctx.log.info(`wrote ${count} regions of ${size}×${size} px at ${pixelSizeMm} Mm/px`);
    return { regions: 'regions', truth: 'truth.csv' };
  },
});
