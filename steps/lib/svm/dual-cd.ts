/**
 * The dual coordinate descent solver of Hsieh, Chang, Lin, Keerthi & Sundararajan (2008), "A dual
 * coordinate descent method for large-scale linear SVM" (ICML), Algorithm 3: Algorithm 1 (one
 * closed-form step per αᵢ, eq. 7–9, keeping w = Σ yᵢαᵢxᵢ) with a random order in every outer pass
 * and shrinking by the projected-gradient bounds of the previous pass (§3.2), stopping when
 * max PG − min PG ≤ ε over all samples — the solver of LIBLINEAR's `-s 1` / `-s 3`.
 *
 * `native/src/svm.cc` is this function's twin and gives the same bits: keep the two in step
 * (same shuffle stream, same update order, the dot product's eight partial sums combined in the
 * same order, no fused multiply–add).
 */
import { Random } from '../random.js';

/** One dual problem: samples, the bias feature and the loss's box and diagonal (see linear-svm.ts). */
export interface DualCdProblem {
  /** Row-major n × d samples. */
  readonly data: Float64Array;
  readonly rows: number;
  readonly columns: number;
  /** U: C for the hinge loss, ∞ for the squared hinge. */
  readonly upper: number;
  /** Dᵢᵢ: 0 for the hinge loss, 1/(2C) for the squared hinge. */
  readonly diag: number;
  /** ε of the stopping rule max PG − min PG ≤ ε. */
  readonly tol: number;
  readonly maxIter: number;
  /** B, the constant extra feature that carries the bias. */
  readonly biasFeature: number;
  /** Seed of the per-pass shuffle. */
  readonly seed: number;
}

/** The solver's result: w, the bias feature's weight w_B, passes, and whether ε was reached. */
export interface DualCdResult {
  readonly w: Float64Array;
  readonly wB: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/** Solve one dual problem for labels `y` ∈ {−1, +1}ⁿ (not checked here). */
export function dualCoordinateDescent(p: DualCdProblem, y: Float64Array): DualCdResult {
  const { data, rows: n, columns: d, upper, diag, biasFeature: B } = p;
  const w = new Float64Array(d);
  let wB = 0;
  const alpha = new Float64Array(n);
  // Q̄ᵢᵢ = xᵢᵀxᵢ + B² + Dᵢᵢ, precomputed once (Algorithm 1's only use of Q).
  const Qii = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = B * B + diag;
    const row = i * d;
    for (let j = 0; j < d; j++) s += data[row + j]! * data[row + j]!;
    Qii[i] = s;
  }
  const rng = new Random(p.seed);
  const index = Int32Array.from({ length: n }, (_, i) => i);
  let activeSize = n;
  let pgMaxOld = Number.POSITIVE_INFINITY;
  let pgMinOld = Number.NEGATIVE_INFINITY;
  let iter = 0;
  let converged = false;
  while (iter < p.maxIter) {
    let pgMaxNew = Number.NEGATIVE_INFINITY;
    let pgMinNew = Number.POSITIVE_INFINITY;
    // A fresh random order of the active samples each pass (Fisher–Yates).
    for (let s = activeSize - 1; s > 0; s--) {
      const j = rng.integer(s + 1);
      const t = index[s]!;
      index[s] = index[j]!;
      index[j] = t;
    }
    for (let s = 0; s < activeSize; s++) {
      const i = index[s]!;
      const yi = y[i]!;
      const row = i * d;
      const wx = wB * B + rowDot(w, data, row, d);
      const ai = alpha[i]!;
      const G = yi * wx - 1 + ai * diag;
      let PG = 0;
      if (ai === 0) {
        // Shrinking (§3.2): an αᵢ at its lower bound whose gradient exceeds the largest projected
        // gradient of the last pass is very likely to stay there; drop it from the active set.
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
    if (pgMaxNew - pgMinNew <= p.tol) {
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
  return { w, wB, iterations: iter, converged };
}

/**
 * w · data[row .. row + d) in a fixed order: eight partial sums (lane j mod 8) and a tail,
 * combined as ((s0+s4)+(s2+s6)) + ((s1+s5)+(s3+s7)) + tail — the order of the native AVX2 code.
 */
function rowDot(w: Float64Array, data: Float64Array, row: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  let s5 = 0;
  let s6 = 0;
  let s7 = 0;
  let j = 0;
  for (; j + 7 < d; j += 8) {
    const r = row + j;
    s0 += w[j]! * data[r]!;
    s1 += w[j + 1]! * data[r + 1]!;
    s2 += w[j + 2]! * data[r + 2]!;
    s3 += w[j + 3]! * data[r + 3]!;
    s4 += w[j + 4]! * data[r + 4]!;
    s5 += w[j + 5]! * data[r + 5]!;
    s6 += w[j + 6]! * data[r + 6]!;
    s7 += w[j + 7]! * data[r + 7]!;
  }
  let tail = 0;
  for (; j < d; j++) tail += w[j]! * data[row + j]!;
  return s0 + s4 + (s2 + s6) + (s1 + s5 + (s3 + s7)) + tail;
}

/** w += step · data[row .. row + d). */
function rowAxpy(w: Float64Array, step: number, data: Float64Array, row: number, d: number): void {
  let j = 0;
  for (; j + 3 < d; j += 4) {
    const r = row + j;
    w[j] = w[j]! + step * data[r]!;
    w[j + 1] = w[j + 1]! + step * data[r + 1]!;
    w[j + 2] = w[j + 2]! + step * data[r + 2]!;
    w[j + 3] = w[j + 3]! + step * data[r + 3]!;
  }
  for (; j < d; j++) w[j] = w[j]! + step * data[row + j]!;
}
