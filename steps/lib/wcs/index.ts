/**
 * Celestial TAN world coordinates: read from and write to FITS headers, convert between 0-based
 * image positions and sky positions (degrees), and build a WCS for a simulated image.
 */
export { buildTanWcs, cutoutWcs, resampleWcs, type TanWcsSpec } from './build.js';
export { hasTanWcs, type ReadWcsOptions, readWcs, wcsCards } from './header-io.js';
export { pixelScaleDeg, pixelToSky, skyToPixel } from './tan.js';
export type { Matrix2, PixelCoord, SkyCoord, TanWcs } from './types.js';
