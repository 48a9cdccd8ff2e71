/**
 * The GAN-stabilising options of train-gan: the hemisphere-twin augmentation against numpy
 * (−flipud), and the generator weight EMA against numpy's recursion θ̄ ← βθ̄ + (1 − β)θ.
 * Tolerances: the twin is exact (a sign flip and a copy); the EMA runs in float32, so 1e-6
 * relative after 5 updates of O(1) weights (numpy runs in float64).
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGenerator } from '../../../../../steps/lib/models/gan.js';
import { hemisphereTwin } from '../../../../../steps/lib/models/gan-augment.js';
import { GeneratorEma } from '../../../../../steps/lib/models/gan-ema.js';
import { stackParameters } from '../../../../../steps/lib/solar/physics.js';
import { f64Bytes, withPython } from '../solar/python.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('hemisphereTwin', () => {
  it('is −B with the rows reversed (numpy −flipud), and keeps TUF, R and PSEP', async () => {
    const size = 16;
    const patch = Float64Array.from({ length: size * size }, (_, i) => Math.sin(i * 0.37) * 0.9);
    const twin = new Float64Array(size * size);
    hemisphereTwin(patch, size, twin);
    const expected = await withPython(
      { 'b.f8': f64Bytes(patch) },
      {
        code: `import numpy as np, sys
b = np.fromfile(sys.argv[1] + '/b.f8', '<f8').reshape(${size}, ${size})
(-np.flipud(b)).astype('<f8').tofile(sys.argv[1] + '/t.f8')`,
        args: ['{dir}'],
      },
      async (dir) => {
        const bytes = readFileSync(`${dir}/t.f8`);
        return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8);
      },
    );
    expect(expected.length).toBe(twin.length);
    // Exact: a sign flip and a copy (compared by value, so −0 and 0 agree).
    expect(twin.every((v, i) => v === expected[i])).toBe(true);
    const [a, b] = [
      stackParameters(Float32Array.from(patch), size, size)[0],
      stackParameters(Float32Array.from(twin), size, size)[0],
    ];
    expect(b?.tuf).toBeCloseTo(a?.tuf ?? Number.NaN, 12);
    expect(b?.r).toBeCloseTo(a?.r ?? Number.NaN, 9);
    expect(b?.psep).toBeCloseTo(a?.psep ?? Number.NaN, 12);
    expect(b?.net_flux).toBeCloseTo(-(a?.net_flux ?? Number.NaN), 12);
  });

  it('rejects a length that is not size²', () => {
    expect(() => hemisphereTwin(new Float64Array(10), 4, new Float64Array(16))).toThrow(/4×4/);
  });
});

describe('GeneratorEma', () => {
  it('follows θ̄ ← βθ̄ + (1 − β)θ (numpy) over five updates of changing weights', async () => {
    const g = buildGenerator({ size: 24, seed: 1 });
    const ema = new GeneratorEma(g, buildGenerator({ size: 24, seed: 2 }), 0.9);
    const initial = g.getWeights().map((w) => Array.from(w.dataSync()));
    const history: number[][][] = [];
    for (let k = 0; k < 5; k++) {
      // Move the source weights as training would: θ ← θ + 0.1·(k + 1)·sin(index).
      g.setWeights(
        g
          .getWeights()
          .map((w) =>
            tf.tidy(() => tf.add(w, tf.mul(0.1 * (k + 1), tf.sin(tf.range(0, w.size).reshape(w.shape))))),
          ),
      );
      history.push(g.getWeights().map((w) => Array.from(w.dataSync())));
      ema.update();
    }
    const ours = ema.model.getWeights().map((w) => Array.from(w.dataSync()));
    const expected = await withPython(
      { 'h.json': JSON.stringify({ initial, history }) },
      {
        code: `import numpy as np, json, sys
h = json.load(open(sys.argv[1] + '/h.json'))
avg = [np.array(w, dtype=np.float64) for w in h['initial']]
for step in h['history']:
    avg = [0.9 * a + 0.1 * np.array(w) for a, w in zip(avg, step)]
print(json.dumps([a.tolist() for a in avg]))`,
        args: ['{dir}'],
      },
      async (_dir, out) => JSON.parse(out) as number[][],
    );
    expect(ours.length).toBe(expected.length);
    ours.forEach((w, i) => {
      const e = expected[i] as number[];
      const scale = Math.max(1, ...e.map(Math.abs));
      const worst = Math.max(...w.map((v, j) => Math.abs(v - (e[j] as number))));
      expect(worst / scale).toBeLessThan(1e-6);
    });
    g.dispose();
    ema.model.dispose();
  });
});
