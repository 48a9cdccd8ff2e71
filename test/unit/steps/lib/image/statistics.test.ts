import { beforeAll, describe, expect, it } from 'vitest';
import { mad, madStd, median, sigmaClippedStats } from '../../../../../steps/lib/image/statistics.js';
import { runPython, seededNormal, seededRandom } from './python-reference.js';

/** toBeCloseTo, with NaN equal to NaN (astropy returns NaN where too few values are left). */
function expectClose(actual: number, expected: number, digits: number): void {
  if (Number.isNaN(expected)) expect(actual).toBeNaN();
  else expect(actual).toBeCloseTo(expected, digits);
}

/** Gaussian noise with outliers (stars, cosmic rays), NaN and inf holes, like a real sky box. */
function skyLikeSample(n: number, seed: number): Float64Array {
  const normal = seededNormal(seed);
  const uniform = seededRandom(seed + 1);
  return Float64Array.from({ length: n }, (_, i) => {
    if (i % 97 === 0) return Number.NaN;
    if (i % 211 === 0) return Number.POSITIVE_INFINITY;
    const u = uniform();
    if (u < 0.05) return 100 + 50 * normal() ** 2;
    return 10 + 2 * normal();
  });
}

describe('sigmaClippedStats against astropy.stats.sigma_clipped_stats', () => {
  const configs = [
    ['defaults (3σ, 5 iterations, median)', {}, 'sigma=3, maxiters=5', ''],
    ['asymmetric bounds', { sigmaLower: 2, sigmaUpper: 4 }, 'sigma_lower=2, sigma_upper=4', ''],
    [
      'until convergence, mean centre',
      { maxiters: Number.POSITIVE_INFINITY, cenfunc: 'mean' as const },
      "maxiters=None, cenfunc='mean'",
      '',
    ],
    ['std ddof 1, one iteration', { stdDdof: 1, maxiters: 1 }, 'maxiters=1', ', std_ddof=1'],
  ] as const;
  const samples = [skyLikeSample(5001, 1), skyLikeSample(400, 2), skyLikeSample(2, 3)];
  let ref: Record<string, Float64Array> = {};

  beforeAll(() => {
    // One Python process for every case: importing astropy takes about a second.
    const script = configs
      .flatMap(([, , pythonArgs, statsOnlyArgs], c) =>
        samples.map(
          (_, k) => `
x = load('x${k}')
m, med, s = sigma_clipped_stats(x, ${pythonArgs}${statsOnlyArgs})
kept = SigmaClip(${pythonArgs})(x, masked=False, axis=None)
save('r${c}_${k}', [m, med, s, np.isfinite(kept).sum()])`,
        ),
      )
      .join('\n');
    ref = runPython(
      `from astropy.stats import sigma_clipped_stats, SigmaClip\n${script}`,
      Object.fromEntries(samples.map((x, k) => [`x${k}`, x])),
      configs.flatMap((_, c) => samples.map((__, k) => `r${c}_${k}`)),
    );
  });

  it.each(configs.map((config, c) => [config[0], c] as const))('%s', (_name, c) => {
    samples.forEach((sample, k) => {
      const ours = sigmaClippedStats(sample, configs[c]![1]);
      const [mean, med, std, count] = Array.from(ref[`r${c}_${k}`]!);
      // Same arithmetic up to summation order: agreement to 1e-10 absolute on values of order 10.
      expect(ours.count).toBe(count);
      expectClose(ours.mean, mean!, 10);
      expectClose(ours.median, med!, 12);
      expectClose(ours.std, std!, 10);
    });
  });

  it('gives NaN when nothing is finite', () => {
    const stats = sigmaClippedStats([Number.NaN, Number.NaN]);
    expect(stats.count).toBe(0);
    expect(stats.median).toBeNaN();
  });
});

describe('median, MAD and MAD-std against numpy/astropy', () => {
  it.each([1, 2, 7, 1000, 1001])('n = %i with NaN ignored', (n) => {
    const sample = skyLikeSample(n, n).map((v) => (Number.isFinite(v) ? v : Number.NaN));
    const ref = runPython(
      `
from astropy.stats import mad_std, median_absolute_deviation
x = load('x')
save('r', [np.nanmedian(x), median_absolute_deviation(x, ignore_nan=True), mad_std(x, ignore_nan=True)])
`,
      { x: sample },
      ['r'],
    );
    // Order statistics are exact; mad_std multiplies by the same constant up to its last digit.
    expect(median(sample)).toEqual(ref.r![0]);
    expect(mad(sample)).toEqual(ref.r![1]);
    expectClose(madStd(sample), ref.r![2]!, 12);
  });

  it('handles sorted, reversed and constant input', () => {
    const sorted = Float64Array.from({ length: 1000 }, (_, i) => i);
    expect(median(sorted)).toBe(499.5);
    expect(median(sorted.reverse())).toBe(499.5);
    expect(median(new Float64Array(33).fill(4))).toBe(4);
    expect(mad(new Float64Array(33).fill(4))).toBe(0);
  });
});
