/**
 * evaluate: score any candidates catalog against any truth catalog (+ masks), the way surveys
 * measure real/bogus detectors. Definitions live in `steps/lib/metrics/` and `docs/real-bogus.md`.
 */
import { writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { defineStep, type ParamsOf, type StepContext } from '../../engine/index.js';
import { readDetectionReport } from '../lib/metrics/detection-report.js';
import { evaluateDetections } from '../lib/metrics/evaluation.js';
import type { Candidate, TruthObject } from '../lib/metrics/types.js';
import { writePng } from '../lib/render/png.js';
import { writeCsv } from '../lib/table/csv.js';
import { readCatalog, readSegmentation, readTruthMaps, restrictToFields } from './inputs.js';
import { drawPrCurves, drawReliability } from './plots.js';
import { matchRows, metricsDocument, prCurveRows } from './report.js';

const paramsSchema = {
  type: 'object',
  properties: {
    candidates: { type: 'string', description: 'Candidates catalog (CSV: field,x,y,score[,area,label]).' },
    truth: { type: 'string', description: 'Truth catalog (CSV: x,y,field,kind,real[,flux,snr]).' },
    masks: {
      type: 'string',
      description: 'Optional truth masks image set (uint8: 0, 1 real, 2 artifact).',
    },
    segmentation: {
      type: 'string',
      description: "Optional detector label maps; default: the detector report's segmentation folder.",
    },
    radius: { type: 'number', exclusiveMinimum: 0, default: 3, description: 'Match radius in pixels.' },
    snrMin: {
      type: 'number',
      default: 10,
      description: 'The bright subset: real transients with S/N ≥ this.',
    },
    targetRecall: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      default: 0.9,
      description: 'Report false positives per image at the highest threshold reaching this recall.',
    },
    calibrationBins: { type: 'integer', minimum: 1, default: 10, description: 'Equal-width ECE bins.' },
  },
  required: ['candidates', 'truth', 'radius', 'snrMin', 'targetRecall', 'calibrationBins'],
  additionalProperties: false,
} as const;

type Params = ParamsOf<typeof paramsSchema>;

export const evaluate = defineStep<
  typeof paramsSchema,
  'metrics' | 'prCurve' | 'prCurvePlot' | 'reliability' | 'matches'
>({
  name: 'evaluate',
  version: '1',
  description:
    'Score detections against injected truth: precision, recall, FP/image, IoU, calibration, PR curve.',
  params: paramsSchema,
  outputs: {
    metrics:
      'metrics.json: precision, recall, F1, FP/image, AP, IoU, recall per kind, artifact rejection, ECE, timing.',
    prCurve:
      'pr-curve.csv: threshold, precision, recall, TP, FP, FP/image (all transients and the bright subset).',
    prCurvePlot: 'pr-curve.png: blue = all real transients, orange = S/N ≥ snrMin.',
    reliability: 'reliability.png: accuracy per confidence bin (bars), mean confidence (red), diagonal.',
    matches: 'matches.csv: each candidate with what it matched (real, artifact, none) and the distance.',
  },
  resources: { cpu: 1 },
  async run(ctx: StepContext<Params>) {
    const p = ctx.params;
    const sidecar = await readDetectionReport(p.candidates);
    let candidates = await readCatalog<Candidate>(p.candidates, 'candidates');
    let truth = await readCatalog<TruthObject>(p.truth, 'truth');
    // Which images were evaluated: those the detector says it ran on (an image without any
    // candidate still counts), else every field named in either catalog.
    const fields =
      sidecar?.report.fields ?? [...new Set([...candidates, ...truth].map((r) => r.field))].sort();
    const fieldSet = new Set(fields);
    candidates = restrictToFields(candidates, fieldSet);
    truth = restrictToFields(truth, fieldSet);
    ctx.log.info(`${candidates.length} candidates, ${truth.length} truth objects in ${fields.length} images`);

    const segmentationDir =
      p.segmentation ??
      (sidecar?.report.segmentation === undefined
        ? undefined
        : isAbsolute(sidecar.report.segmentation)
          ? sidecar.report.segmentation
          : join(sidecar.dir, sidecar.report.segmentation));
    const truthMaps = p.masks === undefined ? undefined : await readTruthMaps(p.masks, fieldSet);
    ctx.signal.throwIfAborted();
    const detectionMaps =
      segmentationDir === undefined ? undefined : await readSegmentation(segmentationDir, fieldSet);
    ctx.progress(1, 3);

    const evaluation = evaluateDetections({
      candidates,
      truth,
      nImages: Math.max(1, fields.length),
      radiusPx: p.radius,
      snrMin: p.snrMin,
      targetRecall: p.targetRecall,
      calibrationBins: p.calibrationBins,
      ...(truthMaps === undefined ? {} : { truthMaps }),
      ...(detectionMaps === undefined ? {} : { detectionMaps }),
    });
    ctx.progress(2, 3);

    const document = metricsDocument(evaluation, { fields, radiusPx: p.radius, report: sidecar?.report });
    await writeFile(join(ctx.outDir, 'metrics.json'), `${JSON.stringify(document, null, 2)}\n`);
    const pr = prCurveRows(evaluation, fields.length);
    await writeCsv(join(ctx.outDir, 'pr-curve.csv'), pr.columns, pr.rows);
    const matches = matchRows(candidates, truth, evaluation.matching);
    await writeCsv(join(ctx.outDir, 'matches.csv'), matches.columns, matches.rows);
    writePng(
      join(ctx.outDir, 'pr-curve.png'),
      drawPrCurves([evaluation.all.prCurve.points, evaluation.bright.prCurve.points]),
    );
    writePng(join(ctx.outDir, 'reliability.png'), drawReliability(evaluation.calibration?.bins ?? []));
    ctx.progress(3, 3);
    const a = evaluation.all;
    ctx.log.info(
      `precision ${a.precision.toFixed(3)}, recall ${a.recall.toFixed(3)}, ${a.falsePositivesPerImage.toFixed(2)} FP/image`,
    );
    return {
      metrics: 'metrics.json',
      prCurve: 'pr-curve.csv',
      prCurvePlot: 'pr-curve.png',
      reliability: 'reliability.png',
      matches: 'matches.csv',
    };
  },
});
