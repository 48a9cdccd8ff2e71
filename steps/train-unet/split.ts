/**
 * Train/validation split by field: every stamp of a field goes to the same side, so no star,
 * transient or noise realisation seen in training reappears in validation (a split by stamp
 * leaks neighbouring, overlapping crops and inflates validation scores).
 */
import { Random } from '../lib/random.js';

/** Fields on each side of the split. */
export interface FieldSplit {
  readonly train: readonly string[];
  readonly validation: readonly string[];
}

/**
 * Shuffle the distinct fields with `seed` and put `round(fraction · n)` of them (at least one,
 * and at least one left for training when there are two or more) into validation. With one field
 * the validation side is empty.
 */
export function splitFields(fields: Iterable<string>, validationFraction: number, seed: number): FieldSplit {
  if (!(validationFraction >= 0 && validationFraction < 1)) {
    throw new RangeError(`Expected \`validationFraction\` in [0, 1), got \`${validationFraction}\``);
  }
  const distinct = [...new Set(fields)].sort();
  if (distinct.length < 2) return { train: distinct, validation: [] };
  const shuffled = new Random(seed).fork('split').shuffle(distinct);
  const nValidation = Math.min(
    distinct.length - 1,
    Math.max(1, Math.round(validationFraction * distinct.length)),
  );
  return {
    validation: shuffled.slice(0, nValidation).sort(),
    train: shuffled.slice(nValidation).sort(),
  };
}
