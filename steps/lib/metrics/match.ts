/**
 * One-to-one matching of candidates to truth, greedy by score, per field.
 *
 * Definition (pinned by tests):
 * 1. Candidates are visited in decreasing score; equal scores keep their input order.
 * 2. A candidate may match a truth object of the same field that is not matched yet and is
 *    *eligible*: its position lies within `radiusPx` (Euclidean, inclusive) of the truth
 *    position, or — when footprints are given — the candidate's pixel lies inside the truth
 *    object's footprint (so a detection anywhere on a long moving-object trail or cosmic-ray
 *    track counts). Among eligible objects it takes the nearest; ties go to the lower truth index.
 * 3. Real transients are matched first (stage 1); the candidates left over are then matched the
 *    same way to artifacts (stage 2). A detection explained by a real transient is a true
 *    positive even if an artifact lies nearby; a detection matched to an artifact is a false
 *    positive that "reported" the artifact.
 *
 * Because stage 1 is greedy in score order, the matches of the candidates scoring ≥ t do not
 * depend on the candidates scoring < t: one matching yields the whole precision–recall curve.
 */
import { type Candidate, MatchClass, type Matching, type TruthObject } from './types.js';

/** Options of {@link matchCandidates}. */
export interface MatchOptions {
  /** Match radius in pixels. @default 3 */
  readonly radiusPx?: number;
  /**
   * Whether the pixel nearest to (x, y) lies in truth object `truthIndex`'s footprint (e.g. its
   * connected component in the truth mask). Omit to match by distance only.
   */
  readonly footprintContains?: (truthIndex: number, x: number, y: number) => boolean;
}

/** Indices of items grouped by their `field`, in input order. */
function groupByField(items: readonly { readonly field: string }[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  items.forEach((item, i) => {
    const group = groups.get(item.field);
    if (group === undefined) groups.set(item.field, [i]);
    else group.push(i);
  });
  return groups;
}

/** Candidate indices in decreasing score, equal scores in input order. */
export function scoreOrder(candidates: readonly Candidate[]): number[] {
  const order = candidates.map((_, i) => i);
  // Array.prototype.sort is stable (ES2019), so ties keep input order.
  return order.sort((a, b) => candidates[b]!.score - candidates[a]!.score);
}

/**
 * Match candidates to truth objects (see the module comment for the exact rule).
 *
 * @throws RangeError when a score or position is not finite, or the radius is not positive.
 */
export function matchCandidates(
  candidates: readonly Candidate[],
  truth: readonly TruthObject[],
  options: MatchOptions = {},
): Matching {
  const radiusPx = options.radiusPx ?? 3;
  if (!(radiusPx > 0) || !Number.isFinite(radiusPx)) {
    throw new RangeError(`Expected \`radiusPx\` to be a positive number of pixels, got \`${radiusPx}\``);
  }
  candidates.forEach((c, i) => {
    if (!Number.isFinite(c.score) || !Number.isFinite(c.x) || !Number.isFinite(c.y)) {
      throw new RangeError(
        `candidate ${i} (field \`${c.field}\`) has a non-finite score or position: x=${c.x}, y=${c.y}, score=${c.score}`,
      );
    }
  });
  truth.forEach((t, i) => {
    if (!Number.isFinite(t.x) || !Number.isFinite(t.y)) {
      throw new RangeError(
        `truth object ${i} (field \`${t.field}\`) has a non-finite position: x=${t.x}, y=${t.y}`,
      );
    }
  });

  const candidateTruth = new Int32Array(candidates.length).fill(-1);
  const candidateClass: MatchClass[] = candidates.map(() => MatchClass.none);
  const distancePx = new Float64Array(candidates.length).fill(Number.NaN);
  const truthCandidate = new Int32Array(truth.length).fill(-1);

  const truthByField = groupByField(truth);
  const order = scoreOrder(candidates);

  for (const real of [true, false]) {
    for (const ci of order) {
      if (candidateTruth[ci] !== -1) continue;
      const c = candidates[ci]!;
      let best = -1;
      let bestDistance = Number.POSITIVE_INFINITY;
      for (const ti of truthByField.get(c.field) ?? []) {
        const t = truth[ti]!;
        if (t.real !== real || truthCandidate[ti] !== -1) continue;
        const distance = Math.hypot(c.x - t.x, c.y - t.y);
        const eligible = distance <= radiusPx || (options.footprintContains?.(ti, c.x, c.y) ?? false);
        // Strict `<` keeps the lower truth index on ties (truth indices are visited in order).
        if (eligible && distance < bestDistance) {
          best = ti;
          bestDistance = distance;
        }
      }
      if (best === -1) continue;
      candidateTruth[ci] = best;
      candidateClass[ci] = real ? MatchClass.real : MatchClass.artifact;
      distancePx[ci] = bestDistance;
      truthCandidate[best] = ci;
    }
  }
  return { candidateTruth, candidateClass, distancePx, truthCandidate };
}
