/**
 * simulate-sky: pairs of epochs (reference, science) of realistic star fields with a known
 * catalog. Each field's scene (stars from a power-law luminosity function, Sérsic galaxies) is
 * drawn once and observed twice, with a different Moffat seeing, sky, transparency and a small
 * sub-pixel pointing offset per epoch, through a CCD with Poisson and read noise, gain and
 * saturation. Deterministic by `ctx.seed`.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { defineStep } from '../../engine/index.js';
import { type CardInit, provenanceCards, writeFits } from '../lib/fits/index.js';
import { type PsfModel, psfStamp } from '../lib/image/psf.js';
import { Random } from '../lib/random.js';
import type { Detector } from '../lib/sim/detector.js';
import { skyNoiseAdu } from '../lib/sim/detector.js';
import { modelRenderer } from '../lib/sim/psf-render.js';
import { drawScene, type EpochConditions, observe, type Scene } from '../lib/sim/sky.js';
import { type CsvRow, writeCsv } from '../lib/table/csv.js';
import { buildTanWcs, wcsCards } from '../lib/wcs/index.js';
import { simulateSkyParams } from './params.js';

/** Columns of the `catalog` output. */
export const CATALOG_COLUMNS = [
  'field',
  'id',
  'kind',
  'x',
  'y',
  'x_sci',
  'y_sci',
  'mag',
  'flux_ref',
  'flux_sci',
  'sersic_n',
  'r_eff',
  'axis_ratio',
  'angle',
] as const;

interface EpochDraw {
  readonly fwhmPx: number;
  readonly skyAdu: number;
  readonly transparency: number;
  readonly offsetX: number;
  readonly offsetY: number;
}

export const simulateSky = defineStep({
  name: 'simulate-sky',
  version: '1',
  description: 'Simulate two-epoch star fields (reference, science) with a known catalog.',
  params: simulateSkyParams,
  outputs: {
    reference: 'Image set: reference epoch, <field>.fits (ADU, float32, TAN WCS).',
    science: 'Image set: science epoch, <field>.fits, same fields, offset by < maxOffsetPx.',
    catalog:
      'CSV: field,id,kind,x,y (reference pixels),x_sci,y_sci,mag,flux_ref,flux_sci (ADU), galaxy shape.',
  },
  resources: { cpu: 1 },
  async run(ctx) {
    const p = ctx.params;
    const size = p.size;
    const fields = p.fields;
    const beta = p.moffatBeta;
    const detector: Detector = {
      gainEPerAdu: p.gain,
      readNoiseE: p.readNoise,
      saturationAdu: p.saturation,
    };
    const rangeOf = (r: readonly number[]): [number, number] => [r[0]!, r[1]!];
    await mkdir(join(ctx.outDir, 'reference'), { recursive: true });
    await mkdir(join(ctx.outDir, 'science'), { recursive: true });
    const rows: CsvRow[] = [];
    const root = new Random(ctx.seed);
    const digits = Math.max(3, String(fields - 1).length);
    for (let f = 0; f < fields; f++) {
      ctx.signal.throwIfAborted();
      const field = `field-${String(f).padStart(digits, '0')}`;
      const rng = root.fork(field);
      const scene = drawScene(
        {
          width: size,
          height: size,
          stars: p.stars,
          galaxies: p.galaxies,
          luminosity: {
            magBright: p.magBright,
            magFaint: p.magFaint,
            slopeDexPerMag: p.lfSlope,
          },
          galaxyMagRange: rangeOf(p.galaxyMag),
          galaxyReffRangePx: rangeOf(p.galaxyReffPx),
          zeroPointMag: p.zeroPoint,
        },
        rng.fork('scene'),
      );
      const draw = (
        fwhm: [number, number],
        sky: [number, number],
        transparency: [number, number],
        offset: number,
      ) => {
        const r = rng.fork(`conditions-${fwhm[0]}-${sky[0]}`);
        return {
          fwhmPx: r.uniformIn(fwhm[0], fwhm[1]),
          skyAdu: r.uniformIn(sky[0], sky[1]),
          transparency: r.uniformIn(transparency[0], transparency[1]),
          offsetX: offset === 0 ? 0 : r.uniformIn(-offset, offset),
          offsetY: offset === 0 ? 0 : r.uniformIn(-offset, offset),
        } satisfies EpochDraw;
      };
      const ref = draw(rangeOf(p.refFwhmPx), rangeOf(p.refSkyAdu), [1, 1], 0);
      const sci = draw(rangeOf(p.sciFwhmPx), rangeOf(p.sciSkyAdu), rangeOf(p.sciTransparency), p.maxOffsetPx);
      const wcs = buildTanWcs({
        width: size,
        height: size,
        centerRaDeg: rng.uniformIn(0, 360),
        centerDecDeg: rng.uniformIn(-60, 60),
        pixelScaleArcsec: p.pixelScale,
      });
      for (const [epoch, d, mjd] of [
        ['reference', ref, 60000.1],
        ['science', sci, 60030.1],
      ] as const) {
        const model: PsfModel = { kind: 'moffat', fwhm: d.fwhmPx, beta };
        const conditions: EpochConditions = {
          renderPsf: modelRenderer(model),
          psfStamp: psfStamp(model),
          skyAdu: d.skyAdu,
          transparency: d.transparency,
          offsetX: d.offsetX,
          offsetY: d.offsetY,
          detector,
        };
        const image = observe(scene, conditions, rng.fork(`noise-${epoch}`));
        const cards: CardInit[] = [
          { keyword: 'FIELD', value: field, comment: 'field name' },
          { keyword: 'ROLE', value: epoch, comment: 'epoch role: reference or science' },
          { keyword: 'MJD-OBS', value: mjd, comment: '[d] simulated epoch', real: true },
          { keyword: 'GAIN', value: detector.gainEPerAdu, comment: '[e-/adu]', real: true },
          { keyword: 'RDNOISE', value: detector.readNoiseE, comment: '[e-] read noise', real: true },
          {
            keyword: 'SATURATE',
            value: detector.saturationAdu,
            comment: '[adu] saturation level',
            real: true,
          },
          { keyword: 'SKYLEVEL', value: d.skyAdu, comment: '[adu] true sky level', real: true },
          {
            keyword: 'SKYSIG',
            value: skyNoiseAdu(d.skyAdu, detector),
            comment: '[adu] true sky noise',
            real: true,
          },
          { keyword: 'FWHM', value: d.fwhmPx, comment: '[px] true seeing FWHM (Moffat)', real: true },
          { keyword: 'PSFMODEL', value: 'MOFFAT', comment: 'true PSF model' },
          { keyword: 'MOFFBETA', value: beta, comment: 'true Moffat beta', real: true },
          {
            keyword: 'MAGZERO',
            value: p.zeroPoint + 2.5 * Math.log10(d.transparency / detector.gainEPerAdu),
            comment: 'magnitude giving 1 adu',
            real: true,
          },
          {
            keyword: 'OFFSETX',
            value: d.offsetX,
            comment: '[px] true offset from the reference',
            real: true,
          },
          {
            keyword: 'OFFSETY',
            value: d.offsetY,
            comment: '[px] true offset from the reference',
            real: true,
          },
          // A scene position p appears at p + offset, so the calibrated WCS moves its reference pixel too.
          ...wcsCards({ ...wcs, crpix: [wcs.crpix[0] + d.offsetX, wcs.crpix[1] + d.offsetY] }),
          ...provenanceCards(ctx.provenance),
        ];
        writeFits(join(ctx.outDir, epoch, `${field}.fits`), [
          { data: image, bitpix: -32, bunit: 'adu', cards },
        ]);
      }
      rows.push(...catalogRows(field, scene, ref, sci, detector.gainEPerAdu));
      ctx.progress(f + 1, fields);
    }
    await writeCsv(join(ctx.outDir, 'catalog.csv'), CATALOG_COLUMNS, rows);
    ctx.log.info(`simulated ${fields} field(s) of ${size}x${size} px`);
    return { reference: 'reference', science: 'science', catalog: 'catalog.csv' };
  },
});

function catalogRows(field: string, scene: Scene, ref: EpochDraw, sci: EpochDraw, gain: number): CsvRow[] {
  const rows: CsvRow[] = [];
  const common = (id: number, kind: string, x: number, y: number, mag: number, fluxE: number) => ({
    field,
    id,
    kind,
    x,
    y,
    x_sci: x + sci.offsetX,
    y_sci: y + sci.offsetY,
    mag,
    flux_ref: (fluxE * ref.transparency) / gain,
    flux_sci: (fluxE * sci.transparency) / gain,
  });
  scene.stars.forEach((s, i) => {
    rows.push({
      ...common(i, 'star', s.x, s.y, s.mag, s.fluxE),
      sersic_n: '',
      r_eff: '',
      axis_ratio: '',
      angle: '',
    });
  });
  scene.galaxies.forEach((g, i) => {
    rows.push({
      ...common(scene.stars.length + i, 'galaxy', g.x, g.y, g.mag, g.flux),
      sersic_n: g.n,
      r_eff: g.rEffPx,
      axis_ratio: g.axisRatio,
      angle: g.angleRad,
    });
  });
  return rows;
}
