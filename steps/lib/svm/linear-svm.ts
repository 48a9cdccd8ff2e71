/**
 * A linear support vector machine trained by dual coordinate descent (Hsieh, Chang, Lin, Keerthi
 * & Sundararajan 2008, "A dual coordinate descent method for large-scale linear SVM", ICML;
 * Algorithm 1 with the shrinking of their Algorithm 2 / §3.2), the solver LIBLINEAR uses for
 * `-s 3` (L2-regularised hinge loss) and `-s 1` (squared hinge), and so scikit-learn's
 * `LinearSVC`.
 *
 * Primal:  min_w ½‖w‖² + C Σᵢ ξ(w; xᵢ, yᵢ),  ξ = max(0, 1 − yᵢ wᵀxᵢ) (hinge) or its square.
 * Dual:    min_α ½ αᵀQ̄α − eᵀα,  0 ≤ αᵢ ≤ U,  Q̄ = Q + D,  Qᵢⱼ = yᵢyⱼ xᵢᵀxⱼ,
 *          hinge: U = C, Dᵢᵢ = 0;  squared hinge: U = ∞, Dᵢᵢ = 1/(2C).
 * Each step minimises over one αᵢ in closed form (their eq. 7–9) and keeps w = Σ yᵢαᵢxᵢ.
 *
 * The bias is handled as LIBLINEAR (and `LinearSVC(intercept_scaling=1)`) do: every sample gets
 * an extra feature B = `interceptScaling`, so the bias weight is regularised like the others and
 * the intercept is B·w_B. Since the primal is strictly convex in (w, w_B), the optimum is unique
 * and our solution and scikit-learn's agree to the stopping tolerance, whatever the sample order.
 */
import { Random } from '../random.js';

/** Options of {@link fitLinearSvm}; defaults are scikit-learn's `LinearSVC` except `loss`. */
export interface LinearSvmOptions {
  /** Inverse regularisation strength. @default 1 */
  readonly C?: number;
  /** `hinge` (the paper's SVM, LIBLINEAR -s 3) or `squared_hinge` (LinearSVC's default). @default 'hinge' */
  readonly loss?: 'hinge' | 'squared_hinge';
  /** Stop when the projected-gradient spread max PG − min PG falls to this. @default 1e-4 */
  readonly tol?: number;
  /** Passes over the data at most. @default 1000 */
  readonly maxIter?: number;
  /** The constant extra feature that carries the bias. @default 1 */
  readonly interceptScaling?: number;
  /** Seed of the sample order in each pass. @default 0 */
  readonly seed?: number;
}

/** A fitted linear SVM: decision f(x) = weights·x + intercept, class +1 where f > 0. */
export interface LinearSvmModel {
  readonly weights: Float64Array;
  readonly intercept: number;
  /** Passes over the data. */
  readonly iterations: number;
  /** False when `maxIter` was reached before the tolerance. */
  readonly converged: boolean;
}

/** A row-major sample matrix: `n` rows of `d` features. */
export interface SampleMatrix {
  readonly data: Float64Array;
  readonly rows: number;
  readonly columns: number;
}

/**
 * Fit a linear SVM to samples `X` with labels `y` in {−1, +1}.
 *
 * @example
 * const model = fitLinearSvm({ data, rows: n, columns: 100 }, labels, { C: 1 });
 */
export function fitLinearSvm(
  X: SampleMatrix,
  y: ArrayLike<number>,
  options: LinearSvmOptions = {},
): LinearSvmModel {
  const { data, rows: n, columns: d } = X;
  const C = options.C ?? 1;
  const tol = options.tol ?? 1e-4;
  const maxIter = options.maxIter ?? 1000;
  const B = options.interceptScaling ?? 1;
  if (!(C > 0)) throw new RangeError(`Expected \`C\` to be a positive number, got \`${C}\``);
  if (data.length !== n * d)
    throw new RangeError(`sample matrix holds ${data.length} values, expected ${n}×${d}`);
  if (y.length !== n) throw new RangeError(`got ${y.length} labels for ${n} samples`);
  for (let i = 0; i < n; i++) {
    if (y[i] !== 1 && y[i] !== -1) throw new RangeError(`label ${i} is \`${y[i]}\`; labels must be −1 or +1`);
  }
  const squared = options.loss === 'squared_hinge';
  const upper = squared ? Number.POSITIVE_INFINITY : C;
  const diag = squared ? 0.5 / C : 0;
  // Monomorphic local copies: the inner loops below run ~10⁹ times on a 10,000 × 100 problem.
  const yy = Float64Array.from(y);
  const w = new Float64Array(d);
  let wB = 0;
  const alpha = new Float64Array(n);
  const Qii = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = B * B + diag;
    const row = i * d;
    for (let j = 0; j < d; j++) s += data[row + j]! * data[row + j]!;
    Qii[i] = s;
  }
  const rng = new Random(options.seed ?? 0);
  const index = Int32Array.from({ length: n }, (_, i) => i);
  let activeSize = n;
  let pgMaxOld = Number.POSITIVE_INFINITY;
  let pgMinOld = Number.NEGATIVE_INFINITY;
  let iter = 0;
  let converged = false;
  while (iter < maxIter) {
    let pgMaxNew = Number.NEGATIVE_INFINITY;
    let pgMinNew = Number.POSITIVE_INFINITY;
    for (let s = activeSize - 1; s > 0; s--) {
      const j = rng.integer(s + 1);
      const t = index[s]!;
      index[s] = index[j]!;
      index[j] = t;
    }
    for (let s = 0; s < activeSize; s++) {
      const i = index[s]!;
      const yi = yy[i]!;
      const row = i * d;
      const wx = wB * B + rowDot(w, data, row, d);
      const ai = alpha[i]!;
      const G = yi * wx - 1 + ai * diag;
      let PG = 0;
      if (ai === 0) {
        // Shrinking (Hsieh et al. §3.2): an αᵢ at its lower bound whose gradient exceeds the
        // largest projected gradient of the last pass is very likely to stay there.
        if (G > pgMaxOld) {
          activeSize--;
          index[s] = index[activeSize]!;
          index[activeSize] = i;
          s--;
          continue;
        }
        if (G < 0) PG = G;
      } else if (ai === upper) {
        if (G < pgMinOld) {
          activeSize--;
          index[s] = index[activeSize]!;
          index[activeSize] = i;
          s--;
          continue;
        }
        if (G > 0) PG = G;
      } else {
        PG = G;
      }
      if (PG > pgMaxNew) pgMaxNew = PG;
      if (PG < pgMinNew) pgMinNew = PG;
      if (PG > 1e-12 || PG < -1e-12) {
        const aNew = Math.min(Math.max(ai - G / Qii[i]!, 0), upper);
        alpha[i] = aNew;
        const step = (aNew - ai) * yi;
        rowAxpy(w, step, data, row, d);
        wB += step * B;
      }
    }
    iter++;
    if (pgMaxNew - pgMinNew <= tol) {
      if (activeSize === n) {
        converged = true;
        break;
      }
      // Converged on the shrunk problem: check once more on all samples.
      activeSize = n;
      pgMaxOld = Number.POSITIVE_INFINITY;
      pgMinOld = Number.NEGATIVE_INFINITY;
      continue;
    }
    pgMaxOld = pgMaxNew > 0 ? pgMaxNew : Number.POSITIVE_INFINITY;
    pgMinOld = pgMinNew < 0 ? pgMinNew : Number.NEGATIVE_INFINITY;
  }
  return { weights: w, intercept: wB * B, iterations: iter, converged };
}

/** w · data[row .. row + d), unrolled by four (the solver's hot loop). */
function rowDot(w: Float64Array, data: Float64Array, row: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < d; j += 4) {
    s0 += w[j]! * data[row + j]!;
    s1 += w[j + 1]! * data[row + j + 1]!;
    s2 += w[j + 2]! * data[row + j + 2]!;
    s3 += w[j + 3]! * data[row + j + 3]!;
  }
  for (; j < d; j++) s0 += w[j]! * data[row + j]!;
  return s0 + s1 + (s2 + s3);
}

/** w += step · data[row .. row + d). */
function rowAxpy(w: Float64Array, step: number, data: Float64Array, row: number, d: number): void {
  let j = 0;
  for (; j + 3 < d; j += 4) {
    w[j] = w[j]! + step * data[row + j]!;
    w[j + 1] = w[j + 1]! + step * data[row + j + 1]!;
    w[j + 2] = w[j + 2]! + step * data[row + j + 2]!;
    w[j + 3] = w[j + 3]! + step * data[row + j + 3]!;
  }
  for (; j < d; j++) w[j] = w[j]! + step * data[row + j]!;
}

/** Decision values f(x) = w·x + b of every row. */
export function decisionFunction(model: LinearSvmModel, X: SampleMatrix): Float64Array {
  const { data, rows, columns: d } = X;
  if (d !== model.weights.length) {
    throw new RangeError(`samples have ${d} features, the model ${model.weights.length}`);
  }
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let f = model.intercept;
    for (let j = 0; j < d; j++) f += (model.weights[j] as number) * (data[i * d + j] as number);
    out[i] = f;
  }
  return out;
}

/** Fraction of rows whose predicted class (+1 where f > 0, else −1) equals the label. */
export function svmAccuracy(model: LinearSvmModel, X: SampleMatrix, y: ArrayLike<number>): number {
  const f = decisionFunction(model, X);
  let correct = 0;
  for (let i = 0; i < f.length; i++) if (((f[i] as number) > 0 ? 1 : -1) === y[i]) correct++;
  return f.length === 0 ? Number.NaN : correct / f.length;
}
