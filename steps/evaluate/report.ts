/** The files `evaluate` writes: metrics.json's document and the CSV rows of the curve and matches. */

import type { DetectionReport } from '../lib/metrics/detection-report.js';
import type { Evaluation, SubsetEvaluation } from '../lib/metrics/evaluation.js';
import type { Candidate, Matching, TruthObject } from '../lib/metrics/types.js';
import type { CsvRow } from '../lib/table/csv.js';

/** A subset's figures without its curve points (those go to the CSV). */
function subsetDocument(subset: SubsetEvaluation): Omit<SubsetEvaluation, 'prCurve'> {
  const { prCurve: _curve, ...rest } = subset;
  return rest;
}

/** The metrics.json document. NaN values serialise as `null` (undefined ratios). */
export function metricsDocument(
  evaluation: Evaluation,
  context: { fields: readonly string[]; radiusPx: number; report: DetectionReport | undefined },
): Record<string, unknown> {
  const { report } = context;
  return {
    detector:
      report === undefined
        ? null
        : {
            name: report.detector,
            threshold: report.threshold,
            backend: report.backend,
            msPerImage: report.msPerImage,
            imageShape: report.imageShape,
          },
    matchRadiusPx: context.radiusPx,
    nImages: context.fields.length,
    fields: context.fields,
    all: subsetDocument(evaluation.all),
    bright: subsetDocument(evaluation.bright),
    iou: evaluation.iou,
    calibration:
      evaluation.calibration === null
        ? null
        : {
            expectedCalibrationError: evaluation.calibration.expectedCalibrationError,
            bins: evaluation.calibration.bins,
          },
  };
}

/** pr-curve.csv: one row per threshold of each subset. */
export function prCurveRows(evaluation: Evaluation, nImages: number): { columns: string[]; rows: CsvRow[] } {
  const columns = [
    'subset',
    'threshold',
    'precision',
    'recall',
    'true_positives',
    'false_positives',
    'fp_per_image',
  ];
  const rows: CsvRow[] = [];
  for (const [subset, curve] of [
    ['all', evaluation.all.prCurve],
    ['bright', evaluation.bright.prCurve],
  ] as const) {
    for (const p of curve.points) {
      rows.push({
        subset,
        threshold: p.threshold,
        precision: p.precision,
        recall: p.recall,
        true_positives: p.truePositives,
        false_positives: p.falsePositives,
        fp_per_image: p.falsePositives / Math.max(1, nImages),
      });
    }
  }
  return { columns, rows };
}

/** matches.csv: each candidate, what it matched and how far away. */
export function matchRows(
  candidates: readonly Candidate[],
  truth: readonly TruthObject[],
  matching: Matching,
): { columns: string[]; rows: CsvRow[] } {
  const columns = ['field', 'x', 'y', 'score', 'match', 'truth_kind', 'truth_x', 'truth_y', 'distance'];
  const rows = candidates.map((c, i): CsvRow => {
    const t = truth[matching.candidateTruth[i]!];
    return {
      field: c.field,
      x: c.x,
      y: c.y,
      score: c.score,
      match: matching.candidateClass[i]!,
      truth_kind: t?.kind ?? '',
      truth_x: t?.x ?? Number.NaN,
      truth_y: t?.y ?? Number.NaN,
      distance: matching.distancePx[i]!,
    };
  });
  return { columns, rows };
}
