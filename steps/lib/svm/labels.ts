/**
 * Turning a physical parameter into a binary classification problem, as the paper does: label
 * +1 above the median and −1 at or below it, then split the samples 70/30 into training and
 * validation sets with a seeded shuffle (the paper uses scikit-learn's `train_test_split`).
 */
import { Random } from '../random.js';
import { median } from '../stats/median.js';

/** Labels in {−1, +1}: +1 where value > median(values). */
export function medianLabels(values: ArrayLike<number>): { labels: Int8Array; threshold: number } {
  const threshold = median(values);
  const labels = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) labels[i] = (values[i] as number) > threshold ? 1 : -1;
  return { labels, threshold };
}

/** Row indices of a seeded split: the first ⌈(1 − validationFraction)·n⌉ of a permutation train. */
export function trainValidationSplit(
  n: number,
  validationFraction: number,
  seed: number,
): { train: Int32Array; validation: Int32Array } {
  if (!(validationFraction > 0 && validationFraction < 1)) {
    throw new RangeError(`Expected the validation fraction in (0, 1), got \`${validationFraction}\``);
  }
  const order = new Random(seed).permutation(n);
  // scikit-learn rounds the test size up: n_test = ceil(test_size · n).
  const nValidation = Math.ceil(validationFraction * n);
  return {
    train: Int32Array.from(order.slice(0, n - nValidation)),
    validation: Int32Array.from(order.slice(n - nValidation)),
  };
}

/** The rows `index` of a row-major matrix with `d` columns. */
export function takeRows(data: Float64Array, d: number, index: ArrayLike<number>): Float64Array {
  const out = new Float64Array(index.length * d);
  for (let k = 0; k < index.length; k++) {
    const i = index[k] as number;
    out.set(data.subarray(i * d, (i + 1) * d), k * d);
  }
  return out;
}

/** The entries `index` of an array. */
export function takeValues<T extends Int8Array | Float64Array>(values: T, index: ArrayLike<number>): T {
  const out = new (values.constructor as new (n: number) => T)(index.length);
  for (let k = 0; k < index.length; k++) out[k] = values[index[k] as number] as number;
  return out;
}
