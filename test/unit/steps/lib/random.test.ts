import { describe, expect, it } from 'vitest';
import { deriveSeed, Random } from '../../../../steps/lib/random.js';
import { withPython } from './solar/python.js';

// xoshiro128** seeded by splitmix32, written again in Python from the published algorithms
// (Blackman & Vigna; Steele et al.), to check our 32-bit arithmetic bit for bit.
const XOSHIRO_PY = `
import json, sys
M = 0xffffffff
def splitmix32(s):
    s = (s + 0x9e3779b9) & M
    z = s
    z = ((z ^ (z >> 16)) * 0x85ebca6b) & M
    z = ((z ^ (z >> 13)) * 0xc2b2ae35) & M
    return s, (z ^ (z >> 16)) & M
def rotl(x, k): return ((x << k) | (x >> (32 - k))) & M
seed = int(sys.argv[1]); st = seed; w = []
for _ in range(4):
    st, o = splitmix32(st); w.append(o)
s0, s1, s2, s3 = w
out = []
for _ in range(8):
    out.append(rotl((s1 * 5) & M, 7) * 9 & M)
    t = (s1 << 9) & M
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11)
print(json.dumps(out))
`;

describe('Random', () => {
  it('produces the xoshiro128** stream of an independent Python implementation', async () => {
    for (const seed of [0, 1, 4294967295]) {
      const expected = await withPython({}, { code: XOSHIRO_PY, args: [String(seed)] }, async (_d, out) =>
        JSON.parse(out),
      );
      const rng = new Random(seed);
      expect(Array.from({ length: 8 }, () => rng.nextUint32())).toEqual(expected);
    }
  });

  it('is deterministic per seed, and forks do not depend on how far the parent has drawn', () => {
    const a = new Random(42);
    const b = new Random(42);
    expect(a.normalArray(5)).toEqual(b.normalArray(5));
    expect(a.fork('x').uniform()).toBe(new Random(42).fork('x').uniform());
    expect(deriveSeed(42, 'x')).not.toBe(deriveSeed(42, 'y'));
    expect(new Random(1).uniform()).not.toBe(new Random(2).uniform());
  });

  it('draws normals that scipy’s KS test accepts as N(0, 1)', async () => {
    const z = new Random(3).normalArray(20000);
    const p = await withPython(
      { 'z.json': JSON.stringify(Array.from(z)) },
      {
        code: 'import json,sys; from scipy import stats; z=json.load(open(sys.argv[1])); print(stats.kstest(z, "norm").pvalue)',
        args: ['{dir}/z.json'],
      },
      async (_d, out) => Number(out),
    );
    // A correct generator fails this at the 1e-3 level one time in a thousand seeds; this seed is fixed.
    expect(p).toBeGreaterThan(1e-3);
  });

  it('draws integers in range and uniform doubles in [0, 1)', () => {
    const rng = new Random(9);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60000; i++) {
      const k = rng.integer(6);
      counts[k] = (counts[k] as number) + 1;
      const u = rng.uniform();
      expect(u >= 0 && u < 1).toBe(true);
    }
    // Each count is Binomial(60000, 1/6): sd ≈ 91, so ±500 is > 5 sd.
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(500);
    expect(() => rng.integer(0)).toThrow(/from 1 to 2\^32/);
    expect(rng.permutation(10).sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
