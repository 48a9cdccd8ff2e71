/**
 * The objects detection metrics work on: candidates (what a detector reported) and truth
 * (what was injected). Positions are 0-based pixel coordinates with pixel centres at integers,
 * as in every asterism catalog.
 */

/** One detection reported by a detector (a row of a `candidates` catalog). */
export interface Candidate {
  /** The image the candidate was found in (its file name without `.fits`). */
  readonly field: string;
  readonly x: number;
  readonly y: number;
  /** Higher means more confident: a probability for the U-Net, S_corr for the baseline. */
  readonly score: number;
  /** Pixels in the detection's footprint, when known. */
  readonly area?: number;
  /** The footprint's label in the detector's segmentation map of this field, when known. */
  readonly label?: number;
}

/** One injected object with known ground truth (a row of a `truth` catalog). */
export interface TruthObject {
  readonly field: string;
  readonly x: number;
  readonly y: number;
  /** What was injected: `supernova`, `variable`, `mover`, `cosmic_ray`, `hot_pixel`, ... */
  readonly kind: string;
  /** `true` for an astrophysical transient (mask value 1), `false` for an artifact (mask value 2). */
  readonly real: boolean;
  readonly flux?: number;
  /** Signal-to-noise ratio of the injection, when known. */
  readonly snr?: number;
}

/** What a candidate was matched to. */
export const MatchClass = {
  /** Matched to a real transient: a true positive. */
  real: 'real',
  /** Not matched to a real transient but to an injected artifact: a false positive that "reported" it. */
  artifact: 'artifact',
  /** Matched to nothing: a false positive. */
  none: 'none',
} as const;
export type MatchClass = (typeof MatchClass)[keyof typeof MatchClass];

/** The one-to-one assignment of candidates to truth objects. */
export interface Matching {
  /** Per candidate (input order): the index of the truth object it matched, or -1. */
  readonly candidateTruth: Int32Array;
  /** Per candidate: what it matched. */
  readonly candidateClass: readonly MatchClass[];
  /** Per candidate: distance to the matched truth position in pixels (NaN when unmatched). */
  readonly distancePx: Float64Array;
  /** Per truth object (input order): the index of the candidate that matched it, or -1. */
  readonly truthCandidate: Int32Array;
}
