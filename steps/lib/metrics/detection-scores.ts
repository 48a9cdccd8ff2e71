/**
 * Counting metrics of a matching: precision, recall, F1, false positives per image, recall per
 * truth kind, and the artifact rejection rate.
 *
 * Definitions:
 * - TP: candidates matched to a counted real transient; FP: candidates matched to an artifact or
 *   to nothing; FN: counted real transients matched by no candidate.
 * - precision = TP / (TP + FP); recall = TP / (TP + FN); F1 = 2 P R / (P + R). Undefined ratios
 *   (0/0) are NaN (written `null` in JSON).
 * - false positives per image = FP / nImages.
 * - A `realFilter` (e.g. S/N ≥ 10) restricts which real transients are counted. Real transients
 *   outside it are "don't care": a candidate matched to one is neither TP nor FP, and missing one
 *   is no FN. Artifacts are always counted.
 * - artifact rejection rate = (artifacts matched by no candidate) / (artifacts), overall and per
 *   kind; recall per kind = detected / counted real transients of that kind.
 */
import { type Candidate, MatchClass, type Matching, type TruthObject } from './types.js';

/** Options of {@link summarizeDetections}. */
export interface SummaryOptions {
  /** Number of images the detector ran on (the denominator of false positives per image). */
  readonly nImages: number;
  /** Which real transients count (default: all). */
  readonly realFilter?: (truth: TruthObject) => boolean;
}

/** Detected / total for one kind of real transient. */
export interface KindRecall {
  readonly n: number;
  readonly detected: number;
  readonly recall: number;
}

/** Reported / total for one kind of artifact. */
export interface KindRejection {
  readonly n: number;
  readonly reported: number;
  readonly rejectionRate: number;
}

/** Counting metrics of one matching. */
export interface DetectionSummary {
  readonly nImages: number;
  readonly nCandidates: number;
  /** Candidates matched to real transients outside `realFilter` (excluded from TP and FP). */
  readonly ignored: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly falsePositivesPerImage: number;
  readonly recallByKind: Readonly<Record<string, KindRecall>>;
  readonly artifacts: {
    readonly n: number;
    readonly reported: number;
    readonly rejectionRate: number;
    readonly byKind: Readonly<Record<string, KindRejection>>;
  };
}

/** `a / b`, NaN when b is 0. */
export function ratio(a: number, b: number): number {
  return b === 0 ? Number.NaN : a / b;
}

/** F1 from precision and recall; NaN when either is undefined, 0 when both are 0. */
export function f1Score(precision: number, recall: number): number {
  if (Number.isNaN(precision) || Number.isNaN(recall)) return Number.NaN;
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

/**
 * Per candidate, whether it counts and whether it is a true positive under `realFilter`:
 * `'tp'`, `'fp'` or `'ignored'`.
 */
export function candidateOutcomes(
  truth: readonly TruthObject[],
  matching: Matching,
  realFilter: (truth: TruthObject) => boolean = () => true,
): ('tp' | 'fp' | 'ignored')[] {
  return matching.candidateClass.map((cls, i) => {
    if (cls !== MatchClass.real) return 'fp';
    return realFilter(truth[matching.candidateTruth[i]!]!) ? 'tp' : 'ignored';
  });
}

/** Count the metrics of a matching (see the module comment for the definitions). */
export function summarizeDetections(
  candidates: readonly Candidate[],
  truth: readonly TruthObject[],
  matching: Matching,
  options: SummaryOptions,
): DetectionSummary {
  if (!(Number.isInteger(options.nImages) && options.nImages > 0)) {
    throw new RangeError(`Expected \`nImages\` to be a positive integer, got \`${options.nImages}\``);
  }
  const realFilter = options.realFilter ?? (() => true);
  const outcomes = candidateOutcomes(truth, matching, realFilter);
  const truePositives = outcomes.filter((o) => o === 'tp').length;
  const falsePositives = outcomes.filter((o) => o === 'fp').length;
  const ignored = outcomes.length - truePositives - falsePositives;

  const recallCounts = new Map<string, { n: number; detected: number }>();
  const artifactCounts = new Map<string, { n: number; reported: number }>();
  truth.forEach((t, i) => {
    const found = matching.truthCandidate[i] !== -1;
    if (t.real) {
      if (!realFilter(t)) return;
      const entry = recallCounts.get(t.kind) ?? { n: 0, detected: 0 };
      entry.n++;
      if (found) entry.detected++;
      recallCounts.set(t.kind, entry);
    } else {
      const entry = artifactCounts.get(t.kind) ?? { n: 0, reported: 0 };
      entry.n++;
      if (found) entry.reported++;
      artifactCounts.set(t.kind, entry);
    }
  });
  const sorted = <V>(m: Map<string, V>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

  const recallByKind: Record<string, KindRecall> = {};
  let nReal = 0;
  for (const [kind, { n, detected }] of sorted(recallCounts)) {
    recallByKind[kind] = { n, detected, recall: ratio(detected, n) };
    nReal += n;
  }
  const byKind: Record<string, KindRejection> = {};
  let nArtifacts = 0;
  let reported = 0;
  for (const [kind, entry] of sorted(artifactCounts)) {
    byKind[kind] = {
      n: entry.n,
      reported: entry.reported,
      rejectionRate: ratio(entry.n - entry.reported, entry.n),
    };
    nArtifacts += entry.n;
    reported += entry.reported;
  }

  const precision = ratio(truePositives, truePositives + falsePositives);
  // Every TP matched a distinct counted real transient, so FN = counted real − TP.
  const recall = ratio(truePositives, nReal);
  return {
    nImages: options.nImages,
    nCandidates: candidates.length,
    ignored,
    truePositives,
    falsePositives,
    falseNegatives: nReal - truePositives,
    precision,
    recall,
    f1: f1Score(precision, recall),
    falsePositivesPerImage: falsePositives / options.nImages,
    recallByKind,
    artifacts: { n: nArtifacts, reported, rejectionRate: ratio(nArtifacts - reported, nArtifacts), byKind },
  };
}
