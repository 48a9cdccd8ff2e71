import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { Random } from '../../../../../steps/lib/random.js';
import { dot, unitVector } from '../../../../../steps/lib/svm/directions.js';
import {
  medianLabels,
  takeRows,
  takeValues,
  trainValidationSplit,
} from '../../../../../steps/lib/svm/labels.js';
import {
  defaultSvmThreads,
  fitLinearSvm,
  fitLinearSvms,
  svmAccuracy,
} from '../../../../../steps/lib/svm/linear-svm.js';
import { nativeDualCd } from '../../../../../steps/lib/svm/native-dual-cd.js';
import { f64Bytes, withPython } from '../solar/python.js';

/**
 * A latent-space-like problem: z ~ N(0, I_d) and a noisy, non-linear "physical parameter"
 * whose median split is only partly linearly separable (like TUF in a GAN latent space).
 */
function problem(n: number, d: number, seed: number): { z: Float64Array; value: Float64Array } {
  const rng = new Random(seed);
  const z = rng.normalArray(n * d);
  const direction = unitVector(rng.normalArray(d));
  const value = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = dot(z.subarray(i * d, (i + 1) * d), direction);
    value[i] = Math.tanh(t) + 0.3 * (z[i * d] as number) ** 2 + 0.6 * rng.normal();
  }
  return { z, value };
}

const SKLEARN = `
import json, sys
import numpy as np
from sklearn.svm import LinearSVC
n, d = int(sys.argv[2]), int(sys.argv[3])
data = np.fromfile(sys.argv[1] + '/x.f64', dtype='<f8').reshape(n, d)
y = np.fromfile(sys.argv[1] + '/y.f64', dtype='<f8')
train = np.fromfile(sys.argv[1] + '/train.f64', dtype='<f8').astype(int)
val = np.fromfile(sys.argv[1] + '/val.f64', dtype='<f8').astype(int)
out = {}
for loss in ['hinge', 'squared_hinge']:
    clf = LinearSVC(C=1.0, loss=loss, dual=True, tol=1e-4, max_iter=100000, random_state=0)
    clf.fit(data[train], y[train])
    out[loss] = {'w': clf.coef_[0].tolist(), 'b': float(clf.intercept_[0]),
                 'val': float(clf.score(data[val], y[val]))}
print(json.dumps(out))
`;

// The native solver is built by `npm ci` (scripts/build-native.mjs); without it only the
// TypeScript path can be checked, and the native-only test says so by being skipped.
const native = nativeDualCd();
const backends = 'fn' in native ? (['js', 'native'] as const) : (['js'] as const);

describe('fitLinearSvm', () => {
  it('matches scikit-learn LinearSVC(C=1) for hinge and squared hinge: accuracy ±1 pt, cosine ≥ 0.99', async () => {
    const [n, d] = [1500, 20];
    const { z, value } = problem(n, d, 4);
    const { labels } = medianLabels(value);
    const { train, validation } = trainValidationSplit(n, 0.3, 1);
    const ref = await withPython(
      {
        'x.f64': f64Bytes(z),
        'y.f64': f64Bytes(labels),
        'train.f64': f64Bytes(train),
        'val.f64': f64Bytes(validation),
      },
      { code: SKLEARN, args: ['{dir}', String(n), String(d)] },
      async (_d, out) => JSON.parse(out) as Record<string, { w: number[]; b: number; val: number }>,
    );
    const Xtrain = { data: takeRows(z, d, train), rows: train.length, columns: d };
    const Xval = { data: takeRows(z, d, validation), rows: validation.length, columns: d };
    for (const [loss, backend] of (['hinge', 'squared_hinge'] as const).flatMap((l) =>
      backends.map((b) => [l, b] as const),
    )) {
      // Hinge loss on overlapping classes needs ~10⁴ passes at tol 1e−4 (LIBLINEAR does too).
      const model = fitLinearSvm(Xtrain, takeValues(labels, train), { C: 1, loss, maxIter: 100000, backend });
      const peer = ref[loss] as { w: number[]; b: number; val: number };
      expect(model.backend).toBe(backend);
      expect(model.converged).toBe(true);
      const cosine = dot(unitVector(model.weights), unitVector(peer.w));
      // The criteria; the primal optimum is unique, so in practice cosine ≈ 1 − 1e−8.
      expect(cosine).toBeGreaterThanOrEqual(0.99);
      expect(
        Math.abs(svmAccuracy(model, Xval, takeValues(labels, validation)) - peer.val),
      ).toBeLessThanOrEqual(0.01);
      expect(model.intercept).toBeCloseTo(peer.b, 2);
    }
    // fit-svm-directions' default, LIBLINEAR's ε = 0.1, against the fully converged LinearSVC.
    const loose = fitLinearSvm(Xtrain, takeValues(labels, train), { C: 1, tol: 0.1, maxIter: 20000 });
    const hinge = ref.hinge as { w: number[]; val: number };
    expect(loose.converged).toBe(true);
    expect(dot(unitVector(loose.weights), unitVector(hinge.w))).toBeGreaterThanOrEqual(0.99);
    expect(
      Math.abs(svmAccuracy(loose, Xval, takeValues(labels, validation)) - hinge.val),
    ).toBeLessThanOrEqual(0.01);
  });

  it.skipIf(!('fn' in native))(
    'native and TypeScript solvers give the same bits (hinge and squared hinge, tail dimensions, threads)',
    () => {
      // Same shuffle stream, same update order, same summation order, no FMA: equality, not ≈.
      for (const [n, d, loss, tol] of [
        [1200, 21, 'hinge', 1e-3],
        [900, 100, 'hinge', 1e-2],
        [700, 13, 'squared_hinge', 1e-4],
      ] as const) {
        const { z, value } = problem(n, d, d);
        const y = medianLabels(value).labels;
        const y2 = Int8Array.from(y, (v, i) => (i % 3 === 0 ? -v : v)); // a second, noisier parameter
        const X = { data: z, rows: n, columns: d };
        const options = { C: 0.7, loss, tol, maxIter: 50000, seed: 11 } as const;
        const ts = [y, y2].map((labels) => fitLinearSvm(X, labels, { ...options, backend: 'js' }));
        const cc = fitLinearSvms(X, [y, y2], { ...options, backend: 'native', threads: 2 });
        for (const [k, model] of cc.entries()) {
          const reference = ts[k] as (typeof ts)[number];
          expect(model.backend).toBe('native');
          expect(model.iterations).toBe(reference.iterations);
          expect(model.iterations).toBeGreaterThan(10);
          expect(model.intercept).toBe(reference.intercept);
          expect(Array.from(model.weights)).toEqual(Array.from(reference.weights));
        }
      }
    },
  );

  it('fits several label vectors like one fit each, and stops at maxIter without claiming convergence', () => {
    const { z, value } = problem(400, 10, 3);
    const y = medianLabels(value).labels;
    const flipped = Int8Array.from(y, (v) => -v);
    const X = { data: z, rows: 400, columns: 10 };
    for (const backend of backends) {
      const [a, b] = fitLinearSvms(X, [y, flipped], { backend, tol: 1e-3, maxIter: 50000 });
      const single = fitLinearSvm(X, flipped, { backend, tol: 1e-3, maxIter: 50000 });
      expect(Array.from(b?.weights ?? [])).toEqual(Array.from(single.weights));
      // Flipping every label mirrors the problem: w → −w (to the tolerance; the shuffle is the same).
      expect(dot(unitVector(a?.weights ?? []), unitVector(b?.weights ?? []))).toBeLessThan(-0.999);
      const capped = fitLinearSvm(X, y, { backend, tol: 1e-6, maxIter: 3 });
      expect([capped.iterations, capped.converged]).toEqual([3, false]);
    }
  });

  it('uses one thread per fit at most, never more than the cores, at least one', () => {
    const cores = availableParallelism();
    expect(defaultSvmThreads(1)).toBe(1);
    for (const fits of [2, 5, 64]) {
      const t = defaultSvmThreads(fits);
      expect(t).toBeGreaterThanOrEqual(1);
      expect(t).toBeLessThanOrEqual(Math.min(fits, cores));
    }
  });

  it('separates separable data perfectly and rejects bad labels', () => {
    const rng = new Random(2);
    const n = 200;
    const data = rng.normalArray(n * 2);
    const y = Float64Array.from({ length: n }, (_, i) => ((data[2 * i] as number) + 0.5 > 0 ? 1 : -1));
    const model = fitLinearSvm({ data, rows: n, columns: 2 }, y, { C: 100, maxIter: 10000 });
    expect(svmAccuracy(model, { data, rows: n, columns: 2 }, y)).toBe(1);
    expect(() => fitLinearSvm({ data, rows: n, columns: 2 }, new Float64Array(n))).toThrow(
      /label 0 is `0`; labels must be −1 or \+1/,
    );
  });
});

describe('labels and split', () => {
  it('labels above the median +1 and splits 70/30 like train_test_split (test size rounded up)', () => {
    const { labels, threshold } = medianLabels([5, 1, 3, 2, 4]);
    expect(threshold).toBe(3);
    expect([...labels]).toEqual([1, -1, -1, -1, 1]);
    const { train, validation } = trainValidationSplit(11, 0.3, 9);
    expect([train.length, validation.length]).toEqual([7, 4]);
    expect([...train, ...validation].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});
