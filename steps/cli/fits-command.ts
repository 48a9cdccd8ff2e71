/**
 * `asterism fits`: look inside FITS files without leaving the terminal.
 *
 *   asterism fits info FILE [--json] [--header] [--hdu N|NAME]
 *   asterism fits preview FILE [--hdu N|NAME] -o out.png [--stretch zscale|asinh|linear] [--colormap grey|viridis]
 *
 * The bin imports this module for every command, so it holds only the name and help; the work
 * is in `fits-run.ts`, imported when the command runs (the FITS, rendering and PNG modules cost
 * about 30 ms to load).
 */
import type { CommandDefinition } from '../../engine/index.js';

const HELP = `asterism fits — inspect FITS files

Usage:
  asterism fits info FILE [--json] [--header] [--hdu N|NAME]
  asterism fits preview FILE [--hdu N|NAME] -o OUT.png [--stretch zscale|asinh|linear] [--colormap grey|viridis]

info      one line per HDU: index, EXTNAME, type (image, bintable, compressed-image), BITPIX,
          axes in FITS order (NAXIS1×NAXIS2...), and for images min/max/mean/std/NaN count.
          --json prints the same as JSON; --header prints the header cards instead
          (of every HDU, or of the one --hdu names).
preview   render one image HDU (default: the first with an image) to PNG, FITS row 1 at the
          bottom as in DS9. Stretches: zscale (default), asinh, linear.

Examples:
  asterism fits info ../shared/data/gmos-cosmic-rays/gmos.fits
  asterism fits info image.fits --json
  asterism fits info image.fits --header --hdu SCI
  asterism fits preview image.fits --hdu SCI -o sci.png --stretch asinh`;

/** The `asterism fits` command, handed to the engine's CLI by the bin entry. */
export const fitsCommand: CommandDefinition = {
  name: 'fits',
  description: 'Inspect FITS files: list HDUs with statistics, print headers, render PNG previews',
  help: HELP,
  async run(argv, io) {
    return (await import('./fits-run.js')).runFits(argv, io);
  },
};
