import { describe, expect, it } from 'vitest';
import { normalize } from '../../../../../steps/lib/render/stretch.js';
import { zscale } from '../../../../../steps/lib/render/zscale.js';
import { runPython, seededNormal, seededRandom } from '../image/python-reference.js';

/** Sky with noise, stars (bright tail), a few NaN: what zscale is made for. */
function skyValues(n: number, seed: number): Float64Array {
  const normal = seededNormal(seed);
  const uniform = seededRandom(seed + 1);
  return Float64Array.from({ length: n }, (_, i) => {
    if (i % 501 === 7) return Number.NaN;
    const u = uniform();
    return u < 0.03 ? 1000 * u ** -0.5 : 200 + 10 * normal();
  });
}

describe('zscale against astropy.visualization.ZScaleInterval', () => {
  it.each([
    [100_000, 1, ''],
    [3000, 2, ''],
    [999, 3, 'contrast=0.5, n_samples=600'],
    [40, 4, ''],
    [7, 5, ''],
  ])('n = %i (seed %i) %s', (n, seed, args) => {
    const values = skyValues(n, seed);
    const ref = runPython(
      `
from astropy.visualization import ZScaleInterval
save('lim', ZScaleInterval(${args}).get_limits(load('v')))
`,
      { v: values },
      ['lim'],
    );
    const options = args === '' ? {} : { contrast: 0.5, nSamples: 600 };
    const { vmin, vmax } = zscale(values, options);
    // The brief asks for 1%; the algorithm is the same step by step, so only the line fit's rounding
    // differs (numpy lstsq vs centred sums): expect agreement to ~1e-9 relative.
    const [rmin, rmax] = [ref.lim![0]!, ref.lim![1]!];
    expect(Math.abs(vmin - rmin)).toBeLessThanOrEqual(1e-9 * Math.abs(rmax - rmin) + 1e-12);
    expect(Math.abs(vmax - rmax)).toBeLessThanOrEqual(1e-9 * Math.abs(rmax - rmin) + 1e-12);
  });

  it('refuses an input without finite values', () => {
    expect(() => zscale([Number.NaN])).toThrow(/no finite values/);
  });
});

describe('normalize against astropy.visualization stretches and intervals', () => {
  it('asinh/sqrt/log/linear with percentile, minmax and manual intervals', () => {
    const values = skyValues(5000, 9);
    const ref = runPython(
      `
from astropy.visualization import (AsinhStretch, LinearStretch, LogStretch, SqrtStretch,
    PercentileInterval, MinMaxInterval, ManualInterval, ZScaleInterval)
v = load('v')
def apply(interval, stretch):
    lo, hi = interval.get_limits(v)
    x = np.clip((v - lo) / (hi - lo), 0, 1)
    return stretch(x, clip=True)
save('asinh', apply(ZScaleInterval(), AsinhStretch()))
save('sqrt', apply(PercentileInterval(99.5), SqrtStretch()))
save('log', apply(MinMaxInterval(), LogStretch()))
save('lin', apply(ManualInterval(150, 260), LinearStretch()))
save('asinh05', apply(ManualInterval(150, 260), AsinhStretch(a=0.5)))
`,
      { v: values },
      ['asinh', 'sqrt', 'log', 'lin', 'asinh05'],
    );
    const cases = [
      ['asinh', normalize(values, { stretch: 'asinh' })],
      ['sqrt', normalize(values, { interval: { kind: 'percentile', percent: 99.5 }, stretch: 'sqrt' })],
      ['log', normalize(values, { interval: { kind: 'minmax' }, stretch: 'log' })],
      ['lin', normalize(values, { interval: { kind: 'manual', vmin: 150, vmax: 260 } })],
      [
        'asinh05',
        normalize(values, { interval: { kind: 'manual', vmin: 150, vmax: 260 }, stretch: 'asinh', a: 0.5 }),
      ],
    ] as const;
    for (const [name, ours] of cases) {
      const expected = ref[name]!;
      for (let i = 0; i < values.length; i++) {
        if (Number.isNaN(expected[i]!)) expect(ours[i]).toBeNaN();
        else expect(Math.abs(ours[i]! - expected[i]!)).toBeLessThan(1e-9);
      }
    }
  });
});
