import { describe, expect, it } from 'vitest';
import { convolve, correlate, kernelAtOrigin } from '../../../../../steps/lib/image/convolve.js';
import type { Image } from '../../../../../steps/lib/image/types.js';
import { relativeMaxError, runPython, seededRandom } from './python-reference.js';

function randomImage(width: number, height: number, seed: number): Image {
  const random = seededRandom(seed);
  return { width, height, data: new Float64Array(width * height).map(() => random() - 0.3) };
}

// scipy's fftconvolve is itself an FFT product; both sides carry O(ε log n) rounding on values of
// order Σ|kernel|·max|image|, so 1e-12 relative to the output's scale is a safe bound.
const TOLERANCE = 1e-12;

const CASES: ReadonlyArray<readonly [number, number, number, number]> = [
  [32, 24, 5, 5],
  [31, 17, 4, 6],
  [20, 20, 9, 3],
  [13, 29, 13, 29],
];

describe('convolve (zero boundary) against scipy.signal.fftconvolve(mode="same")', () => {
  it.each(CASES)('image %i×%i, kernel %i×%i', (w, h, kw, kh) => {
    const image = randomImage(w, h, w * h);
    const kernel = randomImage(kw, kh, kw + 100 * kh);
    const ref = runPython(
      `
from scipy import signal
a = load('a').reshape(${h}, ${w}); k = load('k').reshape(${kh}, ${kw})
save('conv', signal.fftconvolve(a, k, mode='same'))
save('corr', signal.correlate(a, k, mode='same', method='fft'))
`,
      { a: image.data, k: kernel.data },
      ['conv', 'corr'],
    );
    expect(relativeMaxError(convolve(image, kernel).data, ref.conv!)).toBeLessThan(TOLERANCE);
    expect(relativeMaxError(correlate(image, kernel).data, ref.corr!)).toBeLessThan(TOLERANCE);
  });
});

describe('convolve (circular boundary)', () => {
  it.each([
    [16, 12, 5, 3],
    [15, 10, 4, 4],
  ])('matches a direct periodic sum in numpy for image %i×%i, kernel %i×%i', (w, h, kw, kh) => {
    const image = randomImage(w, h, 3 * w + h);
    const kernel = randomImage(kw, kh, 5 * kw + kh);
    // out[y,x] = Σ_k image[(y + c - k) mod H, ...] kernel[k] = Σ_k kernel[k] · roll(image, k - c)
    const ref = runPython(
      `
a = load('a').reshape(${h}, ${w}); k = load('k').reshape(${kh}, ${kw})
cy, cx = (${kh} - 1) // 2, (${kw} - 1) // 2
out = np.zeros_like(a)
for j in range(${kh}):
    for i in range(${kw}):
        out += k[j, i] * np.roll(a, (j - cy, i - cx), axis=(0, 1))
save('out', out)
`,
      { a: image.data, k: kernel.data },
      ['out'],
    );
    expect(relativeMaxError(convolve(image, kernel, { boundary: 'circular' }).data, ref.out!)).toBeLessThan(
      TOLERANCE,
    );
  });

  it('kernelAtOrigin puts the centre pixel at (0, 0) and refuses a kernel larger than the grid', () => {
    const kernel: Image = { width: 3, height: 3, data: Float64Array.from([0, 0, 0, 0, 1, 2, 0, 0, 0]) };
    const grid = kernelAtOrigin(kernel, 4, 4);
    expect(grid.data[0]).toBe(1);
    expect(grid.data[1]).toBe(2);
    expect(() => kernelAtOrigin(kernel, 2, 8)).toThrow(/does not fit a 2×8 circular grid/);
  });
});

it('refuses NaN input and says where it is', () => {
  const image = randomImage(6, 5, 1);
  image.data[2 * 6 + 4] = Number.NaN;
  expect(() => convolve(image, randomImage(3, 3, 2))).toThrow(/non-finite value at pixel \(x=4, y=2\)/);
});
