/**
 * detect-threshold: the classical baseline detector. Pixels with S_corr above a threshold are
 * grouped into 8-connected components; each component is one candidate at its S_corr peak, with
 * score = peak S_corr (Zackay et al. 2016, §4: S_corr is the matched-filter significance, so a
 * threshold of 5 is a 5σ detection). Writes the same outputs as `detect`, so `evaluate` scores
 * both side by side.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineStep, type ParamsOf, type StepContext, StepInputError } from '../../engine/index.js';
import { FitsError, provenanceCards, readFitsImage, writeFits } from '../lib/fits/index.js';
import { ImageSetError, listFields } from '../lib/imageset/image-set.js';
import { CANDIDATE_COLUMNS, candidateRows } from '../lib/metrics/catalogs.js';
import { DETECTION_REPORT_FILE, type DetectionReport } from '../lib/metrics/detection-report.js';
import { segmentMap } from '../lib/metrics/map-candidates.js';
import type { Candidate } from '../lib/metrics/types.js';
import { wcsCards } from '../lib/stamps/wcs-cards.js';
import { writeCsv } from '../lib/table/csv.js';

const paramsSchema = {
  type: 'object',
  properties: {
    difference: {
      type: 'string',
      description: 'Image set from `difference`: a folder of <field>.fits with an SCORR extension.',
    },
    threshold: { type: 'number', default: 5, description: 'S_corr threshold (σ).' },
    minArea: {
      type: 'integer',
      minimum: 1,
      default: 1,
      description: 'Components with fewer pixels above the threshold are dropped.',
    },
    extname: { type: 'string', default: 'SCORR', description: 'Extension holding S_corr.' },
  },
  required: ['difference', 'threshold', 'minArea', 'extname'],
  additionalProperties: false,
} as const;

type Params = ParamsOf<typeof paramsSchema>;

export const detectThreshold = defineStep<typeof paramsSchema, 'candidates' | 'segmentation' | 'report'>({
  name: 'detect-threshold',
  version: '1',
  description: 'Baseline detector: S_corr peaks above a threshold in ZOGY difference images.',
  params: paramsSchema,
  outputs: {
    candidates: 'Catalog CSV: field,x,y,score,area,label (score = peak S_corr).',
    segmentation: 'Image set of int32 label maps: component k of each field is candidate label k.',
    report: `${DETECTION_REPORT_FILE}: detector, threshold, backend, fields, ms per image.`,
  },
  resources: { cpu: 1 },
  async run(ctx: StepContext<Params>) {
    const { difference, threshold, minArea, extname } = ctx.params;
    let members: ReturnType<typeof listFields>;
    try {
      members = listFields(difference);
    } catch (error) {
      if (error instanceof ImageSetError)
        throw new StepInputError(error.message, { file: difference, cause: error });
      throw error;
    }
    await mkdir(join(ctx.outDir, 'segmentation'));
    const candidates: Candidate[] = [];
    let elapsedMs = 0;
    let imageShape: [number, number] = [0, 0];
    for (const [i, { field, path }] of members.entries()) {
      ctx.signal.throwIfAborted();
      let scorr: ReturnType<typeof readFitsImage>;
      try {
        scorr = readFitsImage(path, { hdu: extname });
      } catch (error) {
        if (!(error instanceof FitsError)) throw error;
        throw new StepInputError(`cannot read S_corr of field \`${field}\`: ${error.message}`, {
          file: path,
          hint: `Pass the \`difference\` output of the difference step (extension ${extname})`,
          cause: error,
        });
      }
      const { width, height, data } = scorr.image;
      if (i === 0) imageShape = [width, height];
      const started = performance.now();
      const segmentation = segmentMap(data, width, height, threshold, { minArea });
      elapsedMs += performance.now() - started;
      for (const c of segmentation.candidates) candidates.push({ field, ...c });
      writeFits(join(ctx.outDir, 'segmentation', `${field}.fits`), [
        {
          data: { axes: [width, height], data: segmentation.labels },
          bitpix: 32,
          extname: 'SEGMENT',
          cards: [
            ...wcsCards(scorr.header),
            { keyword: 'THRESH', value: threshold, comment: 'S_corr threshold of the footprints' },
            ...provenanceCards(ctx.provenance),
          ],
        },
      ]);
      ctx.progress(i + 1, members.length);
    }
    await writeCsv(join(ctx.outDir, 'candidates.csv'), CANDIDATE_COLUMNS, candidateRows(candidates));
    const report: DetectionReport = {
      detector: 'scorr-threshold',
      threshold,
      backend: 'js',
      fields: members.map((m) => m.field),
      msPerImage: elapsedMs / members.length,
      imageShape,
      segmentation: 'segmentation',
    };
    await writeFile(join(ctx.outDir, DETECTION_REPORT_FILE), `${JSON.stringify(report, null, 2)}\n`);
    ctx.log.info(`${candidates.length} candidates with S_corr > ${threshold} in ${members.length} images`);
    return { candidates: 'candidates.csv', segmentation: 'segmentation', report: DETECTION_REPORT_FILE };
  },
});
