/**
 * A linear support vector machine trained by dual coordinate descent (Hsieh, Chang, Lin, Keerthi
 * & Sundararajan 2008, "A dual coordinate descent method for large-scale linear SVM", ICML;
 * Algorithm 3: random order per pass, shrinking, the max PG − min PG stopping rule), the solver
 * LIBLINEAR uses for `-s 3` (L2-regularised hinge loss) and `-s 1` (squared hinge), and so
 * scikit-learn's `LinearSVC`. The solver itself is `dual-cd.ts`; its native twin
 * (`native/src/svm.cc`, AVX2, one thread per fit) gives the same bits and is used when built.
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
import { availableParallelism, loadavg } from 'node:os';
import { type DualCdProblem, type DualCdResult, dualCoordinateDescent } from './dual-cd.js';
import { nativeDualCd, solveDualCdNative } from './native-dual-cd.js';

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
  /**
   * `native` (the addon's AVX2 solver; throws if it is not built), `js`, or `auto` (native when
   * built). Both give bit-identical models. @default 'auto'
   */
  readonly backend?: 'auto' | 'native' | 'js';
  /** Threads for {@link fitLinearSvms}' native path (one fit per thread). @default {@link defaultSvmThreads} */
  readonly threads?: number;
}

/** A fitted linear SVM: decision f(x) = weights·x + intercept, class +1 where f > 0. */
export interface LinearSvmModel {
  readonly weights: Float64Array;
  readonly intercept: number;
  /** Passes over the data. */
  readonly iterations: number;
  /** False when `maxIter` was reached before the tolerance. */
  readonly converged: boolean;
  /** Which solver ran: the native addon or the TypeScript one. */
  readonly backend: 'native' | 'js';
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
  return fitLinearSvms(X, [y], options)[0] as LinearSvmModel;
}

/**
 * Fit one linear SVM per label vector on the same samples (fit-svm-directions: one per physical
 * parameter). The native path runs the fits on `threads` threads; the result is the same as
 * calling {@link fitLinearSvm} for each label vector.
 */
export function fitLinearSvms(
  X: SampleMatrix,
  labels: readonly ArrayLike<number>[],
  options: LinearSvmOptions = {},
): LinearSvmModel[] {
  const { data, rows: n, columns: d } = X;
  const C = options.C ?? 1;
  const maxIter = options.maxIter ?? 1000;
  const threads = options.threads ?? defaultSvmThreads(labels.length);
  if (!(C > 0)) throw new RangeError(`Expected \`C\` to be a positive number, got \`${C}\``);
  if (!(Number.isInteger(maxIter) && maxIter >= 1 && maxIter <= 2 ** 31))
    throw new RangeError(`Expected \`maxIter\` to be an integer from 1 to 2^31, got \`${maxIter}\``);
  if (!(Number.isInteger(threads) && threads >= 1 && threads <= 256))
    throw new RangeError(`Expected \`threads\` to be an integer from 1 to 256, got \`${threads}\``);
  if (data.length !== n * d)
    throw new RangeError(`sample matrix holds ${data.length} values, expected ${n}×${d}`);
  const ys = labels.map((y) => {
    if (y.length !== n) throw new RangeError(`got ${y.length} labels for ${n} samples`);
    for (let i = 0; i < n; i++) {
      if (y[i] !== 1 && y[i] !== -1)
        throw new RangeError(`label ${i} is \`${y[i]}\`; labels must be −1 or +1`);
    }
    return Float64Array.from(y);
  });
  const squared = options.loss === 'squared_hinge';
  const problem: DualCdProblem = {
    data,
    rows: n,
    columns: d,
    upper: squared ? Number.POSITIVE_INFINITY : C,
    diag: squared ? 0.5 / C : 0,
    tol: options.tol ?? 1e-4,
    maxIter,
    biasFeature: options.interceptScaling ?? 1,
    seed: options.seed ?? 0,
  };
  const backend = options.backend ?? 'auto';
  const native = backend === 'js' ? undefined : nativeDualCd();
  if (backend === 'native' && native !== undefined && 'error' in native) {
    throw new Error(`the native SVM solver is not available: ${native.error}`);
  }
  let results: DualCdResult[];
  let used: 'native' | 'js';
  if (native !== undefined && 'fn' in native && n > 0 && d > 0 && ys.length > 0) {
    results = solveDualCdNative(native.fn, problem, ys, threads);
    used = 'native';
  } else {
    results = ys.map((y) => dualCoordinateDescent(problem, y));
    used = 'js';
  }
  return results.map((r) => ({
    weights: r.w,
    intercept: r.wB * problem.biasFeature,
    iterations: r.iterations,
    converged: r.converged,
    backend: used,
  }));
}

/**
 * Threads for `fits` native fits: one per core that is not already busy by the 1-minute load
 * average, at least one. On a busy machine a second thread buys no extra CPU share where the
 * kernel shares CPU time between sessions (Linux autogroup), and the fits split unevenly over the
 * threads: in 6 of 7 runs of `npm run bench:svm` at load 10–17 one thread was faster than two.
 */
export function defaultSvmThreads(fits: number): number {
  const cores = availableParallelism();
  const idle = Math.floor(cores - (loadavg()[0] ?? 0)) + 1;
  return Math.max(1, Math.min(fits, cores, idle));
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
