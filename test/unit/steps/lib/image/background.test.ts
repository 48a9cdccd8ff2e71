import { describe, expect, it } from 'vitest';
import { backgroundMap } from '../../../../../steps/lib/image/background.js';
import { addPsf } from '../../../../../steps/lib/image/psf.js';
import type { Image } from '../../../../../steps/lib/image/types.js';
import { seededNormal, seededRandom } from './python-reference.js';

/** A tilted sky plane with Gaussian noise σ = 5, 60 bright stars and a NaN stripe. */
function skyImage(): { image: Image; truth: (x: number, y: number) => number } {
  const width = 256;
  const height = 192;
  const truth = (x: number, y: number): number => 100 + 0.2 * x - 0.1 * y;
  const normal = seededNormal(11);
  const data = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data[y * width + x] = truth(x, y) + 5 * normal();
  }
  const image = { width, height, data };
  const uniform = seededRandom(12);
  for (let s = 0; s < 60; s++) {
    addPsf(image, { kind: 'gaussian', fwhm: 3 }, uniform() * width, uniform() * height, 2e4);
  }
  for (let y = 0; y < height; y++) for (let x = 100; x < 110; x++) data[y * width + x] = Number.NaN;
  return { image, truth };
}

describe('backgroundMap', () => {
  it('recovers a tilted plane under stars and noise, and the noise level', () => {
    const { image, truth } = skyImage();
    // Between box centres bilinear interpolation of a plane is exact, so the error is the noise of a
    // box median, ≈ 1.25·σ/√1024 ≈ 0.2 (worst of ~40k pixels ≈ 0.45 on pure noise), plus the bias of
    // faint star wings that survive clipping (≈ 0.5 here), plus the extra noise of boxes cut by the
    // NaN stripe. 1.5 (0.3σ) bounds that; a plain mean with the stars in is off by ~20.
    // Without the median filter every box centre is usable (x 15.5..239.5, y 15.5..175.5). With the
    // 3×3 filter, edge boxes see a truncated window, whose median on a slope is off by up to half a
    // box step (as in photutils), so only pixels between boxes with a full window are checked.
    const worstBetween = (
      map: ReturnType<typeof backgroundMap>,
      lo: number,
      hiX: number,
      hiY: number,
    ): number => {
      let worst = 0;
      for (let y = lo; y <= hiY; y++) {
        for (let x = lo; x <= hiX; x++) {
          worst = Math.max(worst, Math.abs(map.background.data[y * 256 + x]! - truth(x, y)));
        }
      }
      return worst;
    };
    const unfiltered = backgroundMap(image, { boxSize: 32, filterSize: 1 });
    expect(worstBetween(unfiltered, 16, 239, 175)).toBeLessThan(1.5);
    const map = backgroundMap(image, { boxSize: 32, filterSize: 3 });
    expect(map.meshBackground.width).toBe(8);
    expect(map.meshBackground.height).toBe(6);
    expect(worstBetween(map, 48, 207, 143)).toBeLessThan(1.5);
    // rms: the 3σ-clipped std of pure N(0, 5) noise is ≈ 0.97–0.99 of 5; faint star wings that
    // survive clipping inflate crowded boxes by up to ~10%. Allow 15%; no rejection at all gives ≫ 5.
    for (const v of map.meshRms.data) expect(Math.abs(v - 5)).toBeLessThan(0.75);
  });

  it('is constant for a constant image and holds edge values beyond the outer box centres', () => {
    const image: Image = { width: 50, height: 30, data: new Float64Array(1500).fill(7) };
    const map = backgroundMap(image, { boxSize: 16 });
    for (const v of map.background.data) expect(v).toBeCloseTo(7, 12);
    for (const v of map.rms.data) expect(v).toBe(0);
  });

  it('fills boxes without data from their neighbours and refuses an all-NaN image', () => {
    const data = new Float64Array(64 * 64).fill(3);
    for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) data[y * 64 + x] = Number.NaN;
    const map = backgroundMap({ width: 64, height: 64, data }, { boxSize: 32, filterSize: 1 });
    expect(map.meshBackground.data[0]).toBe(3);
    expect(() => backgroundMap({ width: 8, height: 8, data: new Float64Array(64).fill(Number.NaN) })).toThrow(
      /no box has enough finite pixels/,
    );
    expect(() => backgroundMap({ width: 8, height: 8, data }, { filterSize: 2 })).toThrow(/must be odd/);
  });
});
