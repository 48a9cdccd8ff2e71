import { describe, expect, it } from 'vitest';
import { binaryDilation, binaryErosion } from '../../../../../steps/lib/image/morphology.js';
import { runPython, seededRandom } from './python-reference.js';

describe('binary dilation and erosion against scipy.ndimage', () => {
  it.each([
    [30, 20, 0.03, 7],
    [30, 20, 0.3, 3],
    [9, 40, 0.05, 1],
    [5, 4, 0.2, 9],
    [128, 128, 0.01, 7],
  ])('%i×%i mask, density %f, square of side %i', (w, h, density, size) => {
    const random = seededRandom(w * h + size);
    const mask = Float64Array.from({ length: w * h }, () => (random() < density ? 1 : 0));
    const ref = runPython(
      `
from scipy import ndimage
m = load('m').reshape(${h}, ${w}) > 0
s = np.ones((${size}, ${size}), bool)
save('d', ndimage.binary_dilation(m, structure=s)); save('e', ndimage.binary_erosion(~ndimage.binary_dilation(m, structure=np.ones((3, 3), bool)), structure=s))
`,
      { m: mask },
      ['d', 'e'],
    );
    expect(Array.from(binaryDilation(mask, w, h, size))).toEqual(Array.from(ref.d!));
    // Erode the (mostly set) complement of a dilated mask so the erosion has something to remove.
    const complement = binaryDilation(mask, w, h, 3).map((v) => 1 - v);
    expect(Array.from(binaryErosion(complement, w, h, size))).toEqual(Array.from(ref.e!));
  });

  it('refuses an even footprint, which has no centre', () => {
    expect(() => binaryDilation([1, 0, 0, 1], 2, 2, 4)).toThrow(/positive odd integer/);
  });
});
