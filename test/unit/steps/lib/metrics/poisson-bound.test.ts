import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { poissonCdf, poissonUpperBound } from '../../../../../steps/lib/metrics/poisson-bound.js';

describe('poissonUpperBound', () => {
  it('is −ln(1 − confidence) for no events', () => {
    expect(poissonUpperBound(0, 0.95)).toBeCloseTo(-Math.log(0.05), 8);
    expect(poissonUpperBound(0, 0.9)).toBeCloseTo(-Math.log(0.1), 8);
  });

  it('matches scipy: ½ χ²_c(2k + 2)', () => {
    const ks = [0, 1, 2, 5, 14, 50, 1000];
    const levels = [0.95, 0.99];
    const script = `import json,sys
from scipy.stats import chi2
print(json.dumps([[0.5*chi2.ppf(c, 2*k+2) for k in ${JSON.stringify(ks)}] for c in ${JSON.stringify(levels)}]))`;
    const scipy = JSON.parse(
      execFileSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' }),
    ) as number[][];
    levels.forEach((c, i) => {
      ks.forEach((k, j) => {
        // Bisection stops at 1e-10 relative; scipy's ppf is accurate to ~1e-12: 1e-8 relative.
        const expected = scipy[i]![j]!;
        expect(Math.abs(poissonUpperBound(k, c) - expected) / expected).toBeLessThan(1e-8);
      });
    });
  });

  it('has P(X ≤ k) = 1 − confidence at the bound, and refuses bad input', () => {
    expect(poissonCdf(3, poissonUpperBound(3))).toBeCloseTo(0.05, 9);
    expect(poissonCdf(2, 0)).toBe(1);
    expect(() => poissonUpperBound(-1)).toThrow('non-negative integer');
    expect(() => poissonUpperBound(1.5)).toThrow('non-negative integer');
    expect(() => poissonUpperBound(0, 1)).toThrow('confidence');
  });
});
