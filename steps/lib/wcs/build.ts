/** Building a TAN WCS for a simulated image, and following it through cut-outs. */
import type { TanWcs } from './types.js';

export interface TanWcsSpec {
  readonly width: number;
  readonly height: number;
  /** Sky position of the image centre, degrees. */
  readonly centerRaDeg: number;
  readonly centerDecDeg: number;
  /** Pixel scale, arcseconds per pixel. */
  readonly pixelScaleArcsec: number;
  /**
   * Rotation ρ of the image, degrees, in the CROTA2 sense: 0 puts north up (+y) and east left
   * (−x), the usual orientation of a sky image seen from the ground.
   * @default 0
   */
  readonly rotationDeg?: number;
}

/**
 * A north-up (rotated by ρ), east-left TAN WCS whose reference point is the image centre:
 * CD = s·[[−cos ρ, −sin ρ], [−sin ρ, cos ρ]] with s the scale in degrees (CDELT1 = −s, CDELT2 = s and
 * the CROTA2 rotation of Paper II eq. 188).
 *
 * @example
 * const wcs = buildTanWcs({ width: 256, height: 256, centerRaDeg: 150.1, centerDecDeg: 2.2, pixelScaleArcsec: 0.4 });
 * writeFits(path, [{ data: image, cards: wcsCards(wcs) }]);
 */
export function buildTanWcs(spec: TanWcsSpec): TanWcs {
  const s = spec.pixelScaleArcsec / 3600;
  const rho = ((spec.rotationDeg ?? 0) * Math.PI) / 180;
  const cdelt1 = -s;
  const cdelt2 = s;
  return {
    // FITS pixel centres are at integers from 1, so the centre of an N-pixel axis is (N + 1) / 2.
    crpix: [(spec.width + 1) / 2, (spec.height + 1) / 2],
    crval: [spec.centerRaDeg, spec.centerDecDeg],
    cd: [
      [cdelt1 * Math.cos(rho), -cdelt2 * Math.sin(rho)],
      [cdelt1 * Math.sin(rho), cdelt2 * Math.cos(rho)],
    ],
    lonpole: spec.centerDecDeg >= 90 ? 0 : 180,
    ctype: ['RA---TAN', 'DEC--TAN'],
    radesys: 'ICRS',
  };
}

/** The WCS of a cut-out whose pixel (0, 0) is pixel (x0, y0) of the original (0-based). */
export function cutoutWcs(wcs: TanWcs, x0: number, y0: number): TanWcs {
  return { ...wcs, crpix: [wcs.crpix[0] - x0, wcs.crpix[1] - y0] };
}

/**
 * The WCS after resampling by `factor` (2 = half as many pixels per axis, each covering a 2×2
 * block). FITS pixel p of the original maps to (p − 0.5) / f + 0.5 in the new image.
 */
export function resampleWcs(wcs: TanWcs, factor: number): TanWcs {
  const [[a, b], [c, d]] = wcs.cd;
  return {
    ...wcs,
    crpix: [(wcs.crpix[0] - 0.5) / factor + 0.5, (wcs.crpix[1] - 0.5) / factor + 0.5],
    cd: [
      [a * factor, b * factor],
      [c * factor, d * factor],
    ],
  };
}
