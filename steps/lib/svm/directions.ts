/**
 * Latent directions from SVM normals, and conditional directions (Shen, Gu, Tang & Zhou 2020,
 * InterFaceGAN, §2.2 "conditional manipulation").
 *
 * The unit normal n̂ = w / ‖w‖ of a separating hyperplane points towards the +1 class (above the
 * median of a physical parameter), so z + ε n̂ raises the parameter on average. To change one
 * attribute while keeping others, InterFaceGAN removes from n̂ its component in the span of the
 * other normals c₁…c_k: for one, n − (n·c)c renormalised; for several, the least-squares
 * projection onto the orthogonal complement of span(C),
 *   n⊥ = n − C (CᵀC)⁻¹ Cᵀ n,   n̂_cond = n⊥ / ‖n⊥‖,
 * which for k = 1 and unit c is exactly n − (n·c)c, and for orthonormal cᵢ is n − Σ(n·cᵢ)cᵢ.
 * Along n̂_cond the decision values of every condition's SVM stay constant to first order
 * (cᵢ·n̂_cond = 0).
 */

/** Dot product. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** The vector scaled to unit Euclidean length. */
export function unitVector(v: ArrayLike<number>): Float64Array {
  const norm = Math.sqrt(dot(v, v));
  if (!(norm > 0)) throw new RangeError('cannot normalise a zero vector (the SVM normal is zero)');
  return Float64Array.from(v as ArrayLike<number>, (x) => x / norm);
}

/** Thrown when the primal direction lies (almost) in the span of its conditions. */
export class DegenerateDirectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DegenerateDirectionError';
  }
}

/**
 * The unit direction of `primal` with the span of `conditions` projected out.
 *
 * @throws DegenerateDirectionError when less than 1e−6 of the primal's length remains (the
 *   attribute cannot be changed without changing the conditions) or the conditions are
 *   linearly dependent.
 */
export function conditionalDirection(
  primal: ArrayLike<number>,
  conditions: readonly ArrayLike<number>[],
): Float64Array {
  const n = unitVector(primal);
  const k = conditions.length;
  if (k === 0) return n;
  const d = n.length;
  for (const c of conditions) {
    if (c.length !== d) throw new RangeError(`condition has ${c.length} dimensions, the primal ${d}`);
  }
  // Normal equations of the least-squares fit of n by the columns of C: (CᵀC) β = Cᵀn.
  const gram = new Float64Array(k * k);
  const rhs = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    const ca = conditions[a] as ArrayLike<number>;
    rhs[a] = dot(ca, n);
    for (let b = 0; b < k; b++) gram[a * k + b] = dot(ca, conditions[b] as ArrayLike<number>);
  }
  const beta = solveSymmetric(gram, rhs, k);
  const residual = Float64Array.from(n);
  for (let a = 0; a < k; a++) {
    const ca = conditions[a] as ArrayLike<number>;
    const ba = beta[a] as number;
    for (let j = 0; j < d; j++) residual[j] = (residual[j] as number) - ba * (ca[j] as number);
  }
  const remaining = Math.sqrt(dot(residual, residual));
  if (remaining < 1e-6) {
    throw new DegenerateDirectionError(
      'the direction lies in the span of its conditions: nothing is left after projecting them out',
    );
  }
  return residual.map((x) => x / remaining);
}

/** Solve the k×k symmetric positive-definite system A x = b by Cholesky factorisation. */
function solveSymmetric(A: Float64Array, b: Float64Array, k: number): Float64Array {
  const L = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * k + j] as number;
      for (let p = 0; p < j; p++) s -= (L[i * k + p] as number) * (L[j * k + p] as number);
      if (i === j) {
        // Relative pivot test: a tiny pivot means a condition is a combination of the others.
        if (!(s > 1e-12 * (A[i * k + i] as number))) {
          throw new DegenerateDirectionError('the condition directions are linearly dependent');
        }
        L[i * k + i] = Math.sqrt(s);
      } else {
        L[i * k + j] = s / (L[j * k + j] as number);
      }
    }
  }
  const x = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[i] as number;
    for (let p = 0; p < i; p++) s -= (L[i * k + p] as number) * (x[p] as number);
    x[i] = s / (L[i * k + i] as number);
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = x[i] as number;
    for (let p = i + 1; p < k; p++) s -= (L[p * k + i] as number) * (x[p] as number);
    x[i] = s / (L[i * k + i] as number);
  }
  return x;
}
