/**
 * Adapters from the shared analytic PSF models (steps/lib/image/psf.ts) and from empirical PSF
 * stamps to the `PsfRenderer` signature used by simulation and injection.
 */
import { addPsf, type PsfModel, psfRadius } from '../image/psf.js';
import { shiftFourier } from '../image/shift.js';
import type { Image } from '../image/types.js';
import type { PsfRenderer } from './inject-models.js';

/**
 * Render an analytic model, pixel-integrated on a 3×3 sub-grid (≤ 1% from the exact integral at
 * FWHM ≥ 2 px), out to the radius beyond which `floor` ADU (about a tenth of a typical sky noise)
 * of the flux remains: faint stars stay cheap, bright stars keep their wings.
 */
export function modelRenderer(model: PsfModel, floor = 3): PsfRenderer {
  const radii = new Map<number, number>();
  const radiusFor = (flux: number): number => {
    const decade = Math.max(
      -5,
      Math.min(-2, Math.floor(Math.log10(floor / Math.max(Math.abs(flux), 1e-300)))),
    );
    let r = radii.get(decade);
    if (r === undefined) {
      r = Math.min(256, psfRadius(model, 10 ** decade));
      radii.set(decade, r);
    }
    return r;
  };
  return (image, x, y, flux) => addPsf(image, model, x, y, flux, { radius: radiusFor(flux), oversample: 3 });
}

/**
 * Render an empirical, centred, odd-size PSF stamp at a sub-pixel position: the stamp is shifted
 * by the fractional offset in Fourier space (exact for a band-limited PSF) and added at the
 * nearest pixel.
 */
export function stampRenderer(stamp: Image): PsfRenderer {
  const half = (stamp.width - 1) / 2;
  return (image, x, y, flux) => {
    const ix = Math.round(x);
    const iy = Math.round(y);
    const fx = x - ix;
    const fy = y - iy;
    const shifted = fx === 0 && fy === 0 ? stamp : shiftFourier(stamp, fx, fy);
    for (let sy = 0; sy < stamp.height; sy++) {
      const py = iy + sy - half;
      if (py < 0 || py >= image.height) continue;
      for (let sx = 0; sx < stamp.width; sx++) {
        const px = ix + sx - half;
        if (px < 0 || px >= image.width) continue;
        image.data[py * image.width + px]! += flux * shifted.data[sy * stamp.width + sx]!;
      }
    }
  };
}
