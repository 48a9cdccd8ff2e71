/**
 * Linear SVM on 10,000 latent vectors × 100 dimensions: ours against scikit-learn's
 * `LinearSVC(C=1, loss='hinge')` (LIBLINEAR's dual coordinate descent, in C) on the same data.
 *
 *   npm run bench:svm [-- --rows 10000 --dims 100 --repeats 3]
 *
 * The data imitate fit-svm-directions' input: z ~ N(0, I), labels from the median of a noisy,
 * partly non-linear function of z, so the classes overlap (validation accuracy ≈ 0.8, as for the
 * paper's TUF). Both sides use C = 1, tol = 1e−2 (fit-svm-directions' default; LIBLINEAR's own is 0.1), max_iter = 100,000 and fit all rows; the time is
 * the median of `repeats` fits. scikit-learn runs in /usr/bin/python3 in this same run, one thread.
 * The JSON line's ratio is ours / peer in seconds: below 1 we are faster. Target: ours < 2 s.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Random } from '../steps/lib/random.js';
import { dot, unitVector } from '../steps/lib/svm/directions.js';
import { medianLabels } from '../steps/lib/svm/labels.js';
import { fitLinearSvm, type LinearSvmModel, svmAccuracy } from '../steps/lib/svm/linear-svm.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000' },
    dims: { type: 'string', default: '100' },
    repeats: { type: 'string', default: '3' },
  },
});
const n = Number(values.rows);
const d = Number(values.dims);
const repeats = Number(values.repeats);

const rng = new Random(2025);
const z = rng.normalArray(n * d);
const direction = unitVector(rng.normalArray(d));
const value = new Float64Array(n);
for (let i = 0; i < n; i++) {
  const t = dot(z.subarray(i * d, (i + 1) * d), direction);
  value[i] = Math.tanh(t) + 0.3 * (z[i * d] as number) ** 2 + 0.5 * rng.normal();
}
const { labels } = medianLabels(value);
const X = { data: z, rows: n, columns: d };

const samples: number[] = [];
let model: LinearSvmModel | undefined;
for (let r = 0; r < repeats; r++) {
  const start = performance.now();
  model = fitLinearSvm(X, labels, { C: 1, loss: 'hinge', tol: 1e-2, maxIter: 100000, seed: r });
  samples.push((performance.now() - start) / 1000);
}
samples.sort((a, b) => a - b);
const ours = samples[Math.floor(samples.length / 2)] as number;
const fitted = model as LinearSvmModel;

const dir = mkdtempSync(join(tmpdir(), 'bench-svm-'));
let peer: { seconds: number; version: string; accuracy: number; cosine: number; iterations: number };
try {
  writeFileSync(join(dir, 'x.f64'), z);
  writeFileSync(join(dir, 'y.f64'), Float64Array.from(labels));
  writeFileSync(join(dir, 'w.f64'), fitted.weights);
  const script = `
import json, sys, time, warnings
import numpy as np, sklearn
from sklearn.svm import LinearSVC
d = sys.argv[1]; n, k, repeats = ${n}, ${d}, ${repeats}
X = np.fromfile(d + '/x.f64').reshape(n, k); y = np.fromfile(d + '/y.f64'); w = np.fromfile(d + '/w.f64')
samples = []
for r in range(repeats):
    clf = LinearSVC(C=1.0, loss='hinge', dual=True, tol=1e-2, max_iter=100000, random_state=r)
    t = time.perf_counter(); clf.fit(X, y); samples.append(time.perf_counter() - t)
c = clf.coef_[0]
print(json.dumps({'seconds': sorted(samples)[len(samples) // 2], 'version': sklearn.__version__,
  'accuracy': clf.score(X, y), 'iterations': int(clf.n_iter_),
  'cosine': float(c @ w / np.linalg.norm(c) / np.linalg.norm(w))}))
`;
  const out = execFileSync('/usr/bin/python3', ['-c', script, dir], {
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
    encoding: 'utf8',
  });
  peer = JSON.parse(out);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(
  `Linear SVM (hinge, C = 1, tol 1e-2), ${n} × ${d}, median of ${repeats} fits (lower time is better)`,
);
console.table([
  {
    implementation: 'asterism fitLinearSvm (dual CD)',
    seconds: Number(ours.toFixed(4)),
    passes: fitted.iterations,
    trainAccuracy: Number(svmAccuracy(fitted, X, labels).toFixed(4)),
  },
  {
    implementation: `scikit-learn ${peer.version} LinearSVC`,
    seconds: Number(peer.seconds.toFixed(4)),
    passes: peer.iterations,
    trainAccuracy: Number(peer.accuracy.toFixed(4)),
  },
]);
console.log(`cosine(normal ours, normal sklearn) = ${peer.cosine.toFixed(8)}; target: ours < 2 s`);
console.log(
  JSON.stringify({
    bench: 'svm',
    unit: 's',
    ours: Number(ours.toFixed(4)),
    peer: `scikit-learn ${peer.version} LinearSVC`,
    peerValue: Number(peer.seconds.toFixed(4)),
    ratio: Number((ours / peer.seconds).toFixed(4)),
  }),
);
