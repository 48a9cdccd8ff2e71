import { describe, expect, it } from 'vitest';
import type { Image } from '../../../../../steps/lib/image/types.js';
import { type ZogyInput, zogy } from '../../../../../steps/lib/zogy/core.js';
import { gaussianStamp, noiseImage, runNumpyZogy } from './fixtures.js';

/** Circular convolution by the definition (no FFT): out[y,x] = Σ k[j,i] img[(y-j) mod H, (x-i) mod W]. */
function circularConvolve(kernel: Image, image: Image): Float64Array {
  const { width: W, height: H } = image;
  const out = new Float64Array(W * H);
  for (let j = 0; j < H; j++) {
    for (let i = 0; i < W; i++) {
      const k = kernel.data[j * W + i]!;
      if (k === 0) continue;
      for (let y = 0; y < H; y++) {
        const sy = (y - j + H) % H;
        for (let x = 0; x < W; x++) out[y * W + x]! += k * image.data[sy * W + ((x - i + W) % W)]!;
      }
    }
  }
  return out;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function pairWithSources(width: number, height: number): ZogyInput {
  const psfNew = gaussianStamp(15, 2.2);
  const psfRef = gaussianStamp(15, 1.4);
  const sources = [
    { x: 12, y: 9, flux: 4000 },
    { x: 40, y: 30, flux: 900 },
  ];
  const transient = [{ x: 25, y: 20, flux: 600 }];
  return {
    newImage: noiseImage(width, height, 5, 1, [...sources, ...transient], psfNew),
    refImage: noiseImage(
      width,
      height,
      3,
      2,
      sources.map((s) => ({ ...s, flux: s.flux * 1.3 })),
      psfRef,
    ),
    psfNew,
    psfRef,
    sigmaNew: 5,
    sigmaRef: 3,
    fluxZeroPointNew: 1,
    fluxZeroPointRef: 1.3,
    gainNew: 2,
    gainRef: 1.5,
    sigmaAstX: 0.1,
    sigmaAstY: 0.05,
  };
}

describe('zogy', () => {
  it('S equals kn⊗N − kr⊗R (convolutions by definition) to float precision', () => {
    const input = pairWithSources(36, 27); // odd and even sizes, neither a power of two
    const result = zogy(input);
    const knN = circularConvolve(result.kernelNew, input.newImage);
    const krR = circularConvolve(result.kernelRef, input.refImage);
    const expected = knN.map((v, i) => v - krR[i]!);
    // Two FFT round trips against exact sums: errors are a few ulps of the largest term.
    expect(maxAbsDiff(result.score.data, expected)).toBeLessThan(1e-10 * maxAbs(knN));
  });

  it('on pure noise S_corr has mean 0 and standard deviation within 5% of 1', () => {
    const psfNew = gaussianStamp(21, 2.5);
    const psfRef = gaussianStamp(21, 1.6);
    const result = zogy({
      newImage: noiseImage(256, 256, 7, 11),
      refImage: noiseImage(256, 256, 4, 12),
      psfNew,
      psfRef,
      sigmaNew: 7,
      sigmaRef: 4,
      fluxZeroPointNew: 1,
      fluxZeroPointRef: 0.8,
      gainNew: Number.POSITIVE_INFINITY,
      gainRef: Number.POSITIVE_INFINITY,
      sigmaAstX: 0,
      sigmaAstY: 0,
    });
    const s = result.scoreCorr.data;
    const mean = s.reduce((a, v) => a + v, 0) / s.length;
    const std = Math.sqrt(s.reduce((a, v) => a + (v - mean) ** 2, 0) / s.length);
    // S_corr is smooth over ~the PSF area (~60 px), so 65,536 pixels hold ~1,000 independent
    // values: the mean's standard error is ~0.03, and 0.1 is > 3 of them.
    expect(Math.abs(mean)).toBeLessThan(0.1);
    expect(Math.abs(std - 1)).toBeLessThan(0.05);
    // D is whitened: its noise is σ = 1/F_D in flux units.
    const d = result.difference.data;
    const dStd = Math.sqrt(d.reduce((a, v) => a + v * v, 0) / d.length);
    expect(Math.abs(dStd * result.fluxZeroPointDiff - 1)).toBeLessThan(0.05);
  });

  it('agrees with the independent numpy implementation (D and S_corr to 1e-4 relative)', () => {
    const input = pairWithSources(60, 45);
    const ours = zogy(input);
    const ref = runNumpyZogy(input);
    for (const [name, a, b] of [
      ['D', ours.difference.data, ref.D],
      ['S_corr', ours.scoreCorr.data, ref.Scorr],
      ['V', ours.scoreVariance.data, ref.V],
      ['P_D', ours.psfDiff.data, ref.PD],
    ] as const) {
      expect(a.length, name).toBe(b.length);
      // Relative to the array's scale (elementwise relative error is undefined at zero crossings).
      expect(maxAbsDiff(a, b) / maxAbs(b), name).toBeLessThan(1e-4);
    }
    expect(ours.fluxZeroPointDiff).toBeCloseTo(ref.F_D, 10);
    expect(Math.abs(ours.fluxZeroPointScore / ref.F_S - 1)).toBeLessThan(1e-10);
  });

  it('measures the flux of a transient in the new image (α = S/F_S, eqs. 41-42)', () => {
    const input = pairWithSources(60, 45);
    const result = zogy(input);
    const i = 20 * 60 + 25;
    const alpha = result.score.data[i]! / result.fluxZeroPointScore;
    const sigmaAlpha = Math.sqrt(result.scoreVariance.data[i]!) / result.fluxZeroPointScore;
    expect(Math.abs(alpha - 600)).toBeLessThan(4 * sigmaAlpha);
  });

  it('rejects images of different sizes and non-finite pixels with a message that says what to do', () => {
    const input = pairWithSources(36, 27);
    expect(() => zogy({ ...input, refImage: noiseImage(30, 27, 1, 3) })).toThrow(
      'new image is 36x27 but the reference is 30x27',
    );
    const bad = noiseImage(36, 27, 1, 3);
    bad.data[5] = Number.NaN;
    expect(() => zogy({ ...input, newImage: bad })).toThrow(/non-finite pixel at index 5; mask it/);
  });
});
