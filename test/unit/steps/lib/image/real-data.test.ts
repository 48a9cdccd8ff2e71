/**
 * The numerics on real frames from ../shared/data: astropy reads the FITS files (our FITS reader
 * is tested elsewhere) and hands the pixels over; every figure is compared with astropy on the same
 * pixels.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { labelComponents } from '../../../../../steps/lib/image/components.js';
import { estimatePsf } from '../../../../../steps/lib/image/psf-estimate.js';
import { sigmaClippedStats } from '../../../../../steps/lib/image/statistics.js';
import type { Image } from '../../../../../steps/lib/image/types.js';
import { zscale } from '../../../../../steps/lib/render/zscale.js';
import { runPython } from './python-reference.js';

const ESO = fileURLToPath(
  new URL('../../../../../../shared/data/eso085-030/aligned_eso085-030-004.fit', import.meta.url),
);
const GMOS = fileURLToPath(
  new URL('../../../../../../shared/data/gmos-cosmic-rays/gmos.fits', import.meta.url),
);

describe('ESO 085-030 frame (1024×682, int16 + BZERO)', () => {
  let image: Image;
  let ref: Record<string, Float64Array>;

  beforeAll(() => {
    ref = runPython(
      `
from astropy.io import fits
from astropy.stats import sigma_clipped_stats
from astropy.visualization import ZScaleInterval
a = fits.getdata(${JSON.stringify(ESO)}).astype(np.float64)
save('shape', a.shape); save('data', a)
save('stats', sigma_clipped_stats(a)); save('zscale', ZScaleInterval().get_limits(a))
`,
      {},
      ['shape', 'data', 'stats', 'zscale'],
    );
    const [height, width] = Array.from(ref.shape!);
    image = { width: width!, height: height!, data: ref.data! };
  });

  it('sigma-clipped stats and zscale agree with astropy on the real frame', () => {
    const stats = sigmaClippedStats(image.data);
    const [mean, median, std] = Array.from(ref.stats!);
    expect(stats.mean).toBeCloseTo(mean!, 8);
    expect(stats.median).toBe(median);
    expect(stats.std).toBeCloseTo(std!, 8);
    const { vmin, vmax } = zscale(image.data);
    const span = ref.zscale![1]! - ref.zscale![0]!;
    expect(Math.abs(vmin - ref.zscale![0]!)).toBeLessThan(1e-9 * span);
    expect(Math.abs(vmax - ref.zscale![1]!)).toBeLessThan(1e-9 * span);
  });

  it('PSF FWHM and centroids match astropy Gaussian2D fits of the same stars', () => {
    const estimate = estimatePsf(image, { stampSize: 21, saturation: 30000 });
    expect(estimate.stars.length).toBeGreaterThanOrEqual(5);
    const xy = Float64Array.from(estimate.stars.flatMap((s) => [s.x, s.y]));
    const fit = runPython(
      `
from astropy.io import fits
from astropy.modeling import models, fitting
a = fits.getdata(${JSON.stringify(ESO)}).astype(np.float64)
xy = load('xy').reshape(-1, 2)
bkg = ${estimate.background}
fwhm, dx, dy = [], [], []
for x, y in xy:
    cx, cy = int(round(x)), int(round(y))
    cut = a[cy - 10:cy + 11, cx - 10:cx + 11] - bkg
    yy, xx = np.mgrid[cy - 10:cy + 11, cx - 10:cx + 11]
    g = models.Gaussian2D(cut.max(), x, y, 1.5, 1.5)
    g = fitting.LevMarLSQFitter()(g, xx, yy, cut)
    fwhm.append(2.3548 * np.sqrt(abs(g.x_stddev.value * g.y_stddev.value)))
    dx.append(g.x_mean.value - x); dy.append(g.y_mean.value - y)
save('fwhm', [np.median(fwhm)]); save('dx', dx); save('dy', dy)
`,
      { xy },
      ['fwhm', 'dx', 'dy'],
    );
    // astropy samples the Gaussian at pixel centres, we fit a pixel-integrated one: a pixel-integrated
    // Gaussian of σ looks like a sampled one of √(σ² + 1/12). With that, the two agree to 2% (the
    // real PSF is not exactly Gaussian, and we fit a median stack rather than each star).
    const sigma = estimate.fwhm / 2.3548;
    const asSampled = 2.3548 * Math.sqrt(sigma * sigma + 1 / 12);
    expect(Math.abs(asSampled / fit.fwhm![0]! - 1)).toBeLessThan(0.02);
    // An extended source (FWHM ≈ 10 px) in this field passes the isolation test and must be rejected.
    expect(estimate.rejectedStars).toBeGreaterThanOrEqual(1);
    // Windowed centroids and Gaussian-fit centres of bright isolated stars agree to 0.1 px.
    for (let k = 0; k < estimate.stars.length; k++) {
      expect(Math.abs(fit.dx![k]!)).toBeLessThan(0.1);
      expect(Math.abs(fit.dy![k]!)).toBeLessThan(0.1);
    }
  });
});

describe('GMOS frame with cosmic rays', () => {
  it('labels the same components as scipy.ndimage.label on a 5σ mask of the real frame', () => {
    const ref = runPython(
      `
from astropy.io import fits
from astropy.stats import sigma_clipped_stats
from scipy import ndimage
a = fits.getdata(${JSON.stringify(GMOS)}, 'SCI').astype(np.float64)
_, med, std = sigma_clipped_stats(a)
mask = a > med + 5 * std
labels, n = ndimage.label(mask, structure=np.ones((3, 3)))
save('shape', a.shape); save('mask', mask); save('labels', labels)
save('areas', ndimage.sum(mask, labels, np.arange(1, n + 1)))
`,
      {},
      ['shape', 'mask', 'labels', 'areas'],
    );
    const [height, width] = Array.from(ref.shape!);
    const result = labelComponents(ref.mask!, width!, height!, 8);
    expect(Array.from(result.labels)).toEqual(Array.from(ref.labels!));
    expect(result.components.map((c) => c.area)).toEqual(Array.from(ref.areas!));
    // The two cosmic rays are among the largest components.
    expect(Math.max(...result.components.map((c) => c.area))).toBeGreaterThan(50);
  });
});
