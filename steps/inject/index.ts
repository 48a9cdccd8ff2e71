/**
 * inject: synthetic transients and artifacts with known truth, added to science images before
 * differencing. Supernovae (PSF point sources, optionally near a catalogued host galaxy), variable
 * stars (flux change of a catalogued star), moving objects (trailed PSF); artifacts: cosmic rays
 * (sharp tracks), hot pixels, misalignment dipoles. Fluxes by S/N or by magnitude. Deterministic by
 * `ctx.seed`.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { defineStep, StepInputError } from '../../engine/index.js';
import { FitsError, provenanceCards, readFitsImage, writeFits } from '../lib/fits/index.js';
import { headerPsf, saturationOf, wcsOf } from '../lib/imageset/header-info.js';
import { ImageSetError, listFields } from '../lib/imageset/image-set.js';
import { Random } from '../lib/random.js';
import { type CatalogSource, injectField, magFluxDrawer, snrFluxDrawer } from '../lib/sim/inject-field.js';
import { modelRenderer, stampRenderer } from '../lib/sim/psf-render.js';
import { CsvError, type CsvRow, readCsv, writeCsv } from '../lib/table/csv.js';
import { wcsCards } from '../lib/wcs/index.js';
import { prepareImage } from '../lib/zogy/prepare.js';
import { estimatePsf, PsfEstimateError } from '../lib/zogy/psf-estimate.js';
import { injectParams } from './params.js';

/** Columns of the `truth` catalog. */
export const TRUTH_COLUMNS = ['x', 'y', 'field', 'kind', 'real', 'flux', 'snr'] as const;

async function readCatalog(path: string): Promise<Map<string, CatalogSource[]>> {
  const byField = new Map<string, CatalogSource[]>();
  let table: Awaited<ReturnType<typeof readCsv>>;
  try {
    table = await readCsv(path);
  } catch (error) {
    if (error instanceof CsvError) throw new StepInputError(error.message, { file: path, cause: error });
    throw new StepInputError(`cannot read the catalog: ${(error as Error).message}`, {
      file: path,
      cause: error,
    });
  }
  const xCol = table.columns.includes('x_sci') ? 'x_sci' : 'x';
  const yCol = table.columns.includes('y_sci') ? 'y_sci' : 'y';
  const fluxCol = table.columns.includes('flux_sci') ? 'flux_sci' : 'flux';
  for (const column of ['field', xCol, yCol]) {
    if (!table.columns.includes(column)) {
      throw new StepInputError(
        `the catalog has no \`${column}\` column (it has ${table.columns.join(', ')})`,
        {
          file: path,
          hint: 'Pass the `catalog` output of simulate-sky, or a CSV with field,x,y[,kind,flux,r_eff]',
        },
      );
    }
  }
  for (const row of table.rows) {
    const kind = row.kind === 'galaxy' ? 'galaxy' : 'star';
    const rEff = Number(row.r_eff);
    const source: CatalogSource = {
      x: Number(row[xCol]),
      y: Number(row[yCol]),
      flux: Number(row[fluxCol] ?? Number.NaN),
      kind,
      ...(Number.isFinite(rEff) && rEff > 0 ? { rEffPx: rEff } : {}),
    };
    const list = byField.get(row.field!) ?? [];
    list.push(source);
    byField.set(row.field!, list);
  }
  return byField;
}

export const inject = defineStep({
  name: 'inject',
  version: '1',
  description: 'Inject synthetic transients and artifacts with known truth into science images.',
  params: injectParams,
  outputs: {
    images: 'Image set: the science images with injections (same fields and headers).',
    truth: 'CSV: x,y,field,kind,real,flux,snr of every injected object (x, y 0-based pixels).',
    masks: 'Image set of uint8 masks: 0 background, 1 real transient, 2 artifact.',
  },
  resources: { cpu: 1 },
  async run(ctx) {
    const p = ctx.params;
    let fields: ReturnType<typeof listFields>;
    try {
      fields = listFields(p.images);
    } catch (error) {
      if (error instanceof ImageSetError)
        throw new StepInputError(error.message, { file: error.path, cause: error });
      throw error;
    }
    const catalog =
      p.catalog === undefined ? new Map<string, CatalogSource[]>() : await readCatalog(p.catalog);
    await mkdir(join(ctx.outDir, 'images'), { recursive: true });
    await mkdir(join(ctx.outDir, 'masks'), { recursive: true });
    const rows: CsvRow[] = [];
    const root = new Random(ctx.seed);
    for (const [index, { field, path }] of fields.entries()) {
      ctx.signal.throwIfAborted();
      let read: ReturnType<typeof readFitsImage>;
      try {
        read = readFitsImage(path);
      } catch (error) {
        if (error instanceof FitsError)
          throw new StepInputError(`field \`${field}\`: ${error.message}`, { file: path, cause: error });
        throw error;
      }
      const { image, header } = read;
      const saturation = saturationOf(image, header, undefined).level;
      const prepared = prepareImage(image, { saturation });
      const gain = header.getNumber('GAIN') ?? Number.POSITIVE_INFINITY;
      // The PSF: the header's Moffat (simulations), else estimated from the image's stars.
      const model = headerPsf(header, 3.5);
      let psf: ReturnType<typeof modelRenderer>;
      let fwhmPx: number;
      if (model !== undefined) {
        psf = modelRenderer(model);
        fwhmPx = model.fwhm;
      } else {
        try {
          const est = estimatePsf(prepared.image, { sigma: prepared.sigma });
          psf = stampRenderer(est.stamp);
          fwhmPx = est.fwhmPx;
        } catch (error) {
          if (!(error instanceof PsfEstimateError)) throw error;
          throw new StepInputError(`field \`${field}\`: cannot model the PSF: ${error.message}`, {
            file: path,
            hint: 'Add FWHM (and MOFFBETA) keywords to the header',
          });
        }
      }
      const zeroPoint = header.getNumber('MAGZERO') ?? p.zeroPoint;
      const result = injectField(
        {
          image,
          badMask: prepared.mask,
          sigma: prepared.sigma,
          gain,
          fwhmPx,
          psf,
          catalog: catalog.get(field) ?? [],
        },
        {
          counts: {
            supernova: p.supernovae,
            variable: p.variables,
            moving: p.movers,
            cosmic_ray: p.cosmicRays,
            hot_pixel: p.hotPixels,
            dipole: p.dipoles,
          },
          drawFlux:
            p.brightness === 'snr'
              ? snrFluxDrawer([p.snrRange[0]!, p.snrRange[1]!], prepared.sigma, gain)
              : magFluxDrawer([p.magRange[0]!, p.magRange[1]!], zeroPoint),
          hostFraction: p.hostFraction,
          trailLengthPx: [p.trailLengthPx[0]!, p.trailLengthPx[1]!],
          maskThreshold: p.maskThreshold,
          photonNoise: p.photonNoise,
        },
        root.fork(field),
      );
      for (const s of result.skipped) ctx.log.warn(`${field}: skipped a ${s}`);
      const wcs = wcsOf(header);
      const sky = wcs === undefined ? [] : wcsCards(wcs);
      const prov = provenanceCards(ctx.provenance);
      writeFits(join(ctx.outDir, 'images', `${field}.fits`), [
        {
          data: result.image,
          bitpix: -32,
          bunit: header.getString('BUNIT') ?? 'adu',
          cards: [
            ...header.cards.filter((c) => !/^(AST|BUNIT$|CHECKSUM$|DATASUM$)/.test(c.keyword)),
            ...prov,
            {
              keyword: 'NINJECT',
              value: result.truth.length,
              comment: 'objects injected by asterism inject',
            },
          ],
        },
      ]);
      writeFits(join(ctx.outDir, 'masks', `${field}.fits`), [
        {
          data: { axes: [image.width, image.height], data: result.mask },
          bitpix: 8,
          extname: 'MASK',
          cards: [
            ...sky,
            { keyword: 'MASKVALS', value: '0 background, 1 real, 2 artifact', comment: 'pixel values' },
            ...prov,
          ],
        },
      ]);
      for (const t of result.truth)
        rows.push({ x: t.x, y: t.y, field, kind: t.kind, real: t.real, flux: t.flux, snr: t.snr });
      ctx.progress(index + 1, fields.length);
    }
    await writeCsv(join(ctx.outDir, 'truth.csv'), TRUTH_COLUMNS, rows);
    ctx.log.info(`injected ${rows.length} object(s) into ${fields.length} field(s)`);
    return { images: 'images', truth: 'truth.csv', masks: 'masks' };
  },
});
