import { describe, expect, it } from 'vitest';
import { downsampleArea, resizeBilinear } from '../../../../../steps/lib/image/resample.js';
import type { Image } from '../../../../../steps/lib/image/types.js';
import { relativeMaxError, runPython, seededRandom } from './python-reference.js';

function randomImage(width: number, height: number, seed: number): Image {
  const random = seededRandom(seed);
  return { width, height, data: new Float64Array(width * height).map(() => random() - 0.5) };
}

// The reference builds the area-overlap matrices densely in numpy, A_y @ image @ A_xᵀ, with
// A[i, p] = |[p, p+1) ∩ [i·s, (i+1)·s)| / s: independent of our sparse, NaN-aware loop.
const AREA_REFERENCE = `
def area_matrix(n_in, n_out):
    s = n_in / n_out
    a = np.zeros((n_out, n_in))
    for i in range(n_out):
        for p in range(n_in):
            a[i, p] = max(0.0, min(p + 1, (i + 1) * s) - max(p, i * s)) / s
    return a
`;

describe('downsampleArea', () => {
  it.each([
    [64, 48, 16, 12],
    [37, 23, 10, 7],
    [720, 540, 128, 128],
    [5, 5, 5, 5],
  ])('%i×%i → %i×%i matches the dense numpy area-overlap reference', (w, h, ow, oh) => {
    const image = randomImage(w, h, w * h);
    const ref = runPython(
      `${AREA_REFERENCE}
a = load('a').reshape(${h}, ${w})
save('out', area_matrix(${h}, ${oh}) @ a @ area_matrix(${w}, ${ow}).T)
`,
      { a: image.data },
      ['out'],
    );
    expect(relativeMaxError(downsampleArea(image, ow, oh).data, ref.out!)).toBeLessThan(1e-12);
  });

  it('is the block mean for an integer ratio (numpy reshape-mean)', () => {
    const image = randomImage(12, 9, 5);
    const ref = runPython(
      `a = load('a').reshape(9, 12); save('out', a.reshape(3, 3, 3, 4).mean(axis=(1, 3)))`,
      { a: image.data },
      ['out'],
    );
    expect(relativeMaxError(downsampleArea(image, 3, 3).data, ref.out!)).toBeLessThan(1e-14);
  });

  it('leaves NaN out of the mean and refuses to grow', () => {
    const image: Image = {
      width: 4,
      height: 2,
      data: Float64Array.from([1, Number.NaN, 5, 7, 3, 2, Number.NaN, Number.NaN]),
    };
    expect(Array.from(downsampleArea(image, 2, 1).data)).toEqual([2, 6]);
    const allNaN: Image = { width: 2, height: 2, data: new Float64Array(4).fill(Number.NaN) };
    expect(downsampleArea(allNaN, 1, 1).data[0]).toBeNaN();
    expect(() => downsampleArea(image, 8, 2)).toThrow(/use resizeBilinear to enlarge/);
  });
});

describe('resizeBilinear against torch.nn.functional.interpolate(mode="bilinear")', () => {
  const cases: ReadonlyArray<readonly [number, number, number, number, boolean]> = [
    [8, 6, 20, 15, false],
    [8, 6, 20, 15, true],
    [16, 16, 128, 128, false],
    [10, 7, 4, 3, false],
    [10, 7, 4, 3, true],
    [1, 5, 3, 9, false],
  ];
  it('matches torch for up- and downsizing with both corner conventions', () => {
    // One Python process for all cases: importing torch takes seconds.
    const images = cases.map(([w, h], k) => randomImage(w, h, w + 13 * h + k));
    const script = cases
      .map(
        ([w, h, ow, oh, alignCorners], k) => `
a = torch.from_numpy(load('a${k}').reshape(1, 1, ${h}, ${w}))
save('o${k}', torch.nn.functional.interpolate(a, size=(${oh}, ${ow}), mode='bilinear', align_corners=${alignCorners ? 'True' : 'False'}).numpy())`,
      )
      .join('\n');
    const ref = runPython(
      `import torch\n${script}`,
      Object.fromEntries(images.map((image, k) => [`a${k}`, image.data])),
      cases.map((_, k) => `o${k}`),
    );
    cases.forEach(([, , ow, oh, alignCorners], k) => {
      // torch computes the same products in float64; the tolerance covers a different operation order.
      const ours = resizeBilinear(images[k]!, ow, oh, { alignCorners });
      expect(relativeMaxError(ours.data, ref[`o${k}`]!)).toBeLessThan(1e-13);
    });
  });
});
