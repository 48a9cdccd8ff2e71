import { describe, expect, it } from 'vitest';
import { labelComponents } from '../../../../../steps/lib/image/components.js';
import { runPython, seededRandom } from './python-reference.js';

function randomMask(width: number, height: number, density: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  return Float64Array.from({ length: width * height }, () => (random() < density ? 1 : 0));
}

describe('labelComponents against scipy.ndimage.label', () => {
  it.each([
    [40, 30, 0.45, 4],
    [40, 30, 0.45, 8],
    [1, 25, 0.5, 8],
    [64, 64, 0.6, 4],
    [17, 5, 0.0, 8],
  ] as const)('%i×%i mask, density %f, connectivity %i', (w, h, density, connectivity) => {
    const mask = randomMask(w, h, density, w * h + connectivity);
    const ref = runPython(
      `
from scipy import ndimage
m = load('m').reshape(${h}, ${w}) > 0
labels, n = ndimage.label(m, structure=ndimage.generate_binary_structure(2, ${connectivity === 4 ? 1 : 2}))
idx = np.arange(1, n + 1)
area = ndimage.sum(m, labels, idx) if n else np.zeros(0)
com = np.array(ndimage.center_of_mass(m, labels, idx)).reshape(-1, 2) if n else np.zeros((0, 2))
boxes = ndimage.find_objects(labels)
bb = np.array([[s[1].start, s[1].stop - 1, s[0].start, s[0].stop - 1] for s in boxes]).reshape(-1, 4)
save('labels', labels); save('n', [n]); save('area', area); save('com', com); save('bb', bb)
`,
      { m: mask },
      ['labels', 'n', 'area', 'com', 'bb'],
    );
    const ours = labelComponents(mask, w, h, connectivity);
    expect(ours.count).toBe(ref.n![0]);
    expect(Array.from(ours.labels)).toEqual(Array.from(ref.labels!));
    ours.components.forEach((c, k) => {
      expect(c.area).toBe(ref.area![k]);
      expect([c.xMin, c.xMax, c.yMin, c.yMax]).toEqual(Array.from(ref.bb!.subarray(4 * k, 4 * k + 4)));
      expect(c.yCentroid).toBeCloseTo(ref.com![2 * k]!, 12);
      expect(c.xCentroid).toBeCloseTo(ref.com![2 * k + 1]!, 12);
    });
  });

  it('joins a U shape whose arms meet only at the bottom (union of two provisional labels)', () => {
    // 1 0 1
    // 1 0 1
    // 1 1 1
    const mask = [1, 0, 1, 1, 0, 1, 1, 1, 1];
    const result = labelComponents(mask, 3, 3, 4);
    expect(result.count).toBe(1);
    expect(Array.from(result.labels)).toEqual([1, 0, 1, 1, 0, 1, 1, 1, 1]);
    expect(() => labelComponents(mask, 4, 3)).toThrow(/does not match 4×3/);
  });
});
