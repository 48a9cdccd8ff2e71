import { describe, expect, it } from 'vitest';
import { Random } from '../../../../../steps/lib/random.js';
import { ksStatistic } from '../../../../../steps/lib/stats/ks.js';
import { median, quantile } from '../../../../../steps/lib/stats/median.js';
import { spearman } from '../../../../../steps/lib/stats/spearman.js';
import { withPython } from '../solar/python.js';

interface Case {
  readonly a: number[];
  readonly b: number[];
}

/** Random pairs of samples, some with heavy ties (rounded values) and different lengths. */
function cases(): Case[] {
  const rng = new Random(21);
  const out: Case[] = [];
  for (let k = 0; k < 12; k++) {
    const n1 = 5 + rng.integer(200);
    const n2 = k % 3 === 0 ? n1 : 5 + rng.integer(200);
    const round = k % 2 === 0 ? (v: number) => Math.round(v * 2) / 2 : (v: number) => v;
    const shift = rng.uniformIn(-1, 1);
    out.push({
      a: Array.from({ length: n1 }, () => round(rng.normal())),
      b: Array.from({ length: n2 }, () => round(rng.normal() * 1.3 + shift)),
    });
  }
  return out;
}

const SCIPY = `
import json, sys
import numpy as np
from scipy import stats
cases = json.load(open(sys.argv[1]))
out = []
for c in cases:
    a, b = np.array(c['a']), np.array(c['b'])
    m = min(len(a), len(b))
    # Spearman on a monotone-ish pair of equal length: y = a + noise from b.
    out.append({
        'ks': float(stats.ks_2samp(a, b).statistic),
        'spearman': float(stats.spearmanr(a[:m], a[:m] + b[:m]).statistic),
        'median': float(np.median(a)),
        'q90': float(np.quantile(b, 0.9)),
    })
print(json.dumps(out))
`;

describe('statistics against scipy', () => {
  it('KS statistic, Spearman ρ (with ties), median and quantiles match scipy/numpy to 1e-12', async () => {
    const all = cases();
    const ref = await withPython(
      { 'cases.json': JSON.stringify(all) },
      { code: SCIPY, args: ['{dir}/cases.json'] },
      async (_d, out) => JSON.parse(out) as { ks: number; spearman: number; median: number; q90: number }[],
    );
    all.forEach((c, k) => {
      const r = ref[k] as (typeof ref)[number];
      const m = Math.min(c.a.length, c.b.length);
      const a = c.a.slice(0, m);
      const y = a.map((v, i) => v + (c.b[i] as number));
      // KS: both are exact ratios of counts, equal to rounding; ρ: one float64 Pearson each.
      expect(ksStatistic(c.a, c.b)).toBeCloseTo(r.ks, 12);
      expect(spearman(a, y)).toBeCloseTo(r.spearman, 12);
      expect(median(c.a)).toBeCloseTo(r.median, 12);
      expect(quantile(c.b, 0.9)).toBeCloseTo(r.q90, 12);
    });
  });

  it('has the limiting values the definitions give', () => {
    expect(ksStatistic([1, 2, 3], [1, 2, 3])).toBe(0);
    expect(ksStatistic([1, 2], [3, 4])).toBe(1);
    expect(spearman([1, 2, 3, 4], [10, 20, 25, 100])).toBe(1);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBe(-1);
    expect(Number.isNaN(spearman([1, 2, 3], [5, 5, 5]))).toBe(true);
    expect(median([3, 1, 2, 10])).toBe(2.5);
    expect(() => median([1, Number.NaN])).toThrow(/value 1 is NaN/);
  });
});
