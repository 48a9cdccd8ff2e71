import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  fft2,
  fftBackend,
  fftshift,
  ifft2,
  ifftshift,
  irfft2,
  rfft2,
} from '../../../../../steps/lib/image/fft.js';
import { fft2InPlaceJs, irfft2Js, rfft2Js } from '../../../../../steps/lib/image/fft-js.js';
import { nativeFft } from '../../../../../steps/lib/image/fft-native.js';
import { getFftPlan, nextFastLength } from '../../../../../steps/lib/image/fft-plan.js';
import type { ComplexImage, Image } from '../../../../../steps/lib/image/types.js';
import { loadNativeModule } from '../../../../../steps/lib/native/addon.js';
import { relativeMaxError, runPython, seededRandom } from './python-reference.js';

// Sizes: powers of two, the 2/3/5 radices, a composite with 7 and 11 (generic passes), and primes
// above the direct-radix limits (TypeScript: 13, native: 31; larger ones use Bluestein), in both
// axes, including degenerate 1-wide images and heights that leave the native row batches (4
// complex or 8 real rows) and column batches (8 columns) partly empty.
const SHAPES: ReadonlyArray<readonly [number, number]> = [
  [8, 16],
  [12, 10],
  [15, 9],
  [77, 6],
  [17, 31],
  [1, 5],
  [97, 1],
  [64, 127],
  [30, 45],
  [256, 24],
  [3, 1031],
];

function randomComplex(width: number, height: number, seed: number): ComplexImage {
  const random = seededRandom(seed);
  const re = new Float64Array(width * height).map(() => random() - 0.5);
  const im = new Float64Array(width * height).map(() => random() - 0.5);
  return { width, height, re, im };
}

// float64 FFTs accumulate O(ε log n) relative error (measured ≤ 2e-15 here); 1e-12 of the
// spectrum's largest value leaves three orders of margin for Bluestein's two extra transforms.
const TOLERANCE = 1e-12;

// Inputs for every shape, and numpy's answers for all of them from one Python process.
const complexInputs = SHAPES.map(([w, h]) => randomComplex(w, h, w * 1000 + h));
const realInputs: Image[] = SHAPES.map(([w, h]) => {
  const random = seededRandom(w + 7 * h);
  return { width: w, height: h, data: new Float64Array(w * h).map(() => random()) };
});
// A perturbed half spectrum exercises irfft2 on input that is not exactly Hermitian: numpy drops the
// imaginary parts of the x = 0 and Nyquist columns, and so must we.
const perturbedSpectra: ComplexImage[] = realInputs.map((image) => {
  const spectrum = rfft2(image);
  return { ...spectrum, im: spectrum.im.map((v, i) => v + 0.25 * Math.sin(i)) };
});
let ref: Record<string, Float64Array> = {};

beforeAll(() => {
  const script = SHAPES.map(
    ([w, h], k) => `
z = (load('re${k}') + 1j * load('im${k}')).reshape(${h}, ${w})
f = np.fft.fft2(z); save('fr${k}', f.real); save('fi${k}', f.imag)
r = np.fft.rfft2(load('a${k}').reshape(${h}, ${w})); save('rr${k}', r.real); save('ri${k}', r.imag)
p = (load('pr${k}') + 1j * load('pi${k}')).reshape(${h}, ${w} // 2 + 1)
save('back${k}', np.fft.irfft2(p, s=(${h}, ${w})))`,
  ).join('\n');
  const inputs: Record<string, Float64Array> = {};
  SHAPES.forEach((_, k) => {
    inputs[`re${k}`] = complexInputs[k]!.re;
    inputs[`im${k}`] = complexInputs[k]!.im;
    inputs[`a${k}`] = realInputs[k]!.data;
    inputs[`pr${k}`] = perturbedSpectra[k]!.re;
    inputs[`pi${k}`] = perturbedSpectra[k]!.im;
  });
  ref = runPython(
    script,
    inputs,
    SHAPES.flatMap((_, k) => [`fr${k}`, `fi${k}`, `rr${k}`, `ri${k}`, `back${k}`]),
  );
});

const CASES = SHAPES.map(([w, h], k) => [w, h, k] as const);

/** The two implementations behind fft.ts: the native addon (when built) and the TypeScript one. */
interface Implementation {
  fft2(z: ComplexImage): ComplexImage;
  ifft2(z: ComplexImage): ComplexImage;
  rfft2(image: Image): ComplexImage;
  irfft2(spectrum: ComplexImage, width: number): Image;
}
const copyAnd = (z: ComplexImage, inverse: boolean): ComplexImage => {
  const out = { ...z, re: Float64Array.from(z.re), im: Float64Array.from(z.im) };
  fft2InPlaceJs(out, inverse);
  return out;
};
const typescript: Implementation = {
  fft2: (z) => copyAnd(z, false),
  ifft2: (z) => copyAnd(z, true),
  rfft2: rfft2Js,
  irfft2: irfft2Js,
};
const IMPLEMENTATIONS: ReadonlyArray<readonly [string, Implementation | undefined]> = [
  ['typescript', typescript],
  // fft.ts's own functions run native whenever nativeFft() is defined.
  ['native', nativeFft() ? { fft2, ifft2, rfft2, irfft2 } : undefined],
];

it('runs the native FFT when the addon is built', () => {
  const loaded = loadNativeModule();
  // The addon is built by `npm ci` (scripts/build-native.mjs); without it fft.ts must say why.
  if (process.env.ASTERISM_FFT === 'js') expect(fftBackend()).toBe('typescript (ASTERISM_FFT=js)');
  else if ('error' in loaded) expect(fftBackend()).toMatch(/^typescript \(/);
  else expect(fftBackend()).toMatch(/^native (avx2-fma|scalar)$/);
});

describe.each(IMPLEMENTATIONS)('%s FFT', (_name, impl) => {
  const { fft2, ifft2, rfft2, irfft2 } = impl ?? typescript;
  const run = impl ? it : it.skip;
  describe('fft2 / ifft2 against numpy.fft', () => {
    run.each(CASES)('matches numpy for %i×%i', (_w, _h, k) => {
      const z = complexInputs[k]!;
      const ours = fft2(z);
      const back = ifft2(ours);
      expect(relativeMaxError(ours.re, ref[`fr${k}`]!)).toBeLessThan(TOLERANCE);
      expect(relativeMaxError(ours.im, ref[`fi${k}`]!)).toBeLessThan(TOLERANCE);
      expect(relativeMaxError(back.re, z.re)).toBeLessThan(TOLERANCE);
      expect(relativeMaxError(back.im, z.im)).toBeLessThan(TOLERANCE);
    });
  });

  describe('rfft2 / irfft2 against numpy.fft', () => {
    run.each(CASES)('matches numpy for %i×%i', (width, _h, k) => {
      const image = realInputs[k]!;
      const spectrum = rfft2(image);
      expect(spectrum.width).toBe(Math.floor(width / 2) + 1);
      expect(relativeMaxError(spectrum.re, ref[`rr${k}`]!)).toBeLessThan(TOLERANCE);
      expect(relativeMaxError(spectrum.im, ref[`ri${k}`]!)).toBeLessThan(TOLERANCE);
      expect(relativeMaxError(irfft2(perturbedSpectra[k]!, width).data, ref[`back${k}`]!)).toBeLessThan(
        TOLERANCE,
      );
      expect(relativeMaxError(irfft2(spectrum, width).data, image.data)).toBeLessThan(TOLERANCE);
    });

    run('rejects a half spectrum of the wrong width', () => {
      const spectrum = rfft2({ width: 8, height: 2, data: new Float64Array(16) });
      expect(() => irfft2(spectrum, 12)).toThrow(/expected 7 columns/);
    });
  });
});

// The addon's portable kernels (used on CPUs without AVX2/FMA) are chosen once per process, so they
// run in a child node with ASTERISM_FFT_SIMD=scalar on the same inputs.
const CHILD = `
const { createRequire } = require('node:module');
const fs = require('node:fs');
const [addonPath, dir, shapes] = process.argv.slice(1);
const addon = createRequire(addonPath)(addonPath);
const load = (name) => {
  const b = fs.readFileSync(dir + '/' + name);
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};
const save = (name, a) => fs.writeFileSync(dir + '/' + name, a);
JSON.parse(shapes).forEach(([w, h], k) => {
  const half = (Math.floor(w / 2) + 1) * h;
  const fr = new Float64Array(w * h), fi = new Float64Array(w * h), rr = new Float64Array(half);
  const ri = new Float64Array(half), back = new Float64Array(w * h);
  addon.fftComplex2d(load('re' + k), load('im' + k), fr, fi, w, h, false);
  addon.fftReal2d(load('a' + k), rr, ri, w, h);
  addon.fftRealInverse2d(load('pr' + k), load('pi' + k), back, w, h);
  Object.entries({ fr, fi, rr, ri, back }).forEach(([name, a]) => save(name + k, a));
});
console.log(addon.fftInfo().simd);
`;

describe('native scalar kernels', () => {
  const loaded = loadNativeModule();
  const run = 'error' in loaded || !nativeFft() ? it.skip : it;
  run('agree with numpy like the AVX2 ones', () => {
    if ('error' in loaded) return;
    const dir = mkdtempSync(join(tmpdir(), 'asterism-fft-scalar-'));
    try {
      SHAPES.forEach((_, k) => {
        const arrays = {
          re: complexInputs[k]!.re,
          im: complexInputs[k]!.im,
          a: realInputs[k]!.data,
          pr: perturbedSpectra[k]!.re,
          pi: perturbedSpectra[k]!.im,
        };
        for (const [name, a] of Object.entries(arrays)) writeFileSync(join(dir, `${name}${k}`), a);
      });
      const simd = execFileSync(process.execPath, ['-e', CHILD, loaded.path, dir, JSON.stringify(SHAPES)], {
        env: { ...process.env, ASTERISM_FFT_SIMD: 'scalar' },
        encoding: 'utf8',
      });
      expect(simd.trim()).toBe('scalar');
      const read = (name: string) => {
        const b = readFileSync(join(dir, name));
        return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
      };
      SHAPES.forEach((_, k) => {
        for (const name of ['fr', 'fi', 'rr', 'ri', 'back']) {
          expect(relativeMaxError(read(`${name}${k}`), ref[`${name}${k}`]!)).toBeLessThan(TOLERANCE);
        }
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('1-D plans', () => {
  it('handles a large prime (Bluestein) and a long power of two like numpy', () => {
    for (const n of [4099, 4096, 3 * 5 * 7 * 11 * 13]) {
      const z = randomComplex(n, 1, n);
      const re = Float64Array.from(z.re);
      const im = Float64Array.from(z.im);
      getFftPlan(n).transform(re, im, false);
      const ref = runPython(
        `f = np.fft.fft(load('re') + 1j * load('im')); save('fr', f.real); save('fi', f.imag)`,
        { re: z.re, im: z.im },
        ['fr', 'fi'],
      );
      expect(relativeMaxError(re, ref.fr!)).toBeLessThan(TOLERANCE);
      expect(relativeMaxError(im, ref.fi!)).toBeLessThan(TOLERANCE);
    }
  });

  it('rejects a non-positive length', () => {
    expect(() => getFftPlan(0)).toThrow(/positive integer/);
  });

  it('nextFastLength agrees with scipy.fft.next_fast_len', () => {
    const sizes = [1, 2, 7, 11, 13, 17, 97, 101, 1000, 1025, 4097];
    const ref = runPython(
      `import scipy.fft\nsave('n', [scipy.fft.next_fast_len(int(n), real=True) for n in load('sizes')])`,
      { sizes: Float64Array.from(sizes) },
      ['n'],
    );
    expect(sizes.map(nextFastLength)).toEqual(Array.from(ref.n!));
  });
});

describe('fftshift', () => {
  it('matches numpy.fft.fftshift and ifftshift on odd and even sizes', () => {
    const image: Image = { width: 5, height: 4, data: Float64Array.from({ length: 20 }, (_, i) => i) };
    const ref = runPython(
      `a = load('a').reshape(4, 5); save('s', np.fft.fftshift(a)); save('i', np.fft.ifftshift(a))`,
      { a: image.data },
      ['s', 'i'],
    );
    expect(Array.from(fftshift(image).data)).toEqual(Array.from(ref.s!));
    expect(Array.from(ifftshift(image).data)).toEqual(Array.from(ref.i!));
  });
});
