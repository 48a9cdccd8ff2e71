import { describe, expect, it } from 'vitest';
import { shiftBilinear, shiftFourier } from '../../../../../steps/lib/image/shift.js';
import type { Image } from '../../../../../steps/lib/image/types.js';
import { relativeMaxError, runPython, seededRandom } from './python-reference.js';

function randomImage(width: number, height: number, seed: number): Image {
  const random = seededRandom(seed);
  return { width, height, data: new Float64Array(width * height).map(() => random()) };
}

describe('shiftFourier against scipy.ndimage.fourier_shift', () => {
  it.each([
    [16, 12, 0.3, -1.7],
    [15, 9, 2.25, 0.5],
    [8, 8, -3.5, 4],
  ])('%i×%i by (%f, %f)', (w, h, dx, dy) => {
    const image = randomImage(w, h, w + h);
    const ref = runPython(
      `
from scipy import ndimage
a = load('a').reshape(${h}, ${w})
save('out', np.fft.ifft2(ndimage.fourier_shift(np.fft.fft2(a), (${dy}, ${dx}))).real)
`,
      { a: image.data },
      ['out'],
    );
    // Two FFTs and a phase product on both sides: float64 rounding only.
    expect(relativeMaxError(shiftFourier(image, dx, dy).data, ref.out!)).toBeLessThan(1e-12);
  });

  it('an integer shift is a circular roll and the flux is kept', () => {
    const image = randomImage(10, 6, 3);
    const shifted = shiftFourier(image, 3, -2);
    for (let y = 0; y < 6; y++) {
      for (let x = 0; x < 10; x++) {
        const sx = (x - 3 + 10) % 10;
        const sy = (y + 2) % 6;
        expect(shifted.data[y * 10 + x]).toBeCloseTo(image.data[sy * 10 + sx]!, 12);
      }
    }
  });
});

describe('shiftBilinear against scipy.ndimage.shift(order=1, mode="constant")', () => {
  it.each([
    [12, 10, 0.3, -1.7],
    [9, 7, -2.5, 0.75],
    [6, 6, 0, 0],
  ])('%i×%i by (%f, %f)', (w, h, dx, dy) => {
    const image = randomImage(w, h, 2 * w + h);
    const ref = runPython(
      `
from scipy import ndimage
a = load('a').reshape(${h}, ${w})
save('out', ndimage.shift(a, (${dy}, ${dx}), order=1, mode='constant', cval=-5.0))
`,
      { a: image.data },
      ['out'],
    );
    expect(relativeMaxError(shiftBilinear(image, dx, dy, -5).data, ref.out!)).toBeLessThan(1e-13);
  });
});
