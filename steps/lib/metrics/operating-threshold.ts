/**
 * Choosing a detector's operating threshold on validation fields (never on the fields it is
 * scored on): the probability maps are segmented at each threshold of a grid, each segmentation is
 * scored against the truth exactly as `evaluate` scores it, and the rule below picks one.
 *
 * Rule: among thresholds whose false positives per megapixel are at most
 * `maxFalsePositivesPerMegapixel`, the one with the highest recall; equal recall → fewer false
 * positives; then the lower threshold. When no threshold meets the bound, the one with the fewest
 * false positives (then the higher recall, then the lower threshold), flagged `withinBound: false`.
 *
 * The bound is per area, not per image: false positives on noise scale with the number of
 * independent noise peaks, i.e. with the area searched, so a rate per megapixel carries over
 * from 256² validation stamps to a 1024×682 survey frame where a rate per image does not.
 */
import { labelComponents } from '../image/components.js';
import { evaluateDetections, type TruthLabelMaps } from './evaluation.js';
import type { LabelMap } from './footprints.js';
import { segmentMap } from './map-candidates.js';
import type { Candidate, TruthObject } from './types.js';

/** The default grid: dense near 1, where over-confident segmentation networks operate. */
export const DEFAULT_THRESHOLD_GRID: readonly number[] = [
  0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.998, 0.999, 0.9995, 0.9998, 0.9999,
];

/** Scores of one threshold on the validation fields (all real transients count). */
export interface ThresholdPoint {
  readonly threshold: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  /** NaN when there are no real transients. */
  readonly recall: number;
  /** NaN when nothing was detected. */
  readonly precision: number;
  readonly falsePositivesPerImage: number;
  /** False positives per 10⁶ pixels searched. */
  readonly falsePositivesPerMegapixel: number;
}

/** The chosen point and whether it met the false-positive bound. */
export interface OperatingChoice {
  readonly point: ThresholdPoint;
  readonly withinBound: boolean;
}

/** Pick the operating point from `points` (see the module comment for the rule). */
export function chooseOperatingThreshold(
  points: readonly ThresholdPoint[],
  maxFalsePositivesPerMegapixel: number,
): OperatingChoice {
  if (points.length === 0) throw new RangeError('no threshold points to choose from');
  const recallOf = (p: ThresholdPoint) => (Number.isNaN(p.recall) ? 0 : p.recall);
  const within = points.filter((p) => p.falsePositivesPerMegapixel <= maxFalsePositivesPerMegapixel);
  if (within.length > 0) {
    const best = [...within].sort(
      (a, b) => recallOf(b) - recallOf(a) || a.falsePositives - b.falsePositives || a.threshold - b.threshold,
    )[0]!;
    return { point: best, withinBound: true };
  }
  const best = [...points].sort(
    (a, b) => a.falsePositives - b.falsePositives || recallOf(b) - recallOf(a) || a.threshold - b.threshold,
  )[0]!;
  return { point: best, withinBound: false };
}

/**
 * Every threshold that yields a distinct set of detections on `fields`: the grid, plus the peak
 * score of every component found at the grid's lowest threshold (segmenting at a peak value drops
 * that component, since a pixel must exceed the threshold). Without the peaks the choice is capped
 * by the grid's spacing: an over-confident network puts its scores within 1e-4 of 1, where a
 * fixed grid has only a few points. Sorted ascending, duplicates removed.
 */
export function candidateThresholds(
  fields: readonly ScoredField[],
  grid: readonly number[] = DEFAULT_THRESHOLD_GRID,
): number[] {
  const lowest = Math.min(...grid);
  const peaks = fields.flatMap((f) =>
    segmentMap(f.probability, f.width, f.height, lowest).candidates.map((c) => c.score),
  );
  return [...new Set([...grid, ...peaks])].sort((a, b) => a - b);
}

/** One validation field: its probability map, truth catalog rows and truth mask classes. */
export interface ScoredField {
  readonly field: string;
  readonly width: number;
  readonly height: number;
  readonly probability: ArrayLike<number>;
  readonly truth: readonly TruthObject[];
  /** 0 background, 1 real transient, 2 artifact (enables footprint matching, as in `evaluate`). */
  readonly mask?: ArrayLike<number>;
}

function truthMapsOf(field: ScoredField): TruthLabelMaps | undefined {
  const { mask, width, height } = field;
  if (mask === undefined) return undefined;
  const ofClass = (value: number): LabelMap => {
    const binary = new Uint8Array(width * height);
    for (let i = 0; i < binary.length; i++) binary[i] = mask[i] === value ? 1 : 0;
    return { width, height, labels: labelComponents(binary, width, height, 8).labels };
  };
  return { real: ofClass(1), artifact: ofClass(2) };
}

/** Segment every field at each threshold and score it against the truth (radius in pixels). */
export function thresholdPoints(
  fields: readonly ScoredField[],
  thresholds: readonly number[] = DEFAULT_THRESHOLD_GRID,
  radiusPx = 3,
): ThresholdPoint[] {
  if (fields.length === 0) throw new RangeError('no fields to choose a threshold on');
  const megapixels = fields.reduce((sum, f) => sum + f.width * f.height, 0) / 1e6;
  const truth = fields.flatMap((f) => f.truth.filter((t) => t.field === f.field));
  const truthMaps = new Map<string, TruthLabelMaps>();
  for (const f of fields) {
    const maps = truthMapsOf(f);
    if (maps !== undefined) truthMaps.set(f.field, maps);
  }
  return thresholds.map((threshold) => {
    const candidates: Candidate[] = fields.flatMap((f) =>
      segmentMap(f.probability, f.width, f.height, threshold).candidates.map((c) => ({
        field: f.field,
        ...c,
      })),
    );
    const { all } = evaluateDetections({
      candidates,
      truth,
      nImages: fields.length,
      radiusPx,
      ...(truthMaps.size > 0 ? { truthMaps } : {}),
    });
    return {
      threshold,
      truePositives: all.truePositives,
      falsePositives: all.falsePositives,
      falseNegatives: all.falseNegatives,
      recall: all.recall,
      precision: all.precision,
      falsePositivesPerImage: all.falsePositivesPerImage,
      falsePositivesPerMegapixel: all.falsePositives / megapixels,
    };
  });
}
