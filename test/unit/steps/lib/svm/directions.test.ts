import { describe, expect, it } from 'vitest';
import { Random } from '../../../../../steps/lib/random.js';
import {
  conditionalDirection,
  DegenerateDirectionError,
  dot,
  unitVector,
} from '../../../../../steps/lib/svm/directions.js';
import { withPython } from '../solar/python.js';

describe('conditionalDirection', () => {
  it('is n − (n·c)c renormalised for one condition', () => {
    const rng = new Random(1);
    const n = unitVector(rng.normalArray(10));
    const c = unitVector(rng.normalArray(10));
    const got = conditionalDirection(n, [c]);
    const nc = dot(n, c);
    const expected = unitVector(n.map((v, i) => v - nc * (c[i] as number)));
    for (let i = 0; i < 10; i++) expect(got[i]).toBeCloseTo(expected[i] as number, 14);
  });

  it('matches numpy’s least-squares projection for three conditions, and is orthogonal to them', async () => {
    const rng = new Random(2);
    const d = 100;
    const n = rng.normalArray(d);
    const conditions = [0, 1, 2].map(() => unitVector(rng.normalArray(d)));
    const got = conditionalDirection(n, conditions);
    const ref = await withPython(
      { 'in.json': JSON.stringify({ n: Array.from(n), c: conditions.map((c) => Array.from(c)) }) },
      {
        code: `import json,sys; import numpy as np
v=json.load(open(sys.argv[1])); n=np.array(v['n']); n/=np.linalg.norm(n); C=np.array(v['c']).T
beta=np.linalg.lstsq(C, n, rcond=None)[0]; r=n-C@beta; print(json.dumps((r/np.linalg.norm(r)).tolist()))`,
        args: ['{dir}/in.json'],
      },
      async (_d, out) => JSON.parse(out) as number[],
    );
    for (let i = 0; i < d; i++) expect(got[i]).toBeCloseTo(ref[i] as number, 12);
    for (const c of conditions) expect(Math.abs(dot(got, c))).toBeLessThan(1e-12);
    expect(dot(got, got)).toBeCloseTo(1, 14);
  });

  it('refuses a direction inside the span of its conditions', () => {
    const c = unitVector([1, 0, 0]);
    expect(() => conditionalDirection([2, 0, 0], [c])).toThrow(DegenerateDirectionError);
    expect(() => conditionalDirection([1, 1, 0], [c, c])).toThrow(/linearly dependent/);
  });
});
