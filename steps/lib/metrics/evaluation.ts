/**
 * The whole evaluation of one candidates catalog against truth: matching, counts for all real
 * transients and for the bright ones (S/N ≥ a cut), the precision–recall curve with the false
 * positives per image at a target recall, localisation IoU, and calibration.
 */
import { type Calibration, calibration } from './calibration.js';
import { candidateOutcomes, type DetectionSummary, summarizeDetections } from './detection-scores.js';
import { intersectionOverUnion, type LabelMap, labelNear, pixelIndex, pixelsByLabel } from './footprints.js';
import { matchCandidates } from './match.js';
import { operatingPointAtRecall, type PrCurve, precisionRecallCurve } from './pr-curve.js';
import type { Candidate, Matching, TruthObject } from './types.js';

/** Footprint label maps of one field's truth mask: components of value 1 and of value 2. */
export interface TruthLabelMaps {
  readonly real: LabelMap;
  readonly artifact: LabelMap;
}

/** Inputs and options of {@link evaluateDetections}. */
export interface EvaluationInput {
  readonly candidates: readonly Candidate[];
  readonly truth: readonly TruthObject[];
  /** Images the detector ran on (false positives per image divide by this). */
  readonly nImages: number;
  /** @default 3 */
  readonly radiusPx?: number;
  /** Per field, components of the truth mask (enables footprint matching and IoU). */
  readonly truthMaps?: ReadonlyMap<string, TruthLabelMaps>;
  /** Per field, the detector's segmentation (enables IoU). */
  readonly detectionMaps?: ReadonlyMap<string, LabelMap>;
  /** The "bright" subset counts real transients with S/N ≥ this. @default 10 */
  readonly snrMin?: number;
  /** Recall at which false positives per image are reported. @default 0.9 */
  readonly targetRecall?: number;
  /** @default 10 */
  readonly calibrationBins?: number;
}

/** Counts plus curve-derived figures for one subset of real transients. */
export interface SubsetEvaluation extends DetectionSummary {
  readonly averagePrecision: number;
  /** The highest threshold reaching `targetRecall`, and the false positives per image there. */
  readonly atTargetRecall: {
    readonly targetRecall: number;
    readonly threshold: number | null;
    readonly recall: number | null;
    readonly precision: number | null;
    readonly falsePositivesPerImage: number | null;
  };
  readonly prCurve: PrCurve;
}

/** Localisation quality of matched real detections. */
export interface IoUSummary {
  /** Mean IoU over matched real detections that have both footprints (NaN when none). */
  readonly mean: number;
  readonly n: number;
  /** Matched real detections lacking a detection or truth footprint (not in the mean). */
  readonly nWithoutFootprint: number;
}

/** Everything {@link evaluateDetections} measures. */
export interface Evaluation {
  readonly matching: Matching;
  readonly all: SubsetEvaluation;
  readonly bright: SubsetEvaluation & { readonly snrMin: number };
  /** `null` without truth masks and segmentation maps. */
  readonly iou: IoUSummary | null;
  /** `null` when scores are not probabilities in [0, 1] (e.g. S_corr). */
  readonly calibration: Calibration | null;
}

function subsetEvaluation(
  input: EvaluationInput,
  matching: Matching,
  realFilter: (t: TruthObject) => boolean,
): SubsetEvaluation {
  const summary = summarizeDetections(input.candidates, input.truth, matching, {
    nImages: input.nImages,
    realFilter,
  });
  const outcomes = candidateOutcomes(input.truth, matching, realFilter);
  const kept = input.candidates.map((_, i) => i).filter((i) => outcomes[i] !== 'ignored');
  const curve = precisionRecallCurve(
    kept.map((i) => input.candidates[i]!.score),
    kept.map((i) => outcomes[i] === 'tp'),
    summary.truePositives + summary.falseNegatives,
  );
  const targetRecall = input.targetRecall ?? 0.9;
  const point = operatingPointAtRecall(curve, targetRecall);
  return {
    ...summary,
    averagePrecision: curve.averagePrecision,
    atTargetRecall: {
      targetRecall,
      threshold: point?.threshold ?? null,
      recall: point?.recall ?? null,
      precision: point?.precision ?? null,
      falsePositivesPerImage: point === undefined ? null : point.falsePositives / input.nImages,
    },
    prCurve: curve,
  };
}

function iouSummary(input: EvaluationInput, matching: Matching, radiusPx: number): IoUSummary | null {
  const { truthMaps, detectionMaps } = input;
  if (truthMaps === undefined || detectionMaps === undefined) return null;
  const pixelCache = new Map<LabelMap, Map<number, number[]>>();
  const pixelsOf = (map: LabelMap, label: number): number[] | undefined => {
    let byLabel = pixelCache.get(map);
    if (byLabel === undefined) {
      byLabel = pixelsByLabel(map);
      pixelCache.set(map, byLabel);
    }
    return byLabel.get(label);
  };
  let sum = 0;
  let n = 0;
  let nWithoutFootprint = 0;
  input.candidates.forEach((c, ci) => {
    if (matching.candidateClass[ci] !== 'real') return;
    const t = input.truth[matching.candidateTruth[ci]!]!;
    const detectionMap = detectionMaps.get(c.field);
    const truthMap = truthMaps.get(c.field)?.real;
    const detectionLabel =
      detectionMap === undefined
        ? 0
        : (c.label ?? detectionMap.labels[pixelIndex(detectionMap, c.x, c.y)] ?? 0);
    const truthLabel = truthMap === undefined ? 0 : labelNear(truthMap, t.x, t.y, radiusPx);
    const a =
      detectionMap === undefined || detectionLabel === 0 ? undefined : pixelsOf(detectionMap, detectionLabel);
    const b = truthMap === undefined || truthLabel === 0 ? undefined : pixelsOf(truthMap, truthLabel);
    if (a === undefined || b === undefined) {
      nWithoutFootprint++;
      return;
    }
    sum += intersectionOverUnion(a, b);
    n++;
  });
  return { mean: n > 0 ? sum / n : Number.NaN, n, nWithoutFootprint };
}

/** Evaluate a candidates catalog against truth (definitions in the modules this composes). */
export function evaluateDetections(input: EvaluationInput): Evaluation {
  const radiusPx = input.radiusPx ?? 3;
  const { truthMaps } = input;
  // A truth object's footprint label is found once, then membership is one array lookup.
  const truthLabels = input.truth.map((t) => {
    const map = truthMaps?.get(t.field)?.[t.real ? 'real' : 'artifact'];
    return map === undefined ? 0 : labelNear(map, t.x, t.y, radiusPx);
  });
  const footprintContains =
    truthMaps === undefined
      ? undefined
      : (ti: number, x: number, y: number): boolean => {
          const t = input.truth[ti]!;
          const map = truthMaps.get(t.field)?.[t.real ? 'real' : 'artifact'];
          if (map === undefined || truthLabels[ti] === 0) return false;
          const p = pixelIndex(map, x, y);
          return p >= 0 && map.labels[p] === truthLabels[ti];
        };
  const matching = matchCandidates(input.candidates, input.truth, {
    radiusPx,
    ...(footprintContains === undefined ? {} : { footprintContains }),
  });

  const snrMin = input.snrMin ?? 10;
  const scores = input.candidates.map((c) => c.score);
  const probabilities = scores.every((s) => s >= 0 && s <= 1);
  return {
    matching,
    all: subsetEvaluation(input, matching, () => true),
    bright: { ...subsetEvaluation(input, matching, (t) => (t.snr ?? Number.NaN) >= snrMin), snrMin },
    iou: iouSummary(input, matching, radiusPx),
    calibration: probabilities
      ? calibration(
          scores,
          matching.candidateClass.map((cls) => cls === 'real'),
          input.calibrationBins ?? 10,
        )
      : null,
  };
}
