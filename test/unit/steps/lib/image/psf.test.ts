import { describe, expect, it } from 'vitest';
import {
  addPsf,
  gaussianFwhmFromSigma,
  gaussianSigmaFromFwhm,
  moffatAlphaFromFwhm,
  moffatFwhmFromAlpha,
  psfIntegral,
  psfProfile,
  psfRadius,
  psfStamp,
} from '../../../../../steps/lib/image/psf.js';
import { createImage } from '../../../../../steps/lib/image/types.js';
import { runPython } from './python-reference.js';

describe('FWHM conversions', () => {
  it('round-trip, and agree with astropy gaussian_fwhm_to_sigma and Moffat2D.fwhm', () => {
    const ref = runPython(
      `
from astropy.stats import gaussian_fwhm_to_sigma
from astropy.modeling.models import Moffat2D
save('k', [gaussian_fwhm_to_sigma, Moffat2D(gamma=2.0, alpha=3.5).fwhm])
`,
      {},
      ['k'],
    );
    expect(gaussianSigmaFromFwhm(1)).toBeCloseTo(ref.k![0]!, 14);
    // astropy names the core width gamma and the index alpha: Moffat2D(gamma=α, alpha=β).
    expect(moffatFwhmFromAlpha(2, 3.5)).toBeCloseTo(ref.k![1]!, 12);
    expect(gaussianFwhmFromSigma(gaussianSigmaFromFwhm(3.3))).toBeCloseTo(3.3, 14);
    expect(moffatAlphaFromFwhm(moffatFwhmFromAlpha(1.7, 2.5), 2.5)).toBeCloseTo(1.7, 14);
  });

  it('the profile is at half maximum at fwhm/2 along both axes of a round PSF', () => {
    for (const model of [
      { kind: 'gaussian', fwhm: 3.2 } as const,
      { kind: 'moffat', fwhm: 3.2, beta: 2.5 } as const,
    ]) {
      expect(psfProfile(model, 1.6, 0)).toBeCloseTo(0.5, 14);
      expect(psfProfile(model, 0, -1.6)).toBeCloseTo(0.5, 14);
    }
  });

  it('an elliptical PSF has fwhm along thetaRad and fwhm·(1-e) across it', () => {
    const model = { kind: 'gaussian', fwhm: 4, ellipticity: 0.25, thetaRad: Math.PI / 6 } as const;
    const c = Math.cos(Math.PI / 6);
    const s = Math.sin(Math.PI / 6);
    expect(psfProfile(model, 2 * c, 2 * s)).toBeCloseTo(0.5, 14);
    expect(psfProfile(model, -1.5 * s, 1.5 * c)).toBeCloseTo(0.5, 14);
  });

  it('refuses shapes without a finite flux', () => {
    expect(() => psfStamp({ kind: 'moffat', fwhm: 3, beta: 1 })).toThrow(/beta must be > 1/);
    expect(() => psfStamp({ kind: 'gaussian', fwhm: 0 })).toThrow(/positive number of pixels/);
  });
});

describe('pixel-integrated rendering against scipy quadrature', () => {
  it('Gaussian pixels match exact erf integrals and Moffat pixels match dblquad', () => {
    const gaussian = { kind: 'gaussian', fwhm: 2.2, ellipticity: 0.2, thetaRad: 0.4 } as const;
    const moffat = { kind: 'moffat', fwhm: 2.5, beta: 3 } as const;
    const [x0, y0] = [5.3, 4.8];
    const g = createImage(11, 11);
    const m = createImage(11, 11);
    addPsf(g, gaussian, x0, y0, 1, { oversample: 15 });
    addPsf(m, moffat, x0, y0, 1, { oversample: 15 });
    const sigma = gaussianSigmaFromFwhm(2.2);
    const alpha = moffatAlphaFromFwhm(2.5, 3);
    const ref = runPython(
      `
from scipy import integrate
sa, sb, th = ${sigma}, ${sigma * 0.8}, 0.4
al, be = ${alpha}, 3.0
x0, y0 = ${x0}, ${y0}
def gauss(y, x):
    xr = (x - x0) * np.cos(th) + (y - y0) * np.sin(th)
    yr = -(x - x0) * np.sin(th) + (y - y0) * np.cos(th)
    return np.exp(-0.5 * (xr**2 / sa**2 + yr**2 / sb**2)) / (2 * np.pi * sa * sb)
def moffat(y, x):
    return (1 + ((x - x0)**2 + (y - y0)**2) / al**2) ** -be * (be - 1) / (np.pi * al**2)
g = np.zeros((11, 11)); m = np.zeros((11, 11))
for y in range(11):
    for x in range(11):
        g[y, x] = integrate.dblquad(gauss, x - 0.5, x + 0.5, y - 0.5, y + 0.5, epsabs=1e-12)[0]
        m[y, x] = integrate.dblquad(moffat, x - 0.5, x + 0.5, y - 0.5, y + 0.5, epsabs=1e-12)[0]
save('g', g); save('m', m)
`,
      {},
      ['g', 'm'],
    );
    // Midpoint rule with 15×15 samples: error ≈ h²/24 · |f''| with h = 1/15 and |f''| ≤ peak/σ²;
    // for σ_minor ≈ 0.75 px that is ≈ 5e-4 of the peak. Allow 1e-3 of the peak.
    const peakG = Math.max(...ref.g!);
    const peakM = Math.max(...ref.m!);
    for (let i = 0; i < 121; i++) {
      expect(Math.abs(g.data[i]! - ref.g![i]!)).toBeLessThan(1e-3 * peakG);
      expect(Math.abs(m.data[i]! - ref.m![i]!)).toBeLessThan(1e-3 * peakM);
    }
  });
});

describe('stamps and flux', () => {
  it('a stamp sums to 1, is centred, and is symmetric for a round PSF', () => {
    const stamp = psfStamp({ kind: 'moffat', fwhm: 3, beta: 2.5 }, { size: 15 });
    let total = 0;
    let mx = 0;
    let my = 0;
    for (let y = 0; y < 15; y++) {
      for (let x = 0; x < 15; x++) {
        const v = stamp.data[y * 15 + x]!;
        total += v;
        mx += v * x;
        my += v * y;
        expect(v).toBeCloseTo(stamp.data[(14 - y) * 15 + (14 - x)]!, 15);
      }
    }
    expect(total).toBeCloseTo(1, 14);
    expect(mx).toBeCloseTo(7, 12);
    expect(my).toBeCloseTo(7, 12);
  });

  it('a shifted stamp has its first moment at the offset', () => {
    const stamp = psfStamp({ kind: 'gaussian', fwhm: 2.5 }, { size: 21, offsetX: 0.3, offsetY: -0.2 });
    let mx = 0;
    let my = 0;
    for (let i = 0; i < stamp.data.length; i++) {
      mx += stamp.data[i]! * (i % 21);
      my += stamp.data[i]! * Math.floor(i / 21);
    }
    // Moments of the pixel-integrated profile equal those of the profile (box convolution keeps the mean).
    expect(mx).toBeCloseTo(10.3, 6);
    expect(my).toBeCloseTo(9.8, 6);
  });

  it('addPsf deposits the flux inside the 1e-3 radius', () => {
    const model = { kind: 'moffat', fwhm: 3, beta: 3 } as const;
    const image = createImage(101, 101);
    addPsf(image, model, 50.2, 49.7, 1000);
    let total = 0;
    for (const v of image.data) total += v;
    // The radius keeps ≥ 99.9% of the flux; the midpoint rule is spectrally accurate for the total.
    expect(total).toBeGreaterThan(998.9);
    expect(total).toBeLessThanOrEqual(1000.0001);
    expect(psfRadius(model)).toBeGreaterThan(3);
    expect(psfIntegral({ kind: 'gaussian', fwhm: gaussianFwhmFromSigma(1) })).toBeCloseTo(2 * Math.PI, 14);
  });
});
