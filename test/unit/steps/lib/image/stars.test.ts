import { describe, expect, it } from 'vitest';
import { addPsf, type PsfModel } from '../../../../../steps/lib/image/psf.js';
import { estimatePsf } from '../../../../../steps/lib/image/psf-estimate.js';
import { centroidWindowed, findPeaks } from '../../../../../steps/lib/image/stars.js';
import type { Image } from '../../../../../steps/lib/image/types.js';
import { runPython, seededNormal, seededRandom } from './python-reference.js';

interface TrueStar {
  x: number;
  y: number;
  flux: number;
}

/** A 200×200 field: background 100, Gaussian noise σ = 2, stars on a jittered grid (isolated). */
function renderField(model: PsfModel, seed: number): { image: Image; stars: TrueStar[] } {
  const size = 200;
  const normal = seededNormal(seed);
  const uniform = seededRandom(seed + 1);
  const data = new Float64Array(size * size);
  for (let i = 0; i < data.length; i++) data[i] = 100 + 2 * normal();
  const image = { width: size, height: size, data };
  const stars: TrueStar[] = [];
  for (let gy = 0; gy < 5; gy++) {
    for (let gx = 0; gx < 5; gx++) {
      const star = {
        x: 24 + 38 * gx + 6 * (uniform() - 0.5),
        y: 24 + 38 * gy + 6 * (uniform() - 0.5),
        flux: 5e3 + 4.5e4 * uniform(),
      };
      addPsf(image, model, star.x, star.y, star.flux);
      stars.push(star);
    }
  }
  return { image, stars };
}

describe('findPeaks against the photutils definition (scipy maximum_filter)', () => {
  it.each([3, 5, 7])('box %i on a noise image', (box) => {
    const random = seededRandom(box);
    const image: Image = { width: 40, height: 30, data: new Float64Array(1200).map(() => random()) };
    const ref = runPython(
      `
from scipy import ndimage
a = load('a').reshape(30, 40)
peak = (a == ndimage.maximum_filter(a, size=${box}, mode='constant', cval=-np.inf)) & (a > 0.7)
ys, xs = np.nonzero(peak)
save('xy', np.stack([xs, ys], axis=1))
`,
      { a: image.data },
      ['xy'],
    );
    const ours = findPeaks(image, { threshold: 0.7, boxSize: box })
      .map((p) => [p.x, p.y] as const)
      .sort((a, b) => a[1] - b[1] || a[0] - b[0]);
    expect(ours.flat()).toEqual(Array.from(ref.xy!));
  });

  it('keeps one pixel of a plateau and honours border and maxPeaks', () => {
    const image: Image = { width: 6, height: 5, data: new Float64Array(30) };
    image.data[2 * 6 + 2] = 5;
    image.data[2 * 6 + 3] = 5;
    image.data[4 * 6 + 5] = 9;
    expect(findPeaks(image, { threshold: 1, boxSize: 3 })).toEqual([
      { x: 5, y: 4, value: 9 },
      { x: 2, y: 2, value: 5 },
    ]);
    expect(findPeaks(image, { threshold: 1, boxSize: 3, border: 1 })).toEqual([{ x: 2, y: 2, value: 5 }]);
    expect(findPeaks(image, { threshold: 1, boxSize: 3, maxPeaks: 1 })).toHaveLength(1);
  });
});

describe('centroids and PSF on a rendered field', () => {
  it('recovers star positions within 0.05 px with the windowed centroid', () => {
    const { image, stars } = renderField({ kind: 'gaussian', fwhm: 3 }, 21);
    const subtracted: Image = { ...image, data: image.data.map((v) => v - 100) };
    const peaks = findPeaks(subtracted, { threshold: 50 });
    expect(peaks).toHaveLength(stars.length);
    for (const star of stars) {
      const peak = peaks.find((p) => Math.hypot(p.x - star.x, p.y - star.y) < 1.5);
      expect(peak).toBeDefined();
      const c = centroidWindowed(subtracted, peak!.x, peak!.y, { sigma: 3 / 2.3548 });
      expect(c.converged).toBe(true);
      // S/N ≥ ~300 per star: the statistical error is ≈ σ_psf/SNR < 0.01 px; 0.05 px is the brief's bound.
      expect(Math.abs(c.x - star.x)).toBeLessThan(0.05);
      expect(Math.abs(c.y - star.y)).toBeLessThan(0.05);
    }
  });

  it.each([
    [{ kind: 'gaussian', fwhm: 3.2 } as const, 'gaussian' as const],
    [{ kind: 'gaussian', fwhm: 2.2 } as const, 'gaussian' as const],
    [{ kind: 'moffat', fwhm: 3.5, beta: 3 } as const, 'moffat' as const],
  ])('recovers the FWHM of %o within 3%', (truth, kind) => {
    const { image, stars } = renderField(truth, 31);
    const estimate = estimatePsf(image, { model: kind, stampSize: 21 });
    expect(estimate.stars.length).toBeGreaterThanOrEqual(20);
    expect(Math.abs(estimate.fwhm / truth.fwhm - 1)).toBeLessThan(0.03);
    if (estimate.model.kind === 'moffat') expect(Math.abs(estimate.model.beta - 3)).toBeLessThan(0.5);
    // Stamp centred on the middle pixel and normalised.
    let sum = 0;
    let mx = 0;
    for (let i = 0; i < estimate.stamp.data.length; i++) {
      sum += estimate.stamp.data[i]!;
      mx += estimate.stamp.data[i]! * (i % 21);
    }
    expect(sum).toBeCloseTo(1, 12);
    expect(Math.abs(mx - 10)).toBeLessThan(0.05);
    for (const s of estimate.stars) {
      const t = stars.find((st) => Math.hypot(st.x - s.x, st.y - s.y) < 0.05);
      expect(t).toBeDefined();
    }
  });

  it('skips saturated stars and says what to do when none are left', () => {
    const { image } = renderField({ kind: 'gaussian', fwhm: 3 }, 41);
    expect(() => estimatePsf(image, { saturation: 150 })).toThrow(/no isolated, unsaturated star above 20σ/);
  });
});
